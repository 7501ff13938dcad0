// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_ctx: contexts. The background root; cancel and its idempotence;
 * the subtree cascade and the unlinking of a cancelled child; trees
 * cancelled from many Gs at once while other Gs add children and wait on
 * Done channels; deadlines (a child's is the earlier of its own and its
 * parent's; a deadline firing cancels the subtree with -ETIMEDOUT; a past
 * deadline is born cancelled); Done in kgo_select(); the context-aware
 * channel, WaitGroup and sleep calls; values. Every case checks that no
 * G, channel, timer or context is left behind.
 */

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include <kgo/context.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "compat.h"
#include "sync_util.h"
#include "tests.h"

/* A day: a deadline that never fires during a test. */
#define CTX_FAR_NS	(24ULL * 3600 * NSEC_PER_SEC)

static struct kgo_ctx *ctx_make(struct kunit *test, struct kgo_ctx *parent)
{
	struct kgo_ctx *ctx = kgo_ctx_with_cancel(parent, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(ctx));
	return ctx;
}

/* Whether @ctx's Done channel is closed, without blocking. */
static bool ctx_done_closed(struct kgo_ctx *ctx)
{
	bool ok = true;

	return kgo_chan_tryrecv(kgo_ctx_done(ctx), NULL, &ok) == 0 && !ok;
}

static void kgo_ctx_background_test(struct kunit *test)
{
	struct kgo_ctx *bg = kgo_ctx_background();
	struct syt_base base;
	ktime_t d;

	syt_base_take(&base);
	KUNIT_EXPECT_NOT_NULL(test, bg);
	KUNIT_EXPECT_NULL(test, kgo_ctx_done(bg));
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(bg), 0);
	KUNIT_EXPECT_FALSE(test, kgo_ctx_deadline(bg, &d));
	KUNIT_EXPECT_NULL(test, kgo_ctx_value(bg, test));
	/* Cancel, get and put are no-ops on the root. */
	kgo_ctx_cancel(bg);
	KUNIT_EXPECT_PTR_EQ(test, kgo_ctx_get(bg), bg);
	kgo_ctx_put(bg);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(bg), 0);
	syt_check_leaks(test, &base);
}

static void kgo_ctx_cancel_test(struct kunit *test)
{
	struct syt_base base;
	struct kgo_ctx *ctx;

	syt_base_take(&base);
	ctx = ctx_make(test, NULL);
	KUNIT_EXPECT_EQ(test, kgo_ctx_live(), base.ctxs + 1);
	KUNIT_EXPECT_NOT_NULL(test, kgo_ctx_done(ctx));
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(ctx), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_tryrecv(kgo_ctx_done(ctx), NULL, NULL),
			-EAGAIN);
	kgo_ctx_cancel(ctx);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(ctx), -ECANCELED);
	KUNIT_EXPECT_TRUE(test, ctx_done_closed(ctx));
	/* Idempotent: the first cause stays. */
	kgo_ctx_cancel_err(ctx, -EIO);
	kgo_ctx_cancel(ctx);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(ctx), -ECANCELED);
	kgo_ctx_put(ctx);

	/* A custom cause; put without cancel frees too. */
	ctx = ctx_make(test, NULL);
	kgo_ctx_cancel_err(ctx, -EIO);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(ctx), -EIO);
	kgo_ctx_put(ctx);
	ctx = ctx_make(test, NULL);
	kgo_ctx_put(ctx);
	syt_check_leaks(test, &base);
}

/* root -> a, b; a -> a1, a2; a1 -> a11. Cancel a: a's subtree only. */
static void kgo_ctx_cascade_test(struct kunit *test)
{
	struct kgo_ctx *root, *a, *b, *a1, *a2, *a11, *late;
	struct syt_base base;

	syt_base_take(&base);
	root = ctx_make(test, NULL);
	a = ctx_make(test, root);
	b = ctx_make(test, root);
	a1 = ctx_make(test, a);
	a2 = kgo_ctx_with_value(a, test, test, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a2));
	a11 = ctx_make(test, a1);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(root), 2);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(a), 2);

	kgo_ctx_cancel(a);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(a), -ECANCELED);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(a1), -ECANCELED);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(a2), -ECANCELED);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(a11), -ECANCELED);
	KUNIT_EXPECT_TRUE(test, ctx_done_closed(a11));
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(root), 0);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(b), 0);
	KUNIT_EXPECT_FALSE(test, ctx_done_closed(b));
	/* The cancelled child left its parent; its own children left it. */
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(root), 1);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(a), 0);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(a1), 0);

	/* A child of a cancelled context is born cancelled, unlinked. */
	late = ctx_make(test, a1);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(late), -ECANCELED);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(a1), 0);

	/* Cancelling the root reaches what is left. */
	kgo_ctx_cancel(root);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(b), -ECANCELED);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(root), 0);

	/* Children hold their parents: put in any order. */
	kgo_ctx_put(root);
	kgo_ctx_put(a);
	kgo_ctx_put(late);
	kgo_ctx_put(a11);
	kgo_ctx_put(b);
	kgo_ctx_put(a2);
	kgo_ctx_put(a1);
	syt_check_leaks(test, &base);
}

