// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_select: kgo_select() with Go's semantics. Argument checks, ready
 * cases, default (%KGO_NOWAIT), timeout, NULL-channel cases, closed
 * channels, close during a select, one channel in several cases, the
 * uniform random choice among ready cases (checked within 5 sigma), and
 * waits ended by a timeout that neither lose nor duplicate a value. No
 * case depends on timing: blocking is seen on the channels' wait queues;
 * every case checks that it leaked no G, channel or timer. The cases with
 * a blocked select run once per kind of peer (chan_util.h: thread-blocking
 * G, parked G, kthread), the timeout one per mix of kinds on both sides.
 *
 * Ported from Go's runtime/chan_test.go, named after the Go test:
 *   TestSelectFairness          kgo_select_go_TestSelectFairness_test
 *   TestNonblockSelectRace      kgo_select_go_TestNonblockSelectRace_test
 *   TestNonblockSelectRace2     kgo_select_go_TestNonblockSelectRace2_test
 *   TestSelfSelect              kgo_select_go_TestSelfSelect_test
 *   TestSelectStress            kgo_select_go_TestSelectStress_test
 *   TestPseudoRandomSend        kgo_select_go_TestPseudoRandomSend_test,
 *                               and, every select blocked before its peer
 *                               comes, ..._blocked_test and its receive
 *                               counterpart
 *   TestSelectDuplicateChannel  kgo_select_go_TestSelectDuplicateChannel_test
 *   TestChanSendSelectBarrier   kgo_select_go_TestChanSendSelectBarrier_test
 * and, after Go's limit on select cases (reflect.Select's 65536, here
 * %KGO_SELECT_MAX_CASES), kgo_select_max_cases_test.
 * Not applicable: TestChanSendInterface (no interfaces),
 * TestSelectStackAdjust (kernel stacks do not move).
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

static void set_case(struct kgo_select_case *cs, struct kgo_chan *c, u32 dir,
		     void *elem)
{
	*cs = (struct kgo_select_case){ .chan = c, .dir = dir, .elem = elem,
					.ok = true, .err = 1 };
}

/* --- arguments --- */

static void kgo_select_args_test(struct kunit *test)
{
	struct kgo_select_case cs[2], *many;
	struct cht_base base;
	struct kgo_chan *c;
	u64 v = 1;

	cht_base_take(&base);
	c = cht_make(test, 8, 1);
	KUNIT_EXPECT_EQ(test, cht_send(c, 5, KGO_NOWAIT), 0);
	/* A bad direction is refused, even beside a ready case. */
	set_case(&cs[0], c, KGO_SELECT_RECV, &v);
	set_case(&cs[1], c, 0, &v);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), -EINVAL);
	set_case(&cs[1], c, KGO_SELECT_SEND | KGO_SELECT_RECV, &v);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), -EINVAL);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 1);	/* nothing happened */

	/* Too many cases. */
	many = kvcalloc(KGO_SELECT_MAX_CASES + 1, sizeof(*many), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, many);
	for (v = 0; v <= KGO_SELECT_MAX_CASES; v++)
		set_case(&many[v], NULL, KGO_SELECT_RECV, NULL);
	many[0].chan = c;
	KUNIT_EXPECT_EQ(test, kgo_select(many, KGO_SELECT_MAX_CASES + 1, KGO_NOWAIT),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 1);
	kvfree(many);

	/* Go's select {} and a select of nil channels only time out. */
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 0, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 0, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_select(NULL, 0, CHT_SHORT_NS), -ETIMEDOUT);
	set_case(&cs[0], NULL, KGO_SELECT_RECV, &v);
	set_case(&cs[1], NULL, KGO_SELECT_SEND, &v);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, CHT_SHORT_NS), -ETIMEDOUT);
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* --- ready cases, default, timeout --- */

