// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_timer: timer and ticker channels with Go 1.23's semantics. A timer
 * never fires early (its value, the fire time, is at least the deadline),
 * fires once, and after kgo_timer_stop() or kgo_timer_reset() returns no
 * stale value is ever received; Stop and Reset racing the expiry agree
 * with what the receiver saw. Putting a timer's channel frees the timer,
 * fired or not, so a million select-with-kgo_after() iterations leak
 * nothing. Lower bounds on times are all we assert: being late is never a
 * failure, and each case checks kgo_timer_live() and kgo_chan_live().
 *
 * Ported from Go's time package (sleep_test.go, tick_test.go), named after
 * the Go test:
 *   TestAfter                     kgo_timer_go_TestAfter_test
 *   TestAfterTick                 kgo_timer_go_TestAfterTick_test
 *   TestAfterStop                 kgo_timer_go_TestAfterStop_test
 *   TestAfterQueuing              kgo_timer_go_TestAfterQueuing_test
 *     (fire times against deadlines; arrival order is timing, not checked)
 *   TestTimerStopStress           kgo_timer_go_TestTimerStopStress_test
 *   TestReset                     kgo_timer_go_TestReset_test
 *   TestOverflowSleep, TestZeroTimer
 *                                 kgo_timer_go_TestZeroTimer_test
 *   TestTimerModifiedEarlier      kgo_timer_go_TestTimerModifiedEarlier_test
 *   TestTicker                    kgo_timer_go_TestTicker_test
 *   TestNewTickerLtZeroDuration, TestTickerResetLtZeroDuration
 *                                 kgo_timer_go_TestNewTickerLtZeroDuration_test
 *   TestTeardown                  kgo_timer_go_TestTeardown_test
 * Not applicable: the AfterFunc and Sleep tests (no callbacks, no Sleep
 * here), TestAdjustTimers and the runtime timer-heap tests.
 */

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "chan_util.h"
#include "compat.h"
#include "tests.h"

static const enum cht_kind tt_kinds[] = { CHT_G, CHT_PARKED, CHT_KTHREAD };

static void tt_kind_desc(const enum cht_kind *k, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "peer=%s", cht_kind_names[*k]);
}

KUNIT_ARRAY_PARAM(tt_kind, tt_kinds, tt_kind_desc);

/* Hang detector for a timer that must fire. */
#define TT_FIRE_BOUND_NS	(60ULL * NSEC_PER_SEC)
#define TT_FAR_NS		(3600ULL * NSEC_PER_SEC)

static struct kgo_chan *tt_timer(struct kunit *test, s64 ns)
{
	struct kgo_chan *t = kgo_timer_new(ns, GFP_KERNEL);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(t), "timer_new: %ld", PTR_ERR(t));
	return t;
}

/* Receive the fire time; 0 if nothing came within the hang bound. */
static u64 tt_recv(struct kgo_chan *t)
{
	bool ok = false;
	u64 v = 0;

	if (kgo_chan_recv_timeout(t, &v, &ok, TT_FIRE_BOUND_NS) || !ok)
		return 0;
	return v;
}

static void kgo_timer_go_TestAfter_test(struct kunit *test)
{
	const s64 delay = 2 * NSEC_PER_MSEC;
	struct cht_base base;
	struct kgo_chan *t;
	u64 start, v, end;
	bool ok;

	cht_base_take(&base);
	start = ktime_get_ns();
	t = tt_timer(test, delay);
	KUNIT_EXPECT_EQ(test, kgo_chan_elem_size(t), 8);
	v = tt_recv(t);
	end = ktime_get_ns();
	KUNIT_EXPECT_NE_MSG(test, v, 0, "timer did not fire");
	KUNIT_EXPECT_GE_MSG(test, v, start + delay, "fired %lld ns early",
			    (s64)(start + delay - v));
	KUNIT_EXPECT_LE(test, v, end);
	/* It fires once. */
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(t, &v, &ok, CHT_SHORT_NS), -ETIMEDOUT);
	/* Fired and received: nothing to stop. */
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 0);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), base.timers + 1);
	kgo_chan_put(t);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), base.timers);
	cht_check_leaks(test, &base);
}

