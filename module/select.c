// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * select (Go's runtime/select.go, selectgo):
 *
 *  1. A random poll order over the non-NULL cases (fairness).
 *     Pass 0, kgo's fast path: the first case in poll order that looks
 *     ready without any lock is tried under its own channel's lock alone;
 *     done if it completes. Otherwise, as Go:
 *  2. Sort the cases by channel address for a lock order (no ABBA deadlock
 *     between two selects); lock every channel in that order, a channel
 *     named twice once. The sort starts from the poll order, so cases on
 *     one channel keep their random relative order.
 *  3. Pass 1: the first ready case in poll order completes at once.
 *  4. Pass 2: none ready: enqueue one sudog per case on its channel, in
 *     lock order, unlock, wait. A waker claims the select's waiter
 *     (chan.h), so exactly one case wins: on a channel named by several
 *     cases, the one queued first, a random one.
 *  5. Pass 3: unlink the other sudogs, each under its channel's lock.
 *
 * Lockdep sees many locks of one class held at once; they are taken under
 * a nest lock (an annotation only: nothing is serialised by it), as
 * mm_take_all_locks() does. Each held spinlock costs a level of the 8-bit
 * preempt count, which is why a select takes at most
 * %KGO_SELECT_MAX_CASES cases, far below Go's 65536.
 */

#include <linux/bottom_half.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <kgo/chan.h>

#include "chan.h"

/* Cases whose scratch space fits on the stack. */
#define KGO_SELECT_STACK_CASES	4

static_assert(KGO_SELECT_MAX_CASES <= 128);

static struct kgo_select_nest {
	struct lockdep_map dep_map;
} kgo_select_nest __maybe_unused = {
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	.dep_map = STATIC_LOCKDEP_MAP_INIT("kgo_select", &kgo_select_nest),
#endif
};

/**
 * struct kgo_select_state - a select's scratch space
 * @cases: the caller's cases
 * @n: their number
 * @pollorder: non-NULL case indices in random order
 * @lockorder: the same, sorted by channel address; built only when pass 0
 *	completed no case
 * @norder: entries in both
 * @sg: one sudog per case (pass 2)
 */
struct kgo_select_state {
	struct kgo_select_case *cases;
	unsigned int n;
	u16 *pollorder;
	u16 *lockorder;
	unsigned int norder;
	struct kgo_sudog *sg;
};

static struct kgo_chan *kgo_select_chan(struct kgo_select_state *s, u16 i)
{
	return s->cases[i].chan;
}

/* Order case indices by their channel's address. */
static int kgo_lockorder_cmp(const void *a, const void *b, const void *priv)
{
	const struct kgo_select_case *cases = priv;
	uintptr_t ca = (uintptr_t)cases[*(const u16 *)a].chan;
	uintptr_t cb = (uintptr_t)cases[*(const u16 *)b].chan;

	return ca < cb ? -1 : ca > cb;
}

static DEFINE_PER_CPU(u64, kgo_select_rand_state);

/*
 * Go's cheaprand: fast, per-CPU, not for secrets. A Weyl sequence (one
 * this_cpu add, preemption-safe) through the splitmix64 finaliser; each
 * CPU's sequence starts at a random point the first time it is used.
 */