static void kgo_select_ready_test(struct kunit *test)
{
	struct kgo_chan *empty, *full, *val, *room;
	struct kgo_select_case cs[4];
	u64 r = 0, s = 77, junk = 0;
	struct cht_base base;
	int i, ret;

	cht_base_take(&base);
	empty = cht_make(test, 8, 0);
	full = cht_make(test, 8, 1);
	val = cht_make(test, 8, 1);
	room = cht_make(test, 8, 1);
	KUNIT_EXPECT_EQ(test, cht_send(full, 1, KGO_NOWAIT), 0);

	/* Exactly one ready receive among blocked cases. */
	for (i = 0; i < 50; i++) {
		KUNIT_EXPECT_EQ(test, cht_send(val, 100 + i, KGO_NOWAIT), 0);
		set_case(&cs[0], empty, KGO_SELECT_RECV, &junk);
		set_case(&cs[1], full, KGO_SELECT_SEND, &s);
		set_case(&cs[2], val, KGO_SELECT_RECV, &r);
		set_case(&cs[3], empty, KGO_SELECT_SEND, &s);
		KUNIT_ASSERT_EQ(test, kgo_select(cs, 4, i & 1 ? KGO_NOWAIT : KGO_FOREVER), 2);
		KUNIT_EXPECT_EQ(test, r, 100 + i);
		KUNIT_EXPECT_TRUE(test, cs[2].ok);
		KUNIT_EXPECT_EQ(test, cs[2].err, 0);
	}
	/* Exactly one ready send. */
	for (i = 0; i < 50; i++) {
		s = 200 + i;
		set_case(&cs[0], empty, KGO_SELECT_RECV, &junk);
		set_case(&cs[1], full, KGO_SELECT_SEND, &s);
		set_case(&cs[2], room, KGO_SELECT_SEND, &s);
		set_case(&cs[3], val, KGO_SELECT_RECV, &junk);
		KUNIT_ASSERT_EQ(test, kgo_select(cs, 4, i & 1 ? KGO_NOWAIT : KGO_FOREVER), 2);
		KUNIT_EXPECT_EQ(test, cs[2].err, 0);
		KUNIT_EXPECT_EQ(test, cht_recv(room, &r, NULL, KGO_NOWAIT), 0);
		KUNIT_EXPECT_EQ(test, r, 200 + i);
	}
	/* Two ready cases: exactly one of them takes effect. */
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, cht_send(val, i, KGO_NOWAIT), 0);
		set_case(&cs[0], val, KGO_SELECT_RECV, &r);
		set_case(&cs[1], room, KGO_SELECT_SEND, &s);
		ret = kgo_select(cs, 2, KGO_NOWAIT);
		KUNIT_ASSERT_TRUE(test, ret == 0 || ret == 1);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(val), ret == 0 ? 0 : 1);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(room), ret == 1 ? 1 : 0);
		kgo_chan_tryrecv(val, NULL, NULL);
		kgo_chan_tryrecv(room, NULL, NULL);
	}

	/* Nothing ready: default, then timeout; nothing changed. */
	set_case(&cs[0], empty, KGO_SELECT_RECV, &junk);
	set_case(&cs[1], full, KGO_SELECT_SEND, &s);
	set_case(&cs[2], empty, KGO_SELECT_SEND, &s);
	set_case(&cs[3], val, KGO_SELECT_RECV, &junk);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 4, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 4, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 4, 1), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(full), 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(val), 0);
	/* No sudog was left behind to take a later value. */
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(empty));
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(full));
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(val));
	KUNIT_EXPECT_EQ(test, cht_send(empty, 3, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, cht_recv(empty, NULL, NULL, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, cht_recv(full, &r, NULL, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, r, 1);	/* the select's send did not land */

	kgo_chan_put(empty);
	kgo_chan_put(full);
	kgo_chan_put(val);
	kgo_chan_put(room);
	cht_check_leaks(test, &base);
}

/*
 * A peer blocked in a select: the cases with one run per kind of peer
 * (chan_util.h), a thread-blocking G, a parked G and a kthread.
 */
static const enum cht_kind sel_kinds[] = { CHT_G, CHT_PARKED, CHT_KTHREAD };

static void sel_kind_desc(const enum cht_kind *k, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "peer=%s", cht_kind_names[*k]);
}

KUNIT_ARRAY_PARAM(sel_kind, sel_kinds, sel_kind_desc);

static enum cht_kind sel_kind(struct kunit *test)
{
	const enum cht_kind *k = test->param_value;

	return k ? *k : CHT_G;
}

struct sel_g {
	struct cht_peer p;
	struct kgo_select_case cs[4];
	unsigned int n;
	s64 timeout;
	u64 rbuf[4];
	u64 sbuf[4];
	int ret;
	struct cht_countdown *cd;
};

static int sel_g_step(struct kgo_task *t)
{
	struct sel_g *g = container_of(t, struct sel_g, p.t);

	KGO_BEGIN(t);
	CHT_SELECT(&g->p, g->cs, g->n, g->timeout, g->ret);
	cht_countdown_hit(g->cd);
	KGO_END(t);
}

KGO_STEP_FUNC(sel_g_step);

static int sel_g_go(struct kunit *test, struct sel_g *g)
{
	return cht_peer_start(&g->p, sel_kind(test), sel_g_step);
}

/*
 * A peer (of the test's kind) blocked in a select of @g's first @n cases;
 * @cd counts its return.
 */
static void sel_g_start(struct kunit *test, struct sel_g *g, unsigned int n,
			struct cht_countdown *cd)
{
	g->n = n;
	g->timeout = KGO_FOREVER;
	g->cd = cd;
	cht_countdown_init(cd, 1);
	KUNIT_ASSERT_EQ(test, sel_g_go(test, g), 0);
}

/* NULL-channel cases are never chosen, ready or blocking. */

static void kgo_select_nil_cases_test(struct kunit *test)
{
	struct kgo_select_case cs[3];
	struct cht_countdown cd;
	struct cht_base base;
	struct kgo_chan *c;
	struct sel_g *g;
	u64 v = 0, s = 9;
	int i;

	cht_base_take(&base);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	c = cht_make(test, 8, 1);
	for (i = 0; i < 100; i++) {
		KUNIT_EXPECT_EQ(test, cht_send(c, i, KGO_NOWAIT), 0);
		set_case(&cs[0], NULL, KGO_SELECT_RECV, &v);
		set_case(&cs[1], c, KGO_SELECT_RECV, &v);
		set_case(&cs[2], NULL, KGO_SELECT_SEND, &s);
		KUNIT_ASSERT_EQ(test, kgo_select(cs, 3, KGO_NOWAIT), 1);
		KUNIT_EXPECT_EQ(test, v, i);
	}
	/* Blocking: only the real channel wakes it. */
	set_case(&g->cs[0], NULL, KGO_SELECT_RECV, &g->rbuf[0]);
	set_case(&g->cs[1], NULL, KGO_SELECT_SEND, &g->sbuf[1]);
	set_case(&g->cs[2], c, KGO_SELECT_RECV, &g->rbuf[2]);
	sel_g_start(test, g, 3, &cd);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 0, 1));
	KUNIT_EXPECT_EQ(test, cht_send(c, 4242, KGO_FOREVER), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
	KUNIT_EXPECT_EQ(test, g->ret, 2);
	KUNIT_EXPECT_EQ(test, g->rbuf[2], 4242);
	KUNIT_EXPECT_TRUE(test, g->cs[2].ok);
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* A blocked select is completed by a sender, a receiver or a close. */
static void kgo_select_wakeup_test(struct kunit *test)
{
	struct kgo_chan *a, *b;
	struct cht_countdown cd;
	struct cht_base base;
	struct sel_g *g;
	u64 v;
	int round;

	cht_base_take(&base);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	for (round = 0; round < 4; round++) {
		a = cht_make(test, 8, 0);
		b = cht_make(test, 8, round & 1);
		if (round & 1)	/* b full: its send case blocks */
			KUNIT_EXPECT_EQ(test, cht_send(b, 1, KGO_NOWAIT), 0);
		memset(g, 0, sizeof(*g));
		g->sbuf[1] = 31337;
		set_case(&g->cs[0], a, KGO_SELECT_RECV, &g->rbuf[0]);
		set_case(&g->cs[1], b, KGO_SELECT_SEND, &g->sbuf[1]);
		g->rbuf[0] = ~0ULL;
		sel_g_start(test, g, 2, &cd);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(a, 0, 1));
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(b, 1, 0));
		switch (round) {
		case 0:		/* a sender */
			KUNIT_EXPECT_EQ(test, cht_send(a, 5, KGO_NOWAIT), 0);
			break;
		case 1:		/* a receiver takes b's head; the send lands */
			KUNIT_EXPECT_EQ(test, cht_recv(b, &v, NULL, KGO_NOWAIT), 0);
			KUNIT_EXPECT_EQ(test, v, 1);
			break;
		case 2:		/* close of the receive case's channel */
			KUNIT_EXPECT_EQ(test, kgo_chan_close(a), 0);
			break;
		default:	/* close of the send case's channel */
			KUNIT_EXPECT_EQ(test, kgo_chan_close(b), 0);
		}
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
		switch (round) {
		case 0:
			KUNIT_EXPECT_EQ(test, g->ret, 0);
			KUNIT_EXPECT_EQ(test, g->rbuf[0], 5);
			KUNIT_EXPECT_TRUE(test, g->cs[0].ok);
			break;
		case 1:
			KUNIT_EXPECT_EQ(test, g->ret, 1);
			KUNIT_EXPECT_EQ(test, g->cs[1].err, 0);
			KUNIT_EXPECT_EQ(test, cht_recv(b, &v, NULL, KGO_NOWAIT), 0);
			KUNIT_EXPECT_EQ(test, v, 31337);
			break;
		case 2:
			KUNIT_EXPECT_EQ(test, g->ret, 0);
			KUNIT_EXPECT_FALSE(test, g->cs[0].ok);
			KUNIT_EXPECT_EQ(test, g->rbuf[0], 0);
			break;
		default:
			KUNIT_EXPECT_EQ(test, g->ret, 1);
			KUNIT_EXPECT_EQ(test, g->cs[1].err, -EPIPE);
			/* the value buffered before the close, not the select's */
			KUNIT_EXPECT_EQ(test, cht_recv(b, &v, NULL, KGO_NOWAIT), 0);
			KUNIT_EXPECT_EQ(test, v, 1);
		}
		/* The losing case's sudog is gone from its queue. */
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(a));
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(b));
		if (round < 2)
			KUNIT_EXPECT_EQ(test, cht_send(a, 1, KGO_NOWAIT), -EAGAIN);
		kgo_chan_put(a);
		kgo_chan_put(b);
	}
	cht_check_leaks(test, &base);
}