/* Go: time.After in a loop; each waits at least its delay. */
static void kgo_timer_go_TestAfterTick_test(struct kunit *test)
{
	const s64 delta = 100 * NSEC_PER_USEC;
	const int count = 10;
	struct cht_base base;
	u64 t0, t1, v;
	int i;

	cht_base_take(&base);
	t0 = ktime_get_ns();
	for (i = 0; i < count; i++) {
		struct kgo_chan *t = kgo_after(delta);

		KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
		v = tt_recv(t);
		kgo_chan_put(t);
		KUNIT_ASSERT_NE(test, v, 0);
	}
	t1 = ktime_get_ns();
	KUNIT_EXPECT_GE(test, t1 - t0, (u64)count * delta);
	KUNIT_EXPECT_GE(test, v, t0 + count * delta);
	cht_check_leaks(test, &base);
}

/* Stop: pending, fired-but-unread and fired-and-read timers. */
static void kgo_timer_go_TestAfterStop_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *t;
	bool ok;
	u64 v;

	cht_base_take(&base);
	/* Pending: stopped, then nothing ever arrives. */
	t = tt_timer(test, 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(t, &v, &ok, 40 * NSEC_PER_MSEC),
			-ETIMEDOUT);
	kgo_chan_put(t);

	/*
	 * Probably fired but unread by now; either way it has not been
	 * received, so Stop reports it stopped it, and no stale value comes.
	 */
	t = tt_timer(test, 1000);
	usleep_range(2000, 3000);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 0);
	kgo_chan_put(t);

	/* Not a timer: -EINVAL; and a timer's channel cannot be closed. */
	t = cht_make(test, 8, 1);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), -EINVAL);
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 1), -EINVAL);
	kgo_chan_put(t);
	t = tt_timer(test, TT_FAR_NS);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(t), -EINVAL);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/*
 * The receiving side is a peer of each kind (chan_util.h): a
 * thread-blocking G, a parked G (its select a kgo_select_async() with a
 * timeout), a kthread.
 */
#define TT_QUEUING_SLOTS	13

struct tt_queuing {
	struct cht_peer p;
	struct kgo_select_case cs[TT_QUEUING_SLOTS];
	u64 v[TT_QUEUING_SLOTS];
	u64 got[TT_QUEUING_SLOTS];	/* the fire time each slot delivered */
	unsigned int left;
	int ret;
	atomic_t bad;
	struct cht_countdown cd;
};

static int tt_queuing_step(struct kgo_task *t)
{
	struct tt_queuing *q = container_of(t, struct tt_queuing, p.t);

	KGO_BEGIN(t);
	while (q->left) {
		CHT_SELECT(&q->p, q->cs, TT_QUEUING_SLOTS, TT_FIRE_BOUND_NS, q->ret);
		if (q->ret < 0 || q->ret >= TT_QUEUING_SLOTS ||
		    !q->cs[q->ret].ok) {
			atomic_inc(&q->bad);
			break;
		}
		q->got[q->ret] = q->v[q->ret];
		kgo_chan_put(q->cs[q->ret].chan);
		q->cs[q->ret].chan = NULL;
		q->left--;
	}
	cht_countdown_hit(&q->cd);
	KGO_END(t);
}

KGO_STEP_FUNC(tt_queuing_step);