static u32 kgo_cheaprand(void)
{
	u64 z;

	if (unlikely(!this_cpu_read(kgo_select_rand_state)))
		this_cpu_write(kgo_select_rand_state, get_random_u64() | 1);
	z = this_cpu_add_return(kgo_select_rand_state, 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (u32)((z ^ (z >> 31)) >> 32);
}

/*
 * Random numbers for the shuffle: one kgo_cheaprand() yields several
 * draws, so a small select pays for one. A draw below @ceil is Lemire's
 * multiply-shift rather than a modulo and a division (slow, and helper
 * calls under TCG): the high half of bits * ceil is the draw, the low
 * half the bits for the next. A draw's bias is at most about the product
 * of the ranges drawn from the same bits over 2^32, kept under 2^-16 by
 * taking fresh bits once that product would pass 2^16 (8! < 2^16: a
 * select of up to 8 cases needs one kgo_cheaprand()).
 */
#define KGO_SELECT_RAND_USE	BIT(16)

struct kgo_select_rand {
	u32 bits;
	u64 used;	/* product of the draws' ranges taken from @bits */
};

static u32 kgo_select_rand_below(struct kgo_select_rand *r, u32 ceil)
{
	u64 m;

	if (ceil == 1)
		return 0;
	if (!r->used || r->used * ceil > KGO_SELECT_RAND_USE) {
		r->bits = kgo_cheaprand();
		r->used = 1;
	}
	r->used *= ceil;
	m = (u64)r->bits * ceil;
	r->bits = (u32)m;
	return m >> 32;
}

/*
 * Insertion sort by channel address (selects are small), inserting the
 * cases in poll order. The sort is stable, so cases on one channel keep
 * the poll order's random relative order.
 */
static void kgo_select_sort_small(struct kgo_select_state *s)
{
	unsigned int i, j;

	for (i = 0; i < s->norder; i++) {
		u16 k = s->pollorder[i];
		uintptr_t ck = (uintptr_t)s->cases[k].chan;

		for (j = i; j > 0 &&
		     (uintptr_t)s->cases[s->lockorder[j - 1]].chan > ck; j--)
			s->lockorder[j] = s->lockorder[j - 1];
		s->lockorder[j] = k;
	}
}

/* Step 1: Go's inside-out shuffle for the poll order. */
static void kgo_select_orders(struct kgo_select_state *s)
{
	struct kgo_select_rand r = {};
	unsigned int i, j, n = 0;

	for (i = 0; i < s->n; i++) {
		if (!s->cases[i].chan)
			continue;
		j = kgo_select_rand_below(&r, n + 1);
		s->pollorder[n] = s->pollorder[j];
		s->pollorder[j] = i;
		n++;
	}
	s->norder = n;
}

/*
 * Whether @cs could complete now, judged without its channel's lock: a
 * hint that pass 0 confirms under the lock. The fields read are written
 * with WRITE_ONCE() (qcount, closed) or list_add/list_del (list_empty()
 * reads the head once); a stale answer only sends us to the locked path.
 */
static bool kgo_select_case_looks_ready(const struct kgo_select_case *cs)
{
	struct kgo_chan *c = cs->chan;

	if (READ_ONCE(c->closed))
		return true;
	if (cs->dir == KGO_SELECT_RECV)
		return READ_ONCE(c->qcount) || !list_empty(&c->sendq);
	return READ_ONCE(c->qcount) < c->dataqsiz || !list_empty(&c->recvq);
}

/*
 * Pass 0: try the first case in poll order that looks ready, under its
 * channel's lock only. A ready select (a channel with data, a peer
 * waiting) then costs one lock, like a single receive, instead of one per
 * case. The chosen case was ready when it completed, and the cases before
 * it in the random poll order were seen not ready; a case that becomes
 * ready while we look may lose to a later one, as if it had become ready
 * just after the select: only a race shifts the odds. Return: the case,
 * or -1 for the locked path.
 */
static int kgo_select_try_ready(struct kgo_select_state *s,
				struct kgo_sudog **wakeq)
{
	struct kgo_select_case *cs;
	struct kgo_chan *c;
	unsigned int i;
	int ret = 0;
	u16 k;

	for (i = 0; i < s->norder; i++) {
		k = s->pollorder[i];
		if (kgo_select_case_looks_ready(&s->cases[k]))
			break;
	}
	if (i == s->norder)
		return -1;
	cs = &s->cases[k];
	c = cs->chan;
	spin_lock_bh(&c->lock);
	if (cs->dir == KGO_SELECT_RECV) {
		ret = kgo_chan_recv_locked(c, cs->elem, &cs->ok, wakeq);
	} else {
		ret = kgo_chan_send_locked(c, cs->elem, wakeq);
		cs->err = ret < 0 ? ret : 0;
	}
	spin_unlock_bh(&c->lock);
	return ret ? k : -1;
}

/*
 * Step 2's lock order: the cases sorted by channel address, starting from
 * the poll order as Go does ("start with the pollorder to permute cases on
 * the same channel"). Pass 2 queues the sudogs in this order and a peer
 * takes the first one queued, so were the sort to start from the case
 * order, a blocked select's first case on a channel would always win it:
 * Go's select { case c <- 0: case c <- 1: } would always send 0. Any sort
 * that only compares addresses (sort_r()'s heap sort too) maps the same
 * address pattern to the same moves, so a uniformly random poll order
 * leaves the same-channel cases in a uniformly random order. Built here,
 * not with the poll order, so that a ready select never pays for it.
 */
static void kgo_select_sort(struct kgo_select_state *s)
{
	if (s->norder <= 16) {
		kgo_select_sort_small(s);
		return;
	}
	memcpy(s->lockorder, s->pollorder, s->norder * sizeof(*s->lockorder));
	sort_r(s->lockorder, s->norder, sizeof(*s->lockorder),
	       kgo_lockorder_cmp, NULL, s->cases);
}

/*
 * Step 2: lock each distinct channel in address order. For sparse, the
 * whole set counts as one lock, kgo_select_nest: it cannot follow a loop.
 */
static void kgo_select_lock(struct kgo_select_state *s)
	__acquires(&kgo_select_nest)
{
	struct kgo_chan *last = NULL;
	unsigned int i;

	local_bh_disable();
	lock_map_acquire(&kgo_select_nest.dep_map);
	for (i = 0; i < s->norder; i++) {
		struct kgo_chan *c = kgo_select_chan(s, s->lockorder[i]);

		if (c == last)
			continue;
		spin_lock_nest_lock(&c->lock, &kgo_select_nest);
		__release(&c->lock);	/* sparse: see above */
		last = c;
	}
	__acquire(&kgo_select_nest);
}

static void kgo_select_unlock(struct kgo_select_state *s)
	__releases(&kgo_select_nest)
{
	struct kgo_chan *last = NULL;
	unsigned int i;

	for (i = 0; i < s->norder; i++) {
		struct kgo_chan *c = kgo_select_chan(s, s->lockorder[i]);

		if (c == last)
			continue;
		kgo_chan_check_locked(c);
		__acquire(&c->lock);	/* sparse: see kgo_select_lock() */
		spin_unlock(&c->lock);
		last = c;
	}
	__release(&kgo_select_nest);
	lock_map_release(&kgo_select_nest.dep_map);
	local_bh_enable();
}

/* Step 3: complete the first ready case in poll order, or return -1. */
static int kgo_select_poll(struct kgo_select_state *s,
			   struct kgo_sudog **wakeq)
{
	unsigned int i;

	for (i = 0; i < s->norder; i++) {
		u16 k = s->pollorder[i];
		struct kgo_select_case *cs = &s->cases[k];
		int ret;

		if (cs->dir == KGO_SELECT_RECV) {
			if (kgo_chan_recv_locked(cs->chan, cs->elem, &cs->ok,
						 wakeq))
				return k;
			continue;
		}
		ret = kgo_chan_send_locked(cs->chan, cs->elem, wakeq);
		if (ret) {
			cs->err = ret < 0 ? ret : 0;
			return k;
		}
	}
	return -1;
}

/*
 * Pass 2, shared by the blocking and the parked select: queue a sudog of
 * @w per case, in lock order (random among cases on one channel), with
 * every channel locked.
 */
static void kgo_select_enqueue(struct kgo_select_case *cases,
			       const u16 *lockorder, unsigned int norder,
			       struct kgo_sudog *sg, struct kgo_waiter *w)
{
	unsigned int i;

	for (i = 0; i < norder; i++) {
		u16 k = lockorder[i];
		struct kgo_select_case *cs = &cases[k];

		sg[k].w = w;
		sg[k].elem = cs->elem;
		sg[k].index = k;
		sg[k].success = false;
		list_add_tail(&sg[k].link, cs->dir == KGO_SELECT_RECV ?
				&cs->chan->recvq : &cs->chan->sendq);
		kgo_chan_poll_wake_locked(cs->chan);
	}
}

/* Pass 3: unlink every sudog; the fired one is already off its queue. */
static void kgo_select_unlink(struct kgo_select_case *cases,
			      const u16 *lockorder, unsigned int norder,
			      struct kgo_sudog *sg)
{
	unsigned int i;

	for (i = 0; i < norder; i++) {
		u16 k = lockorder[i];
		struct kgo_chan *c = cases[k].chan;

		spin_lock_bh(&c->lock);
		list_del_init(&sg[k].link);
		spin_unlock_bh(&c->lock);
	}
}

/* The fired case's result, as Go reports it; returns its index. */
static int kgo_select_record(struct kgo_select_case *cases,
			     const struct kgo_sudog *fired)
{
	struct kgo_select_case *cs = &cases[fired->index];

	if (cs->dir == KGO_SELECT_RECV)
		cs->ok = fired->success;
	else
		cs->err = fired->success ? 0 : -EPIPE;
	return fired->index;
}

/* Steps 4 and 5: block on every case; return the winner or an error. */
static int kgo_select_block(struct kgo_select_state *s, s64 timeout_ns)
	__releases(&kgo_select_nest)
{
	struct kgo_waiter w;
	int ret;

	kgo_waiter_init(&w);
	kgo_select_enqueue(s->cases, s->lockorder, s->norder, s->sg, &w);
	kgo_select_unlock(s);

	ret = kgo_wait(&w, timeout_ns, "select");

	kgo_select_unlink(s->cases, s->lockorder, s->norder, s->sg);
	if (ret)
		return ret;
	return kgo_select_record(s->cases, w.fired);
}

static int kgo_select_validate(struct kgo_select_case *cases, unsigned int n)
{
	unsigned int i;

	if (n > KGO_SELECT_MAX_CASES || (n && !cases))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct kgo_select_case *cs = &cases[i];

		if (cs->dir != KGO_SELECT_SEND && cs->dir != KGO_SELECT_RECV)
			return -EINVAL;
		if (cs->dir == KGO_SELECT_SEND && cs->chan &&
		    ((cs->chan->elemsize && !cs->elem) || cs->chan->timer))
			return -EINVAL;
		cs->ok = false;
		cs->err = 0;
	}
	return 0;
}