/* Closed channels are always ready: ok=false, or -EPIPE for a send. */
static void kgo_select_closed_test(struct kunit *test)
{
	struct kgo_select_case cs[3];
	struct kgo_chan *c, *e;
	struct cht_base base;
	u64 v = ~0ULL, s = 3;

	cht_base_take(&base);
	c = cht_make(test, 8, 2);
	e = cht_make(test, 8, 0);
	KUNIT_EXPECT_EQ(test, cht_send(c, 11, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(c), 0);
	set_case(&cs[0], e, KGO_SELECT_RECV, &s);
	set_case(&cs[1], c, KGO_SELECT_RECV, &v);
	set_case(&cs[2], NULL, KGO_SELECT_RECV, &s);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 3, KGO_FOREVER), 1);
	KUNIT_EXPECT_TRUE(test, cs[1].ok);
	KUNIT_EXPECT_EQ(test, v, 11);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 3, KGO_NOWAIT), 1);
	KUNIT_EXPECT_FALSE(test, cs[1].ok);
	KUNIT_EXPECT_EQ(test, cs[1].err, 0);
	KUNIT_EXPECT_EQ(test, v, 0);

	set_case(&cs[0], e, KGO_SELECT_RECV, &v);
	set_case(&cs[1], c, KGO_SELECT_SEND, &s);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_FOREVER), 1);
	KUNIT_EXPECT_EQ(test, cs[1].err, -EPIPE);
	KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(e));
	kgo_chan_put(c);
	kgo_chan_put(e);
	cht_check_leaks(test, &base);
}

/* Many Gs blocked in selects, woken by one close. */
#define SEL_BCAST	100

/*
 * Every select has either paired on @a or waits on @b: the receivers
 * queued on @b are as many as the selects not yet returned. All of them
 * may pair (half send and half receive on @a), so that none waits: which
 * happens depends on timing, and kthread peers, all running at once,
 * often pair off completely.
 */
static bool sel_bcast_settled(struct kgo_chan *b, struct cht_countdown *cd)
{
	unsigned int s, r;

	cht_queued(b, &s, &r);
	return r == atomic_long_read(&cd->left);
}

static void kgo_select_close_broadcast_test(struct kunit *test)
{
	struct kgo_chan *a, *b;
	struct cht_countdown cd;
	struct cht_base base;
	int i, pairs[2] = { 0, 0 };
	struct sel_g *g;

	cht_base_take(&base);
	g = kunit_kcalloc(test, SEL_BCAST, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	a = cht_make(test, 8, 0);
	b = cht_make(test, 8, 0);
	cht_countdown_init(&cd, SEL_BCAST);
	for (i = 0; i < SEL_BCAST; i++) {
		/* Half receive on a, half send on a; all wait on b too. */
		set_case(&g[i].cs[0], a, i & 1 ? KGO_SELECT_SEND : KGO_SELECT_RECV,
			 &g[i].rbuf[0]);
		set_case(&g[i].cs[1], b, KGO_SELECT_RECV, &g[i].rbuf[1]);
		g[i].n = 2;
		g[i].timeout = KGO_FOREVER;
		g[i].cd = &cd;
		KUNIT_ASSERT_EQ(test, sel_g_go(test, &g[i]), 0);
	}
	/*
	 * Senders and receivers on a may pair off among themselves; those
	 * left wait on b. Close b: every one still blocked wakes.
	 */
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(sel_bcast_settled(b, &cd)));
	KUNIT_EXPECT_EQ(test, kgo_chan_close(b), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
	for (i = 0; i < SEL_BCAST; i++) {
		KUNIT_EXPECT_TRUE(test, g[i].ret == 0 || g[i].ret == 1);
		if (g[i].ret == 1)
			KUNIT_EXPECT_FALSE(test, g[i].cs[1].ok);
		else
			pairs[i & 1]++;
	}
	/* Every send on a that completed met exactly one receive. */
	KUNIT_EXPECT_EQ(test, pairs[0], pairs[1]);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(a));
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(b));
	kgo_chan_put(a);
	kgo_chan_put(b);
	cht_check_leaks(test, &base);
}

/* --- one channel in several cases --- */

static void kgo_select_same_chan_test(struct kunit *test)
{
	struct kgo_select_case cs[2];
	struct cht_countdown cd;
	struct cht_base base;
	struct kgo_chan *c;
	u64 r = 0, s = 1;
	struct sel_g *g;
	int i;

	cht_base_take(&base);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	/* Send and receive on one unbuffered channel: no self-rendezvous. */
	c = cht_make(test, 8, 0);
	set_case(&cs[0], c, KGO_SELECT_SEND, &s);
	set_case(&cs[1], c, KGO_SELECT_RECV, &r);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));
	kgo_chan_put(c);

	/* Buffered, cap 1: the send is ready when empty, the receive when full. */
	c = cht_make(test, 8, 1);
	set_case(&cs[0], c, KGO_SELECT_SEND, &s);
	set_case(&cs[1], c, KGO_SELECT_RECV, &r);
	for (i = 0; i < 10; i++) {
		s = i;
		KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), 0);
		KUNIT_EXPECT_EQ(test, kgo_select(cs, 2, KGO_NOWAIT), 1);
		KUNIT_EXPECT_EQ(test, r, i);
	}
	kgo_chan_put(c);

	/* Two receive cases on one channel: one value, taken once. */
	for (i = 0; i < 20; i++) {
		c = cht_make(test, 8, i & 1);
		memset(g, 0, sizeof(*g));
		set_case(&g->cs[0], c, KGO_SELECT_RECV, &g->rbuf[0]);
		set_case(&g->cs[1], c, KGO_SELECT_RECV, &g->rbuf[1]);
		sel_g_start(test, g, 2, &cd);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 0, 2));
		KUNIT_EXPECT_EQ(test, cht_send(c, 600 + i, KGO_NOWAIT), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
		KUNIT_ASSERT_TRUE(test, g->ret == 0 || g->ret == 1);
		KUNIT_EXPECT_EQ(test, g->rbuf[g->ret], 600 + i);
		KUNIT_EXPECT_EQ(test, g->rbuf[!g->ret], 0);
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));
		/* No ghost receiver is left to swallow the next value. */
		KUNIT_EXPECT_EQ(test, cht_send(c, 1, KGO_NOWAIT), i & 1 ? 0 : -EAGAIN);
		kgo_chan_put(c);
	}

	/* Two send cases on one channel: one value arrives. */
	for (i = 0; i < 20; i++) {
		bool ok;

		c = cht_make(test, 8, 0);
		memset(g, 0, sizeof(*g));
		g->sbuf[0] = 700;
		g->sbuf[1] = 701;
		set_case(&g->cs[0], c, KGO_SELECT_SEND, &g->sbuf[0]);
		set_case(&g->cs[1], c, KGO_SELECT_SEND, &g->sbuf[1]);
		sel_g_start(test, g, 2, &cd);
		KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 2, 0));
		KUNIT_EXPECT_EQ(test, cht_recv(c, &r, &ok, KGO_NOWAIT), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
		KUNIT_ASSERT_TRUE(test, g->ret == 0 || g->ret == 1);
		KUNIT_EXPECT_EQ(test, r, 700 + g->ret);
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));
		KUNIT_EXPECT_EQ(test, cht_recv(c, &r, &ok, KGO_NOWAIT), -EAGAIN);
		kgo_chan_put(c);
	}
	cht_check_leaks(test, &base);
}

/* --- the random choice --- */

/*
 * @k always-ready cases, @trials selects: each case's count must be
 * within 5 sigma of trials/k (a false alarm about once in 10^6 runs).
 */