static void kgo_timer_go_TestAfterQueuing_test(struct kunit *test)
{
	static const int slots[TT_QUEUING_SLOTS] = { 5, 3, 6, 6, 6, 1, 1, 2, 7, 9, 4, 8, 0 };
	const enum cht_kind *kind = test->param_value;
	const s64 delta = NSEC_PER_MSEC;
	struct cht_base base;
	struct tt_queuing *q;
	unsigned int i;
	u64 start;

	cht_base_take(&base);
	q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	cht_countdown_init(&q->cd, 1);
	q->left = TT_QUEUING_SLOTS;
	start = ktime_get_ns();
	for (i = 0; i < TT_QUEUING_SLOTS; i++) {
		q->cs[i] = (struct kgo_select_case){ .chan = kgo_after(slots[i] * delta),
						     .dir = KGO_SELECT_RECV, .elem = &q->v[i] };
		KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(q->cs[i].chan));
	}
	KUNIT_ASSERT_EQ(test, cht_peer_start(&q->p, *kind, tt_queuing_step), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&q->cd));
	KUNIT_EXPECT_EQ(test, atomic_read(&q->bad), 0);
	KUNIT_EXPECT_EQ(test, q->left, 0);
	/* Each fires once, at or after its deadline. */
	for (i = 0; i < TT_QUEUING_SLOTS; i++)
		KUNIT_EXPECT_GE_MSG(test, q->got[i], start + slots[i] * delta,
				    "slot %d fired early", slots[i]);
	cht_check_leaks(test, &base);
}

/* Many timers about to fire, stopped unread: all report stopped. */
static void kgo_timer_go_TestTimerStopStress_test(struct kunit *test)
{
	unsigned int i, n = kgo_test_quick ? 100 : 1000;
	struct kgo_chan **ts;
	struct cht_base base;

	cht_base_take(&base);
	ts = kunit_kcalloc(test, n, sizeof(*ts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ts);
	for (i = 0; i < n; i++)
		ts[i] = tt_timer(test, kgo_random_below(200 * NSEC_PER_USEC));
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, kgo_timer_stop(ts[i]), 1, "timer %u", i);
		KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(ts[i], NULL, NULL), -EAGAIN);
	}
	usleep_range(1000, 2000);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(ts[i], NULL, NULL), -EAGAIN);
		kgo_chan_put(ts[i]);
	}
	cht_check_leaks(test, &base);
}

static void kgo_timer_go_TestReset_test(struct kunit *test)
{
	const s64 d = 2 * NSEC_PER_MSEC;
	struct cht_base base;
	struct kgo_chan *t;
	u64 t0, v;
	bool ok;

	cht_base_take(&base);
	/* Reset of a pending timer: it fires after the new delay. */
	t = tt_timer(test, d);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 2 * d), 1);
	v = tt_recv(t);
	KUNIT_EXPECT_GE(test, v, t0 + 2 * d);
	/* Of a fired and received one: 0, and it fires again. */
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, d), 0);
	v = tt_recv(t);
	KUNIT_EXPECT_GE(test, v, t0 + d);
	/* Of a stopped one: 0. */
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, TT_FAR_NS), 0);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, d), 0);
	v = tt_recv(t);
	KUNIT_EXPECT_GE(test, v, t0 + d);

	/* Fired but unread (probably): Reset drops the stale value. */
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 1000), 0);
	usleep_range(2000, 3000);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, d), 1);
	v = tt_recv(t);
	KUNIT_EXPECT_GE_MSG(test, v, t0 + d, "stale value received after Reset");
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/* Zero, negative and overflowing delays. */
static void kgo_timer_go_TestZeroTimer_test(struct kunit *test)
{
	static const s64 delays[] = { 0, -1, S64_MIN };
	struct cht_base base;
	struct kgo_chan *t;
	unsigned int i;
	u64 start, v;

	cht_base_take(&base);
	for (i = 0; i < ARRAY_SIZE(delays); i++) {
		start = ktime_get_ns();
		t = tt_timer(test, delays[i]);
		v = tt_recv(t);
		KUNIT_EXPECT_NE_MSG(test, v, 0, "delay %lld never fired", delays[i]);
		KUNIT_EXPECT_GE(test, v, start);
		kgo_chan_put(t);
	}
	/* TestOverflowSleep: a delay that never ends does not wrap around. */
	t = tt_timer(test, S64_MAX);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(t, &v, NULL, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

static void kgo_timer_go_TestTimerModifiedEarlier_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *t;
	u64 t0, v;

	cht_base_take(&base);
	t = tt_timer(test, TT_FAR_NS);
	t0 = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, NSEC_PER_MSEC), 1);
	v = tt_recv(t);
	KUNIT_EXPECT_NE_MSG(test, v, 0, "timer moved earlier did not fire");
	KUNIT_EXPECT_GE(test, v, t0 + NSEC_PER_MSEC);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/* --- tickers --- */

