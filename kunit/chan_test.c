// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_chan: channel operations with Go's semantics. Every row of the
 * operation table (send, receive, close, len, cap on a NULL, an open and a
 * closed channel), for unbuffered and buffered channels and element size 0;
 * FIFO order, close broadcast, producer/consumer stress with checksums,
 * happens-before, and waits ended by a timeout that must neither lose nor
 * duplicate a value. Blocking is detected by looking at the channel's wait
 * queues, never by sleeping; every case checks that it leaked no G,
 * channel or timer. The cases with blocked peers run once per kind of peer
 * (chan_util.h: a thread-blocking G, a parked G, a kthread), and the
 * many-to-many ones per mix of kinds on the two sides (cht_peers_matrix).
 *
 * Ported from Go (runtime/chan_test.go unless noted), named after the Go
 * test:
 *   TestChan                   kgo_chan_go_TestChan_test
 *   TestNonblockRecvRace       kgo_chan_go_TestNonblockRecvRace_test
 *   TestMultiConsumer          kgo_chan_go_TestMultiConsumer_test
 *   TestChanSendBarrier        kgo_chan_go_TestChanSendBarrier_test
 *   TestRaceChanCloseClose     kgo_chan_go_TestRaceChanCloseClose_test
 *     (runtime/race/testdata/chan_test.go: one close wins, one "panics")
 *   TestRaceChanSendClose      kgo_chan_go_TestRaceChanSendClose_test
 *     (runtime/race/testdata: a send racing close succeeds iff delivered)
 *   test/closedchan.go         kgo_chan_closed_table_test
 * Not applicable: TestChanSendInterface (no interfaces), the stack tests
 * TestShrinkStackDuringBlockedSend, TestNoShrinkStackWhileParking and
 * TestSelectStackAdjust (kernel stacks do not move). The select tests of
 * chan_test.go are in select_test.c.
 */

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/test.h>

#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "chan_util.h"
#include "compat.h"
#include "tests.h"

/* --- the operation table, per capacity and element size --- */

struct chan_param {
	u32 cap;
	u32 esize;
};

static const struct chan_param chan_params[] = {
	{ 0, 8 }, { 0, 0 }, { 0, 24 },
	{ 1, 8 }, { 1, 0 },
	{ 4, 8 }, { 4, 0 }, { 4, 24 },
};

static void chan_param_desc(const struct chan_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "cap=%u esize=%u", p->cap, p->esize);
}

KUNIT_ARRAY_PARAM(chan, chan_params, chan_param_desc);

/*
 * The cases with a blocked peer run once per capacity and size and per
 * kind of peer (chan_util.h): a thread-blocking G, a parked G, a kthread.
 */
struct chan_peer_param {
	struct chan_param c;
	enum cht_kind kind;
};

static struct chan_peer_param chan_peer_params[ARRAY_SIZE(chan_params) * CHT_NKINDS];

static const void *chan_peer_gen_params(const void *prev, char *desc)
{
	const struct chan_peer_param *p = prev;
	size_t i;

	if (!p) {
		for (i = 0; i < ARRAY_SIZE(chan_peer_params); i++) {
			chan_peer_params[i].c = chan_params[i / CHT_NKINDS];
			chan_peer_params[i].kind = i % CHT_NKINDS;
		}
		p = chan_peer_params;
	} else if (++p == chan_peer_params + ARRAY_SIZE(chan_peer_params)) {
		return NULL;
	}
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "cap=%u esize=%u peer=%s",
		 p->c.cap, p->c.esize, cht_kind_names[p->kind]);
	return p;
}

static int cht_op_step(struct kgo_task *t)
{
	struct cht_op *o = container_of(t, struct cht_op, p.t);
	void *elem = o->esize ? o->buf : NULL;	/* size 0: elem may be NULL */

	KGO_BEGIN(t);
	if (o->send)
		CHT_SEND(&o->p, o->c, elem, o->timeout, o->ret);
	else
		CHT_RECV(&o->p, o->c, elem, o->ok, o->timeout, o->ret);
	cht_countdown_hit(o->cd);
	KGO_END(t);
}

KGO_STEP_FUNC(cht_op_step);

/* Start @o's operation in a peer of kind @kind. */
static int cht_op_start(struct cht_op *o, enum cht_kind kind)
{
	return cht_peer_start(&o->p, kind, cht_op_step);
}

/* Send v on c, NOWAIT, with elem NULL for size 0 (allowed then). */
static int tsend(struct kgo_chan *c, u32 esize, u64 v, s64 timeout)
{
	u8 buf[CHT_MAX_ESIZE];

	cht_fill(buf, esize, v);
	return kgo_chan_send_timeout(c, esize ? buf : NULL, timeout);
}

static void kgo_chan_make_test(struct kunit *test)
{
	static const u32 sizes[] = { 0, 1, 3, 8, 24, 1024 };
	static const u32 caps[] = { 0, 1, 64 };
	struct kgo_chan *cs[ARRAY_SIZE(sizes) * ARRAY_SIZE(caps)];
	struct cht_base base;
	unsigned int i, n = 0;

	cht_base_take(&base);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(caps); k++) {
			struct kgo_chan *c = cht_make(test, sizes[i], caps[k]);

			cs[n++] = c;
			KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
			KUNIT_EXPECT_EQ(test, kgo_chan_cap(c), caps[k]);
			KUNIT_EXPECT_EQ(test, kgo_chan_elem_size(c), sizes[i]);
		}
	}
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.chans + n);
	/* get() is a reference on the same channel; put() drops one. */
	KUNIT_EXPECT_PTR_EQ(test, kgo_chan_get(cs[0]), cs[0]);
	kgo_chan_put(cs[0]);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.chans + n);
	KUNIT_EXPECT_EQ(test, tsend(cs[0], 0, 0, KGO_NOWAIT), -EAGAIN);
	while (n)
		kgo_chan_put(cs[--n]);
	cht_check_leaks(test, &base);
}