static void check_uniform(struct kunit *test, const unsigned int *cnt,
			  unsigned int k, unsigned int trials, const char *what)
{
	/* sigma^2 = n p (1 - p) */
	unsigned long var = (unsigned long)trials * (k - 1) / (k * k);
	unsigned long bound = 5 * int_sqrt(var) + 5;
	unsigned int i;

	for (i = 0; i < k; i++)
		KUNIT_EXPECT_LE_MSG(test, abs((long)cnt[i] - (long)(trials / k)), bound,
				    "%s: case %u chosen %u of %u times", what, i,
				    cnt[i], trials);
}

#define FAIR_TRIALS	10000

static void kgo_select_fairness_test(struct kunit *test)
{
	struct kgo_select_case cs[4];
	unsigned int cnt[4], i, k;
	struct kgo_chan *c[4];
	struct cht_base base;
	u64 v = 0;
	int ret;

	cht_base_take(&base);
	for (i = 0; i < 4; i++)
		c[i] = cht_make(test, 8, 1);
	/* Two, then four always-ready receive cases. */
	for (k = 2; k <= 4; k += 2) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < k; i++)
			KUNIT_EXPECT_EQ(test, cht_send(c[i], i, KGO_NOWAIT), 0);
		for (i = 0; i < FAIR_TRIALS; i++) {
			unsigned int j;

			for (j = 0; j < k; j++)
				set_case(&cs[j], c[j], KGO_SELECT_RECV, &v);
			ret = kgo_select(cs, k, KGO_NOWAIT);
			KUNIT_ASSERT_TRUE(test, ret >= 0 && ret < k);
			KUNIT_ASSERT_EQ(test, v, ret);
			cnt[ret]++;
			KUNIT_ASSERT_EQ(test, cht_send(c[ret], ret, KGO_NOWAIT), 0);
		}
		check_uniform(test, cnt, k, FAIR_TRIALS, "recv");
		for (i = 0; i < k; i++)
			KUNIT_EXPECT_EQ(test, cht_recv(c[i], NULL, NULL, KGO_NOWAIT), 0);
	}
	/* Two always-ready send cases, and a mix of a send and a receive. */
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < FAIR_TRIALS; i++) {
		set_case(&cs[0], c[0], KGO_SELECT_SEND, &v);
		set_case(&cs[1], c[1], KGO_SELECT_SEND, &v);
		ret = kgo_select(cs, 2, KGO_NOWAIT);
		KUNIT_ASSERT_TRUE(test, ret == 0 || ret == 1);
		cnt[ret]++;
		KUNIT_ASSERT_EQ(test, cht_recv(c[ret], NULL, NULL, KGO_NOWAIT), 0);
	}
	check_uniform(test, cnt, 2, FAIR_TRIALS, "send");
	memset(cnt, 0, sizeof(cnt));
	KUNIT_EXPECT_EQ(test, cht_send(c[1], 1, KGO_NOWAIT), 0);
	for (i = 0; i < FAIR_TRIALS; i++) {
		set_case(&cs[0], c[0], KGO_SELECT_SEND, &v);
		set_case(&cs[1], c[1], KGO_SELECT_RECV, &v);
		v = 0;
		ret = kgo_select(cs, 2, KGO_NOWAIT);
		KUNIT_ASSERT_TRUE(test, ret == 0 || ret == 1);
		cnt[ret]++;
		if (ret == 0)
			KUNIT_ASSERT_EQ(test, cht_recv(c[0], NULL, NULL, KGO_NOWAIT), 0);
		else
			KUNIT_ASSERT_EQ(test, cht_send(c[1], 1, KGO_NOWAIT), 0);
	}
	check_uniform(test, cnt, 2, FAIR_TRIALS, "send/recv");
	for (i = 0; i < 4; i++)
		kgo_chan_put(c[i]);
	cht_check_leaks(test, &base);
}

/* --- most cases; a blocked select over them all --- */

struct big_sel {
	struct kgo_select_case *cs;
	unsigned int n;
	int ret;
	struct cht_countdown *cd;
};

static void big_sel_fn(void *arg)
{
	struct big_sel *g = arg;

	g->ret = kgo_select(g->cs, g->n, KGO_FOREVER);
	cht_countdown_hit(g->cd);
}

static void kgo_select_max_cases_test(struct kunit *test)
{
	const unsigned int n = KGO_SELECT_MAX_CASES, nch = 16;
	struct kgo_select_case *cs;
	struct kgo_chan *ch[16], *c;
	struct cht_countdown cd;
	struct cht_base base;
	struct big_sel *g;
	unsigned int i;
	u64 *rbuf, v;
	int ret;

	cht_base_take(&base);
	cs = kunit_kcalloc(test, n, sizeof(*cs), GFP_KERNEL);
	rbuf = kunit_kcalloc(test, n, sizeof(*rbuf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cs);
	KUNIT_ASSERT_NOT_NULL(test, rbuf);
	for (i = 0; i < nch; i++)
		ch[i] = cht_make(test, 8, 1);
	/* Exactly one channel has a value: one of its cases is chosen. */
	KUNIT_EXPECT_EQ(test, cht_send(ch[11], 1111, KGO_NOWAIT), 0);
	for (i = 0; i < n; i++)
		set_case(&cs[i], ch[i % nch], KGO_SELECT_RECV, &rbuf[i]);
	ret = kgo_select(cs, n, KGO_NOWAIT);
	KUNIT_ASSERT_TRUE(test, ret >= 0 && ret < n);
	KUNIT_EXPECT_EQ(test, ret % nch, 11);
	KUNIT_EXPECT_EQ(test, rbuf[ret], 1111);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, n, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_select(cs, n, CHT_SHORT_NS), -ETIMEDOUT);
	for (i = 0; i < nch; i++)
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(ch[i]));
	for (i = 0; i < nch; i++)
		kgo_chan_put(ch[i]);

	/* A G blocked with every case on one channel; one send wakes it. */
	c = cht_make(test, 8, 0);
	for (i = 0; i < n; i++)
		set_case(&cs[i], c, KGO_SELECT_RECV, &rbuf[i]);
	memset(rbuf, 0, n * sizeof(*rbuf));
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	g->cs = cs;
	g->n = n;
	g->cd = &cd;
	cht_countdown_init(&cd, 1);
	KUNIT_ASSERT_EQ(test, kgo_go(big_sel_fn, g), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(c, 0, n));
	KUNIT_EXPECT_EQ(test, cht_send(c, 4321, KGO_FOREVER), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&cd));
	ret = g->ret;
	KUNIT_ASSERT_TRUE(test, ret >= 0 && ret < n);
	KUNIT_EXPECT_EQ(test, rbuf[ret], 4321);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(c));
	v = 0;
	KUNIT_EXPECT_EQ(test, cht_send(c, v, KGO_NOWAIT), -EAGAIN);
	kgo_chan_put(c);
	cht_check_leaks(test, &base);
}

/* --- waits ended by a timeout never lose or duplicate a value --- */

struct stmo_ctx {
	struct kgo_chan *c[2];
	unsigned long total;
	unsigned int senders;
	unsigned long *seen;
	atomic_long_t received;
	atomic_long_t dup;
	atomic_long_t errors;
	atomic_long_t timeouts;
	struct cht_countdown snd;
	struct cht_countdown rcv;
};

static struct stmo_ctx *stmo;

static s64 tiny_timeout(void)
{
	return 1000 + kgo_random_below(20000);	/* 1..21 us */
}

/* A sender or a receiver: a step function, for every kind of peer. */
struct stmo_peer {
	struct cht_peer p;
	struct kgo_select_case cs[2];
	unsigned long v;
	u64 val;
	u64 rv[2];
	int open;
	int ret;
};

