// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Once (Go's sync.Once): a done flag for the fast path and a kgo_mutex
 * for the callers that arrive while the function runs.
 */

#include <asm/barrier.h>
#include <linux/bug.h>

#include <kgo/async.h>
#include <kgo/sync.h>

#include "syncq.h"

/* Holding @o->m: run @fn unless a holder before us did, and unlock. */
static void kgo_once_slow(struct kgo_once *o, void (*fn)(void *arg), void *arg)
{
	if (!o->done) {
		fn(arg);
		/* Publishes @fn's effects to the fast path. */
		smp_store_release(&o->done, 1);
	}
	kgo_mutex_unlock(&o->m);
}

/**
 * kgo_once_do() - call @fn(@arg) if no call of this Once has (Go's Do())
 * @o: the Once
 * @fn: the function
 * @arg: its argument
 *
 * When kgo_once_do() returns, @fn has run and returned, in this call or
 * an earlier one; callers that arrive while it runs wait for it (a G
 * hands its P off). Calling kgo_once_do() on @o from @fn deadlocks, as in
 * Go.
 *
 * Memory ordering: the smp_store_release() of @o->done after @fn pairs
 * with the smp_load_acquire() of the fast path, so a caller that skips
 * the lock sees everything @fn did.
 *
 * Context: process; may sleep.
 */
void kgo_once_do(struct kgo_once *o, void (*fn)(void *arg), void *arg)
{
	/* Pairs with the store-release below: we see what @fn did. */
	if (smp_load_acquire(&o->done))
		return;
	kgo_mutex_lock(&o->m);
	kgo_once_slow(o, fn, arg);
}
EXPORT_SYMBOL_GPL(kgo_once_do);

/**
 * kgo_once_do_async() - kgo_once_do() in a parked-capable G
 * @t: the task
 * @o: the Once
 * @fn: the function
 * @arg: its argument
 *
 * When it completes, @fn has run and returned, in this call or another
 * (thread-blocking or parked). A G that finds @fn running parks on the
 * Once's Mutex, beside thread-blocking callers, until it has returned; if
 * the Mutex is free, this G runs @fn itself, in its step function (so @fn
 * may block its M, as any call there may).
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0, or -EINPROGRESS: parked, 0 at the resume.
 */
int kgo_once_do_async(struct kgo_task *t, struct kgo_once *o,
		      void (*fn)(void *arg), void *arg)
{
	int ret;

	/* Pairs with kgo_once_slow()'s store-release: we see what @fn did. */
	if (smp_load_acquire(&o->done))
		return 0;
	t->obj = o;
	ret = kgo_mutex_lock_task(t, &o->m, KGO_TASK_OP_ONCE);
	if (ret)
		return ret;
	kgo_once_slow(o, fn, arg);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_once_do_async);

/**
 * kgo_once_task_resume() - go on with kgo_once_do_async() after a wait
 * @t: the task, readied with a token of @o->m's semaphore
 * @o: the Once
 *
 * A G that had to wait for @o->m finds @o->done set once it holds it:
 * it queued because the Mutex was held (or being handed over), every
 * holder of @o->m sets @o->done before it unlocks, and that unlock comes
 * before this G's lock (the Mutex's release/acquire pair). So @fn, which
 * the task does not keep, is never needed here.
 *
 * Context: the step function, from kgo_sync_async_resume().
 * Return: 0, or -EINPROGRESS: waiting again for @o->m.
 */
int kgo_once_task_resume(struct kgo_task *t, struct kgo_once *o)
{
	int ret = kgo_mutex_lock_task_resume(t, &o->m, KGO_TASK_OP_ONCE);

	if (ret)
		return ret;
	WARN_ONCE(!o->done, "kgo: Once locked after a wait, not done\n");
	kgo_mutex_unlock(&o->m);
	return 0;
}