/* A buffer no machine has must be refused, not wrapped around. */
static void kgo_chan_make_huge_test(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct cht_base base;
	struct kgo_chan *c;

	cht_base_take(&base);
	c = kgo_chan_make(8, U32_MAX, gfp);
	KUNIT_EXPECT_TRUE(test, IS_ERR(c));
	if (!IS_ERR_OR_NULL(c))
		kgo_chan_put(c);
	c = kgo_chan_make(U32_MAX, 2, gfp);
	KUNIT_EXPECT_TRUE(test, IS_ERR(c));
	if (!IS_ERR_OR_NULL(c))
		kgo_chan_put(c);
	c = kgo_chan_make(1U << 31, 1U << 2, gfp);	/* 2^33 bytes: 0 in u32 */
	KUNIT_EXPECT_TRUE(test, IS_ERR(c));
	if (!IS_ERR_OR_NULL(c))
		kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* Go: a nil channel blocks forever; close(nil) panics. */
static void kgo_chan_nil_test(struct kunit *test)
{
	struct cht_base base;
	bool ok = true;
	u64 v = 7;

	cht_base_take(&base);
	KUNIT_EXPECT_EQ(test, kgo_chan_trysend(NULL, &v), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_send_timeout(NULL, &v, CHT_SHORT_NS),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(NULL, &v, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(NULL, &v, &ok, CHT_SHORT_NS),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(NULL, NULL, NULL, 1), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(NULL), -EINVAL);
	cht_check_leaks(test, &base);
}

/* Open channel: buffer, block, hand over directly, NULL elem and ok. */
static void kgo_chan_open_table_test(struct kunit *test)
{
	const struct chan_peer_param *pp = test->param_value;
	const struct chan_param *p = &pp->c;
	u32 esize = p->esize, i;
	struct cht_countdown cd;
	u8 buf[CHT_MAX_ESIZE];
	struct cht_base base;
	struct kgo_chan *c;
	struct cht_op *op;
	bool ok;

	cht_base_take(&base);
	op = kunit_kzalloc(test, sizeof(*op), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, op);
	c = cht_make(test, esize, p->cap);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_cap(c), p->cap);
	KUNIT_EXPECT_EQ(test, kgo_chan_elem_size(c), esize);

	/* Empty: a receive does not complete. */
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(c, buf, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(c, buf, &ok, CHT_SHORT_NS),
			-ETIMEDOUT);
	/* Fill the buffer, then a send does not complete. */
	for (i = 0; i < p->cap; i++) {
		KUNIT_EXPECT_EQ(test, tsend(c, esize, 100 + i, KGO_NOWAIT), 0);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(c), i + 1);
	}
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), p->cap);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));

	/* A blocked sender's value goes behind the buffered ones. */
	*op = (struct cht_op){ .c = c, .esize = esize, .send = true,
			       .timeout = KGO_FOREVER, .cd = &cd };
	cht_fill(op->buf, esize, 999);
	cht_countdown_init(&cd, 1);
	KUNIT_ASSERT_EQ(test, cht_op_start(op, pp->kind), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 1, 0));
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, KGO_NOWAIT), -EAGAIN);
	for (i = 0; i <= p->cap; i++) {
		memset(buf, 0xa5, sizeof(buf));
		ok = false;
		KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(c, buf, &ok), 0);
		KUNIT_EXPECT_TRUE(test, ok);
		KUNIT_EXPECT_TRUE_MSG(test, cht_holds(buf, esize, i < p->cap ? 100 + i : 999),
				      "value %u out of order", i);
		if (!i) {	/* the sender has been let in */
			KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
			KUNIT_EXPECT_EQ(test, op->ret, 0);
			KUNIT_EXPECT_EQ(test, kgo_chan_len(c), p->cap);
		}
	}
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(c, buf, &ok), -EAGAIN);

	/* A blocked receiver: even a NOWAIT send reaches it. */
	*op = (struct cht_op){ .c = c, .esize = esize, .timeout = KGO_FOREVER,
			       .cd = &cd };
	memset(op->buf, 0xa5, sizeof(op->buf));
	cht_countdown_init(&cd, 1);
	KUNIT_ASSERT_EQ(test, cht_op_start(op, pp->kind), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 0, 1));
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 555, KGO_NOWAIT), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
	KUNIT_EXPECT_EQ(test, op->ret, 0);
	KUNIT_EXPECT_TRUE(test, op->ok);
	KUNIT_EXPECT_TRUE(test, cht_holds(op->buf, esize, 555));
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));

	/* Receive into NULL (op esize 0: dropped), and a blocking send. */
	*op = (struct cht_op){ .c = c, .timeout = KGO_FOREVER, .cd = &cd };
	cht_countdown_init(&cd, 1);
	KUNIT_ASSERT_EQ(test, cht_op_start(op, pp->kind), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 0, 1));
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 5, KGO_FOREVER), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
	KUNIT_EXPECT_EQ(test, op->ret, 0);
	KUNIT_EXPECT_TRUE(test, op->ok);
	if (p->cap) {
		KUNIT_EXPECT_EQ(test, tsend(c, esize, 6, KGO_FOREVER), 0);
		KUNIT_EXPECT_EQ(test, kgo_chan_recv(c, NULL, NULL), 0);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	}
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* Closed channel: Go's test/closedchan.go, per capacity and size. */
static void kgo_chan_closed_table_test(struct kunit *test)
{
	const struct chan_param *p = test->param_value;
	u32 esize = p->esize, i;
	u8 buf[CHT_MAX_ESIZE];
	struct cht_base base;
	struct kgo_chan *c;
	bool ok;
	int k;

	cht_base_take(&base);
	c = cht_make(test, esize, p->cap);
	for (i = 0; i < p->cap; i++)
		KUNIT_EXPECT_EQ(test, tsend(c, esize, 100 + i, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(c), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(c), -EPIPE);
	/* Every form of send fails, and none of them adds to the buffer. */
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, KGO_NOWAIT), -EPIPE);
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, CHT_SHORT_NS), -EPIPE);
	KUNIT_EXPECT_EQ(test, tsend(c, esize, 1, KGO_FOREVER), -EPIPE);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), p->cap);
	KUNIT_EXPECT_EQ(test, kgo_chan_cap(c), p->cap);

	/* The buffered values drain first, in order, with ok. */
	for (i = 0; i < p->cap; i++) {
		memset(buf, 0xa5, sizeof(buf));
		ok = false;
		switch (i % 3) {
		case 0:
			k = kgo_chan_recv(c, buf, &ok);
			break;
		case 1:
			k = kgo_chan_tryrecv(c, buf, &ok);
			break;
		default:
			k = kgo_chan_recv_timeout(c, buf, &ok, CHT_SHORT_NS);
		}
		KUNIT_EXPECT_EQ(test, k, 0);
		KUNIT_EXPECT_TRUE(test, ok);
		KUNIT_EXPECT_TRUE(test, cht_holds(buf, esize, 100 + i));
	}
	/* Then every receive completes at once: zero value, !ok. */
	for (k = 0; k < 3; k++) {
		int ret;

		memset(buf, 0xa5, sizeof(buf));
		ok = true;
		if (k == 0)
			ret = kgo_chan_recv(c, esize ? buf : NULL, &ok);
		else if (k == 1)
			ret = kgo_chan_tryrecv(c, esize ? buf : NULL, &ok);
		else
			ret = kgo_chan_recv_timeout(c, esize ? buf : NULL, &ok,
						    CHT_SHORT_NS);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_FALSE(test, ok);
		KUNIT_EXPECT_TRUE_MSG(test, cht_zeroed(buf, esize),
				      "receive %d on closed chan left a value", k);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + esize, 0xa5,
						     sizeof(buf) - esize), NULL);
	}
	KUNIT_EXPECT_EQ(test, kgo_chan_recv(c, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* --- close wakes every blocked receiver and sender --- */

#define BCAST_GS	100

static void close_broadcast(struct kunit *test, bool senders)
{
	const struct chan_peer_param *pp = test->param_value;
	const struct chan_param *p = &pp->c;
	u32 esize = p->esize, i;
	struct cht_countdown cd;
	u8 buf[CHT_MAX_ESIZE];
	struct cht_base base;
	struct kgo_chan *c;
	struct cht_op *ops;
	bool ok;

	cht_base_take(&base);
	ops = kunit_kcalloc(test, BCAST_GS, sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	c = cht_make(test, esize, p->cap);
	if (senders)
		for (i = 0; i < p->cap; i++)
			KUNIT_EXPECT_EQ(test, tsend(c, esize, i, KGO_NOWAIT), 0);
	cht_countdown_init(&cd, BCAST_GS);
	for (i = 0; i < BCAST_GS; i++) {
		ops[i] = (struct cht_op){ .c = c, .esize = esize, .send = senders,
					  .timeout = KGO_FOREVER, .cd = &cd,
					  .ret = 1 };
		memset(ops[i].buf, 0xa5, sizeof(ops[i].buf));
		if (senders)
			cht_fill(ops[i].buf, esize, 1000 + i);
		KUNIT_ASSERT_EQ(test, cht_op_start(&ops[i], pp->kind), 0);
	}
	KUNIT_EXPECT_TRUE(test, cht_wait_queued(c, senders ? BCAST_GS : 0,
						senders ? 0 : BCAST_GS));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&cd.left), BCAST_GS);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(c), 0);
	KUNIT_ASSERT_TRUE_MSG(test, cht_countdown_wait(&cd), "%ld Gs still blocked",
			      atomic_long_read(&cd.left));
	for (i = 0; i < BCAST_GS; i++) {
		KUNIT_EXPECT_EQ(test, ops[i].ret, senders ? -EPIPE : 0);
		if (!senders) {
			KUNIT_EXPECT_FALSE(test, ops[i].ok);
			KUNIT_EXPECT_TRUE(test, cht_zeroed(ops[i].buf, esize));
		}
	}
	/* Only the values buffered before the close come out. */
	for (i = 0; senders && i < p->cap; i++) {
		KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(c, buf, &ok), 0);
		KUNIT_EXPECT_TRUE(test, ok);
		KUNIT_EXPECT_TRUE(test, cht_holds(buf, esize, i));
	}
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(c, buf, &ok), 0);
	KUNIT_EXPECT_FALSE(test, ok);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