static void kgo_timer_go_TestTicker_test(struct kunit *test)
{
	const s64 period = NSEC_PER_MSEC;
	struct cht_base base;
	struct kgo_chan *t;
	u64 start, prev, v = 0;
	bool ok;
	int i;

	cht_base_take(&base);
	start = ktime_get_ns();
	t = kgo_ticker_new(period, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
	prev = start;
	for (i = 0; i < 10; i++) {
		v = tt_recv(t);
		KUNIT_ASSERT_NE(test, v, 0);
		KUNIT_EXPECT_GT(test, v, prev);
		/* The i-th tick received is at best the i-th tick. */
		KUNIT_EXPECT_GE(test, v, start + (i + 1) * period);
		prev = v;
	}
	/* Stopped: no stale tick, no new one. */
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(t, &v, &ok, 5 * period), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 0);
	/* Reset starts it again with the new period. */
	start = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 2 * period), 0);
	for (i = 0; i < 3; i++) {
		v = tt_recv(t);
		KUNIT_ASSERT_NE(test, v, 0);
		KUNIT_EXPECT_GE(test, v, start + (i + 1) * 2 * period);
	}
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

static void kgo_timer_go_TestNewTickerLtZeroDuration_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *t;

	cht_base_take(&base);
	t = kgo_ticker_new(0, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, IS_ERR(t));
	t = kgo_ticker_new(-1, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, IS_ERR(t));
	/* TestTickerResetLtZeroDuration */
	t = kgo_ticker_new(TT_FAR_NS, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, -5), -EINVAL);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/* A tick that finds the last one unread is dropped, not queued. */
static void kgo_timer_ticker_drops_test(struct kunit *test)
{
	const s64 period = 500 * NSEC_PER_USEC;
	unsigned int before = 0, total = 0;
	struct cht_base base;
	struct kgo_chan *t;
	u64 start, pause_end, v;
	bool ok;

	cht_base_take(&base);
	start = ktime_get_ns();
	t = kgo_ticker_new(period, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
	/* Nobody reads for at least 20 periods. */
	usleep_range(10000, 11000);
	pause_end = ktime_get_ns();
	KUNIT_ASSERT_GE(test, pause_end - start, 20 * period);
	/* All ticks stamped before pause_end fired while nobody read. */
	v = tt_recv(t);
	KUNIT_ASSERT_NE(test, v, 0);
	do {
		total++;
		before += v < pause_end;
	} while (total < 1000 && !kgo_chan_tryrecv(t, &v, &ok));
	KUNIT_EXPECT_LE_MSG(test, before, 1, "%u ticks buffered while unread", before);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/* A tick and the next one dropped: the ticker parked, its value unread. */
static bool tt_parked(struct kgo_chan *t)
{
	int i;

	for (i = 0; i < CHT_POLL_LOOPS; i++) {
		if (kgo_chan_len(t) == 1 && !kgo_timer_armed(t))
			return true;
		usleep_range(1000, 2000);
	}
	return false;
}

/*
 * A ticker whose last tick is unread parks: no interrupt per period while
 * nobody reads, so a 1 us ticker cannot storm its CPU. Receiving the tick
 * re-arms it; Stop and Reset work on a parked ticker as on any other.
 */
static void kgo_timer_ticker_parks_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *t;
	u64 received, v = 0;
	bool ok = false;

	cht_base_take(&base);
	t = kgo_ticker_new(NSEC_PER_USEC, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
	KUNIT_ASSERT_TRUE(test, tt_parked(t));
	/* Some ten thousand periods later, still parked. */
	usleep_range(10000, 11000);
	KUNIT_EXPECT_FALSE(test, kgo_timer_armed(t));
	KUNIT_EXPECT_EQ(test, kgo_chan_len(t), 1);
	/* The receive re-arms it: a newer tick comes, then it parks again. */
	received = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), 0);
	KUNIT_EXPECT_LT(test, v, received);
	v = tt_recv(t);
	KUNIT_EXPECT_GT(test, v, received);
	KUNIT_EXPECT_TRUE(test, tt_parked(t));
	/* Stop drops the unread tick; nothing re-arms it. */
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	KUNIT_EXPECT_FALSE(test, kgo_timer_armed(t));
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(t, &v, &ok), -EAGAIN);
	/* Reset starts it afresh. */
	KUNIT_EXPECT_EQ(test, kgo_timer_reset(t, 100 * NSEC_PER_USEC), 0);
	KUNIT_EXPECT_NE(test, tt_recv(t), 0);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/* Go's TestTeardown: tickers made, used and stopped, over and over. */
