/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * errgroup (golang.org/x/sync/errgroup) for kgo: run a group of Gs, wait
 * for all of them, keep the first error. The group has a context, a child
 * of the one it was made with, that the first error cancels, so the
 * other Gs of the group can stop early, and that kgo_errgroup_wait()
 * cancels when it returns. An optional limit bounds the Gs running at
 * once: kgo_errgroup_go() then blocks (sleeping, a G handing its P off)
 * until one of them finishes.
 */
#ifndef _KGO_ERRGROUP_H
#define _KGO_ERRGROUP_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/module.h>

#include <kgo/sync.h>

struct kgo_ctx;

/**
 * typedef kgo_errgroup_fn - what a G of an errgroup runs
 * @ctx: the group's context, borrowed for the duration of the call
 * @arg: the argument given to kgo_errgroup_go()
 *
 * Return: 0 or a negative errno; the first error becomes the group's.
 */
typedef int (*kgo_errgroup_fn)(struct kgo_ctx *ctx, void *arg);

/**
 * struct kgo_errgroup - a group of Gs (Go's errgroup.Group)
 * @ctx: I: the group's context, owned by the group
 * @wg: counts the Gs started and not finished
 * @err: atomic: the first error, set once by cmpxchg from 0
 * @limit: I while Gs run: the most Gs running at once, 0 for no limit
 * @sem: tokens for the limit: @limit of them
 *
 * Initialise with kgo_errgroup_init(), end with kgo_errgroup_wait() then
 * kgo_errgroup_destroy().
 */
struct kgo_errgroup {
	struct kgo_ctx *ctx;
	struct kgo_wg wg;
	atomic_t err;
	int limit;
	struct kgo_sema sem;
};

int kgo_errgroup_init(struct kgo_errgroup *eg, struct kgo_ctx *parent,
		      gfp_t gfp);
int kgo_errgroup_set_limit(struct kgo_errgroup *eg, int limit);
int __kgo_errgroup_go(struct module *owner, struct kgo_errgroup *eg,
		      kgo_errgroup_fn fn, void *arg, bool block);
int kgo_errgroup_wait(struct kgo_errgroup *eg);
void kgo_errgroup_destroy(struct kgo_errgroup *eg);
struct kgo_ctx *kgo_errgroup_ctx(struct kgo_errgroup *eg);

/**
 * kgo_errgroup_go() - run @fn(ctx, @arg) in a new G of the group
 * @eg: the group
 * @fn: the function
 * @arg: its argument
 *
 * Go's g.Go(). With a limit, waits until fewer than the limit run. The
 * calling module is pinned until @fn returns.
 *
 * Context: process; may sleep.
 * Return: see __kgo_errgroup_go().
 */
#define kgo_errgroup_go(eg, fn, arg)				\
	__kgo_errgroup_go(THIS_MODULE, (eg), (fn), (arg), true)

/**
 * kgo_errgroup_trygo() - kgo_errgroup_go() unless the limit is reached
 * @eg: the group
 * @fn: the function
 * @arg: its argument
 *
 * Go's g.TryGo().
 *
 * Context: process.
 * Return: see __kgo_errgroup_go(); -EAGAIN at the limit.
 */
#define kgo_errgroup_trygo(eg, fn, arg)				\
	__kgo_errgroup_go(THIS_MODULE, (eg), (fn), (arg), false)

#endif /* _KGO_ERRGROUP_H */