static void kgo_chan_close_wakes_receivers_test(struct kunit *test)
{
	close_broadcast(test, false);
}

static void kgo_chan_close_wakes_senders_test(struct kunit *test)
{
	close_broadcast(test, true);
}

/* --- FIFO order per sender --- */

#define FIFO_SENDERS	4

struct fifo_ctx {
	struct kgo_chan *c;
	u32 n;
	struct cht_countdown cd;
	atomic_t errors;
};

static struct fifo_ctx *fifo;

static void fifo_sender(void *arg)
{
	u64 id = (unsigned long)arg;
	u32 i;

	for (i = 0; i < fifo->n; i++)
		if (cht_send(fifo->c, id << 32 | i, KGO_FOREVER))
			atomic_inc(&fifo->errors);
	cht_countdown_hit(&fifo->cd);
}

static void kgo_chan_fifo_test(struct kunit *test)
{
	static const u32 caps[] = { 0, 1, 16 };
	u32 next[FIFO_SENDERS];
	struct cht_base base;
	unsigned int k, i;

	cht_base_take(&base);
	fifo = kunit_kzalloc(test, sizeof(*fifo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fifo);
	fifo->n = kgo_test_quick ? 50 : 300;
	for (k = 0; k < ARRAY_SIZE(caps); k++) {
		u64 sum = 0;

		fifo->c = cht_make(test, 8, caps[k]);
		cht_countdown_init(&fifo->cd, FIFO_SENDERS);
		memset(next, 0, sizeof(next));
		for (i = 0; i < FIFO_SENDERS; i++)
			KUNIT_ASSERT_EQ(test, kgo_go(fifo_sender, (void *)(unsigned long)i), 0);
		for (i = 0; i < FIFO_SENDERS * fifo->n; i++) {
			bool ok = false;
			u64 v = ~0ULL;
			u32 id, seq;

			KUNIT_ASSERT_EQ(test, cht_recv(fifo->c, &v, &ok, KGO_FOREVER), 0);
			KUNIT_ASSERT_TRUE(test, ok);
			id = v >> 32;
			seq = (u32)v;
			KUNIT_ASSERT_LT(test, id, FIFO_SENDERS);
			KUNIT_ASSERT_EQ_MSG(test, seq, next[id],
					    "cap %u: sender %u out of order", caps[k], id);
			next[id]++;
			sum += v;
		}
		KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&fifo->cd));
		KUNIT_EXPECT_EQ(test, atomic_read(&fifo->errors), 0);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(fifo->c), 0);
		KUNIT_EXPECT_EQ(test, sum, (u64)FIFO_SENDERS * fifo->n * (fifo->n - 1) / 2 +
				((u64)FIFO_SENDERS * (FIFO_SENDERS - 1) / 2 << 32) * fifo->n);
		kgo_chan_put(fifo->c);
	}
	cht_check_leaks(test, &base);
}