static void kgo_timer_go_TestTeardown_test(struct kunit *test)
{
	const s64 delta = 200 * NSEC_PER_USEC;
	struct cht_base base;
	int i;

	cht_base_take(&base);
	for (i = 0; i < 3; i++) {
		struct kgo_chan *t = kgo_ticker_new(delta, GFP_KERNEL);

		KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
		KUNIT_EXPECT_NE(test, tt_recv(t), 0);
		KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 1);
		kgo_chan_put(t);
	}
	cht_check_leaks(test, &base);
}

/* --- freeing --- */

static void kgo_timer_put_frees_test(struct kunit *test)
{
	struct cht_base base;
	struct kgo_chan *t;
	int i;

	cht_base_take(&base);
	/* Pending, far away: the put cancels and frees it at once. */
	t = tt_timer(test, TT_FAR_NS);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), base.timers + 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.chans + 1);
	kgo_chan_put(t);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), base.timers);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), base.chans);
	/* Fired and unread; a ticker; kgo_after(); a short one in flight. */
	t = tt_timer(test, 0);
	usleep_range(1000, 2000);
	kgo_chan_put(t);
	t = kgo_ticker_new(100 * NSEC_PER_USEC, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
	usleep_range(1000, 2000);
	kgo_chan_put(t);
	for (i = 0; i < 1000; i++) {
		t = kgo_after(kgo_random_below(20 * NSEC_PER_USEC));
		KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t));
		if (i & 1)
			udelay(kgo_random_below(20));
		kgo_chan_put(t);
	}
	/* A reference of one's own keeps it: the timer lives on. */
	t = tt_timer(test, NSEC_PER_MSEC);
	KUNIT_EXPECT_PTR_EQ(test, kgo_chan_get(t), t);
	kgo_chan_put(t);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), base.timers + 1);
	KUNIT_EXPECT_NE(test, tt_recv(t), 0);
	kgo_chan_put(t);
	cht_check_leaks(test, &base);
}

/*
 * Go 1.23's time.After in a loop: a select over a ready channel and
 * kgo_after(1 s), putting the timer each time, leaks nothing. A million
 * iterations, unless 200 s pass first: the debug kernel under TCG takes
 * about a millisecond for one, and KUnit gives up on a case after 300 s.
 * The time only bounds the work; the verdict does not depend on it.
 */
/*
 * Well below the 240 s hang detector of cht_countdown_wait(): the Gs look
 * at the clock every 64 iterations, a few hundred milliseconds at worst.
 */
#define TT_LOOP_BUDGET_NS	(180ULL * NSEC_PER_SEC)

/*
 * The loop runs in one G per P at once: a million iterations of timer
 * creation, select and teardown take minutes in the debug kernel under
 * TCG, and concurrent timers are the harder case anyway.
 */
struct after_loop {
	unsigned long per_worker;
	u64 end;
	atomic_long_t iters;
	atomic_long_t fired;
	atomic_t errors;
	struct cht_countdown cd;
};

