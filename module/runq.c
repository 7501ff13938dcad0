// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The per-P local run queue. The concurrency contract and the list of
 * barrier pairs (A), (B), (C) are in runq.h; each barrier below names its
 * partner.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/string.h>

#include "compat.h"
#include "runq.h"

/**
 * kgo_runq_init() - make an empty run queue
 * @q: the run queue
 * @start: the initial value of both indices; 0 in the runtime, near
 *	U32_MAX in the tests that exercise index wraparound
 *
 * Context: before @q is visible to anyone else.
 */
void kgo_runq_init(struct kgo_runq *q, u32 start)
{
	memset(q, 0, sizeof(*q));
	q->head = start;
	q->tail = start;
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_init, KGO_INTERNAL_NS);

/**
 * kgo_runq_put() - append a G to the ring (Go's runqput without next)
 * @q: the owner's run queue
 * @g: the G
 *
 * Context: the owner of @q.
 * Return: false when the ring is full; the caller spills (see
 * kgo_runq_overflow()).
 */
bool kgo_runq_put(struct kgo_runq *q, struct kgo_g *g)
{
	/* (B): pairs with the consumers' cmpxchg_release(head). */
	u32 head = smp_load_acquire(&q->head);
	u32 tail = q->tail;	/* only we write it */

	if (tail - head >= KGO_RUNQ_SIZE)
		return false;
	WRITE_ONCE(q->slots[tail & KGO_RUNQ_MASK], g);
	/* (A): pairs with the consumers' smp_load_acquire(tail). */
	smp_store_release(&q->tail, tail + 1);
	return true;
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_put, KGO_INTERNAL_NS);

/**
 * kgo_runq_put_runnext() - make @g the next G to run
 * @q: the owner's run queue
 * @g: the G
 *
 * Context: the owner of @q.
 * Return: the G that @g displaced from runnext, or NULL. The caller must
 * put it in the ring (Go kicks the old runnext to the tail).
 */
struct kgo_g *kgo_runq_put_runnext(struct kgo_runq *q, struct kgo_g *g)
{
	/*
	 * (C): thieves only ever swap runnext to NULL, so a full-barrier xchg
	 * hands the old value to exactly one of us and them.
	 */
	return xchg(&q->runnext, g);
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_put_runnext, KGO_INTERNAL_NS);

/**
 * kgo_runq_get() - take the next G to run (Go's runqget)
 * @q: the owner's run queue
 * @from_runnext: set to whether the G came from runnext (it then inherits
 *	the current time slice; the scheduler bounds how often in a row)
 *
 * Context: the owner of @q.
 * Return: a G, or NULL when @q is empty.
 */
struct kgo_g *kgo_runq_get(struct kgo_runq *q, bool *from_runnext)
{
	struct kgo_g *g = READ_ONCE(q->runnext);

	/* (C): a thief may have taken it since the read; then use the ring. */
	if (g && cmpxchg(&q->runnext, g, NULL) == g) {
		*from_runnext = true;
		return g;
	}
	*from_runnext = false;

	for (;;) {
		/* Acquire: orders the slot read after other consumers' (B). */
		u32 head = smp_load_acquire(&q->head);
		u32 tail = q->tail;	/* only we write it */

		if (tail == head)
			return NULL;
		g = READ_ONCE(q->slots[head & KGO_RUNQ_MASK]);
		/* (B): the slot is read before the put that reuses it sees it free. */
		if (cmpxchg_release(&q->head, head, head + 1) == head)
			return g;
	}
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_get, KGO_INTERNAL_NS);

/*
 * Take half the ring (rounded up), or runnext when the ring is empty and
 * @take_runnext, into ring[(start + i) & mask]. Go's runqgrab.
 */
static u32 kgo_runq_grab_into(struct kgo_runq *q, struct kgo_g **ring,
			      u32 start, u32 mask, bool take_runnext)
{
	for (;;) {
		u32 head = smp_load_acquire(&q->head);	/* other consumers' (B) */
		u32 tail = smp_load_acquire(&q->tail);	/* (A) */
		u32 n = tail - head;
		u32 i;

		n -= n / 2;
		if (!n) {
			struct kgo_g *next;

			if (!take_runnext)
				return 0;
			next = READ_ONCE(q->runnext);
			if (!next)
				return 0;
			/* (C): lose the race and the ring may have filled. */
			if (cmpxchg(&q->runnext, next, NULL) != next)
				continue;
			WRITE_ONCE(ring[start & mask], next);
			return 1;
		}
		/* head and tail read at different times: try again. */
		if (n > KGO_RUNQ_SIZE / 2)
			continue;
		/*
		 * WRITE_ONCE(): @ring may be the caller's own run queue,
		 * whose free slots a thief with a stale head may be reading
		 * (see kgo_runq.slots).
		 */
		for (i = 0; i < n; i++)
			WRITE_ONCE(ring[(start + i) & mask],
				   READ_ONCE(q->slots[(head + i) & KGO_RUNQ_MASK]));
		/* (B): the slots are read before the owner may reuse them. */
		if (cmpxchg_release(&q->head, head, head + n) == head)
			return n;
	}
}

