// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_runq: the per-P ring alone (order, overflow, steal rounding, index
 * wraparound) and under concurrency (an owner pushing and popping while
 * three thieves steal; every item consumed exactly once).
 *
 * The ring stores opaque G pointers and never dereferences them, so the
 * tests use small integers disguised as pointers.
 */

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/test.h>

#include "runq.h"
#include "tests.h"

static struct kgo_g *item(unsigned long i)
{
	return (struct kgo_g *)(i + 1);
}

static unsigned long index_of(struct kgo_g *g)
{
	return (unsigned long)g - 1;
}

static struct kgo_runq *new_runq(struct kunit *test, u32 start)
{
	struct kgo_runq *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	kgo_runq_init(q, start);
	return q;
}

/* Put @n items starting at @first; all must fit. */
static void put_range(struct kunit *test, struct kgo_runq *q,
		      unsigned long first, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_TRUE(test, kgo_runq_put(q, item(first + i)));
}

/* Get @n items and expect @first, @first + 1, ... in that order. */
static void expect_range(struct kunit *test, struct kgo_runq *q,
			 unsigned long first, unsigned long n)
{
	unsigned long i;
	bool next;

	for (i = 0; i < n; i++) {
		struct kgo_g *g = kgo_runq_get(q, &next);

		KUNIT_ASSERT_PTR_EQ(test, g, item(first + i));
		KUNIT_EXPECT_FALSE(test, next);
	}
}

static void kgo_runq_fifo_test(struct kunit *test)
{
	struct kgo_runq *q = new_runq(test, 0);
	bool next;

	KUNIT_EXPECT_TRUE(test, kgo_runq_empty(q));
	KUNIT_EXPECT_NULL(test, kgo_runq_get(q, &next));
	put_range(test, q, 0, 100);
	KUNIT_EXPECT_EQ(test, kgo_runq_len(q), 100);
	KUNIT_EXPECT_FALSE(test, kgo_runq_empty(q));
	expect_range(test, q, 0, 100);
	KUNIT_EXPECT_TRUE(test, kgo_runq_empty(q));
	KUNIT_EXPECT_NULL(test, kgo_runq_get(q, &next));
}

static void kgo_runq_runnext_test(struct kunit *test)
{
	struct kgo_runq *q = new_runq(test, 0);
	struct kgo_g *g;
	bool next;

	put_range(test, q, 0, 3);
	KUNIT_EXPECT_NULL(test, kgo_runq_put_runnext(q, item(10)));
	/* A second runnext displaces the first; the caller queues it. */
	KUNIT_EXPECT_PTR_EQ(test, kgo_runq_put_runnext(q, item(11)), item(10));
	KUNIT_EXPECT_FALSE(test, kgo_runq_empty(q));

	g = kgo_runq_get(q, &next);
	KUNIT_EXPECT_PTR_EQ(test, g, item(11));
	KUNIT_EXPECT_TRUE(test, next);
	expect_range(test, q, 0, 3);

	/* runnext alone makes the queue non-empty. */
	kgo_runq_put_runnext(q, item(12));
	KUNIT_EXPECT_EQ(test, kgo_runq_len(q), 0);
	KUNIT_EXPECT_FALSE(test, kgo_runq_empty(q));
}

static void kgo_runq_overflow_test(struct kunit *test)
{
	struct kgo_g **batch = kunit_kcalloc(test, KGO_RUNQ_SIZE / 2 + 1,
					     sizeof(*batch), GFP_KERNEL);
	struct kgo_runq *q = new_runq(test, 0);
	u32 n, i;

	KUNIT_ASSERT_NOT_NULL(test, batch);
	/* Not full: nothing to spill, the caller should retry the put. */
	put_range(test, q, 0, KGO_RUNQ_SIZE - 1);
	KUNIT_EXPECT_EQ(test, kgo_runq_overflow(q, batch), 0);

	put_range(test, q, KGO_RUNQ_SIZE - 1, 1);
	KUNIT_EXPECT_FALSE(test, kgo_runq_put(q, item(1000)));
	n = kgo_runq_overflow(q, batch);
	/* The older half leaves, oldest first (Go's runqputslow). */
	KUNIT_ASSERT_EQ(test, n, KGO_RUNQ_SIZE / 2);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, batch[i], item(i));
	KUNIT_EXPECT_EQ(test, kgo_runq_len(q), KGO_RUNQ_SIZE / 2);
	KUNIT_EXPECT_TRUE(test, kgo_runq_put(q, item(1000)));
	expect_range(test, q, KGO_RUNQ_SIZE / 2, KGO_RUNQ_SIZE / 2);
	expect_range(test, q, 1000, 1);
}