static void after_loop_fn(void *arg)
{
	struct after_loop *al = arg;
	struct kgo_select_case cs[2];
	unsigned long i;
	struct kgo_chan *c;
	u64 v, tv;

	c = kgo_chan_make(8, 1, GFP_KERNEL);
	if (IS_ERR(c)) {
		atomic_inc(&al->errors);
		goto out;
	}
	for (i = 0; i < al->per_worker; i++) {
		struct kgo_chan *t = kgo_after(NSEC_PER_SEC);
		int ret;

		if (IS_ERR(t)) {
			atomic_inc(&al->errors);
			break;
		}
		if (!kgo_chan_len(c) && kgo_chan_trysend(c, &i))
			atomic_inc(&al->errors);
		cs[0] = (struct kgo_select_case){ .chan = c, .dir = KGO_SELECT_RECV,
						  .elem = &v };
		cs[1] = (struct kgo_select_case){ .chan = t, .dir = KGO_SELECT_RECV,
						  .elem = &tv };
		ret = kgo_select(cs, 2, 10 * NSEC_PER_SEC);
		if (ret == 1)
			atomic_long_inc(&al->fired);	/* a host stall of a second */
		else if (ret)
			atomic_inc(&al->errors);
		kgo_chan_put(t);
		if (!(i & 0x3f)) {
			if (ktime_get_ns() > al->end)
				break;
			cond_resched();
		}
	}
	atomic_long_add(i, &al->iters);
	kgo_chan_put(c);
out:
	cht_countdown_hit(&al->cd);
}

static void kgo_timer_after_select_loop_test(struct kunit *test)
{
	unsigned long n = kgo_test_quick ? 20000 : 1000000;
	unsigned int w, workers = kgo_nprocs();
	/* Static: a G that outlives a failed wait must not touch freed memory. */
	static struct after_loop after_loop_state;
	struct after_loop *al = &after_loop_state;
	struct cht_base base;

	cht_base_take(&base);
	memset(al, 0, sizeof(*al));
	al->per_worker = DIV_ROUND_UP(n, workers);
	al->end = ktime_get_ns() + TT_LOOP_BUDGET_NS;
	cht_countdown_init(&al->cd, workers);
	for (w = 0; w < workers; w++)
		if (kgo_go(after_loop_fn, al))
			cht_countdown_hit(&al->cd);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&al->cd));
	kunit_info(test, "%ld of %lu iterations in %u Gs, %ld timers fired first",
		   atomic_long_read(&al->iters), n, workers,
		   atomic_long_read(&al->fired));
	KUNIT_EXPECT_EQ(test, atomic_read(&al->errors), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&al->iters), 0);
	cht_check_leaks(test, &base);
}

/* --- Stop and Reset racing the expiry --- */

struct race_ctx {
	struct kgo_chan *t, *quit;
	u64 v;
	int ret;
	struct cht_countdown cd;
};

static struct race_ctx *race;

/* The receiver: the timer's value, or quit. */
static void race_recv_fn(void *arg)
{
	struct kgo_select_case cs[2] = {
		{ .chan = race->t, .dir = KGO_SELECT_RECV, .elem = &race->v },
		{ .chan = race->quit, .dir = KGO_SELECT_RECV },
	};

	race->ret = kgo_select(cs, 2, KGO_FOREVER);
	cht_countdown_hit(&race->cd);
}