/* A freed, never cancelled child leaves its parent too. */
static void kgo_ctx_put_unlinks_test(struct kunit *test)
{
	struct kgo_ctx *root, *c;
	struct syt_base base;

	syt_base_take(&base);
	root = ctx_make(test, NULL);
	c = ctx_make(test, root);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(root), 1);
	kgo_ctx_put(c);
	KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(root), 0);
	kgo_ctx_cancel(root);
	kgo_ctx_put(root);
	syt_check_leaks(test, &base);
}

/* --- a tree cancelled from many Gs at once --- */

#define TREE_FANOUT	4
#define TREE_DEPTH	4	/* 1 + 4 + 16 + 64 = 85 contexts */
#define TREE_MAX	85

struct tree {
	struct kgo_ctx *node[TREE_MAX];
	unsigned int n;
	struct cht_countdown cd;
	atomic_t woken;
	atomic_t born_cancelled;
	struct kgo_ctx *extra[64];
	atomic_t nextra;
};

struct tree_op {
	struct tree *t;
	unsigned int idx;
};

static void tree_build(struct kunit *test, struct tree *t)
{
	unsigned int first = 0, count = 1, d, i, k;

	t->node[0] = ctx_make(test, NULL);
	t->n = 1;
	for (d = 1; d < TREE_DEPTH; d++) {
		for (i = first; i < first + count; i++)
			for (k = 0; k < TREE_FANOUT; k++)
				t->node[t->n++] = ctx_make(test, t->node[i]);
		first += count;
		count *= TREE_FANOUT;
	}
}

/* Wait for a leaf's Done: receive until closed. */
static void tree_waiter_fn(void *arg)
{
	struct tree_op *op = arg;
	bool ok = true;

	if (!kgo_chan_recv(kgo_ctx_done(op->t->node[op->idx]), NULL, &ok) &&
	    !ok)
		atomic_inc(&op->t->woken);
	cht_countdown_hit(&op->t->cd);
}

static void tree_canceller_fn(void *arg)
{
	struct tree_op *op = arg;

	kgo_ctx_cancel(op->t->node[op->idx]);
	cht_countdown_hit(&op->t->cd);
}

/* Add a child to an inner node while the tree is being cancelled. */
static void tree_grower_fn(void *arg)
{
	struct tree_op *op = arg;
	struct kgo_ctx *c = kgo_ctx_with_cancel(op->t->node[op->idx],
						GFP_KERNEL);

	if (!IS_ERR(c)) {
		op->t->extra[atomic_inc_return(&op->t->nextra) - 1] = c;
		if (kgo_ctx_err(c))
			atomic_inc(&op->t->born_cancelled);
	}
	cht_countdown_hit(&op->t->cd);
}

