/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo contexts: Go's context package for kernel code. A context carries a
 * cancellation signal, an optional deadline and optional key/value pairs
 * down a tree of Gs.
 *
 * - kgo_ctx_background() is the root: never cancelled, no deadline, its
 *   Done channel is NULL (never ready in a select, like Go's nil channel).
 * - kgo_ctx_with_cancel(), kgo_ctx_with_deadline(), kgo_ctx_with_timeout()
 *   and kgo_ctx_with_value() make a child. A child's deadline is the
 *   earlier of its own and its parent's. Cancelling a context (by
 *   kgo_ctx_cancel(), its deadline, or its parent's cancellation) closes
 *   its Done channel, sets its error (-ECANCELED or -ETIMEDOUT), cancels
 *   its whole subtree and unlinks it from its parent. Cancel is
 *   idempotent: the first cause wins.
 * - Contexts are refcounted (Go has a garbage collector). The creator owns
 *   one reference; kgo_ctx_get()/kgo_ctx_put() take and drop more. A
 *   child holds a reference to its parent. Unlike Go, forgetting to cancel
 *   leaks nothing as long as the last reference is put.
 *
 * The *_ctx variants of blocking calls (channel send and receive and
 * kgo_sleep_ctx() here, kgo_wg_wait_ctx() in <kgo/sync.h>) end their wait
 * with the context's error when it is cancelled. kgo_mutex has none, as
 * Go's Mutex has none: see Documentation/sync.rst. A parked G
 * (<kgo/async.h>) waits for a cancellation with kgo_ctx_done_async().
 */
#ifndef _KGO_CONTEXT_H
#define _KGO_CONTEXT_H

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/types.h>

#include <kgo/chan.h>

struct kgo_ctx;

struct kgo_ctx *kgo_ctx_background(void);
struct kgo_ctx *kgo_ctx_with_cancel(struct kgo_ctx *parent, gfp_t gfp);
struct kgo_ctx *kgo_ctx_with_deadline(struct kgo_ctx *parent,
				      ktime_t deadline, gfp_t gfp);
struct kgo_ctx *kgo_ctx_with_timeout(struct kgo_ctx *parent, s64 timeout_ns,
				     gfp_t gfp);
struct kgo_ctx *kgo_ctx_with_value(struct kgo_ctx *parent, const void *key,
				   void *val, gfp_t gfp);
struct kgo_ctx *kgo_ctx_get(struct kgo_ctx *ctx);
void kgo_ctx_put(struct kgo_ctx *ctx);
void kgo_ctx_cancel(struct kgo_ctx *ctx);
void kgo_ctx_cancel_err(struct kgo_ctx *ctx, int err);
struct kgo_chan *kgo_ctx_done(struct kgo_ctx *ctx);
int kgo_ctx_err(struct kgo_ctx *ctx);
bool kgo_ctx_deadline(struct kgo_ctx *ctx, ktime_t *deadline);
void *kgo_ctx_value(struct kgo_ctx *ctx, const void *key);
long kgo_ctx_live(void);

int kgo_chan_send_ctx(struct kgo_ctx *ctx, struct kgo_chan *c,
		      const void *elem);
int kgo_chan_recv_ctx(struct kgo_ctx *ctx, struct kgo_chan *c, void *elem,
		      bool *ok);
int kgo_sleep_ctx(struct kgo_ctx *ctx, u64 ns);

#endif /* _KGO_CONTEXT_H */
