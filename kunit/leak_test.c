// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_leak: Go's two classic goroutine leaks, each shown in kgo's live
 * counters and gone with its fix:
 *
 *  1. A sender left blocked on an unbuffered channel nobody reads: the
 *     caller gave up waiting for the result (a timeout) and returned. The
 *     G stays blocked and keeps its channels alive: kgo_live_gs() stays
 *     one up and kgo_chan_live() two (the result and the work's gate).
 *     Fix: a buffer of one, so the send completes and the G exits whether
 *     or not anyone reads.
 *  2. A worker ranging over a channel that is never closed: after the
 *     last value it blocks in receive for good. Fixes: the producer
 *     closes the channel; or the worker also watches a context that the
 *     owner cancels.
 *
 * The leaked G is reaped at the end of each leaky case, so the suite
 * itself leaks nothing. Order is forced with gates, never with sleeps.
 */

#include <linux/err.h>
#include <kunit/test.h>

#include <kgo/chan.h>
#include <kgo/context.h>
#include <kgo/kgo.h>

#include "compat.h"
#include "sync_util.h"
#include "tests.h"

/* --- 1. the abandoned sender --- */

struct leak_sender {
	struct kgo_chan *result;	/* the G's own reference */
	struct kgo_chan *gate;		/* the "slow work" finishing */
	int send_ret;
};

/* Do slow work, then deliver the result and exit. */
static void leak_sender_fn(void *arg)
{
	struct leak_sender *s = arg;
	u64 v = 42;

	kgo_chan_recv(s->gate, NULL, NULL);
	s->send_ret = kgo_chan_send(s->result, &v);
	kgo_chan_put(s->result);
	kgo_chan_put(s->gate);
}

/*
 * The caller: start the work, wait for the result with a timeout, give
 * up. @cap 0 is the bug, @cap 1 the fix.
 */
static void leak_abandon(struct kunit *test, struct leak_sender *s, u32 cap)
{
	struct kgo_chan *result = cht_make(test, 8, cap);
	u64 v;

	s->gate = cht_make(test, 0, 0);
	s->result = kgo_chan_get(result);
	kgo_chan_get(s->gate);
	syt_go(test, leak_sender_fn, s);
	/* The work is slow (the gate is shut): time out and return. */
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(result, &v, NULL,
						    CHT_SHORT_NS), -ETIMEDOUT);
	kgo_chan_put(result);
	/* Later the work completes. */
	kgo_chan_close(s->gate);
	kgo_chan_put(s->gate);
}

static void kgo_leak_blocked_sender_test(struct kunit *test)
{
	struct leak_sender s = {};
	struct syt_base base;
	u64 v = 0;

	syt_base_take(&base);
	leak_abandon(test, &s, 0);
	/* The leak: the G blocks in send for good, holding its channels. */
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(s.result, 1, 0));
	KUNIT_EXPECT_EQ(test, kgo_live_gs(), base.ch.gs + 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.ch.chans + 2);
	/* Reap it for the rest of the suite: take the value. */
	KUNIT_EXPECT_EQ(test, kgo_chan_recv(s.result, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v, 42);
	syt_check_leaks(test, &base);
	KUNIT_EXPECT_EQ(test, s.send_ret, 0);
}

static void kgo_leak_blocked_sender_fixed_test(struct kunit *test)
{
	struct leak_sender s = {};
	struct syt_base base;

	syt_base_take(&base);
	leak_abandon(test, &s, 1);
	/* The fix: the send fills the buffer, the G exits, all is freed. */
	syt_check_leaks(test, &base);
	KUNIT_EXPECT_EQ(test, s.send_ret, 0);
}

/* --- 2. ranging over a channel nobody closes --- */

struct leak_range {
	struct kgo_chan *c;
	struct kgo_ctx *ctx;	/* NULL: a plain range loop */
	atomic_t got;
	int ret;
};

/* for v := range c { got++ } */
static void leak_range_fn(void *arg)
{
	struct leak_range *r = arg;
	bool ok = true;
	u64 v;

	for (;;) {
		r->ret = r->ctx ? kgo_chan_recv_ctx(r->ctx, r->c, &v, &ok) :
				  kgo_chan_recv(r->c, &v, &ok);
		if (r->ret || !ok)
			break;
		atomic_inc(&r->got);
	}
	kgo_chan_put(r->c);
}

#define LEAK_RANGE_N	10

/*
 * A worker ranging over a fresh unbuffered channel, and LEAK_RANGE_N values
 * sent to it; the worker holds its own reference, the caller keeps r->c's.
 */
static void leak_range_start(struct kunit *test, struct leak_range *r)
{
	u64 i;

	r->c = cht_make(test, 8, 0);
	syt_go(test, leak_range_fn, kgo_chan_get(r->c) ? r : NULL);
	for (i = 0; i < LEAK_RANGE_N; i++)
		KUNIT_EXPECT_EQ(test, kgo_chan_send(r->c, &i), 0);
}

static void kgo_leak_range_unclosed_test(struct kunit *test)
{
	struct leak_range r = {};
	struct syt_base base;

	syt_base_take(&base);
	leak_range_start(test, &r);
	kgo_chan_put(r.c);	/* the producer is done, but did not close */
	/* The leak: all values consumed, the worker blocked for good. */
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(r.c, 0, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&r.got), LEAK_RANGE_N);
	KUNIT_EXPECT_EQ(test, kgo_live_gs(), base.ch.gs + 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.ch.chans + 1);
	/* Reap it: the close the producer forgot. */
	KUNIT_EXPECT_EQ(test, kgo_chan_close(r.c), 0);
	syt_check_leaks(test, &base);
}

static void kgo_leak_range_closed_fixed_test(struct kunit *test)
{
	struct leak_range r = {};
	struct syt_base base;

	syt_base_take(&base);
	leak_range_start(test, &r);
	/* The fix: the producer closes (Go's defer close(ch)). */
	KUNIT_EXPECT_EQ(test, kgo_chan_close(r.c), 0);
	kgo_chan_put(r.c);
	syt_check_leaks(test, &base);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.got), LEAK_RANGE_N);
	KUNIT_EXPECT_EQ(test, r.ret, 0);
}

static void kgo_leak_range_ctx_fixed_test(struct kunit *test)
{
	struct leak_range r = {};
	struct syt_base base;

	syt_base_take(&base);
	r.ctx = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r.ctx));
	leak_range_start(test, &r);
	kgo_chan_put(r.c);
	/* The other fix: the owner cancels the worker's context. */
	kgo_ctx_cancel(r.ctx);
	/* The G borrows the context: put it once the G is gone. */
	KUNIT_ASSERT_TRUE(test, syt_wait_for(kgo_live_gs() <= base.ch.gs));
	kgo_ctx_put(r.ctx);
	syt_check_leaks(test, &base);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.got), LEAK_RANGE_N);
	KUNIT_EXPECT_EQ(test, r.ret, -ECANCELED);
}

static struct kunit_case kgo_leak_cases[] = {
	KUNIT_CASE(kgo_leak_blocked_sender_test),
	KUNIT_CASE(kgo_leak_blocked_sender_fixed_test),
	KUNIT_CASE(kgo_leak_range_unclosed_test),
	KUNIT_CASE(kgo_leak_range_closed_fixed_test),
	KUNIT_CASE(kgo_leak_range_ctx_fixed_test),
	{}
};

struct kunit_suite kgo_leak_suite = {
	.name = "kgo_leak",
	.test_cases = kgo_leak_cases,
};