static void kgo_runq_steal_half_test(struct kunit *test)
{
	static const u32 sizes[] = { 0, 1, 2, 3, 4, 5, 127, 128, 255, 256 };
	struct kgo_g **batch = kunit_kcalloc(test, KGO_RUNQ_SIZE / 2,
					     sizeof(*batch), GFP_KERNEL);
	unsigned int s;

	KUNIT_ASSERT_NOT_NULL(test, batch);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct kgo_runq *q = new_runq(test, 0);
		u32 n = sizes[s], got, i;

		put_range(test, q, 0, n);
		got = kgo_runq_grab(q, batch, false);
		/* Half, rounded up; the oldest ones. */
		KUNIT_EXPECT_EQ_MSG(test, got, n - n / 2, "ring of %u", n);
		for (i = 0; i < got; i++)
			KUNIT_EXPECT_PTR_EQ(test, batch[i], item(i));
		expect_range(test, q, got, n - got);
	}
}

static void kgo_runq_steal_runnext_test(struct kunit *test)
{
	struct kgo_runq *victim = new_runq(test, 0);
	struct kgo_runq *thief = new_runq(test, 0);
	struct kgo_g *g;
	bool next;

	kgo_runq_put_runnext(victim, item(7));
	/* runnext is only taken on the last pass, when asked. */
	KUNIT_EXPECT_NULL(test, kgo_runq_steal(thief, victim, false));
	KUNIT_EXPECT_PTR_EQ(test, kgo_runq_steal(thief, victim, true), item(7));
	KUNIT_EXPECT_TRUE(test, kgo_runq_empty(victim));

	/* A steal of n returns the newest and queues the rest in order. */
	put_range(test, victim, 0, 9);
	g = kgo_runq_steal(thief, victim, true);
	KUNIT_EXPECT_PTR_EQ(test, g, item(4));
	KUNIT_EXPECT_EQ(test, kgo_runq_len(thief), 4);
	expect_range(test, thief, 0, 4);
	expect_range(test, victim, 5, 4);
	KUNIT_EXPECT_NULL(test, kgo_runq_get(thief, &next));
}

static void kgo_runq_wraparound_test(struct kunit *test)
{
	struct kgo_g **batch = kunit_kcalloc(test, KGO_RUNQ_SIZE + 1,
					     sizeof(*batch), GFP_KERNEL);
	/* The u32 indices wrap after the first few puts. */
	struct kgo_runq *q = new_runq(test, U32_MAX - 5);
	unsigned long i, round;
	u32 n;

	KUNIT_ASSERT_NOT_NULL(test, batch);
	for (round = 0; round < 4; round++) {
		put_range(test, q, round * 1000, 200);
		expect_range(test, q, round * 1000, 150);
		KUNIT_EXPECT_EQ(test, kgo_runq_len(q), 50);
		n = kgo_runq_grab(q, batch, false);
		KUNIT_EXPECT_EQ(test, n, 25);
		for (i = 0; i < n; i++)
			KUNIT_EXPECT_PTR_EQ(test, batch[i], item(round * 1000 + 150 + i));
		n = kgo_runq_drain(q, batch);
		KUNIT_EXPECT_EQ(test, n, 25);
		KUNIT_EXPECT_TRUE(test, kgo_runq_empty(q));
	}
	/* Overflow across the wrap. */
	put_range(test, q, 0, KGO_RUNQ_SIZE);
	KUNIT_EXPECT_EQ(test, kgo_runq_overflow(q, batch), KGO_RUNQ_SIZE / 2);
	KUNIT_EXPECT_PTR_EQ(test, batch[0], item(0));
	expect_range(test, q, KGO_RUNQ_SIZE / 2, KGO_RUNQ_SIZE / 2);
}

/* --- concurrency --- */

#define STRESS_ITEMS	BIT(20)
#define STRESS_THIEVES	3

struct stress {
	struct kunit *test;
	struct kgo_runq victim;
	unsigned long *seen;		/* one bit per item */
	atomic_long_t consumed;
	atomic_long_t duplicates;
	atomic_t owner_done;
	struct completion thief_done[STRESS_THIEVES];
};

static void consume(struct stress *s, struct kgo_g *g)
{
	unsigned long i = index_of(g);

	if (i >= STRESS_ITEMS || test_and_set_bit(i, s->seen))
		atomic_long_inc(&s->duplicates);
	else
		atomic_long_inc(&s->consumed);
}