/* Sends each value on either channel, retrying after a timeout. */
static int stmo_sender(struct kgo_task *t)
{
	struct stmo_peer *f = container_of(t, struct stmo_peer, p.t);

	KGO_BEGIN(t);
	for (; f->v < stmo->total; f->v += stmo->senders) {
		f->val = f->v;
		do {
			set_case(&f->cs[0], stmo->c[0], KGO_SELECT_SEND, &f->val);
			set_case(&f->cs[1], stmo->c[1], KGO_SELECT_SEND, &f->val);
			CHT_SELECT(&f->p, f->cs, 2, tiny_timeout(), f->ret);
			if (f->ret == -ETIMEDOUT)
				atomic_long_inc(&stmo->timeouts);
		} while (f->ret == -ETIMEDOUT);
		if ((f->ret != 0 && f->ret != 1) || f->cs[f->ret].err)
			atomic_long_inc(&stmo->errors);
	}
	cht_countdown_hit(&stmo->snd);
	kfree(f);
	KGO_END(t);
}

KGO_STEP_FUNC(stmo_sender);

/* Receives from either channel until both are closed. */
static int stmo_receiver(struct kgo_task *t)
{
	struct stmo_peer *f = container_of(t, struct stmo_peer, p.t);

	KGO_BEGIN(t);
	set_case(&f->cs[0], stmo->c[0], KGO_SELECT_RECV, &f->rv[0]);
	set_case(&f->cs[1], stmo->c[1], KGO_SELECT_RECV, &f->rv[1]);
	for (f->open = 2; f->open;) {
		CHT_SELECT(&f->p, f->cs, 2, tiny_timeout(), f->ret);
		if (f->ret == -ETIMEDOUT) {
			atomic_long_inc(&stmo->timeouts);
			continue;
		}
		if (f->ret != 0 && f->ret != 1) {
			atomic_long_inc(&stmo->errors);
			break;
		}
		if (!f->cs[f->ret].ok) {
			f->cs[f->ret].chan = NULL;	/* Go: set a closed chan to nil */
			f->open--;
			continue;
		}
		if (f->rv[f->ret] >= stmo->total ||
		    test_and_set_bit(f->rv[f->ret], stmo->seen))
			atomic_long_inc(&stmo->dup);
		atomic_long_inc(&stmo->received);
	}
	cht_countdown_hit(&stmo->rcv);
	kfree(f);
	KGO_END(t);
}

KGO_STEP_FUNC(stmo_receiver);

static int stmo_start(kgo_step_t step, enum cht_kind kind, unsigned long v)
{
	struct stmo_peer *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	f->v = v;
	err = cht_peer_start(&f->p, kind, step);
	if (err)
		kfree(f);
	return err;
}

/* Per kind of peer on each side (chan_util.h), when run with a param. */
static void run_select_timeouts(struct kunit *test, unsigned long total)
{
	static const struct cht_peers blocking = { CHT_MASK_G, CHT_MASK_G };
	const struct cht_peers *peers = test->param_value ?: &blocking;
	const unsigned int senders = 3, receivers = 6;
	struct cht_base base;
	unsigned int i;

	cht_base_take(&base);
	stmo = kunit_kzalloc(test, sizeof(*stmo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stmo);
	stmo->seen = vzalloc(BITS_TO_LONGS(total) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, stmo->seen);
	stmo->total = total;
	stmo->senders = senders;
	stmo->c[0] = cht_make(test, 8, 0);
	stmo->c[1] = cht_make(test, 8, 1);
	cht_countdown_init(&stmo->snd, senders);
	cht_countdown_init(&stmo->rcv, receivers);
	for (i = 0; i < receivers; i++)
		KUNIT_ASSERT_EQ(test, stmo_start(stmo_receiver,
						 cht_peers_kind(peers->recv, i), 0), 0);
	for (i = 0; i < senders; i++)
		KUNIT_ASSERT_EQ(test, stmo_start(stmo_sender,
						 cht_peers_kind(peers->send, i), i), 0);
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&stmo->snd));
	KUNIT_EXPECT_EQ(test, kgo_chan_close(stmo->c[0]), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(stmo->c[1]), 0);
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&stmo->rcv));
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&stmo->received), total, "values lost");
	KUNIT_EXPECT_EQ(test, atomic_long_read(&stmo->dup), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&stmo->errors), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(stmo->seen, total), total);
	kunit_info(test, "%ld timeouts", atomic_long_read(&stmo->timeouts));
	kgo_chan_put(stmo->c[0]);
	kgo_chan_put(stmo->c[1]);
	vfree(stmo->seen);
	cht_check_leaks(test, &base);
}

KUNIT_ARRAY_PARAM(cht_peers, cht_peers_matrix, cht_peers_desc);

static void kgo_select_timeout_exactly_once_test(struct kunit *test)
{
	run_select_timeouts(test, cht_peers_full(test) ? 2000 : 500);
}

static void kgo_select_timeout_exactly_once_stress_test(struct kunit *test)
{
	kgo_test_skip_slow(test);
	run_select_timeouts(test, 10000);
}

/* --- ports of Go's tests --- */

struct gosel_ctx {
	struct kgo_chan *c[4];
	struct kgo_chan *out, *done;
	unsigned int n;
	u32 cap;
	atomic_t bad;
	struct cht_countdown cd;
};

static struct gosel_ctx *gs;

/* TestSelectFairness: c1, c2 always ready, c3, c4 never. */
static void fairness_fn(void *arg)
{
	struct kgo_select_case cs[4];
	u8 b;
	int ret;

	for (;;) {
		set_case(&cs[0], gs->c[2], KGO_SELECT_RECV, &b);
		set_case(&cs[1], gs->c[3], KGO_SELECT_RECV, &b);
		set_case(&cs[2], gs->c[0], KGO_SELECT_RECV, &b);
		set_case(&cs[3], gs->c[1], KGO_SELECT_RECV, &b);
		if (kgo_select(cs, 4, KGO_FOREVER) < 0)
			atomic_inc(&gs->bad);
		set_case(&cs[0], gs->out, KGO_SELECT_SEND, &b);
		set_case(&cs[1], gs->done, KGO_SELECT_RECV, NULL);
		ret = kgo_select(cs, 2, KGO_FOREVER);
		if (ret != 0)
			break;
	}
	cht_countdown_hit(&gs->cd);
}

static void kgo_select_go_TestSelectFairness_test(struct kunit *test)
{
	const unsigned int trials = kgo_test_quick ? 2000 : 10000;
	unsigned int i, cnt[2] = { 0, 0 };
	struct cht_base base;
	u8 one = 1, two = 2;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	gs->c[0] = cht_make(test, 1, trials + 1);
	gs->c[1] = cht_make(test, 1, trials + 1);
	for (i = 0; i < trials + 1; i++) {
		KUNIT_ASSERT_EQ(test, kgo_chan_trysend(gs->c[0], &one), 0);
		KUNIT_ASSERT_EQ(test, kgo_chan_trysend(gs->c[1], &two), 0);
	}
	gs->c[2] = cht_make(test, 1, 0);
	gs->c[3] = cht_make(test, 1, 0);
	gs->out = cht_make(test, 1, 0);
	gs->done = cht_make(test, 1, 0);
	cht_countdown_init(&gs->cd, 1);
	KUNIT_ASSERT_EQ(test, kgo_go(fairness_fn, NULL), 0);
	for (i = 0; i < trials; i++) {
		u8 b = 0;

		KUNIT_ASSERT_EQ(test, kgo_chan_recv(gs->out, &b, NULL), 0);
		KUNIT_ASSERT_TRUE_MSG(test, b == 1 || b == 2,
				      "unexpected value %u on channel", b);
		cnt[b - 1]++;
	}
	KUNIT_EXPECT_EQ(test, kgo_chan_close(gs->done), 0);
	KUNIT_EXPECT_TRUE(test, cht_countdown_wait(&gs->cd));
	/* Go allows 10 sigma for systematic bias; we hold to 5. */
	check_uniform(test, cnt, 2, trials, "TestSelectFairness");
	KUNIT_EXPECT_EQ(test, atomic_read(&gs->bad), 0);
	for (i = 0; i < 4; i++)
		kgo_chan_put(gs->c[i]);
	kgo_chan_put(gs->out);
	kgo_chan_put(gs->done);
	cht_check_leaks(test, &base);
}