/* --- many producers, many consumers: every value exactly once --- */

/*
 * Shared with the timeout cases below, which give every wait a tiny
 * timeout: a wait ended by its timeout must neither take nor deliver a
 * value, so the same exactly-once checks apply.
 */
struct xo_ctx {
	struct kgo_chan *c;
	unsigned long total;
	unsigned int senders;
	bool tiny;		/* every wait times out after 1..21 us */
	unsigned long *seen;
	atomic_long_t received;
	atomic_long_t dup;
	atomic_long_t errors;
	atomic_long_t recv_timeouts;
	atomic_long_t send_timeouts;
	atomic64_t sum;
	struct cht_countdown snd;
	struct cht_countdown rcv;
};

static struct xo_ctx *xo;

static s64 xo_timeout(void)
{
	return xo->tiny ? 1000 + kgo_random_below(20000) : KGO_FOREVER;
}

/* A sender or a receiver: a step function, for every kind of peer. */
struct xo_peer {
	struct cht_peer p;
	unsigned long v;
	u64 rv;
	bool ok;
	int ret;
};

static int xo_sender(struct kgo_task *t)
{
	struct xo_peer *f = container_of(t, struct xo_peer, p.t);

	KGO_BEGIN(t);
	for (; f->v < xo->total; f->v += xo->senders) {
		/* Retry the same value: a timed-out send must not have sent. */
		for (;;) {
			f->rv = f->v;
			CHT_SEND(&f->p, xo->c, &f->rv, xo_timeout(), f->ret);
			if (f->ret != -ETIMEDOUT)
				break;
			atomic_long_inc(&xo->send_timeouts);
		}
		if (f->ret)
			atomic_long_inc(&xo->errors);
		if (f->p.kind == CHT_G && kgo_should_yield())
			kgo_yield();
		else if (f->p.kind == CHT_KTHREAD)
			cond_resched();
	}
	cht_countdown_hit(&xo->snd);
	kfree(f);
	KGO_END(t);
}

KGO_STEP_FUNC(xo_sender);

static int xo_receiver(struct kgo_task *t)
{
	struct xo_peer *f = container_of(t, struct xo_peer, p.t);

	KGO_BEGIN(t);
	for (;;) {
		f->ok = false;
		f->rv = ~0ULL;
		CHT_RECV(&f->p, xo->c, &f->rv, f->ok, xo_timeout(), f->ret);
		if (f->ret == -ETIMEDOUT) {
			atomic_long_inc(&xo->recv_timeouts);
			continue;
		}
		if (f->ret) {
			atomic_long_inc(&xo->errors);
			break;
		}
		if (!f->ok)
			break;
		if (f->rv >= xo->total || test_and_set_bit(f->rv, xo->seen))
			atomic_long_inc(&xo->dup);
		atomic_long_inc(&xo->received);
		atomic64_add(f->rv, &xo->sum);
	}
	cht_countdown_hit(&xo->rcv);
	kfree(f);
	KGO_END(t);
}

KGO_STEP_FUNC(xo_receiver);

static int xo_start(kgo_step_t step, enum cht_kind kind, unsigned long v)
{
	struct xo_peer *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	f->v = v;
	err = cht_peer_start(&f->p, kind, step);
	if (err)
		kfree(f);
	return err;
}

/*
 * Values 0..@total-1, through a channel of each capacity in @caps, from
 * @senders to @receivers of the kinds @peers says.
 */
static void run_exactly_once(struct kunit *test, unsigned long total,
			     unsigned int senders, unsigned int receivers,
			     const u32 *caps, unsigned int ncaps, bool tiny)
{
	static const struct cht_peers blocking = { CHT_MASK_G, CHT_MASK_G };
	const struct cht_peers *peers = test->param_value ?: &blocking;
	struct cht_base base;
	unsigned int k, i;

	cht_base_take(&base);
	xo = kunit_kzalloc(test, sizeof(*xo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, xo);
	xo->seen = vzalloc(BITS_TO_LONGS(total) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, xo->seen);
	xo->total = total;
	xo->senders = senders;
	xo->tiny = tiny;
	for (k = 0; k < ncaps; k++) {
		long rto, sto;

		bitmap_zero(xo->seen, total);
		atomic_long_set(&xo->received, 0);
		atomic_long_set(&xo->recv_timeouts, 0);
		atomic_long_set(&xo->send_timeouts, 0);
		atomic64_set(&xo->sum, 0);
		xo->c = cht_make(test, 8, caps[k]);
		cht_countdown_init(&xo->snd, senders);
		cht_countdown_init(&xo->rcv, receivers);
		for (i = 0; i < receivers; i++)
			KUNIT_ASSERT_EQ(test, xo_start(xo_receiver,
						       cht_peers_kind(peers->recv, i), 0), 0);
		for (i = 0; i < senders; i++)
			KUNIT_ASSERT_EQ(test, xo_start(xo_sender,
						       cht_peers_kind(peers->send, i), i), 0);
		KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&xo->snd));
		KUNIT_EXPECT_EQ(test, kgo_chan_close(xo->c), 0);
		KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&xo->rcv));
		KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&xo->received), total,
				    "cap %u: values lost", caps[k]);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&xo->dup), 0);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&xo->errors), 0);
		KUNIT_EXPECT_EQ(test, bitmap_weight(xo->seen, total), total);
		KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&xo->sum),
				(u64)total * (total - 1) / 2);
		rto = atomic_long_read(&xo->recv_timeouts);
		sto = atomic_long_read(&xo->send_timeouts);
		if (tiny)
			kunit_info(test, "cap %u: %ld receive and %ld send timeouts",
				   caps[k], rto, sto);
		else	/* a wait without a timeout never times out */
			KUNIT_EXPECT_EQ(test, rto + sto, 0);
		kgo_chan_put(xo->c);
	}
	vfree(xo->seen);
	cht_check_leaks(test, &base);
}