/*
 * Thief 0 grabs into an array; the others steal into a ring of their own
 * and pop from it as its owner, which is what a P does.
 */
static int stress_thief(void *data, int id)
{
	struct stress *s = data;
	struct kgo_g *batch[KGO_RUNQ_SIZE / 2];
	struct kgo_runq *own = kzalloc(sizeof(*own), GFP_KERNEL);
	bool next;

	if (own)
		kgo_runq_init(own, U32_MAX - 1000 * id);
	for (;;) {
		bool done = atomic_read_acquire(&s->owner_done);
		bool take_runnext = get_random_u32_below(4) == 0;
		struct kgo_g *g;
		u32 n;

		if (id == 0 || !own) {
			n = kgo_runq_grab(&s->victim, batch, take_runnext);
			while (n)
				consume(s, batch[--n]);
			if (!n && done && kgo_runq_empty(&s->victim))
				break;
		} else {
			g = kgo_runq_steal(own, &s->victim, take_runnext);
			if (g) {
				consume(s, g);
				while ((g = kgo_runq_get(own, &next)))
					consume(s, g);
			} else if (done && kgo_runq_empty(&s->victim)) {
				break;
			}
		}
		cond_resched();
	}
	kfree(own);
	complete(&s->thief_done[id]);
	return 0;
}

static int stress_thief0(void *data) { return stress_thief(data, 0); }
static int stress_thief1(void *data) { return stress_thief(data, 1); }
static int stress_thief2(void *data) { return stress_thief(data, 2); }

static int (*const stress_thief_fn[STRESS_THIEVES])(void *) = {
	stress_thief0, stress_thief1, stress_thief2,
};

/* The owner: puts (spilling when full), runnext and pops, all mixed. */
static void stress_owner(struct stress *s)
{
	struct kgo_g *batch[KGO_RUNQ_SIZE / 2 + 1];
	unsigned long i;
	struct kgo_g *g;
	bool next;
	u32 n;

	for (i = 0; i < STRESS_ITEMS; i++) {
		u32 dice = get_random_u32_below(16);

		if (dice == 0) {
			g = kgo_runq_put_runnext(&s->victim, item(i));
			if (!g)
				continue;
		} else {
			g = item(i);
		}
		while (!kgo_runq_put(&s->victim, g)) {
			n = kgo_runq_overflow(&s->victim, batch);
			while (n)
				consume(s, batch[--n]);
		}
		if (dice < 5) {
			g = kgo_runq_get(&s->victim, &next);
			if (g)
				consume(s, g);
		}
		if (!(i & 1023))
			cond_resched();
	}
	atomic_set_release(&s->owner_done, 1);
	while ((g = kgo_runq_get(&s->victim, &next)))
		consume(s, g);
}

static void kgo_runq_concurrent_steal_test(struct kunit *test)
{
	struct stress *s;
	struct task_struct *t;
	int i;

	kgo_test_skip_slow(test);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->seen = vzalloc(BITS_TO_LONGS(STRESS_ITEMS) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, s->seen);
	kgo_runq_init(&s->victim, U32_MAX - 100000);
	for (i = 0; i < STRESS_THIEVES; i++) {
		init_completion(&s->thief_done[i]);
		t = kthread_run(stress_thief_fn[i], s, "kgo_test_thief%d", i);
		if (IS_ERR(t)) {
			/* Stand-in so the wait below does not hang. */
			complete(&s->thief_done[i]);
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		}
	}
	stress_owner(s);
	for (i = 0; i < STRESS_THIEVES; i++)
		wait_for_completion(&s->thief_done[i]);

	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->duplicates), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->consumed), STRESS_ITEMS);
	KUNIT_EXPECT_EQ(test, bitmap_weight(s->seen, STRESS_ITEMS), STRESS_ITEMS);
	KUNIT_EXPECT_TRUE(test, kgo_runq_empty(&s->victim));
	vfree(s->seen);
}

static struct kunit_case kgo_runq_cases[] = {
	KUNIT_CASE(kgo_runq_fifo_test),
	KUNIT_CASE(kgo_runq_runnext_test),
	KUNIT_CASE(kgo_runq_overflow_test),
	KUNIT_CASE(kgo_runq_steal_half_test),
	KUNIT_CASE(kgo_runq_steal_runnext_test),
	KUNIT_CASE(kgo_runq_wraparound_test),
	KUNIT_CASE_SLOW(kgo_runq_concurrent_steal_test),
	{}
};

struct kunit_suite kgo_runq_suite = {
	.name = "kgo_runq",
	.test_cases = kgo_runq_cases,
};
