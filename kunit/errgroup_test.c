// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_errgroup: the first error is kept and cancels the group's context;
 * the other Gs see the cancellation and stop; a parent context's
 * cancellation reaches the group; with a limit, never more Gs than the
 * limit run, and kgo_errgroup_go() blocks (observed on the semaphore's
 * queue, not by timing) until one finishes; trygo refuses at the limit.
 */

#include <linux/err.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include <kgo/context.h>
#include <kgo/errgroup.h>
#include <kgo/kgo.h>

#include "compat.h"
#include "sync_util.h"
#include "tests.h"

struct eg_first {
	atomic_t saw_cancel;
	atomic_t started;
};

/* Fails at once. */
static int eg_fail_fn(struct kgo_ctx *ctx, void *arg)
{
	return -EIO;
}

/* Waits for the group's cancellation and reports what it saw. */
static int eg_waiter_fn(struct kgo_ctx *ctx, void *arg)
{
	struct eg_first *f = arg;
	bool ok = true;

	atomic_inc(&f->started);
	kgo_chan_recv(kgo_ctx_done(ctx), NULL, &ok);
	if (!ok && kgo_ctx_err(ctx) == -EIO)
		atomic_inc(&f->saw_cancel);
	return -ECANCELED;	/* later errors are dropped */
}

static void kgo_errgroup_first_error_test(struct kunit *test)
{
	struct eg_first f = {};
	struct kgo_errgroup eg;
	struct syt_base base;
	int i;

	syt_base_take(&base);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&eg, NULL, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&eg, eg_waiter_fn, &f), 0);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&eg, eg_fail_fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_wait(&eg), -EIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&f.started), 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&f.saw_cancel), 8);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(kgo_errgroup_ctx(&eg)), -EIO);
	kgo_errgroup_destroy(&eg);
	syt_check_leaks(test, &base);
}

static int eg_ok_fn(struct kgo_ctx *ctx, void *arg)
{
	atomic_inc(arg);
	return kgo_ctx_err(ctx);
}

static void kgo_errgroup_no_error_test(struct kunit *test)
{
	struct kgo_errgroup eg;
	struct syt_base base;
	atomic_t n = ATOMIC_INIT(0);
	int i;

	syt_base_take(&base);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&eg, NULL, GFP_KERNEL), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&eg, eg_ok_fn, &n), 0);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_wait(&eg), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&n), 100);
	/* Wait cancels the group's context, as in Go. */
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(kgo_errgroup_ctx(&eg)), -ECANCELED);
	kgo_errgroup_destroy(&eg);
	syt_check_leaks(test, &base);
}

/* The parent's cancellation reaches the group's Gs. */
static int eg_block_fn(struct kgo_ctx *ctx, void *arg)
{
	atomic_inc(arg);
	kgo_chan_recv(kgo_ctx_done(ctx), NULL, NULL);
	return kgo_ctx_err(ctx);
}

static void kgo_errgroup_parent_cancel_test(struct kunit *test)
{
	struct kgo_errgroup eg;
	struct syt_base base;
	struct kgo_ctx *parent;
	atomic_t n = ATOMIC_INIT(0);
	int i;

	syt_base_take(&base);
	parent = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&eg, parent, GFP_KERNEL), 0);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&eg, eg_block_fn, &n), 0);
	KUNIT_ASSERT_TRUE(test, syt_wait_for(atomic_read(&n) == 4));
	kgo_ctx_cancel(parent);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_wait(&eg), -ECANCELED);
	kgo_errgroup_destroy(&eg);
	kgo_ctx_put(parent);
	syt_check_leaks(test, &base);
}

/* --- the limit --- */

#define EG_LIMIT	3
#define EG_TASKS	20

struct eg_limit {
	struct kgo_errgroup eg;
	struct kgo_chan *gate;
	atomic_t running;
	atomic_t max_running;
	atomic_t ran;
	int launched;
	int launch_err;
	struct cht_countdown cd;
};