static void run_mpmc(struct kunit *test, unsigned long total,
		     unsigned int producers, unsigned int consumers)
{
	static const u32 caps[] = { 0, 1, 64 };

	run_exactly_once(test, total, producers, consumers, caps,
			 ARRAY_SIZE(caps), false);
}

KUNIT_ARRAY_PARAM(cht_peers, cht_peers_matrix, cht_peers_desc);

/* Per kind of peer on each side (chan_util.h): cht_peers_matrix; cht_peers_full(). */
static void kgo_chan_mpmc_test(struct kunit *test)
{
	run_mpmc(test, cht_peers_full(test) ? 4000 : 1000, 4, 4);
}

static void kgo_chan_mpmc_stress_test(struct kunit *test)
{
	kgo_test_skip_slow(test);
	run_mpmc(test, 20000, 16, 16);
}

/* --- happens-before, both directions --- */

#define HB_RING		64
#define HB_WORDS	16

struct hb_ctx {
	struct kgo_chan *c;
	u32 n;
	u64 ring[HB_RING][HB_WORDS];	/* written by the sender */
	u64 *rdata;			/* written by the receiver */
	atomic_t bad;
	struct cht_countdown cd;
};

static struct hb_ctx *hb;

/* The receiver: writes rdata[k] before its k-th receive starts. */
static void hb_receiver(void *arg)
{
	u32 k, w;

	for (k = 0; k < hb->n; k++) {
		bool ok = false;
		u64 v = ~0ULL;

		hb->rdata[k] = k + 1;	/* plain write */
		if (cht_recv(hb->c, &v, &ok, KGO_FOREVER) || !ok || v != k) {
			atomic_inc(&hb->bad);
			break;
		}
		/* Go: the send happens before the receive completes. */
		for (w = 0; w < HB_WORDS; w++)
			if (hb->ring[k % HB_RING][w] != (u64)k * HB_WORDS + w)
				atomic_inc(&hb->bad);
	}
	cht_countdown_hit(&hb->cd);
}

static void kgo_chan_happens_before_test(struct kunit *test)
{
	static const u32 caps[] = { 0, 1, 8 };
	struct cht_base base;
	unsigned int k;
	u32 j, w;

	cht_base_take(&base);
	hb = kunit_kzalloc(test, sizeof(*hb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hb);
	hb->n = kgo_test_quick ? 200 : 2000;
	hb->rdata = kunit_kcalloc(test, hb->n, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hb->rdata);
	for (k = 0; k < ARRAY_SIZE(caps); k++) {
		u32 cap = caps[k];
		unsigned int late = 0;

		memset(hb->rdata, 0, hb->n * sizeof(u64));
		hb->c = cht_make(test, 8, cap);
		cht_countdown_init(&hb->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(hb_receiver, NULL), 0);
		for (j = 0; j < hb->n; j++) {
			for (w = 0; w < HB_WORDS; w++)	/* plain writes */
				hb->ring[j % HB_RING][w] = (u64)j * HB_WORDS + w;
			KUNIT_ASSERT_EQ(test, cht_send(hb->c, j, KGO_FOREVER), 0);
			/*
			 * Go: the k-th receive happens before the (k+cap)-th
			 * send completes (for cap 0: the send's own receive).
			 */
			if (j >= cap && READ_ONCE(hb->rdata[j - cap]) != j - cap + 1)
				late++;
		}
		KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&hb->cd));
		KUNIT_EXPECT_EQ_MSG(test, late, 0, "cap %u: receive not before send", cap);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&hb->bad), 0,
				    "cap %u: sender's writes not seen", cap);
		kgo_chan_put(hb->c);
	}
	cht_check_leaks(test, &base);
}

/* --- waits ended by a timeout never lose or duplicate a value --- */

static void run_timeouts(struct kunit *test, unsigned long total)
{
	static const u32 caps[] = { 0, 2 };

	run_exactly_once(test, total, 3, 8, caps, ARRAY_SIZE(caps), true);
}

/* Per kind of peer on each side: cht_peers_matrix; cht_peers_full(). */
static void kgo_chan_timeout_exactly_once_test(struct kunit *test)
{
	run_timeouts(test, cht_peers_full(test) ? 2000 : 500);
}

static void kgo_chan_timeout_exactly_once_stress_test(struct kunit *test)
{
	kgo_test_skip_slow(test);
	run_timeouts(test, 4000);	/* ~100 s in the debug VM */
}

/* --- references --- */

static struct kgo_chan *ref_chan;
static struct cht_countdown *ref_cd;
static bool ref_ok;

static void ref_holder(void *arg)
{
	u64 v = 0;
	bool ok = false;

	ref_ok = !cht_recv(ref_chan, &v, &ok, KGO_FOREVER) && ok && v == 42;
	kgo_chan_put(ref_chan);
	cht_countdown_hit(ref_cd);
}

static void kgo_chan_refcount_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *c;
	int i;

	cht_base_take(&base);
	/* Buffered values do not keep a channel alive. */
	c = cht_make(test, 24, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, tsend(c, 24, i, KGO_NOWAIT), 0);
	kgo_chan_put(c);
	c = cht_make(test, 8, 2);
	KUNIT_EXPECT_EQ(test, cht_send(c, 1, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(c), 0);
	kgo_chan_put(c);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.chans);

	/* A G's reference outlives the creator's. */
	ref_cd = kunit_kzalloc(test, sizeof(*ref_cd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref_cd);
	cht_countdown_init(ref_cd, 1);
	ref_ok = false;
	ref_chan = cht_make(test, 8, 0);
	KUNIT_ASSERT_PTR_EQ(test, kgo_chan_get(ref_chan), ref_chan);
	KUNIT_ASSERT_EQ(test, kgo_go(ref_holder, NULL), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(ref_chan, 0, 1));
	KUNIT_EXPECT_EQ(test, cht_send(ref_chan, 42, KGO_FOREVER), 0);
	kgo_chan_put(ref_chan);
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(ref_cd));
	KUNIT_EXPECT_TRUE(test, ref_ok);
	cht_check_leaks(test, &base);
}