/*
 * Steps 2-4, when pass 0 found no case ready: every channel locked, then
 * block. Apart from kgo_select() so that a ready select does not pay for
 * the sudogs: the kernel zeroes every stack array at function entry
 * (INIT_STACK_ALL_ZERO), which costs more than the rest of a ready select
 * under TCG. @s->sg is the heap's for a large select, NULL otherwise.
 */
static noinline int kgo_select_locked(struct kgo_select_state *s,
				      s64 timeout_ns)
{
	struct kgo_sudog sg_stack[KGO_SELECT_STACK_CASES];
	struct kgo_sudog *wakeq = NULL;
	int ret;

	if (!s->sg)
		s->sg = sg_stack;
	kgo_select_sort(s);
	kgo_select_lock(s);
	ret = kgo_select_poll(s, &wakeq);
	if (ret >= 0 || !timeout_ns) {
		kgo_select_unlock(s);
		kgo_wakeq_flush(wakeq);
		return ret >= 0 ? ret : -EAGAIN;
	}
	return kgo_select_block(s, timeout_ns);
}

/**
 * kgo_select() - wait on several channel operations (Go's select)
 * @cases: the cases; NULL-channel cases are never chosen
 * @ncases: their number, at most %KGO_SELECT_MAX_CASES; 0 blocks until
 *	the timeout (Go's ``select {}``)
 * @timeout_ns: %KGO_FOREVER, %KGO_NOWAIT (Go's default case) or
 *	nanoseconds
 *
 * When several cases are ready one is chosen uniformly at random. Exactly
 * one case completes: a receive sets its @ok (false: closed and drained,
 * element zeroed), a send chosen on a closed channel sets its @err to
 * -EPIPE (Go panics). The same channel may appear in several cases.
 *
 * Context: process; any context with %KGO_NOWAIT (but hard irq).
 * Return: the index of the chosen case; -EAGAIN (%KGO_NOWAIT) or
 * -ETIMEDOUT when none was ready; -EINTR or -ERESTARTSYS on a signal
 * (user tasks); -EINVAL for bad cases (a send on a timer's channel too);
 * -ENOMEM.
 */