/* TestNonblockSelectRace{,2}: c1 or c2 is always ready; never default. */
static void nonblock_select_fn(void *arg)
{
	struct kgo_select_case cs[2];
	bool res;

	set_case(&cs[0], gs->c[0], KGO_SELECT_RECV, NULL);
	set_case(&cs[1], gs->c[1], KGO_SELECT_RECV, NULL);
	res = kgo_select(cs, 2, KGO_NOWAIT) >= 0;
	if (kgo_chan_send(gs->done, &res))
		atomic_inc(&gs->bad);
}

static void nonblock_select_race(struct kunit *test, bool close_c2)
{
	unsigned int i, n = kgo_test_quick ? 200 : 1000, fails = 0;
	struct kgo_select_case cs;
	struct cht_base base;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	gs->done = cht_make(test, sizeof(bool), 1);
	for (i = 0; i < n; i++) {
		bool res = false;

		gs->c[0] = cht_make(test, 8, 1);
		gs->c[1] = cht_make(test, 8, close_c2 ? 0 : 1);
		KUNIT_ASSERT_EQ(test, cht_send(gs->c[0], 1, KGO_NOWAIT), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(nonblock_select_fn, NULL), 0);
		if (close_c2)
			KUNIT_ASSERT_EQ(test, kgo_chan_close(gs->c[1]), 0);
		else
			KUNIT_ASSERT_EQ(test, cht_send(gs->c[1], 1, KGO_NOWAIT), 0);
		set_case(&cs, gs->c[0], KGO_SELECT_RECV, NULL);
		kgo_select(&cs, 1, KGO_NOWAIT);
		KUNIT_ASSERT_EQ(test, kgo_chan_recv(gs->done, &res, NULL), 0);
		if (!res)
			fails++;
		kgo_chan_put(gs->c[0]);
		kgo_chan_put(gs->c[1]);
	}
	KUNIT_EXPECT_EQ_MSG(test, fails, 0, "no chan is ready");
	KUNIT_EXPECT_EQ(test, atomic_read(&gs->bad), 0);
	kgo_chan_put(gs->done);
	cht_check_leaks(test, &base);
}

static void kgo_select_go_TestNonblockSelectRace_test(struct kunit *test)
{
	nonblock_select_race(test, false);
}

static void kgo_select_go_TestNonblockSelectRace2_test(struct kunit *test)
{
	nonblock_select_race(test, true);
}

/* TestSelfSelect: send and receive on one channel in one select. */
static void self_select_fn(void *arg)
{
	unsigned long p = (unsigned long)arg;
	struct kgo_select_case cs[2];
	int i, ret, recv_idx;
	u64 s = p, v;

	for (i = 0; i < gs->n; i++) {
		if (p == 0 || i % 2 == 0) {
			set_case(&cs[0], gs->c[0], KGO_SELECT_SEND, &s);
			set_case(&cs[1], gs->c[0], KGO_SELECT_RECV, &v);
			recv_idx = 1;
		} else {
			set_case(&cs[0], gs->c[0], KGO_SELECT_RECV, &v);
			set_case(&cs[1], gs->c[0], KGO_SELECT_SEND, &s);
			recv_idx = 0;
		}
		ret = kgo_select(cs, 2, KGO_FOREVER);
		if (ret < 0)
			atomic_inc(&gs->bad);
		else if (ret == recv_idx && gs->cap == 0 && v == p)
			atomic_inc(&gs->bad);	/* self receive */
	}
	cht_countdown_hit(&gs->cd);
}

static void kgo_select_go_TestSelfSelect_test(struct kunit *test)
{
	static const u32 caps[] = { 0, 10 };
	struct cht_base base;
	unsigned int k;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	for (k = 0; k < ARRAY_SIZE(caps); k++) {
		gs->cap = caps[k];
		gs->n = kgo_test_quick ? 200 : 1000;	/* Go: 1000 */
		gs->c[0] = cht_make(test, 8, caps[k]);
		cht_countdown_init(&gs->cd, 2);
		KUNIT_ASSERT_EQ(test, kgo_go(self_select_fn, (void *)0UL), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(self_select_fn, (void *)1UL), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gs->cd));
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gs->bad), 0, "cap %u", caps[k]);
		kgo_chan_put(gs->c[0]);
	}
	cht_check_leaks(test, &base);
}

/* TestSelectStress */
static void stress_send_fn(void *arg)
{
	unsigned long k = (unsigned long)arg;
	unsigned int i;

	for (i = 0; i < gs->n; i++)
		if (cht_send(gs->c[k], 0, KGO_FOREVER))
			atomic_inc(&gs->bad);
	cht_countdown_hit(&gs->cd);
}

static void stress_recv_fn(void *arg)
{
	unsigned long k = (unsigned long)arg;
	unsigned int i;

	for (i = 0; i < gs->n; i++)
		if (cht_recv(gs->c[k], NULL, NULL, KGO_FOREVER))
			atomic_inc(&gs->bad);
	cht_countdown_hit(&gs->cd);
}

/* One G sends (or receives) N values on each chan in a single select. */
static void stress_select_fn(void *arg)
{
	bool send = (unsigned long)arg != 0;
	static const int order_send[] = { 3, 2, 0, 1 };
	struct kgo_select_case cs[4];
	struct kgo_chan *c1[4];
	unsigned int i, n[4] = { 0 };
	u64 zero = 0, v;
	int j, ret;

	memcpy(c1, gs->c, sizeof(c1));
	for (i = 0; i < 4 * gs->n; i++) {
		for (j = 0; j < 4; j++) {
			int k = send ? order_send[j] : j;

			set_case(&cs[j], c1[k], send ? KGO_SELECT_SEND : KGO_SELECT_RECV,
				 send ? &zero : &v);
		}
		ret = kgo_select(cs, 4, KGO_FOREVER);
		if (ret < 0 || ret > 3 || cs[ret].err) {
			atomic_inc(&gs->bad);
			break;
		}
		j = send ? order_send[ret] : ret;
		if (++n[j] == gs->n)
			c1[j] = NULL;
	}
	cht_countdown_hit(&gs->cd);
}