static void kgo_ctx_tree_concurrent_cancel_test(struct kunit *test)
{
	unsigned int rounds = kgo_test_quick ? 3 : 20, r, i, nops, nleaf;
	const unsigned int leaf0 = TREE_MAX - 64;
	struct syt_base base;
	struct tree_op *ops;
	struct tree *t;

	syt_base_take(&base);
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	ops = kunit_kcalloc(test, 256, sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	for (r = 0; r < rounds; r++) {
		memset(t, 0, sizeof(*t));
		tree_build(test, t);
		KUNIT_ASSERT_EQ(test, t->n, TREE_MAX);
		nleaf = 64;
		/* 64 waiters, 16 cancellers on random nodes, 32 growers. */
		nops = nleaf + 16 + 32;
		cht_countdown_init(&t->cd, nops);
		for (i = 0; i < nops; i++) {
			ops[i].t = t;
			if (i < nleaf) {
				ops[i].idx = leaf0 + i;
				syt_go(test, tree_waiter_fn, &ops[i]);
			} else if (i < nleaf + 16) {
				ops[i].idx = 1 + kgo_random_below(TREE_MAX - 1);
				syt_go(test, tree_canceller_fn, &ops[i]);
			} else {
				ops[i].idx = kgo_random_below(leaf0);
				syt_go(test, tree_grower_fn, &ops[i]);
			}
		}
		/* The root last: whatever the cancellers left is reached. */
		kgo_ctx_cancel(t->node[0]);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&t->cd));
		KUNIT_EXPECT_EQ(test, atomic_read(&t->woken), nleaf);
		for (i = 0; i < t->n; i++) {
			KUNIT_EXPECT_EQ(test, kgo_ctx_err(t->node[i]), -ECANCELED);
			KUNIT_EXPECT_TRUE(test, ctx_done_closed(t->node[i]));
			KUNIT_EXPECT_EQ(test, kgo_ctx_nchildren(t->node[i]), 0);
		}
		for (i = 0; i < atomic_read(&t->nextra); i++) {
			KUNIT_EXPECT_EQ(test, kgo_ctx_err(t->extra[i]), -ECANCELED);
			kgo_ctx_put(t->extra[i]);
		}
		for (i = 0; i < t->n; i++)
			kgo_ctx_put(t->node[i]);
	}
	syt_check_leaks(test, &base);
}

/* --- deadlines --- */

static void kgo_ctx_deadline_propagation_test(struct kunit *test)
{
	struct kgo_ctx *p, *earlier, *later, *plain, *huge;
	ktime_t dp, de, dl, dc, now = ktime_get();
	struct syt_base base;

	syt_base_take(&base);
	p = kgo_ctx_with_deadline(NULL, ktime_add_ns(now, CTX_FAR_NS), GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	earlier = kgo_ctx_with_deadline(p, ktime_add_ns(now, CTX_FAR_NS / 2),
					GFP_KERNEL);
	later = kgo_ctx_with_deadline(p, ktime_add_ns(now, 2 * CTX_FAR_NS),
				      GFP_KERNEL);
	plain = ctx_make(test, p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(earlier));
	KUNIT_ASSERT_FALSE(test, IS_ERR(later));
	KUNIT_EXPECT_TRUE(test, kgo_ctx_deadline(p, &dp));
	KUNIT_EXPECT_TRUE(test, kgo_ctx_deadline(earlier, &de));
	KUNIT_EXPECT_TRUE(test, kgo_ctx_deadline(later, &dl));
	KUNIT_EXPECT_TRUE(test, kgo_ctx_deadline(plain, &dc));
	/* Its own when earlier; the parent's when that is earlier. */
	KUNIT_EXPECT_EQ(test, ktime_to_ns(de), ktime_to_ns(now) + CTX_FAR_NS / 2);
	KUNIT_EXPECT_EQ(test, ktime_to_ns(dl), ktime_to_ns(dp));
	KUNIT_EXPECT_EQ(test, ktime_to_ns(dc), ktime_to_ns(dp));
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(earlier), 0);
	/* A timeout too large for the clock saturates: never, not past. */
	huge = kgo_ctx_with_timeout(NULL, S64_MAX, GFP_KERNEL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(huge));
	if (!IS_ERR(huge)) {
		KUNIT_EXPECT_EQ(test, kgo_ctx_err(huge), 0);
		KUNIT_EXPECT_TRUE(test, kgo_ctx_deadline(huge, &dc));
		KUNIT_EXPECT_EQ(test, ktime_to_ns(dc), KTIME_MAX);
		kgo_ctx_put(huge);
	}
	kgo_ctx_cancel(p);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(later), -ECANCELED);
	kgo_ctx_put(earlier);
	kgo_ctx_put(later);
	kgo_ctx_put(plain);
	kgo_ctx_put(p);
	syt_check_leaks(test, &base);
}

