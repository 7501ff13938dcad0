/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Helpers shared by the channel, select and timer suites. Every wait here
 * waits for an event; the bounds only turn a hang into a failure.
 */
#ifndef _KGO_CHAN_UTIL_H
#define _KGO_CHAN_UTIL_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/test.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "chan.h"
#include "tests.h"

/* Hang detector, below KUnit's 300 s per-case timeout. */
#define CHT_TIMEOUT		(240 * HZ)
#define CHT_POLL_LOOPS		24000	/* of 10 ms: the same 240 s */

/* A short timeout, for operations that must time out. */
#define CHT_SHORT_NS		(2 * NSEC_PER_MSEC)

/* Work items that count down to a completion. */
struct cht_countdown {
	atomic_long_t left;
	struct completion done;
};

static inline void cht_countdown_init(struct cht_countdown *c, long n)
{
	atomic_long_set(&c->left, n);
	init_completion(&c->done);
}

static inline void cht_countdown_hit(struct cht_countdown *c)
{
	if (atomic_long_dec_and_test(&c->left))
		complete(&c->done);
}

static inline bool cht_countdown_wait(struct cht_countdown *c)
{
	return wait_for_completion_timeout(&c->done, CHT_TIMEOUT);
}

/* The live objects a test must give back. */
struct cht_base {
	long gs;
	long chans;
	long timers;
};

static inline void cht_base_take(struct cht_base *b)
{
	b->gs = kgo_live_gs();
	b->chans = kgo_chan_live();
	b->timers = kgo_timer_live();
}

/*
 * Every G of the test has finished and every channel and timer it made is
 * freed. A freed object may be counted down a little later (an RCU grace
 * period, a timer callback finishing): wait for that, boundedly.
 */
static inline void cht_check_leaks(struct kunit *test, const struct cht_base *b)
{
	int i;

	for (i = 0; i < CHT_POLL_LOOPS; i++) {
		if (kgo_live_gs() <= b->gs && kgo_chan_live() <= b->chans &&
		    kgo_timer_live() <= b->timers)
			break;
		usleep_range(5000, 10000);
	}
	KUNIT_EXPECT_EQ_MSG(test, kgo_live_gs(), b->gs, "Gs leaked");
	KUNIT_EXPECT_EQ_MSG(test, kgo_chan_live(), b->chans, "channels leaked");
	KUNIT_EXPECT_EQ_MSG(test, kgo_timer_live(), b->timers, "timers leaked");
}

/* Blocked senders and receivers queued on @c right now. */
static inline void cht_queued(struct kgo_chan *c, unsigned int *nsend,
			      unsigned int *nrecv)
{
	struct list_head *pos;
	unsigned int s = 0, r = 0;

	spin_lock_bh(&c->lock);
	list_for_each(pos, &c->sendq)
		s++;
	list_for_each(pos, &c->recvq)
		r++;
	spin_unlock_bh(&c->lock);
	*nsend = s;
	*nrecv = r;
}

/*
 * Wait until at least @nsend senders and @nrecv receivers are blocked on
 * @c: Go's tests sleep a millisecond for this, we look at the queues.
 */
