// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * WaitGroup (Go's sync.WaitGroup). Go packs the counter and the number of
 * waiters into one atomic word and wakes waiters through a semaphore;
 * kgo keeps both under a spinlock, because its waiters also wait on a
 * timeout or a context and must be taken off the queue again: the queue
 * and the counter have to change together. The lock is held for a few
 * instructions; kgo_wg_done() from thousands of Gs costs one lock round
 * trip each.
 *
 * A waiter that sees the counter reach zero may free the WaitGroup at
 * once: the last kgo_wg_done() touches nothing of it after its unlock
 * (waiters are fired by kgo_wakeq_flush(), see syncq.h).
 */

#include <linux/bug.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/context.h>
#include <kgo/sync.h>

#include "chan.h"
#include "syncq.h"

/**
 * kgo_wg_init() - initialise @wg with a zero counter
 * @wg: the WaitGroup
 *
 * Context: any.
 */
void kgo_wg_init(struct kgo_wg *wg)
{
	spin_lock_init(&wg->lock);
	wg->count = 0;
	INIT_LIST_HEAD(&wg->waiters);
}
EXPORT_SYMBOL_GPL(kgo_wg_init);

/**
 * kgo_wg_add() - add @delta to the counter (Go's wg.Add())
 * @wg: the WaitGroup
 * @delta: may be negative; kgo_wg_done() is -1
 *
 * When the counter reaches zero every waiter is released. As in Go, an
 * add that raises the counter from zero must happen before the wait it
 * is meant for.
 *
 * Context: any.
 * Return: 0, or -EINVAL (and a warning, once) when the counter would go
 * negative: Go's panic. The counter is left unchanged then.
 */
int kgo_wg_add(struct kgo_wg *wg, long delta)
{
	struct kgo_sudog *wakeq = NULL;
	unsigned long flags;
	long count;

	spin_lock_irqsave(&wg->lock, flags);
	count = wg->count + delta;
	if (count < 0) {
		spin_unlock_irqrestore(&wg->lock, flags);
		kgo_sync_misuse("kgo: negative WaitGroup counter\n");
		return -EINVAL;
	}
	WRITE_ONCE(wg->count, count);
	if (!count)
		while (kgo_syncq_pop(&wg->waiters, &wakeq))
			;
	spin_unlock_irqrestore(&wg->lock, flags);
	kgo_wakeq_flush(wakeq);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_wg_add);

/**
 * kgo_wg_count() - the counter now
 * @wg: the WaitGroup
 *
 * Context: any.
 * Return: a snapshot.
 */
long kgo_wg_count(struct kgo_wg *wg)
{
	return READ_ONCE(wg->count);
}
EXPORT_SYMBOL_GPL(kgo_wg_count);

static int kgo_wg_wait_common(struct kgo_wg *wg, s64 timeout_ns,
			      struct kgo_ctx *ctx)
{
	ktime_t deadline = 0;
	struct kgo_sudog sg, csg;
	struct kgo_waiter w;
	unsigned long flags;
	int ret, cerr;

	if (timeout_ns > 0)
		deadline = kgo_deadline_after(timeout_ns);
	spin_lock_irqsave(&wg->lock, flags);
	if (!wg->count) {
		spin_unlock_irqrestore(&wg->lock, flags);
		return 0;
	}
	if (!timeout_ns) {
		spin_unlock_irqrestore(&wg->lock, flags);
		return -ETIMEDOUT;
	}
	kgo_waiter_init(&w);
	kgo_syncq_add(&wg->waiters, &sg, &w, false);
	spin_unlock_irqrestore(&wg->lock, flags);

	ret = kgo_ctx_wait_add(ctx, &csg, &w);
	if (!ret)
		ret = kgo_sync_wait(&w, false, deadline, "waitgroup");
	else if (atomic_cmpxchg(&w.done, 0, 1))
		ret = kgo_sync_wait(&w, false, 0, "waitgroup");	/* lost: wait */
	cerr = kgo_ctx_wait_del(ctx, &csg);
	spin_lock_irqsave(&wg->lock, flags);
	list_del_init(&sg.link);
	spin_unlock_irqrestore(&wg->lock, flags);
	if (!ret && READ_ONCE(w.fired) == &csg)
		return cerr;
	return ret;
}

/**
 * kgo_wg_wait_timeout() - wait until the counter is zero, at most so long
 * @wg: the WaitGroup
 * @timeout_ns: %KGO_FOREVER, %KGO_NOWAIT or nanoseconds
 *
 * Signals do not end the wait.
 *
 * Context: process; sleeps (not with %KGO_NOWAIT).
 * Return: 0 once the counter was zero; -ETIMEDOUT if it was not within
 * @timeout_ns.
 */
int kgo_wg_wait_timeout(struct kgo_wg *wg, s64 timeout_ns)
{
	return kgo_wg_wait_common(wg, timeout_ns, NULL);
}
EXPORT_SYMBOL_GPL(kgo_wg_wait_timeout);

/**
 * kgo_wg_wait_ctx() - wait until the counter is zero or @ctx is cancelled
 * @wg: the WaitGroup
 * @ctx: the context, or NULL for none
 *
 * Context: process; sleeps.
 * Return: 0 once the counter was zero; @ctx's error (-ECANCELED,
 * -ETIMEDOUT) if it was cancelled first.
 */
int kgo_wg_wait_ctx(struct kgo_wg *wg, struct kgo_ctx *ctx)
{
	return kgo_wg_wait_common(wg, KGO_FOREVER, ctx);
}
EXPORT_SYMBOL_GPL(kgo_wg_wait_ctx);

/**
 * kgo_wg_wait_async() - wait in a parked-capable G until the counter is
 *	zero (<kgo/async.h>)
 * @t: the task
 * @wg: the WaitGroup
 *
 * The task's sudog joins the waiters of kgo_wg_wait_timeout(); the
 * kgo_wg_add() that brings the counter to zero readies the G.
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 when the counter is zero; -EINPROGRESS: parked (0 at the
 * resume).
 */
int kgo_wg_wait_async(struct kgo_task *t, struct kgo_wg *wg)
{
	return kgo_wg_wait_task(t, wg, KGO_TASK_OP_WG);
}
EXPORT_SYMBOL_GPL(kgo_wg_wait_async);

/**
 * kgo_wg_wait_task() - kgo_wg_wait_async() for a given resume
 * @t: the task
 * @wg: the WaitGroup
 * @op: what the task's resume continues with (an errgroup's wait)
 *
 * Context: a step function.
 * Return: 0 when the counter is zero, or -EINPROGRESS: queued.
 */
int kgo_wg_wait_task(struct kgo_task *t, struct kgo_wg *wg,
		     enum kgo_task_op op)
{
	unsigned long flags;

	spin_lock_irqsave(&wg->lock, flags);
	if (!wg->count) {
		spin_unlock_irqrestore(&wg->lock, flags);
		return 0;
	}
	kgo_task_wait_prepare(t, op);
	kgo_syncq_add(&wg->waiters, &t->sg, &t->w, false);
	spin_unlock_irqrestore(&wg->lock, flags);
	return -EINPROGRESS;
}