/* A parent's deadline firing cancels a child without a timer of its own. */
static void kgo_ctx_deadline_fires_test(struct kunit *test)
{
	struct kgo_ctx *p, *c, *gc;
	struct syt_base base;
	bool ok = true;

	syt_base_take(&base);
	p = kgo_ctx_with_timeout(NULL, 2 * NSEC_PER_MSEC, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	c = kgo_ctx_with_timeout(p, CTX_FAR_NS, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	gc = ctx_make(test, c);
	/* Blocks until the deadline: the bound is a hang detector only. */
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(kgo_ctx_done(gc), NULL, &ok,
						    240LL * NSEC_PER_SEC), 0);
	KUNIT_EXPECT_FALSE(test, ok);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(p), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(c), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(gc), -ETIMEDOUT);
	kgo_ctx_put(gc);
	kgo_ctx_put(c);
	kgo_ctx_put(p);

	/* A deadline already past: born cancelled. */
	p = kgo_ctx_with_deadline(NULL, ktime_sub_ns(ktime_get(), 1), GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(p), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, ctx_done_closed(p));
	kgo_ctx_put(p);
	/* Cancel before the deadline: -ECANCELED, and the timer goes. */
	p = kgo_ctx_with_timeout(NULL, CTX_FAR_NS, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	kgo_ctx_cancel(p);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(p), -ECANCELED);
	kgo_ctx_put(p);
	syt_check_leaks(test, &base);
}

/* --- Done in select, and the context-aware calls --- */

struct ctx_blocked {
	struct kgo_ctx *ctx;
	struct kgo_chan *c;
	struct kgo_wg *wg;
	int which;
	int ret;
	struct cht_countdown cd;
};

static void ctx_select_fn(void *arg)
{
	struct ctx_blocked *b = arg;
	struct kgo_select_case cases[2] = {
		{ .chan = b->c, .dir = KGO_SELECT_RECV },
		{ .chan = kgo_ctx_done(b->ctx), .dir = KGO_SELECT_RECV },
	};

	b->ret = kgo_select(cases, 2, KGO_FOREVER);
	cht_countdown_hit(&b->cd);
}

static void ctx_op_fn(void *arg)
{
	struct ctx_blocked *b = arg;
	u64 v = 42;

	switch (b->which) {
	case 0:
		b->ret = kgo_chan_send_ctx(b->ctx, b->c, &v);
		break;
	case 1:
		b->ret = kgo_chan_recv_ctx(b->ctx, b->c, &v, NULL);
		break;
	case 2:
		b->ret = kgo_wg_wait_ctx(b->wg, b->ctx);
		break;
	case 3:
		b->ret = kgo_sleep_ctx(b->ctx, CTX_FAR_NS);
		break;
	default:
		/* "Until cancelled": the deadline saturates, never wraps. */
		b->ret = kgo_sleep_ctx(b->ctx, U64_MAX);
		break;
	}
	cht_countdown_hit(&b->cd);
}

static void kgo_ctx_done_in_select_test(struct kunit *test)
{
	struct ctx_blocked b = {};
	struct syt_base base;

	syt_base_take(&base);
	b.ctx = ctx_make(test, NULL);
	b.c = cht_make(test, 8, 0);
	cht_countdown_init(&b.cd, 1);
	syt_go(test, ctx_select_fn, &b);
	/* Blocked in the select: queued on both channels. */
	KUNIT_ASSERT_TRUE(test, cht_wait_queued(kgo_ctx_done(b.ctx), 0, 1));
	KUNIT_EXPECT_TRUE(test, cht_wait_queued(b.c, 0, 1));
	kgo_ctx_cancel(b.ctx);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&b.cd));
	KUNIT_EXPECT_EQ(test, b.ret, 1);
	KUNIT_EXPECT_TRUE(test, cht_no_waiters(b.c));
	kgo_chan_put(b.c);
	kgo_ctx_put(b.ctx);
	syt_check_leaks(test, &base);
}