/* --- ports of Go's tests --- */

struct gochan_ctx {
	struct kgo_chan *c;
	struct kgo_chan *done;
	atomic_t flag[2];
	atomic_t bad;
	u32 cap;
	struct cht_countdown cd;
	atomic_t *recv_count;	/* TestChan's map[int]int */
	u32 l;			/* values per producer: Go's L */
};

static struct gochan_ctx *gc;

#define TESTCHAN_P	4

static void testchan_recv_fn(void *arg)
{
	bool ok;

	if (cht_recv(gc->c, NULL, &ok, KGO_FOREVER))
		atomic_inc(&gc->bad);
	atomic_set(&gc->flag[(unsigned long)arg], 1);
	cht_countdown_hit(&gc->cd);
}

static void testchan_send_fn(void *arg)
{
	if (cht_send(gc->c, 0, KGO_FOREVER))
		atomic_inc(&gc->bad);
	atomic_set(&gc->flag[0], 1);
	cht_countdown_hit(&gc->cd);
}

static void testchan_close_fn(void *arg)
{
	bool ok = true;
	u64 v = 1;

	if (cht_recv(gc->c, &v, &ok, KGO_FOREVER) || v || ok)
		atomic_inc(&gc->bad);
	cht_countdown_hit(&gc->cd);
}

static void testchan_seq_fn(void *arg)
{
	u64 i, n = (unsigned long)arg;

	for (i = 0; i < n; i++)
		if (cht_send(gc->c, i, KGO_FOREVER))
			atomic_inc(&gc->bad);
	cht_countdown_hit(&gc->cd);
}

static void testchan_counter_fn(void *arg)
{
	int i;

	for (i = 0; i < gc->l; i++) {
		bool ok = false;
		u64 v = ~0ULL;

		if (cht_recv(gc->c, &v, &ok, KGO_FOREVER) || !ok || v >= gc->l) {
			atomic_inc(&gc->bad);
			continue;
		}
		atomic_inc(&gc->recv_count[v]);
	}
	cht_countdown_hit(&gc->cd);
}

static void kgo_chan_go_TestChan_test(struct kunit *test)
{
	u32 n = kgo_test_quick ? 4 : 12, cap, i;
	struct cht_base base;
	bool ok;
	u64 v;

	cht_base_take(&base);
	gc = kunit_kzalloc(test, sizeof(*gc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc);
	/* Go: 200 capacities (20 short), L = 1000; TCG needs fewer. */
	gc->l = kgo_test_quick ? 100 : 250;
	gc->recv_count = kunit_kcalloc(test, gc->l, sizeof(atomic_t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc->recv_count);
	for (cap = 0; cap < n; cap++) {
		/* Ensure that receive from empty chan blocks. */
		gc->c = cht_make(test, 8, cap);
		atomic_set(&gc->flag[0], 0);
		atomic_set(&gc->flag[1], 0);
		cht_countdown_init(&gc->cd, 2);
		KUNIT_ASSERT_EQ(test, kgo_go(testchan_recv_fn, (void *)0UL), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(testchan_recv_fn, (void *)1UL), 0);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(gc->c, 0, 2));
		KUNIT_ASSERT_FALSE_MSG(test, atomic_read(&gc->flag[0]) ||
				       atomic_read(&gc->flag[1]),
				       "chan[%u]: receive from empty chan", cap);
		/* Ensure that non-blocking receive does not block. */
		KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(gc->c, &v, &ok), -EAGAIN);
		KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(gc->c, NULL, NULL), -EAGAIN);
		KUNIT_ASSERT_EQ(test, cht_send(gc->c, 0, KGO_FOREVER), 0);
		KUNIT_ASSERT_EQ(test, cht_send(gc->c, 0, KGO_FOREVER), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		kgo_chan_put(gc->c);

		/* Ensure that send to full chan blocks. */
		gc->c = cht_make(test, 8, cap);
		for (i = 0; i < cap; i++)
			KUNIT_ASSERT_EQ(test, cht_send(gc->c, i, KGO_FOREVER), 0);
		atomic_set(&gc->flag[0], 0);
		cht_countdown_init(&gc->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(testchan_send_fn, NULL), 0);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(gc->c, 1, 0));
		KUNIT_ASSERT_FALSE_MSG(test, atomic_read(&gc->flag[0]),
				       "chan[%u]: send to full chan", cap);
		/* Ensure that non-blocking send does not block. */
		KUNIT_ASSERT_EQ(test, cht_send(gc->c, 0, KGO_NOWAIT), -EAGAIN);
		KUNIT_ASSERT_EQ(test, cht_recv(gc->c, NULL, NULL, KGO_FOREVER), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		kgo_chan_put(gc->c);

		/* Ensure that we receive 0 from closed chan. */
		gc->c = cht_make(test, 8, cap);
		for (i = 0; i < cap; i++)
			KUNIT_ASSERT_EQ(test, cht_send(gc->c, i, KGO_FOREVER), 0);
		KUNIT_ASSERT_EQ(test, kgo_chan_close(gc->c), 0);
		for (i = 0; i < cap; i++) {
			KUNIT_ASSERT_EQ(test, cht_recv(gc->c, &v, NULL, KGO_FOREVER), 0);
			KUNIT_ASSERT_EQ_MSG(test, v, i, "chan[%u]: received", cap);
		}
		v = 1;
		KUNIT_ASSERT_EQ(test, cht_recv(gc->c, &v, NULL, KGO_FOREVER), 0);
		KUNIT_ASSERT_EQ(test, v, 0);
		v = 1;
		ok = true;
		KUNIT_ASSERT_EQ(test, cht_recv(gc->c, &v, &ok, KGO_FOREVER), 0);
		KUNIT_ASSERT_TRUE(test, v == 0 && !ok);
		kgo_chan_put(gc->c);

		/* Ensure that close unblocks receive. */
		gc->c = cht_make(test, 8, cap);
		cht_countdown_init(&gc->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(testchan_close_fn, NULL), 0);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(gc->c, 0, 1));
		KUNIT_ASSERT_EQ(test, kgo_chan_close(gc->c), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		kgo_chan_put(gc->c);

		/* Send 100 integers, receive them non-corrupted in FIFO order. */
		gc->c = cht_make(test, 8, cap);
		cht_countdown_init(&gc->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(testchan_seq_fn, (void *)100UL), 0);
		for (i = 0; i < 100; i++) {
			int r;

			ok = false;
			r = cht_recv(gc->c, &v, &ok, KGO_FOREVER);
			KUNIT_ASSERT_TRUE_MSG(test, !r && ok && v == i,
					      "chan[%u]: received %llu, expected %u",
					      cap, v, i);
		}
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		/* Send 1000 integers in 4 Gs, ensure that we receive what we send. */
		for (i = 0; i < gc->l; i++)
			atomic_set(&gc->recv_count[i], 0);
		cht_countdown_init(&gc->cd, 2 * TESTCHAN_P);
		for (i = 0; i < TESTCHAN_P; i++) {
			KUNIT_ASSERT_EQ(test, kgo_go(testchan_seq_fn,
						     (void *)(unsigned long)gc->l), 0);
			KUNIT_ASSERT_EQ(test, kgo_go(testchan_counter_fn, NULL), 0);
		}
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		for (i = 0; i < gc->l; i++)
			KUNIT_ASSERT_EQ_MSG(test, atomic_read(&gc->recv_count[i]), TESTCHAN_P,
					    "chan[%u]: value %u", cap, i);
		kgo_chan_put(gc->c);

		/* Test len/cap. */
		gc->c = cht_make(test, 8, cap);
		KUNIT_ASSERT_TRUE(test, kgo_chan_len(gc->c) == 0 && kgo_chan_cap(gc->c) == cap);
		for (i = 0; i < cap; i++)
			KUNIT_ASSERT_EQ(test, cht_send(gc->c, i, KGO_FOREVER), 0);
		KUNIT_ASSERT_TRUE(test, kgo_chan_len(gc->c) == cap && kgo_chan_cap(gc->c) == cap);
		kgo_chan_put(gc->c);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&gc->bad), 0);
	cht_check_leaks(test, &base);
}