static int eg_limited_fn(struct kgo_ctx *ctx, void *arg)
{
	struct eg_limit *l = arg;
	int r = atomic_inc_return(&l->running), m;

	do {
		m = atomic_read(&l->max_running);
	} while (r > m && atomic_cmpxchg(&l->max_running, m, r) != m);
	/* Hold the slot until the test opens the gate (closes it). */
	kgo_chan_recv(l->gate, NULL, NULL);
	kgo_yield();
	atomic_inc(&l->ran);
	atomic_dec(&l->running);
	return 0;
}

static void eg_launcher_fn(void *arg)
{
	struct eg_limit *l = arg;
	int i, err;

	for (i = 0; i < EG_TASKS; i++) {
		err = kgo_errgroup_go(&l->eg, eg_limited_fn, l);
		if (err) {
			l->launch_err = err;
			break;
		}
		WRITE_ONCE(l->launched, i + 1);
	}
	cht_countdown_hit(&l->cd);
}

static void kgo_errgroup_limit_test(struct kunit *test)
{
	struct syt_base base;
	struct eg_limit *l;

	syt_base_take(&base);
	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	l->gate = cht_make(test, 0, 0);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&l->eg, NULL, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_set_limit(&l->eg, EG_LIMIT), 0);
	cht_countdown_init(&l->cd, 1);
	syt_go(test, eg_launcher_fn, l);
	/* The launcher started EG_LIMIT Gs and sleeps in the next go. */
	KUNIT_ASSERT_TRUE(test, syt_wait_for(kgo_sema_waiters(&l->eg.sem) == 1));
	KUNIT_ASSERT_TRUE(test, syt_wait_for(atomic_read(&l->running) == EG_LIMIT));
	KUNIT_EXPECT_EQ(test, READ_ONCE(l->launched), EG_LIMIT);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_trygo(&l->eg, eg_limited_fn, l),
			-EAGAIN);
	/* Changing the limit while Gs run is refused. */
	WRITE_ONCE(kgo_sync_misuse_quiet, true);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_set_limit(&l->eg, 5), -EBUSY);
	WRITE_ONCE(kgo_sync_misuse_quiet, false);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(l->gate), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&l->cd));
	KUNIT_EXPECT_EQ(test, l->launch_err, 0);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_wait(&l->eg), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->ran), EG_TASKS);
	KUNIT_EXPECT_LE(test, atomic_read(&l->max_running), EG_LIMIT);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->max_running), EG_LIMIT);
	kgo_errgroup_destroy(&l->eg);
	kgo_chan_put(l->gate);
	syt_check_leaks(test, &base);
}

/* Many short Gs through a limit of 2, from a plain kthread. */
static int eg_short_fn(struct kgo_ctx *ctx, void *arg)
{
	struct eg_limit *l = arg;
	int r = atomic_inc_return(&l->running), m;

	do {
		m = atomic_read(&l->max_running);
	} while (r > m && atomic_cmpxchg(&l->max_running, m, r) != m);
	kgo_yield();
	atomic_inc(&l->ran);
	atomic_dec(&l->running);
	return 0;
}

static void kgo_errgroup_limit_stress_test(struct kunit *test)
{
	const int n = kgo_test_quick ? 200 : 2000;
	struct syt_base base;
	struct eg_limit *l;
	int i;

	syt_base_take(&base);
	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&l->eg, NULL, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kgo_errgroup_set_limit(&l->eg, 2), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&l->eg, eg_short_fn, l), 0);
	KUNIT_EXPECT_EQ(test, kgo_errgroup_wait(&l->eg), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->ran), n);
	KUNIT_EXPECT_LE(test, atomic_read(&l->max_running), 2);
	kgo_errgroup_destroy(&l->eg);
	syt_check_leaks(test, &base);
}

static struct kunit_case kgo_errgroup_cases[] = {
	KUNIT_CASE(kgo_errgroup_first_error_test),
	KUNIT_CASE(kgo_errgroup_no_error_test),
	KUNIT_CASE(kgo_errgroup_parent_cancel_test),
	KUNIT_CASE(kgo_errgroup_limit_test),
	KUNIT_CASE_SLOW(kgo_errgroup_limit_stress_test),
	{}
};

struct kunit_suite kgo_errgroup_suite = {
	.name = "kgo_errgroup",
	.test_cases = kgo_errgroup_cases,
};