static inline bool cht_wait_queued(struct kgo_chan *c, unsigned int nsend,
				   unsigned int nrecv)
{
	unsigned int s, r;
	int i;

	for (i = 0; i < CHT_POLL_LOOPS * 10; i++) {
		cht_queued(c, &s, &r);
		if (s >= nsend && r >= nrecv)
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

/* Nothing is left queued on @c. */
static inline bool cht_no_waiters(struct kgo_chan *c)
{
	unsigned int s, r;

	cht_queued(c, &s, &r);
	return !s && !r;
}

static inline struct kgo_chan *cht_make(struct kunit *test, u32 esize, u32 cap)
{
	struct kgo_chan *c = kgo_chan_make(esize, cap, GFP_KERNEL);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(c), "make(%u, %u): %ld",
			       esize, cap, PTR_ERR(c));
	return c;
}

/* Send and receive u64 values, with the test's verdict on the return. */
static inline int cht_send(struct kgo_chan *c, u64 v, s64 timeout)
{
	return kgo_chan_send_timeout(c, &v, timeout);
}

static inline int cht_recv(struct kgo_chan *c, u64 *v, bool *ok, s64 timeout)
{
	return kgo_chan_recv_timeout(c, v, ok, timeout);
}

/* Elements of every size the suites use: words derived from one u64. */
#define CHT_MAX_ESIZE		32
#define CHT_GOLDEN		0x9e3779b97f4a7c15ULL

static inline void cht_fill(void *buf, u32 esize, u64 v)
{
	u64 *w = buf;
	u32 i;

	for (i = 0; i < esize / 8; i++)
		w[i] = v ^ (i * CHT_GOLDEN);
}

/* @buf holds the element cht_fill() made from @v. */
static inline bool cht_holds(const void *buf, u32 esize, u64 v)
{
	const u64 *w = buf;
	u32 i;

	for (i = 0; i < esize / 8; i++)
		if (w[i] != (v ^ (i * CHT_GOLDEN)))
			return false;
	return true;
}

static inline bool cht_zeroed(const void *buf, u32 esize)
{
	return !memchr_inv(buf, 0, esize);
}

/*
 * Peers. A channel's peers can be of three kinds, and Go's rules must not
 * depend on which: a thread-blocking G (kgo_go()), a parked G
 * (kgo_go_async(), <kgo/async.h>) and a plain kthread. A peer's body is
 * written once, as a step function whose frame embeds &struct cht_peer
 * and whose channel operations are the CHT_SEND(), CHT_RECV() and
 * CHT_SELECT() below: on a parked G they are KGO_AWAIT()s of the async
 * operations, on a thread the blocking operations, and the step function
 * runs to its end in one call. An operation with a timeout is, on a parked
 * G, a kgo_select_async() of one case with that timeout: the same results
 * (-EAGAIN for KGO_NOWAIT, -ETIMEDOUT, -EPIPE) by Go's rules.
 */
enum cht_kind {
	CHT_G,		/* thread-blocking G */
	CHT_PARKED,	/* parked G */
	CHT_KTHREAD,	/* kthread, not a G */
	CHT_NKINDS,
};

static const char *const cht_kind_names[CHT_NKINDS] = {
	[CHT_G] = "G", [CHT_PARKED] = "parked", [CHT_KTHREAD] = "kthread",
};

struct cht_peer {
	struct kgo_task t;
	enum cht_kind kind;
	struct kgo_select_case one;	/* a parked timed operation's case */
};

/* A step function run on a thread: blocking operations never pend. */
static inline void cht_peer_run(struct cht_peer *p)
{
	kgo_step_t step = p->t.step;

	/* The frame may be gone once the step function is done. */
	WARN_ON_ONCE(step(&p->t) != KGO_TASK_DONE);
}

static inline void cht_peer_g_fn(void *arg)
{
	cht_peer_run(arg);
}

static inline int cht_peer_kthread_fn(void *arg)
{
	cht_peer_run(arg);
	return 0;
}

/*
 * Start @step(@p) as a peer of kind @kind. Return: 0, or the spawn's
 * error (then @step never runs).
 */
static inline int cht_peer_start(struct cht_peer *p, enum cht_kind kind,
				 kgo_step_t step)
{
	struct task_struct *k;

	p->kind = kind;
	switch (kind) {
	case CHT_PARKED:
		return kgo_go_async_gfp(step, &p->t, GFP_KERNEL);
	case CHT_KTHREAD:
		p->t.step = step;
		p->t.resume = NULL;
		k = kthread_run(cht_peer_kthread_fn, p, "kgo_test_peer");
		return IS_ERR(k) ? PTR_ERR(k) : 0;
	default:
		p->t.step = step;
		p->t.resume = NULL;
		return kgo_go_gfp(cht_peer_g_fn, p, GFP_KERNEL);
	}
}

/* The parked form of a timed operation: a select of one case. */
static inline struct kgo_select_case *
cht_peer_one(struct cht_peer *p, struct kgo_chan *c, u32 dir, void *elem)
{
	p->one = (struct kgo_select_case){ .chan = c, .dir = dir, .elem = elem };
	return &p->one;
}

static inline int cht_peer_one_ret(struct cht_peer *p)
{
	return p->t.err < 0 ? p->t.err : p->one.err;
}

/*
 * In @p's step function: @ret = kgo_chan_send_timeout(@c, @elem,
 * @timeout). @ret must live in the frame; @elem too.
 */
#define CHT_SEND(p, c, elem, timeout, ret)					\
	do {									\
		if ((p)->kind != CHT_PARKED) {					\
			(ret) = kgo_chan_send_timeout((c), (elem), (timeout));	\
		} else if ((timeout) == KGO_FOREVER) {				\
			KGO_AWAIT(&(p)->t, kgo_chan_send_async(&(p)->t, (c),	\
							       (elem)));	\
			(ret) = (p)->t.err;					\
		} else {							\
			KGO_AWAIT(&(p)->t, kgo_select_async(&(p)->t,		\
				cht_peer_one((p), (c), KGO_SELECT_SEND,		\
					     (void *)(elem)), 1, (timeout)));	\
			(ret) = cht_peer_one_ret(p);				\
		}								\
	} while (0)

/* In @p's step function: @ret = kgo_chan_recv_timeout(@c, @elem, &@okp, @timeout). */
#define CHT_RECV(p, c, elem, okp, timeout, ret)					\
	do {									\
		if ((p)->kind != CHT_PARKED) {					\
			(ret) = kgo_chan_recv_timeout((c), (elem), &(okp),	\
						      (timeout));		\
		} else if ((timeout) == KGO_FOREVER) {				\
			KGO_AWAIT(&(p)->t, kgo_chan_recv_async(&(p)->t, (c),	\
							       (elem)));	\
			(ret) = (p)->t.err;					\
			(okp) = (p)->t.ok;					\
		} else {							\
			KGO_AWAIT(&(p)->t, kgo_select_async(&(p)->t,		\
				cht_peer_one((p), (c), KGO_SELECT_RECV,		\
					     (elem)), 1, (timeout)));		\
			(ret) = cht_peer_one_ret(p);				\
			(okp) = (p)->one.ok;					\
		}								\
	} while (0)

/* In @p's step function: @ret = kgo_select(@cases, @n, @timeout). */
#define CHT_SELECT(p, cases, n, timeout, ret)					\
	do {									\
		if ((p)->kind != CHT_PARKED) {					\
			(ret) = kgo_select((cases), (n), (timeout));		\
		} else {							\
			KGO_AWAIT(&(p)->t, kgo_select_async(&(p)->t, (cases),	\
							    (n), (timeout)));	\
			(ret) = (p)->t.err;					\
		}								\
	} while (0)

/*
 * Which kinds the peers on each side of a channel are: a bit per kind;
 * the i-th peer of a side takes the (i mod weight)-th kind of its mask,
 * so a side of several kinds mixes them.
 */
struct cht_peers {
	u8 send;
	u8 recv;
};

#define CHT_MASK_G		BIT(CHT_G)
#define CHT_MASK_PARKED		BIT(CHT_PARKED)
#define CHT_MASK_KTHREAD	BIT(CHT_KTHREAD)
#define CHT_MASK_ALL		(BIT(CHT_NKINDS) - 1)

static inline enum cht_kind cht_peers_kind(u8 mask, unsigned int i)
{
	unsigned int k, n = hweight8(mask);

	i %= n;
	for (k = 0; k < CHT_NKINDS; k++)
		if ((mask & BIT(k)) && !i--)
			return k;
	return CHT_G;
}

static inline void cht_mask_desc(u8 mask, char *buf, size_t size)
{
	if (mask == CHT_MASK_ALL) {
		snprintf(buf, size, "mixed");
		return;
	}
	snprintf(buf, size, "%s", cht_kind_names[cht_peers_kind(mask, 0)]);
}

static inline void cht_peers_desc(const struct cht_peers *p, char *desc)
{
	char s[16], r[16];

	cht_mask_desc(p->send, s, sizeof(s));
	cht_mask_desc(p->recv, r, sizeof(r));
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "senders=%s receivers=%s", s, r);
}