/**
 * kgo_runq_grab() - steal half of a victim's ring into an array
 * @q: the victim's run queue
 * @batch: room for %KGO_RUNQ_SIZE / 2 pointers
 * @take_runnext: take runnext when the ring is empty (Go's last steal pass)
 *
 * Context: any M; races with the owner and with other thieves.
 * Return: the number of Gs stored in @batch, oldest first.
 */
u32 kgo_runq_grab(struct kgo_runq *q, struct kgo_g **batch, bool take_runnext)
{
	return kgo_runq_grab_into(q, batch, 0, U32_MAX, take_runnext);
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_grab, KGO_INTERNAL_NS);

/**
 * kgo_runq_steal() - steal half of @victim's ring into @dst (Go's runqsteal)
 * @dst: the thief's own run queue, which must be at most half full
 * @victim: the run queue to steal from
 * @take_runnext: take @victim's runnext when its ring is empty
 *
 * The Gs go straight into @dst's free slots and are published with one
 * release of @dst's tail; the newest is returned to run at once.
 *
 * Context: the owner of @dst.
 * Return: a G to run, or NULL when there was nothing to steal.
 */
struct kgo_g *kgo_runq_steal(struct kgo_runq *dst, struct kgo_runq *victim,
			     bool take_runnext)
{
	u32 tail = dst->tail;
	struct kgo_g *g;
	u32 n;

	/* The grab writes up to half a ring past our tail. */
	if (WARN_ON_ONCE(tail - smp_load_acquire(&dst->head) > KGO_RUNQ_SIZE / 2))
		return NULL;
	n = kgo_runq_grab_into(victim, dst->slots, tail, KGO_RUNQ_MASK,
			       take_runnext);
	if (!n)
		return NULL;
	n--;
	g = dst->slots[(tail + n) & KGO_RUNQ_MASK];
	if (n)	/* (A): pairs with the consumers' smp_load_acquire(tail). */
		smp_store_release(&dst->tail, tail + n);
	return g;
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_steal, KGO_INTERNAL_NS);

/**
 * kgo_runq_overflow() - move the older half of a full ring out (runqputslow)
 * @q: the owner's run queue
 * @batch: room for %KGO_RUNQ_SIZE / 2 + 1 pointers (the caller appends the
 *	G that did not fit and queues the batch globally)
 *
 * Context: the owner of @q, after kgo_runq_put() failed.
 * Return: the number of Gs moved to @batch; 0 when thieves made room
 * meanwhile, so that kgo_runq_put() should be tried again.
 */
u32 kgo_runq_overflow(struct kgo_runq *q, struct kgo_g **batch)
{
	u32 head = smp_load_acquire(&q->head);	/* other consumers' (B) */
	u32 tail = q->tail;
	u32 n = (tail - head) / 2;
	u32 i;

	if (n != KGO_RUNQ_SIZE / 2)
		return 0;
	for (i = 0; i < n; i++)
		batch[i] = READ_ONCE(q->slots[(head + i) & KGO_RUNQ_MASK]);
	/* (B): the slots are read before our own later puts reuse them. */
	if (cmpxchg_release(&q->head, head, head + n) != head)
		return 0;
	return n;
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_overflow, KGO_INTERNAL_NS);

/**
 * kgo_runq_drain() - take every G, runnext included (Go's runqdrain)
 * @q: a run queue whose owner has stopped (its CPU went offline, or the
 *	runtime is shutting down); thieves may still be active
 * @batch: room for %KGO_RUNQ_SIZE + 1 pointers
 *
 * Context: any, once the owner no longer puts.
 * Return: the number of Gs in @batch; runnext, if any, comes first.
 */
u32 kgo_runq_drain(struct kgo_runq *q, struct kgo_g **batch)
{
	struct kgo_g *next = xchg(&q->runnext, NULL);	/* (C) */
	u32 got = 0;

	if (next)
		batch[got++] = next;
	for (;;) {
		u32 head = smp_load_acquire(&q->head);	/* other consumers' (B) */
		u32 tail = smp_load_acquire(&q->tail);	/* (A) */
		u32 n = tail - head;
		u32 i;

		if (!n || n > KGO_RUNQ_SIZE)
			return got;
		for (i = 0; i < n; i++)
			batch[got + i] =
				READ_ONCE(q->slots[(head + i) & KGO_RUNQ_MASK]);
		if (cmpxchg_release(&q->head, head, head + n) == head)	/* (B) */
			return got + n;
	}
}
EXPORT_SYMBOL_NS_GPL(kgo_runq_drain, KGO_INTERNAL_NS);