int kgo_select(struct kgo_select_case *cases, unsigned int ncases,
	       s64 timeout_ns)
{
	u16 order_stack[2 * KGO_SELECT_STACK_CASES];
	struct kgo_select_state s = { .cases = cases, .n = ncases };
	struct kgo_sudog *wakeq = NULL;
	void *heap = NULL;
	int ret;

	ret = kgo_select_validate(cases, ncases);
	if (ret)
		return ret;
	if (ncases <= KGO_SELECT_STACK_CASES) {
		s.pollorder = order_stack;
	} else {
		/* sudogs first, for their alignment; then the two orders. */
		heap = kmalloc_array(ncases, sizeof(*s.sg) + 2 * sizeof(u16),
				     timeout_ns ? GFP_KERNEL : GFP_ATOMIC);
		if (!heap)
			return -ENOMEM;
		s.sg = heap;
		s.pollorder = (u16 *)(s.sg + ncases);
	}
	s.lockorder = s.pollorder + ncases;

	kgo_select_orders(&s);
	if (!s.norder) {
		kfree(heap);
		return kgo_block_forever(timeout_ns);
	}
	ret = kgo_select_try_ready(&s, &wakeq);
	if (ret >= 0)
		kgo_wakeq_flush(wakeq);
	else
		ret = kgo_select_locked(&s, timeout_ns);
	kfree(heap);
	return ret;
}
EXPORT_SYMBOL_GPL(kgo_select);

/* --- select of a parked G (<kgo/async.h>, park.c) --- */