static void kgo_select_go_TestSelectStress_test(struct kunit *test)
{
	static const u32 caps[] = { 0, 0, 2, 3 };
	struct cht_base base;
	unsigned long k;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	gs->n = kgo_test_quick ? 200 : 1000;	/* Go: 100000 (short 10000) */
	for (k = 0; k < 4; k++)
		gs->c[k] = cht_make(test, 8, caps[k]);
	cht_countdown_init(&gs->cd, 10);
	for (k = 0; k < 4; k++) {
		KUNIT_ASSERT_EQ(test, kgo_go(stress_send_fn, (void *)k), 0);
		KUNIT_ASSERT_EQ(test, kgo_go(stress_recv_fn, (void *)k), 0);
	}
	KUNIT_ASSERT_EQ(test, kgo_go(stress_select_fn, (void *)1UL), 0);
	KUNIT_ASSERT_EQ(test, kgo_go(stress_select_fn, NULL), 0);
	KUNIT_ASSERT_TRUE_MSG(test, cht_countdown_wait(&gs->cd), "%ld Gs stuck",
			      atomic_long_read(&gs->cd.left));
	KUNIT_EXPECT_EQ(test, atomic_read(&gs->bad), 0);
	for (k = 0; k < 4; k++) {
		KUNIT_EXPECT_EQ(test, kgo_chan_len(gs->c[k]), 0);
		kgo_chan_put(gs->c[k]);
	}
	cht_check_leaks(test, &base);
}

/*
 * TestPseudoRandomSend, as Go runs it: the receiver yields before each
 * receive, so a select finds it waiting (a ready select, the poll order
 * picks the case) or blocks first (the queue order picks it), as the
 * scheduler has it. Go's threshold: more than n/10 of each value, of n =
 * 100 fair choices, fails by chance with probability 2 * P(Bin(100, 1/2)
 * <= 10) = 3.1e-17.
 */
#define PRS_N	100

static u64 prs_l[PRS_N];

static void prs_recv_fn(void *arg)
{
	unsigned int i;

	for (i = 0; i < PRS_N; i++) {
		kgo_yield();
		if (cht_recv(gs->c[0], &prs_l[i], NULL, KGO_FOREVER))
			atomic_inc(&gs->bad);
	}
	cht_countdown_hit(&gs->cd);
}

/* Whether both 0 and 1 are among @l's PRS_N values, more than n/10 each. */
static void prs_check(struct kunit *test, const u64 *l, const char *what,
		      u32 cap)
{
	unsigned int i, n0 = 0, n1 = 0;

	for (i = 0; i < PRS_N; i++) {
		KUNIT_EXPECT_LE(test, l[i], 1);
		n0 += l[i] == 0;
		n1 += l[i] == 1;
	}
	kunit_info(test, "%u zeros, %u ones (%s, chan cap %u)", n0, n1, what, cap);
	KUNIT_EXPECT_TRUE_MSG(test, n0 > PRS_N / 10 && n1 > PRS_N / 10,
			      "want pseudorandom, got %u zeros and %u ones (%s, chan cap %u)",
			      n0, n1, what, cap);
}

static void kgo_select_go_TestPseudoRandomSend_test(struct kunit *test)
{
	static const u32 caps[] = { 0, PRS_N };
	struct kgo_select_case cs[2];
	struct cht_base base;
	unsigned int k, i;
	u64 one = 1, zero = 0;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	for (k = 0; k < ARRAY_SIZE(caps); k++) {
		gs->c[0] = cht_make(test, 8, caps[k]);
		memset(prs_l, 0xff, sizeof(prs_l));
		cht_countdown_init(&gs->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(prs_recv_fn, NULL), 0);
		for (i = 0; i < PRS_N; i++) {
			set_case(&cs[0], gs->c[0], KGO_SELECT_SEND, &one);
			set_case(&cs[1], gs->c[0], KGO_SELECT_SEND, &zero);
			KUNIT_ASSERT_TRUE(test, kgo_select(cs, 2, KGO_FOREVER) >= 0);
		}
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gs->cd));
		prs_check(test, prs_l, "as Go runs it", caps[k]);
		kgo_chan_put(gs->c[0]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&gs->bad), 0);
	cht_check_leaks(test, &base);
}

/*
 * The same with every select blocked before its peer comes: a G runs
 * PRS_N selects of cases on one channel (Go's two sends, or receives),
 * and the test's thread completes each only once all of its sudogs are
 * queued. The sudogs are queued under the channel's lock before the G
 * spins or sleeps, so from then on the queue order alone picks the case,
 * whether or not the G is asleep yet: the case queued first wins. As in
 * Go, where a blocked select's cases on one channel are queued in random
 * order, each of two cases must win more than n/10 times; of
 * PRS_MANY_CASES receive cases (more than select.c sorts by insertion),
 * more than half must win at least once: all 100 wins within some 16 of
 * the 32 cases has probability at most C(32, 16) * 2^-100 < 1e-20.
 * Unbuffered, the peer takes the sudog; with a full buffer of one (sends)
 * the receive takes the buffered value and moves the first queued
 * sender's value in; with an empty one (receives) the send hands its
 * value to the first queued receiver.
 */
#define PRS_MANY_CASES	32

struct prs_blocked {
	struct kgo_chan *c;
	bool recv;
	unsigned int ncases;
	struct kgo_select_case cs[PRS_MANY_CASES];
	u64 r[PRS_MANY_CASES];
	u64 l[PRS_N];	/* sends: the values received; receives: the cases */
	atomic_t bad;
	struct cht_countdown cd;
};

static void prs_select_fn(void *arg)
{
	struct prs_blocked *pb = arg;
	u64 one = 1, zero = 0;
	unsigned int i, k;
	int ret;

	for (i = 0; i < PRS_N; i++) {
		for (k = 0; k < pb->ncases; k++) {
			pb->r[k] = U64_MAX;
			if (pb->recv)
				set_case(&pb->cs[k], pb->c, KGO_SELECT_RECV, &pb->r[k]);
			else	/* Go's order: case c <- 1, then case c <- 0 */
				set_case(&pb->cs[k], pb->c, KGO_SELECT_SEND,
					 k ? &zero : &one);
		}
		ret = kgo_select(pb->cs, pb->ncases, KGO_FOREVER);
		if (ret < 0 || ret >= pb->ncases) {
			atomic_inc(&pb->bad);
			break;
		}
		/* The test closed c: it has failed already. */
		if (pb->cs[ret].err || (pb->recv && !pb->cs[ret].ok))
			break;
		if (!pb->recv)
			continue;
		for (k = 0; k < pb->ncases; k++)
			if (pb->r[k] != (k == ret ? i : U64_MAX))
				atomic_inc(&pb->bad);
		pb->l[i] = ret;
	}
	cht_countdown_hit(&pb->cd);
}

/* More than half of the @ncases cases won at least once. */
static void prs_check_many(struct kunit *test, const u64 *l,
			   unsigned int ncases)
{
	DECLARE_BITMAP(won, PRS_MANY_CASES);
	unsigned int i;

	bitmap_zero(won, PRS_MANY_CASES);
	for (i = 0; i < PRS_N; i++) {
		KUNIT_ASSERT_LT(test, l[i], ncases);
		__set_bit(l[i], won);
	}
	kunit_info(test, "%u of %u receive cases won (blocked)",
		   bitmap_weight(won, ncases), ncases);
	KUNIT_EXPECT_GT_MSG(test, bitmap_weight(won, ncases), ncases / 2,
			    "want pseudorandom, %u of %u receive cases won, blocked",
			    bitmap_weight(won, ncases), ncases);
}