/* A non-blocking receive racing close sees the value or the close. */
static void nonblock_recv_fn(void *arg)
{
	bool ok;

	if (kgo_chan_tryrecv(gc->c, NULL, &ok))
		atomic_inc(&gc->bad);	/* Go: "chan is not ready" */
	cht_countdown_hit(&gc->cd);
}

static void kgo_chan_go_TestNonblockRecvRace_test(struct kunit *test)
{
	unsigned int i, n = kgo_test_quick ? 100 : 1000;
	struct cht_base base;

	cht_base_take(&base);
	gc = kunit_kzalloc(test, sizeof(*gc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc);
	for (i = 0; i < n; i++) {
		gc->c = cht_make(test, 8, 1);
		KUNIT_ASSERT_EQ(test, cht_send(gc->c, 1, KGO_NOWAIT), 0);
		cht_countdown_init(&gc->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(nonblock_recv_fn, NULL), 0);
		KUNIT_ASSERT_EQ(test, kgo_chan_close(gc->c), 0);
		KUNIT_ASSERT_EQ(test, cht_recv(gc->c, NULL, NULL, KGO_FOREVER), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		kgo_chan_put(gc->c);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&gc->bad), 0);
	cht_check_leaks(test, &base);
}

#define MC_NWORK	23

static const int mc_pn[] = { 2, 3, 7, 11, 13, 17, 19, 23, 27, 31 };

struct mc_ctx {
	struct kgo_chan *q, *r;
	unsigned long niter;
	atomic_t workers;
	atomic_t bad;
	u64 expect;
	struct cht_countdown cd;
};

static struct mc_ctx *mc;

static void mc_worker(void *arg)
{
	unsigned long w = (unsigned long)arg;

	for (;;) {
		bool ok = false;
		u64 v;

		if (cht_recv(mc->q, &v, &ok, KGO_FOREVER)) {
			atomic_inc(&mc->bad);
			break;
		}
		if (!ok)
			break;
		/* mess with the fifo-ish nature of range */
		if (mc_pn[w % ARRAY_SIZE(mc_pn)] == v)
			kgo_yield();
		if (cht_send(mc->r, v, KGO_FOREVER))
			atomic_inc(&mc->bad);
	}
	/* wg.Done(); the last one out does the feeder's close(r). */
	if (atomic_dec_and_test(&mc->workers) && kgo_chan_close(mc->r))
		atomic_inc(&mc->bad);
	cht_countdown_hit(&mc->cd);
}

static void mc_feeder(void *arg)
{
	unsigned long i;

	for (i = 0; i < mc->niter; i++) {
		u64 v = mc_pn[i % ARRAY_SIZE(mc_pn)];

		mc->expect += v;
		if (cht_send(mc->q, v, KGO_FOREVER))
			atomic_inc(&mc->bad);
	}
	if (kgo_chan_close(mc->q))	/* no more work */
		atomic_inc(&mc->bad);
	cht_countdown_hit(&mc->cd);
}

static void kgo_chan_go_TestMultiConsumer_test(struct kunit *test)
{
	struct cht_base base;
	unsigned long i, n = 0;
	u64 s = 0;

	cht_base_take(&base);
	mc = kunit_kzalloc(test, sizeof(*mc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mc);
	mc->niter = kgo_test_quick ? 2718 : 27182;
	mc->q = cht_make(test, 8, MC_NWORK * 3);
	mc->r = cht_make(test, 8, MC_NWORK * 3);
	atomic_set(&mc->workers, MC_NWORK);
	cht_countdown_init(&mc->cd, MC_NWORK + 1);
	for (i = 0; i < MC_NWORK; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(mc_worker, (void *)i), 0);
	KUNIT_ASSERT_EQ(test, kgo_go(mc_feeder, NULL), 0);
	/* consume & check */
	for (;;) {
		bool ok = false;
		u64 v;

		KUNIT_ASSERT_EQ(test, cht_recv(mc->r, &v, &ok, KGO_FOREVER), 0);
		if (!ok)
			break;
		n++;
		s += v;
	}
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&mc->cd));
	KUNIT_EXPECT_EQ(test, n, mc->niter);
	KUNIT_EXPECT_EQ(test, s, mc->expect);
	KUNIT_EXPECT_EQ(test, atomic_read(&mc->bad), 0);
	kgo_chan_put(mc->q);
	kgo_chan_put(mc->r);
	cht_check_leaks(test, &base);
}

