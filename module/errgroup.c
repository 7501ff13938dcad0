// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * errgroup (golang.org/x/sync/errgroup/errgroup.go): a WaitGroup, a
 * first-error slot, a context cancelled by that error, and a semaphore of
 * @limit tokens for the bounded-concurrency variant. Go's version uses a
 * buffered channel as the semaphore; kgo's token-passing semaphore
 * (syncq.c) blocks the same way and hands a freed token straight to the
 * first waiting kgo_errgroup_go().
 *
 * Memory ordering: the first error is published by atomic_cmpxchg()
 * (fully ordered) before the group's context is cancelled and before the
 * G's kgo_wg_done(); kgo_errgroup_wait() reads it after kgo_wg_wait(),
 * whose wake-up ((W2)/(W1) in syncq.h, or the WaitGroup's spinlock when
 * it did not sleep) orders every G's work before the read.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/slab.h>

#include <kgo/async.h>
#include <kgo/context.h>
#include <kgo/errgroup.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "syncq.h"

/*
 * One G of a group: what it runs, freed by the G itself. Every field is I
 * (sched.h's legend): set before the G is spawned, then read by it only.
 */
struct kgo_errgroup_task {
	struct kgo_errgroup *eg;	/* I: the group */
	kgo_errgroup_fn fn;		/* I: the function */
	void *arg;			/* I: its argument */
};

/**
 * kgo_errgroup_init() - initialise @eg, with a context derived from @parent
 * @eg: the group
 * @parent: the parent context, or NULL for the background context
 * @gfp: allocation flags for the context
 *
 * Go's errgroup.WithContext(); the plain Group is @parent == NULL.
 *
 * Context: per @gfp.
 * Return: 0 or -ENOMEM.
 */
int kgo_errgroup_init(struct kgo_errgroup *eg, struct kgo_ctx *parent,
		      gfp_t gfp)
{
	eg->ctx = kgo_ctx_with_cancel(parent, gfp);
	if (IS_ERR(eg->ctx))
		return PTR_ERR(eg->ctx);
	kgo_wg_init(&eg->wg);
	atomic_set(&eg->err, 0);
	eg->limit = 0;
	kgo_sema_init(&eg->sem, 0);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_errgroup_init);

/**
 * kgo_errgroup_set_limit() - bound the Gs of @eg running at once
 * @eg: the group
 * @limit: the bound; 0 or negative for none
 *
 * Go's g.SetLimit(): changing the limit while Gs of the group run is an
 * error.
 *
 * Context: any.
 * Return: 0, or -EBUSY (and a warning, once) while Gs run or a
 * kgo_errgroup_go() waits.
 */
int kgo_errgroup_set_limit(struct kgo_errgroup *eg, int limit)
{
	if (kgo_wg_count(&eg->wg) || kgo_sema_waiters(&eg->sem)) {
		kgo_sync_misuse("kgo: errgroup limit changed while Gs run\n");
		return -EBUSY;
	}
	eg->limit = max(limit, 0);
	kgo_sema_init(&eg->sem, eg->limit);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_errgroup_set_limit);

/**
 * kgo_errgroup_ctx() - the group's context
 * @eg: the group
 *
 * Context: any.
 * Return: the context, borrowed: valid until kgo_errgroup_destroy().
 */
struct kgo_ctx *kgo_errgroup_ctx(struct kgo_errgroup *eg)
{
	return eg->ctx;
}
EXPORT_SYMBOL_GPL(kgo_errgroup_ctx);

/* Keep the first error and cancel the group (Go's errOnce). */
static void kgo_errgroup_fail(struct kgo_errgroup *eg, int err)
{
	if (atomic_cmpxchg(&eg->err, 0, err) == 0)
		kgo_ctx_cancel_err(eg->ctx, err);
}

static void kgo_errgroup_run(void *arg)
{
	struct kgo_errgroup_task *t = arg;
	struct kgo_errgroup *eg = t->eg;
	int err;

	err = t->fn(eg->ctx, t->arg);
	kfree(t);
	if (err)
		kgo_errgroup_fail(eg, err < 0 ? err : -EINVAL);
	if (eg->limit)
		kgo_sema_release(&eg->sem);
	/* The group may be freed once this is done: touch nothing after. */
	kgo_wg_done(&eg->wg);
}