static void prs_blocked_run(struct kunit *test, bool recv,
			    unsigned int ncases, u32 cap)
{
	unsigned int i, nsend = recv ? 0 : ncases, nrecv = recv ? ncases : 0;
	struct prs_blocked *pb;
	struct cht_base base;
	bool stuck;
	u64 v;

	cht_base_take(&base);
	pb = kunit_kzalloc(test, sizeof(*pb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	pb->recv = recv;
	pb->ncases = ncases;
	pb->c = cht_make(test, 8, cap);
	/* A full buffer: each send case must queue. */
	if (!recv && cap)
		KUNIT_ASSERT_EQ(test, cht_send(pb->c, 2, KGO_NOWAIT), 0);
	cht_countdown_init(&pb->cd, 1);
	KUNIT_ASSERT_EQ(test, kgo_go(prs_select_fn, pb), 0);
	for (i = 0; i < PRS_N; i++) {
		/*
		 * A select's sudogs are queued under one hold of the lock,
		 * and the previous select unlinked its losers before it
		 * returned: all those queued are this select's.
		 */
		stuck = !cht_wait_queued(pb->c, nsend, nrecv);
		KUNIT_EXPECT_FALSE_MSG(test, stuck, "select %u never queued", i);
		if (stuck)
			break;
		if (recv) {
			KUNIT_EXPECT_EQ(test, cht_send(pb->c, i, KGO_NOWAIT), 0);
			continue;
		}
		v = U64_MAX;
		KUNIT_EXPECT_EQ(test, cht_recv(pb->c, &v, NULL, KGO_NOWAIT), 0);
		if (!cap)
			pb->l[i] = v;
		else if (i)
			pb->l[i - 1] = v;
		else
			KUNIT_EXPECT_EQ(test, v, 2);
	}
	/* On a failure, close c so that the G's selects return. */
	if (i < PRS_N)
		kgo_chan_close(pb->c);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&pb->cd));
	KUNIT_EXPECT_EQ(test, atomic_read(&pb->bad), 0);
	if (i == PRS_N && !recv && cap) {
		v = U64_MAX;
		KUNIT_EXPECT_EQ(test, cht_recv(pb->c, &v, NULL, KGO_NOWAIT), 0);
		pb->l[PRS_N - 1] = v;
	}
	if (i == PRS_N && ncases > 2)
		prs_check_many(test, pb->l, ncases);
	else if (i == PRS_N)
		prs_check(test, pb->l, recv ? "two receive cases, blocked" :
			  "two send cases, blocked", cap);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(pb->c));
	kgo_chan_put(pb->c);
	cht_check_leaks(test, &base);
}

static void kgo_select_go_TestPseudoRandomSend_blocked_test(struct kunit *test)
{
	prs_blocked_run(test, false, 2, 0);
	prs_blocked_run(test, false, 2, 1);
}

/* The receive counterpart: which of the receive cases a sender wakes. */
static void kgo_select_pseudo_random_recv_blocked_test(struct kunit *test)
{
	prs_blocked_run(test, true, 2, 0);
	prs_blocked_run(test, true, 2, 1);
	prs_blocked_run(test, true, PRS_MANY_CASES, 0);
}

/* TestSelectDuplicateChannel: one G queued twice on c, then woken by d. */
static u64 dup_b_val;

static void dup_a_fn(void *arg)
{
	struct kgo_select_case cs[3];
	u64 v;
	int ret;

	set_case(&cs[0], gs->c[0], KGO_SELECT_RECV, &v);
	set_case(&cs[1], gs->c[0], KGO_SELECT_RECV, &v);
	set_case(&cs[2], gs->c[1], KGO_SELECT_RECV, &v);
	ret = kgo_select(cs, 3, KGO_FOREVER);
	if (ret != 2 || v != 7)
		atomic_inc(&gs->bad);
	if (cht_send(gs->c[2], 9, KGO_FOREVER))
		atomic_inc(&gs->bad);
	cht_countdown_hit(&gs->cd);
}

static void dup_b_fn(void *arg)
{
	if (cht_recv(gs->c[0], &dup_b_val, NULL, KGO_FOREVER))
		atomic_inc(&gs->bad);
	cht_countdown_hit(&gs->cd);
}

static void kgo_select_go_TestSelectDuplicateChannel_test(struct kunit *test)
{
	struct cht_base base;
	u64 v = 0;
	int k;

	cht_base_take(&base);
	gs = kunit_kzalloc(test, sizeof(*gs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gs);
	for (k = 0; k < 3; k++)
		gs->c[k] = cht_make(test, 8, 0);	/* c, d, e */
	dup_b_val = 0;
	cht_countdown_init(&gs->cd, 2);
	/* goroutine A, queued first on c (twice) */
	KUNIT_ASSERT_EQ(test, kgo_go(dup_a_fn, NULL), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(gs->c[0], 0, 2));
	/* goroutine B, queued on c after A */
	KUNIT_ASSERT_EQ(test, kgo_go(dup_b_fn, NULL), 0);
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(gs->c[0], 0, 3));
	/* wake up A, it dequeues itself from c */
	KUNIT_EXPECT_EQ(test, cht_send(gs->c[1], 7, KGO_FOREVER), 0);
	KUNIT_EXPECT_EQ(test, cht_recv(gs->c[2], &v, NULL, KGO_FOREVER), 0);
	KUNIT_EXPECT_EQ(test, v, 9);
	/* wake up B: c's queue must still be sound */
	KUNIT_EXPECT_EQ(test, cht_send(gs->c[0], 8, KGO_FOREVER), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&gs->cd));
	KUNIT_EXPECT_EQ(test, dup_b_val, 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&gs->bad), 0);
	for (k = 0; k < 3; k++) {
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(gs->c[k]));
		kgo_chan_put(gs->c[k]);
	}
	cht_check_leaks(test, &base);
}

/* TestChanSendSelectBarrier: the answer is sent by a select. */
static void kgo_select_go_TestChanSendSelectBarrier_test(struct kunit *test)
{
	cht_barrier_run(test, true);
}

static struct kunit_case kgo_select_cases[] = {
	KUNIT_CASE(kgo_select_args_test),
	KUNIT_CASE(kgo_select_ready_test),
	KUNIT_CASE_PARAM(kgo_select_nil_cases_test, sel_kind_gen_params),
	KUNIT_CASE_PARAM(kgo_select_wakeup_test, sel_kind_gen_params),
	KUNIT_CASE(kgo_select_closed_test),
	KUNIT_CASE_PARAM(kgo_select_close_broadcast_test, sel_kind_gen_params),
	KUNIT_CASE_PARAM(kgo_select_same_chan_test, sel_kind_gen_params),
	KUNIT_CASE(kgo_select_fairness_test),
	KUNIT_CASE(kgo_select_max_cases_test),
	KUNIT_CASE_PARAM_ATTR(kgo_select_timeout_exactly_once_test,
			      cht_peers_gen_params, { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(kgo_select_go_TestSelectFairness_test),
	KUNIT_CASE(kgo_select_go_TestNonblockSelectRace_test),
	KUNIT_CASE(kgo_select_go_TestNonblockSelectRace2_test),
	KUNIT_CASE_SLOW(kgo_select_go_TestSelfSelect_test),
	KUNIT_CASE_SLOW(kgo_select_go_TestSelectStress_test),
	KUNIT_CASE(kgo_select_go_TestPseudoRandomSend_test),
	KUNIT_CASE(kgo_select_go_TestPseudoRandomSend_blocked_test),
	KUNIT_CASE_SLOW(kgo_select_pseudo_random_recv_blocked_test),
	KUNIT_CASE(kgo_select_go_TestSelectDuplicateChannel_test),
	KUNIT_CASE(kgo_select_go_TestChanSendSelectBarrier_test),
	KUNIT_CASE_SLOW(kgo_select_timeout_exactly_once_stress_test),
	{}
};

struct kunit_suite kgo_select_suite = {
	.name = "kgo_select",
	.test_cases = kgo_select_cases,
};