/*
 * The matrix a test of many senders and receivers runs: thread-blocking
 * Gs (Go's own test), parked Gs on one side, on both, and every kind on
 * both sides of one channel.
 */
static const struct cht_peers cht_peers_matrix[] __maybe_unused = {
	{ CHT_MASK_G, CHT_MASK_G },
	{ CHT_MASK_PARKED, CHT_MASK_G },
	{ CHT_MASK_G, CHT_MASK_PARKED },
	{ CHT_MASK_PARKED, CHT_MASK_PARKED },
	{ CHT_MASK_KTHREAD, CHT_MASK_PARKED },
	{ CHT_MASK_ALL, CHT_MASK_ALL },
};

/*
 * Whether @test runs the full size: the Go test's own G|G runs it unless
 * quick=1; the other mixes run the quick size, which keeps make check's
 * time in bounds (a mix differs in who waits, not in how much).
 */
static inline bool cht_peers_full(struct kunit *test)
{
	const struct cht_peers *p = test->param_value;

	return !kgo_test_quick && (!p || (p->send == CHT_MASK_G && p->recv == CHT_MASK_G));
}

/* One peer doing one operation, reporting to a countdown (chan_test.c). */
struct cht_op {
	struct cht_peer p;
	struct kgo_chan *c;
	u32 esize;
	bool send;
	s64 timeout;
	u8 buf[CHT_MAX_ESIZE];
	bool ok;
	int ret;
	struct cht_countdown *cd;
};