static void stop_reset_race(struct kunit *test, bool reset)
{
	unsigned int i, n = kgo_test_quick ? 100 : 500, stopped = 0;
	struct cht_base base;

	cht_base_take(&base);
	race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race);
	for (i = 0; i < n; i++) {
		int ret;

		race->t = tt_timer(test, kgo_random_below(50 * NSEC_PER_USEC));
		race->quit = cht_make(test, 0, 0);
		race->ret = -1;
		race->v = 0;
		cht_countdown_init(&race->cd, 1);
		KUNIT_ASSERT_EQ(test, kgo_go(race_recv_fn, NULL), 0);
		udelay(kgo_random_below(50));
		ret = reset ? kgo_timer_reset(race->t, TT_FAR_NS) : kgo_timer_stop(race->t);
		KUNIT_ASSERT_TRUE(test, ret == 0 || ret == 1);
		stopped += ret;
		KUNIT_ASSERT_EQ(test, kgo_chan_close(race->quit), 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&race->cd));
		/* 1: the value was not and will not be received; 0: it was. */
		KUNIT_ASSERT_EQ_MSG(test, race->ret, ret ? 1 : 0,
				    "%s returned %d, receiver chose case %d",
				    reset ? "reset" : "stop", ret, race->ret);
		if (!ret)
			KUNIT_EXPECT_NE(test, race->v, 0);
		KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(race->t, NULL, NULL), -EAGAIN);
		/* A reset timer is pending again, far away. */
		KUNIT_ASSERT_EQ(test, kgo_timer_stop(race->t), reset ? 1 : 0);
		kgo_chan_put(race->t);
		kgo_chan_put(race->quit);
	}
	kunit_info(test, "%u of %u stopped before delivery", stopped, n);
	cht_check_leaks(test, &base);
}

static void kgo_timer_stop_race_test(struct kunit *test)
{
	stop_reset_race(test, false);
}

static void kgo_timer_reset_race_test(struct kunit *test)
{
	stop_reset_race(test, true);
}

/* Stop with nobody receiving always stops: the value is never delivered. */
static void kgo_timer_stop_unread_race_test(struct kunit *test)
{
	unsigned int i, n = kgo_test_quick ? 300 : 2000;
	struct cht_base base;

	cht_base_take(&base);
	for (i = 0; i < n; i++) {
		struct kgo_chan *t = tt_timer(test, kgo_random_below(20 * NSEC_PER_USEC));
		bool reset = i & 1;

		udelay(kgo_random_below(20));
		if (reset) {
			KUNIT_ASSERT_EQ(test, kgo_timer_reset(t, TT_FAR_NS), 1);
			KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(t, NULL, NULL), -EAGAIN);
			KUNIT_ASSERT_EQ(test, kgo_timer_stop(t), 1);
		} else {
			KUNIT_ASSERT_EQ(test, kgo_timer_stop(t), 1);
		}
		KUNIT_ASSERT_EQ(test, kgo_chan_tryrecv(t, NULL, NULL), -EAGAIN);
		kgo_chan_put(t);
	}
	cht_check_leaks(test, &base);
}

static struct kunit_case kgo_timer_cases[] = {
	KUNIT_CASE(kgo_timer_go_TestAfter_test),
	KUNIT_CASE(kgo_timer_go_TestAfterTick_test),
	KUNIT_CASE(kgo_timer_go_TestAfterStop_test),
	KUNIT_CASE_PARAM(kgo_timer_go_TestAfterQueuing_test, tt_kind_gen_params),
	KUNIT_CASE(kgo_timer_go_TestTimerStopStress_test),
	KUNIT_CASE(kgo_timer_go_TestReset_test),
	KUNIT_CASE(kgo_timer_go_TestZeroTimer_test),
	KUNIT_CASE(kgo_timer_go_TestTimerModifiedEarlier_test),
	KUNIT_CASE(kgo_timer_go_TestTicker_test),
	KUNIT_CASE(kgo_timer_go_TestNewTickerLtZeroDuration_test),
	KUNIT_CASE(kgo_timer_go_TestTeardown_test),
	KUNIT_CASE(kgo_timer_ticker_drops_test),
	KUNIT_CASE(kgo_timer_ticker_parks_test),
	KUNIT_CASE(kgo_timer_put_frees_test),
	KUNIT_CASE(kgo_timer_stop_unread_race_test),
	KUNIT_CASE_SLOW(kgo_timer_stop_race_test),
	KUNIT_CASE_SLOW(kgo_timer_reset_race_test),
	KUNIT_CASE_SLOW(kgo_timer_after_select_loop_test),
	{}
};

struct kunit_suite kgo_timer_suite = {
	.name = "kgo_timer",
	.test_cases = kgo_timer_cases,
};