/**
 * __kgo_errgroup_go() - start a G of the group; use kgo_errgroup_go()
 * @owner: the module @fn belongs to, pinned while @fn runs
 * @eg: the group
 * @fn: the function
 * @arg: its argument
 * @block: at the limit, wait (kgo_errgroup_go()) rather than fail
 *	(kgo_errgroup_trygo())
 *
 * Context: process; sleeps when @block and at the limit.
 * Return: 0 when the G was started; -EAGAIN at the limit without @block;
 * -ENOMEM (or another error of __kgo_go()) when no G could be made, which
 * also becomes the group's error and cancels its context.
 */
int __kgo_errgroup_go(struct module *owner, struct kgo_errgroup *eg,
		      kgo_errgroup_fn fn, void *arg, bool block)
{
	struct kgo_errgroup_task *t;
	int err;

	if (eg->limit) {
		if (block)
			kgo_sema_acquire(&eg->sem, false, false, 0,
					 "errgroup limit");
		else if (!kgo_sema_try_acquire(&eg->sem))
			return -EAGAIN;
	}
	kgo_wg_add(&eg->wg, 1);
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	err = -ENOMEM;
	if (t) {
		t->eg = eg;
		t->fn = fn;
		t->arg = arg;
		err = __kgo_go(owner, kgo_errgroup_run, t, GFP_KERNEL);
		if (!err)
			return 0;
		kfree(t);
	}
	kgo_errgroup_fail(eg, err);
	if (eg->limit)
		kgo_sema_release(&eg->sem);
	kgo_wg_done(&eg->wg);
	return err;
}
EXPORT_SYMBOL_GPL(__kgo_errgroup_go);

/**
 * kgo_errgroup_wait() - wait for every G of the group (Go's g.Wait())
 * @eg: the group
 *
 * Cancels the group's context before returning, as Go does.
 *
 * Context: process; sleeps.
 * Return: the first error a G returned (or a start failed with), else 0.
 */
int kgo_errgroup_wait(struct kgo_errgroup *eg)
{
	kgo_wg_wait(&eg->wg);
	return kgo_errgroup_wait_end(eg);
}
EXPORT_SYMBOL_GPL(kgo_errgroup_wait);

/**
 * kgo_errgroup_wait_end() - the end of a wait for the group's Gs
 * @eg: the group, its WaitGroup at zero
 *
 * Context: process or softirq.
 * Return: the group's first error, or 0; its context is cancelled.
 */
int kgo_errgroup_wait_end(struct kgo_errgroup *eg)
{
	kgo_ctx_cancel(eg->ctx);
	return atomic_read(&eg->err);
}

/**
 * kgo_errgroup_wait_async() - kgo_errgroup_wait() in a parked-capable G
 * @t: the task
 * @eg: the group
 *
 * The task's sudog joins the waiters of the group's WaitGroup; the last
 * G of the group to finish readies it. As kgo_errgroup_wait(), the
 * group's context is cancelled when the wait ends.
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: the first error a G returned (or a start failed with), else 0;
 * or -EINPROGRESS: parked, the result comes with the resume.
 */
int kgo_errgroup_wait_async(struct kgo_task *t, struct kgo_errgroup *eg)
{
	int ret;

	t->obj = eg;
	ret = kgo_wg_wait_task(t, &eg->wg, KGO_TASK_OP_ERRGROUP);
	if (ret)
		return ret;
	return kgo_errgroup_wait_end(eg);
}
EXPORT_SYMBOL_GPL(kgo_errgroup_wait_async);

/**
 * kgo_errgroup_destroy() - free the group's context
 * @eg: the group, waited for with kgo_errgroup_wait()
 *
 * Context: process.
 */
void kgo_errgroup_destroy(struct kgo_errgroup *eg)
{
	if (kgo_wg_count(&eg->wg))
		kgo_sync_misuse("kgo: errgroup destroyed with Gs running\n");
	kgo_ctx_put(eg->ctx);
	eg->ctx = NULL;
}
EXPORT_SYMBOL_GPL(kgo_errgroup_destroy);