/*
 * Go's testChanSendBarrier(useSelect), shared like Go shares it between
 * TestChanSendBarrier and TestChanSendSelectBarrier: Gs that make request
 * after request (doRequest), each answered on a fresh unbuffered channel by
 * a new G, with a plain send or with a select that also waits on a channel
 * never ready. A G blocked sending must be woken and exit every time.
 */
struct cht_barrier {
	bool use_select;
	unsigned long inner;	/* requests per asking G */
	struct kgo_chan *done;	/* never ready: the select's other case */
	atomic_t bad;
	struct cht_countdown cd;
};

/* One request, on the asking G's stack until its answer is received. */
struct cht_barrier_req {
	struct cht_barrier *b;
	struct kgo_chan *ch;	/* holds a reference for the answering G */
};

static inline void cht_barrier_answer(void *arg)
{
	const struct cht_barrier_req *req = arg;
	/* Copied out first: once answered, the asking G reuses *req. */
	struct cht_barrier *b = req->b;
	struct kgo_chan *ch = req->ch;
	u64 v = 0xa5;

	if (b->use_select) {
		struct kgo_select_case cs[2] = {
			{ .chan = ch, .dir = KGO_SELECT_SEND, .elem = &v },
			{ .chan = b->done, .dir = KGO_SELECT_RECV },
		};

		if (kgo_select(cs, 2, KGO_FOREVER) != 0)
			atomic_inc(&b->bad);
	} else if (kgo_chan_send_timeout(ch, &v, KGO_FOREVER)) {
		atomic_inc(&b->bad);
	}
	kgo_chan_put(ch);
}

static inline void cht_barrier_worker(void *arg)
{
	struct cht_barrier *b = arg;
	unsigned long j;

	for (j = 0; j < b->inner; j++) {
		struct cht_barrier_req req = { .b = b };
		bool ok = false;
		u64 v = 0;

		req.ch = kgo_chan_make(8, 0, GFP_KERNEL);
		if (IS_ERR(req.ch)) {
			atomic_inc(&b->bad);
			continue;
		}
		kgo_chan_get(req.ch);
		if (kgo_go(cht_barrier_answer, &req)) {
			kgo_chan_put(req.ch);
			kgo_chan_put(req.ch);
			atomic_inc(&b->bad);
			continue;
		}
		if (cht_recv(req.ch, &v, &ok, KGO_FOREVER) || !ok || v != 0xa5)
			atomic_inc(&b->bad);
		kgo_chan_put(req.ch);
		kgo_yield();	/* Go: runtime.Gosched() */
	}
	cht_countdown_hit(&b->cd);
}

static inline void cht_barrier_run(struct kunit *test, bool use_select)
{
	unsigned long i, outer = 10;
	struct cht_barrier *b;
	struct cht_base base;

	cht_base_take(&base);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->use_select = use_select;
	b->inner = kgo_test_quick ? 20 : 100;
	b->done = cht_make(test, 0, 0);	/* Go makes it in both modes */
	cht_countdown_init(&b->cd, outer);
	for (i = 0; i < outer; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(cht_barrier_worker, b), 0);
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&b->cd));
	/* The answering Gs may still be on their way out, using *b. */
	for (i = 0; i < CHT_POLL_LOOPS && kgo_live_gs() > base.gs; i++)
		usleep_range(5000, 10000);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->bad), 0);
	kgo_chan_put(b->done);
	cht_check_leaks(test, &base);
}

#endif /* _KGO_CHAN_UTIL_H */
