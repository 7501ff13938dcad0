// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Once (Go's sync.Once): a done flag for the fast path and a kgo_mutex
 * for the callers that arrive while the function runs.
 */

#include <asm/barrier.h>

#include <kgo/sync.h>

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
	if (!o->done) {
		fn(arg);
		/* Publishes @fn's effects to the fast path above. */
		smp_store_release(&o->done, 1);
	}
	kgo_mutex_unlock(&o->m);
}
EXPORT_SYMBOL_GPL(kgo_once_do);