/* Each context-aware call, blocked, ends with the context's error. */
static void kgo_ctx_aware_calls_test(struct kunit *test)
{
	struct syt_base base;
	struct kgo_wg wg;
	int which;

	syt_base_take(&base);
	kgo_wg_init(&wg);
	for (which = 0; which < 5; which++) {
		struct ctx_blocked b = { .which = which, .wg = &wg };

		b.ctx = ctx_make(test, NULL);
		b.c = cht_make(test, 8, 0);
		kgo_wg_add(&wg, 1);
		cht_countdown_init(&b.cd, 1);
		syt_go(test, ctx_op_fn, &b);
		if (which < 2)
			KUNIT_ASSERT_TRUE(test, cht_wait_queued(b.c, which == 0,
								which == 1));
		else if (which == 2)
			KUNIT_ASSERT_TRUE(test, syt_wait_for(syt_wg_waiters(&wg)));
		/*
		 * The sleep cannot be observed; cancel may come first. A
		 * sleep whose deadline wrapped would have ended by then.
		 */
		if (which == 4)
			msleep(20);
		kgo_ctx_cancel_err(b.ctx, which == 3 ? -ETIMEDOUT : 0);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&b.cd));
		KUNIT_EXPECT_EQ_MSG(test, b.ret, which == 3 ? -ETIMEDOUT : -ECANCELED,
				    "call %d", which);
		/* Nothing was delivered or left queued. */
		KUNIT_EXPECT_TRUE(test, cht_no_waiters(b.c));
		KUNIT_EXPECT_EQ(test, kgo_chan_len(b.c), 0);
		kgo_wg_done(&wg);
		kgo_chan_put(b.c);
		kgo_ctx_put(b.ctx);
	}

	/* Already cancelled: at once; not cancelled: the operation. */
	{
		struct kgo_ctx *ctx = ctx_make(test, NULL);
		struct kgo_chan *c = cht_make(test, 8, 1);
		bool ok = false;
		u64 v = 7;

		KUNIT_EXPECT_EQ(test, kgo_chan_send_ctx(ctx, c, &v), 0);
		v = 0;
		KUNIT_EXPECT_EQ(test, kgo_chan_recv_ctx(ctx, c, &v, &ok), 0);
		KUNIT_EXPECT_TRUE(test, ok);
		KUNIT_EXPECT_EQ(test, v, 7);
		KUNIT_EXPECT_EQ(test, kgo_wg_wait_ctx(&wg, ctx), 0);
		KUNIT_EXPECT_EQ(test, kgo_sleep_ctx(ctx, 1000), 0);
		kgo_ctx_cancel(ctx);
		KUNIT_EXPECT_EQ(test, kgo_chan_send_ctx(ctx, c, &v), -ECANCELED);
		KUNIT_EXPECT_EQ(test, kgo_chan_len(c), 0);
		kgo_wg_add(&wg, 1);
		KUNIT_EXPECT_EQ(test, kgo_wg_wait_ctx(&wg, ctx), -ECANCELED);
		kgo_wg_done(&wg);
		KUNIT_EXPECT_EQ(test, kgo_sleep_ctx(ctx, CTX_FAR_NS), -ECANCELED);
		kgo_chan_put(c);
		kgo_ctx_put(ctx);
	}
	syt_check_leaks(test, &base);
}

static void kgo_ctx_value_test(struct kunit *test)
{
	static const int k1, k2, k3;
	struct kgo_ctx *a, *b, *c;
	struct syt_base base;
	int v1 = 1, v2 = 2, v3 = 3;

	syt_base_take(&base);
	a = kgo_ctx_with_value(NULL, &k1, &v1, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = kgo_ctx_with_value(a, &k2, &v2, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	c = kgo_ctx_with_value(b, &k1, &v3, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_PTR_EQ(test, kgo_ctx_value(c, &k1), (void *)&v3);
	KUNIT_EXPECT_PTR_EQ(test, kgo_ctx_value(c, &k2), (void *)&v2);
	KUNIT_EXPECT_PTR_EQ(test, kgo_ctx_value(b, &k1), (void *)&v1);
	KUNIT_EXPECT_NULL(test, kgo_ctx_value(c, &k3));
	KUNIT_EXPECT_TRUE(test, IS_ERR(kgo_ctx_with_value(a, NULL, &v1,
							  GFP_KERNEL)));
	kgo_ctx_cancel(a);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(c), -ECANCELED);
	kgo_ctx_put(c);
	kgo_ctx_put(b);
	kgo_ctx_put(a);
	syt_check_leaks(test, &base);
}

static struct kunit_case kgo_ctx_cases[] = {
	KUNIT_CASE(kgo_ctx_background_test),
	KUNIT_CASE(kgo_ctx_cancel_test),
	KUNIT_CASE(kgo_ctx_cascade_test),
	KUNIT_CASE(kgo_ctx_put_unlinks_test),
	KUNIT_CASE_SLOW(kgo_ctx_tree_concurrent_cancel_test),
	KUNIT_CASE(kgo_ctx_deadline_propagation_test),
	KUNIT_CASE(kgo_ctx_deadline_fires_test),
	KUNIT_CASE(kgo_ctx_done_in_select_test),
	KUNIT_CASE(kgo_ctx_aware_calls_test),
	KUNIT_CASE(kgo_ctx_value_test),
	{}
};

struct kunit_suite kgo_ctx_suite = {
	.name = "kgo_ctx",
	.test_cases = kgo_ctx_cases,
};