/**
 * struct kgo_select_park - a parked select's state, until its resume
 * @cases: the caller's cases, in its frame
 * @norder: entries of @lockorder
 * @timed: a timeout is armed in the task
 * @lockorder: the non-NULL cases by channel address, for the unlinking
 * @sg: one sudog per case
 *
 * Heap-allocated per async select (with the two orders behind @sg): its
 * size depends on the cases, and a parked G has no stack to keep it on.
 */
struct kgo_select_park {
	struct kgo_select_case *cases;
	unsigned int norder;
	bool timed;
	u16 *lockorder;
	struct kgo_sudog sg[];
};

/**
 * kgo_select_async() - select in a parked-capable G (Go's select)
 * @t: the task; after KGO_AWAIT(), @t->err is the chosen case's index or
 *	-ETIMEDOUT
 * @cases: the cases, in the task's frame (they are written at the resume)
 * @ncases: their number, at most %KGO_SELECT_MAX_CASES; 0 with
 *	%KGO_FOREVER parks for good
 * @timeout_ns: %KGO_FOREVER, %KGO_NOWAIT (Go's default case: -EAGAIN when
 *	none is ready) or nanoseconds
 *
 * kgo_select()'s passes 0 and 1, then pass 2 with the task's waiter; the
 * resume does pass 3. A timeout is a soft hrtimer in the task that claims
 * the waiter and readies the G; the G then unlinks its sudogs itself.
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: the chosen index, -EAGAIN, -EINVAL, -ENOMEM, or -EINPROGRESS:
 * parked.
 */
int kgo_select_async(struct kgo_task *t, struct kgo_select_case *cases,
		     unsigned int ncases, s64 timeout_ns)
{
	struct kgo_select_state s = { .cases = cases, .n = ncases };
	struct kgo_sudog *wakeq = NULL;
	struct kgo_select_park *sp;
	int ret;

	ret = kgo_select_validate(cases, ncases);
	if (ret)
		return ret;
	kgo_task_check_frame_ptr(cases);
	sp = kmalloc(struct_size(sp, sg, ncases) + 2 * ncases * sizeof(u16),
		     GFP_KERNEL);
	if (!sp)
		return -ENOMEM;
	s.sg = sp->sg;
	s.pollorder = (u16 *)(sp->sg + ncases);
	s.lockorder = s.pollorder + ncases;
	kgo_select_orders(&s);
	if (s.norder) {
		ret = kgo_select_try_ready(&s, &wakeq);
		if (ret < 0) {
			kgo_select_sort(&s);
			kgo_select_lock(&s);
			ret = kgo_select_poll(&s, &wakeq);
			if (ret < 0 && timeout_ns)
				goto park;
			kgo_select_unlock(&s);
		}
		kgo_wakeq_flush(wakeq);
		if (ret >= 0 || !timeout_ns) {
			kfree(sp);
			return ret >= 0 ? ret : -EAGAIN;
		}
	} else if (!timeout_ns) {
		kfree(sp);
		return -EAGAIN;
	}
	/* No channel to wait on: only the timeout can end it. */
	kgo_task_wait_prepare(t, KGO_TASK_OP_SELECT);
	goto arm;

park:
	/* Pass 2: from here a waker may complete it and ready the G. */
	kgo_task_wait_prepare(t, KGO_TASK_OP_SELECT);
	kgo_select_enqueue(cases, s.lockorder, s.norder, sp->sg, &t->w);
	kgo_select_unlock(&s);
arm:
	sp->cases = cases;
	sp->norder = s.norder;
	sp->lockorder = s.lockorder;
	sp->timed = timeout_ns > 0;
	t->sel = sp;
	/* Armed by the step itself: no resume can come before it returns. */
	if (sp->timed)
		kgo_task_arm_timeout(t, timeout_ns);
	return -EINPROGRESS;
}
EXPORT_SYMBOL_GPL(kgo_select_async);

/**
 * kgo_select_async_resume() - pass 3 of a parked select
 * @t: the task, readied
 *
 * Return: the chosen index, or -ETIMEDOUT.
 */
int kgo_select_async_resume(struct kgo_task *t)
{
	struct kgo_select_park *sp = t->sel;
	struct kgo_sudog *fired;
	int ret;

	if (sp->timed)
		hrtimer_cancel(&t->timer);
	kgo_select_unlink(sp->cases, sp->lockorder, sp->norder, sp->sg);
	fired = smp_load_acquire(&t->w.fired);	/* (W1) */
	if (fired)
		ret = kgo_select_record(sp->cases, fired);
	else
		ret = -ETIMEDOUT;
	kfree(sp);
	return ret;
}
