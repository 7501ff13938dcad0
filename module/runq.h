/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The per-P local run queue: a bounded single-producer, multi-consumer ring
 * of 256 G pointers plus a runnext slot, as Go's p.runq/p.runnext
 * (runtime/proc.go: runqput, runqget, runqgrab, runqsteal).
 *
 * Concurrency contract. "Owner" is the M that holds the P; it is the only
 * writer of @tail and the only one who may put a G into @runnext. Thieves
 * are Ms of other Ps. Nobody else may call these functions: a spawn from
 * another context goes through the P's inject list (sched.c).
 *
 *  operation                   | who may call    | may run concurrently with
 *  ----------------------------+-----------------+----------------------------
 *  kgo_runq_put()              | owner           | get, grab/steal by thieves
 *  kgo_runq_put_runnext()      | owner           | grab/steal by thieves
 *  kgo_runq_get()              | owner           | grab/steal by thieves
 *  kgo_runq_grab()             | thief           | everything; other thieves
 *  kgo_runq_steal()            | thief, owning   | everything on the victim
 *                              | the destination |
 *  kgo_runq_overflow()         | owner           | grab/steal by thieves
 *  kgo_runq_drain()            | anyone, once    | nothing (P stopped)
 *  kgo_runq_len()/empty()      | anyone          | everything (a snapshot)
 *
 * Memory ordering (each pair is named at both ends in runq.c):
 *  (A) put:    write slot, then smp_store_release(tail)
 *      pairs with every consumer's smp_load_acquire(tail) before it reads
 *      a slot: a consumer that sees the new tail sees the G in its slot.
 *  (B) consume: read slot, then cmpxchg_release(head)
 *      pairs with put's smp_load_acquire(head): the owner reuses a slot
 *      only after the consumer that freed it has finished reading it.
 *  (C) runnext: the owner installs a G with xchg (full barrier); a thief
 *      takes it with cmpxchg; whoever wins the cmpxchg/xchg owns the G.
 * Indices are free-running u32s; "tail - head" is the length modulo 2^32,
 * so wraparound needs no special case (KUnit starts near U32_MAX).
 */
#ifndef _KGO_RUNQ_H
#define _KGO_RUNQ_H

#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct kgo_g;

/* Go's len(p.runq): a power of two so that "index % size" is a mask. */
#define KGO_RUNQ_SIZE	256
#define KGO_RUNQ_MASK	(KGO_RUNQ_SIZE - 1)

/**
 * struct kgo_runq - a P's local run queue
 * @head: A: next slot to consume; advanced by cmpxchg_release() by the
 *	owner and thieves, read with smp_load_acquire() ((B))
 * @tail: OW: next slot to fill; the owner publishes it with
 *	smp_store_release() and reads it plainly, consumers read it with
 *	smp_load_acquire() ((A))
 * @runnext: A: a G readied by the running G, to run before the ring;
 *	the owner installs it with xchg(), anyone takes it with cmpxchg()
 *	or xchg() ((C)), and a look is a READ_ONCE()
 * @slots: OW: the ring. The owner fills free slots with WRITE_ONCE() (a
 *	put, or a steal into its own ring) before it publishes them with
 *	@tail; consumers read them with READ_ONCE() (a thief with a stale
 *	@head may read a slot being refilled: its cmpxchg of @head then
 *	fails and it drops what it read)
 *
 * The letters are sched.h's locking legend; "owner" is the owner of the
 * P (O there). @head and @tail share a cacheline on purpose: every
 * operation reads both.
 */
struct kgo_runq {
	u32 head;
	u32 tail;
	struct kgo_g *runnext;
	struct kgo_g *slots[KGO_RUNQ_SIZE];
};

void kgo_runq_init(struct kgo_runq *q, u32 start);
bool kgo_runq_put(struct kgo_runq *q, struct kgo_g *g);
struct kgo_g *kgo_runq_put_runnext(struct kgo_runq *q, struct kgo_g *g);
struct kgo_g *kgo_runq_get(struct kgo_runq *q, bool *from_runnext);
u32 kgo_runq_grab(struct kgo_runq *q, struct kgo_g **batch, bool take_runnext);
struct kgo_g *kgo_runq_steal(struct kgo_runq *dst, struct kgo_runq *victim,
			     bool take_runnext);
u32 kgo_runq_overflow(struct kgo_runq *q, struct kgo_g **batch);
u32 kgo_runq_drain(struct kgo_runq *q, struct kgo_g **batch);

/**
 * kgo_runq_len() - a snapshot of the number of Gs in the ring
 * @q: the run queue
 *
 * Ignores runnext. Exact only when nobody else touches @q; otherwise a
 * value the ring had at some moment during the call, or, when the two loads
 * straddle a steal and a put, a value at most %KGO_RUNQ_SIZE that is only
 * a hint.
 */
static inline u32 kgo_runq_len(const struct kgo_runq *q)
{
	u32 head = smp_load_acquire(&q->head);	/* consumers' (B) */
	u32 tail = smp_load_acquire(&q->tail);	/* (A) */
	u32 len = tail - head;

	return len > KGO_RUNQ_SIZE ? 0 : len;
}

/**
 * kgo_runq_empty() - whether @q has no G in its ring or runnext
 * @q: the run queue
 *
 * Like Go's runqempty(): re-reads the tail so that a G moving from runnext
 * to the ring is not missed by a reader that saw runnext already empty.
 */
static inline bool kgo_runq_empty(const struct kgo_runq *q)
{
	for (;;) {
		u32 head = smp_load_acquire(&q->head);	/* consumers' (B) */
		u32 tail = smp_load_acquire(&q->tail);	/* (A) */
		struct kgo_g *next = READ_ONCE(q->runnext);

		/* (A) again: runnext read between two equal tails is current. */
		if (tail == smp_load_acquire(&q->tail))
			return head == tail && !next;
	}
}

#endif /* _KGO_RUNQ_H */