/* TestChanSendBarrier: the answer is a plain send. */
static void kgo_chan_go_TestChanSendBarrier_test(struct kunit *test)
{
	cht_barrier_run(test, false);
}

/* Two Gs close one channel: exactly one succeeds. */
static void close_fn(void *arg)
{
	int ret = kgo_chan_close(gc->c);

	if (ret == 0)
		atomic_inc(&gc->flag[0]);
	else if (ret == -EPIPE)
		atomic_inc(&gc->flag[1]);
	else
		atomic_inc(&gc->bad);
	cht_countdown_hit(&gc->cd);
}

static void kgo_chan_go_TestRaceChanCloseClose_test(struct kunit *test)
{
	unsigned int i, n = kgo_test_quick ? 50 : 300;
	struct cht_base base;

	cht_base_take(&base);
	gc = kunit_kzalloc(test, sizeof(*gc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc);
	for (i = 0; i < n; i++) {
		gc->c = cht_make(test, 8, i & 1);
		atomic_set(&gc->flag[0], 0);
		atomic_set(&gc->flag[1], 0);
		cht_countdown_init(&gc->cd, 2);
		KUNIT_ASSERT_EQ(test, kgo_go(close_fn, NULL), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(close_fn, NULL), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		KUNIT_ASSERT_EQ(test, atomic_read(&gc->flag[0]), 1);
		KUNIT_ASSERT_EQ(test, atomic_read(&gc->flag[1]), 1);
		kgo_chan_put(gc->c);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&gc->bad), 0);
	cht_check_leaks(test, &base);
}

static void send_close_sender(void *arg)
{
	atomic_set(&gc->flag[0], cht_send(gc->c, 77, KGO_FOREVER));
	cht_countdown_hit(&gc->cd);
}

static void send_close_closer(void *arg)
{
	if (kgo_chan_close(gc->c))
		atomic_inc(&gc->bad);
	cht_countdown_hit(&gc->cd);
}

static void kgo_chan_go_TestRaceChanSendClose_test(struct kunit *test)
{
	unsigned int i, n = kgo_test_quick ? 50 : 300, sent = 0;
	struct cht_base base;

	cht_base_take(&base);
	gc = kunit_kzalloc(test, sizeof(*gc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gc);
	for (i = 0; i < n; i++) {
		u32 cap = i & 1;	/* unbuffered: nobody receives */
		bool ok = false;
		int ret;
		u64 v = 0;

		gc->c = cht_make(test, 8, cap);
		atomic_set(&gc->flag[0], 1);
		cht_countdown_init(&gc->cd, 2);
		KUNIT_ASSERT_EQ(test, kgo_go(send_close_sender, NULL), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(send_close_closer, NULL), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gc->cd));
		ret = atomic_read(&gc->flag[0]);
		KUNIT_ASSERT_TRUE_MSG(test, ret == -EPIPE || (cap && ret == 0),
				      "cap %u: send racing close returned %d", cap, ret);
		/* The send succeeded iff its value is in the channel. */
		KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(gc->c, &v, &ok), 0);
		KUNIT_ASSERT_EQ(test, ok, ret == 0);
		if (ok) {
			sent++;
			KUNIT_ASSERT_EQ(test, v, 77);
			KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(gc->c, &v, &ok), 0);
			KUNIT_ASSERT_FALSE(test, ok);
		}
		kgo_chan_put(gc->c);
	}
	kunit_info(test, "%u of %u sends won the race", sent, n / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&gc->bad), 0);
	cht_check_leaks(test, &base);
}

static struct kunit_case kgo_chan_cases[] = {
	KUNIT_CASE(kgo_chan_make_test),
	KUNIT_CASE(kgo_chan_make_huge_test),
	KUNIT_CASE(kgo_chan_nil_test),
	KUNIT_CASE_PARAM(kgo_chan_open_table_test, chan_peer_gen_params),
	KUNIT_CASE_PARAM(kgo_chan_closed_table_test, chan_gen_params),
	KUNIT_CASE_PARAM(kgo_chan_close_wakes_receivers_test, chan_peer_gen_params),
	KUNIT_CASE_PARAM(kgo_chan_close_wakes_senders_test, chan_peer_gen_params),
	KUNIT_CASE(kgo_chan_refcount_test),
	KUNIT_CASE_SLOW(kgo_chan_fifo_test),
	KUNIT_CASE_SLOW(kgo_chan_happens_before_test),
	KUNIT_CASE_PARAM_ATTR(kgo_chan_mpmc_test, cht_peers_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(kgo_chan_timeout_exactly_once_test, cht_peers_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(kgo_chan_go_TestChan_test),
	KUNIT_CASE(kgo_chan_go_TestNonblockRecvRace_test),
	KUNIT_CASE_SLOW(kgo_chan_go_TestMultiConsumer_test),
	KUNIT_CASE(kgo_chan_go_TestChanSendBarrier_test),
	KUNIT_CASE(kgo_chan_go_TestRaceChanCloseClose_test),
	KUNIT_CASE(kgo_chan_go_TestRaceChanSendClose_test),
	KUNIT_CASE_SLOW(kgo_chan_mpmc_stress_test),
	KUNIT_CASE_SLOW(kgo_chan_timeout_exactly_once_stress_test),
	{}
};

struct kunit_suite kgo_chan_suite = {
	.name = "kgo_chan",
	.test_cases = kgo_chan_cases,
};
