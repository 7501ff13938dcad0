// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Parked Gs (<kgo/async.h>, module/park.c): many Gs parked at once on one
 * channel; park/ready races (a value, a close, a timer arriving while the
 * G parks: every G resumes exactly once with the right result); parked Gs
 * with thread-blocking Gs and kthreads on the other side; sleep; and the
 * module pin of a parked G.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/test.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "park.h"
#include "tests.h"

/*
 * Poll @cond: every 10-20 us for the first 2000 looks (a G readied a
 * moment ago), then every 20 ms, for up to 240 s in all; true when it
 * came true.
 */
#define PKT_WAIT(cond)						\
	({							\
		int __i = 0;					\
		while (!(cond) && __i++ < 14000) {		\
			if (__i <= 2000)			\
				usleep_range(10, 20);		\
			else					\
				msleep(20);			\
		}						\
		__i <= 14000;					\
	})

/* What the Gs of one case share. */
struct pkt_shared {
	struct kgo_chan *c;
	atomic_long_t done;	/* Gs that ended */
	atomic_long_t sum;	/* of the values received */
	atomic_long_t bad;	/* wrong results */
	u32 *hits;		/* per G: times it got past its await */
	long n;
};

struct pkt_frame {
	struct kgo_task t;
	struct pkt_shared *s;
	u32 id;
	u32 v;
	u32 want;	/* the value expected, 0 for any, U32_MAX for a close */
};

static void pkt_end(struct pkt_frame *f)
{
	struct pkt_shared *s = f->s;

	kfree(f);
	atomic_long_inc(&s->done);
}

/* Receive one value (or a close), check it, end. */
static int pkt_recv_step(struct kgo_task *t)
{
	struct pkt_frame *f = container_of(t, struct pkt_frame, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_chan_recv_async(t, f->s->c, &f->v));
	if (f->s->hits)
		f->s->hits[f->id]++;
	if (t->err || (f->want == U32_MAX ? t->ok :
		       !t->ok || (f->want && f->v != f->want)))
		atomic_long_inc(&f->s->bad);
	if (t->ok)
		atomic_long_add(f->v, &f->s->sum);
	pkt_end(f);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_recv_step);

/* Send f->v, then end. */
static int pkt_send_step(struct kgo_task *t)
{
	struct pkt_frame *f = container_of(t, struct pkt_frame, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_chan_send_async(t, f->s->c, &f->v));
	if (t->err)
		atomic_long_inc(&f->s->bad);
	pkt_end(f);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_send_step);

static int pkt_spawn(struct pkt_shared *s, kgo_step_t step, u32 id, u32 v,
		     u32 want)
{
	struct pkt_frame *f = kmalloc(sizeof(*f), GFP_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	f->s = s;
	f->id = id;
	f->v = v;
	f->want = want;
	err = kgo_go_async_gfp(step, &f->t, GFP_KERNEL);
	if (err)
		kfree(f);
	return err;
}

/*
 * N Gs parked on one unbuffered channel at once, released by one sender
 * (this kthread, blocking): 1,000,000 (fewer on a small machine), 10,000
 * with quick=1. Under KASAN and TCG a G costs ~0.75 ms to park and
 * release: 200,000 keeps within KUnit's 300 s per case.
 */
static void pkt_many_parked(struct kunit *test)
{
	long n = kgo_test_quick ? 10000 :
		 IS_ENABLED(CONFIG_KASAN) ? 200000 : 1000000;
	long cap = (long)(totalram_pages() << PAGE_SHIFT) / 4 / 1024;
	long parked0 = kgo_tasks_parked();
	struct pkt_shared s = {};
	u64 t0, t1, t2;
	long i;
	u32 v;

	n = min(n, cap);
	s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s.c));
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (pkt_spawn(&s, pkt_recv_step, 0, 0, 0))
			break;
	KUNIT_ASSERT_EQ(test, i, n);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(kgo_tasks_parked() - parked0 >= n));
	t1 = ktime_get_ns();
	kunit_info(test, "%ld Gs parked in %llu ms (%ld parked)\n", n,
		   div_u64(t1 - t0, NSEC_PER_MSEC), kgo_tasks_parked() - parked0);
	for (v = 1; v <= n; v++)
		KUNIT_ASSERT_EQ(test, kgo_chan_send(s.c, &v), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&s.done) == n));
	t2 = ktime_get_ns();
	kunit_info(test, "released by one sender in %llu ms\n",
		   div_u64(t2 - t1, NSEC_PER_MSEC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.sum), n * (n + 1) / 2);
	kgo_chan_put(s.c);
}

/*
 * The race: a G's receive and its waker (a send, a close) start at once,
 * so the waker finds the G's sudog before, while or after the G parks.
 * Every G must resume exactly once with the value (or the close) meant
 * for it.
 */
static void pkt_race(struct kunit *test, bool close)
{
	long iters = kgo_test_quick ? 1000 : 10000;
	struct pkt_shared s = {};
	long i;
	u32 v;

	s.hits = vcalloc(iters, sizeof(*s.hits));
	KUNIT_ASSERT_NOT_NULL(test, s.hits);
	for (i = 0; i < iters; i++) {
		s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(s.c));
		v = i + 1;
		KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_recv_step, i, 0,
						close ? U32_MAX : v), 0);
		if (close)
			KUNIT_ASSERT_EQ(test, kgo_chan_close(s.c), 0);
		else
			KUNIT_ASSERT_EQ(test, kgo_chan_send(s.c, &v), 0);
		KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&s.done) == i + 1));
		kgo_chan_put(s.c);
	}
	for (i = 0; i < iters; i++)
		if (s.hits[i] != 1)
			break;
	KUNIT_EXPECT_EQ(test, i, iters);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	vfree(s.hits);
}

static void pkt_race_value(struct kunit *test)
{
	pkt_race(test, false);
}

static void pkt_race_close(struct kunit *test)
{
	pkt_race(test, true);
}

/* Sleep: a soft hrtimer readies the G; the first a 1 us one, racing. */
struct pkt_sleep {
	struct kgo_task t;
	atomic_long_t *done;
	u64 ns;
	u64 start;
	u64 slept;
};

static int pkt_sleep_step(struct kgo_task *t)
{
	struct pkt_sleep *f = container_of(t, struct pkt_sleep, t);

	KGO_BEGIN(t);
	f->start = ktime_get_ns();
	KGO_AWAIT(t, kgo_sleep_async(t, f->ns));
	f->slept = ktime_get_ns() - f->start;
	atomic_long_inc(f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_sleep_step);

static void pkt_sleep_race(struct kunit *test)
{
	long iters = kgo_test_quick ? 1000 : 10000;
	struct pkt_sleep *f;
	atomic_long_t done;
	long i;

	atomic_long_set(&done, 0);
	f = kvcalloc(iters, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < iters; i++) {
		f[i].done = &done;
		f[i].ns = i % 3 ? 1000 : 0;	/* 0: completes at once */
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_sleep_step, &f[i].t,
						       GFP_KERNEL), 0);
	}
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&done) == iters));
	/* A G run twice would count twice; give it the chance. */
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&done), iters);
	for (i = 0; i < iters; i++)
		if (f[i].slept < f[i].ns)
			break;
	KUNIT_EXPECT_EQ(test, i, iters);

	/* And one that sleeps for real: 20 ms. */
	atomic_long_set(&done, 0);
	f[0].ns = 20 * NSEC_PER_MSEC;
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_sleep_step, &f[0].t,
					       GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&done) == 1));
	KUNIT_EXPECT_GE(test, f[0].slept, 20 * NSEC_PER_MSEC);
	kvfree(f);
}

/* A thread-blocking G receiving @n values, summing them. */
struct pkt_blocking {
	struct pkt_shared *s;
	long n;
};

static void pkt_blocking_recv(void *arg)
{
	struct pkt_blocking *b = arg;
	bool ok;
	u32 v;
	long i;

	for (i = 0; i < b->n; i++) {
		if (kgo_chan_recv(b->s->c, &v, &ok) || !ok)
			atomic_long_inc(&b->s->bad);
		else
			atomic_long_add(v, &b->s->sum);
	}
	atomic_long_inc(&b->s->done);
}

static int pkt_kthread_send(void *arg)
{
	struct pkt_blocking *b = arg;
	u32 v;

	for (v = 1; v <= b->n; v++)
		if (kgo_chan_send(b->s->c, &v))
			atomic_long_inc(&b->s->bad);
	atomic_long_inc(&b->s->done);
	return 0;
}

/*
 * Parked Gs with thread-blocking peers on one channel: parked senders to
 * a blocking G, then a kthread sending to parked receivers.
 */
static void pkt_mixed_peers(struct kunit *test)
{
	long n = kgo_test_quick ? 500 : 5000;
	struct pkt_shared s = {};
	struct pkt_blocking b = { .s = &s, .n = n };
	struct task_struct *k;
	long i;

	s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s.c));
	KUNIT_ASSERT_EQ(test, kgo_go_gfp(pkt_blocking_recv, &b, GFP_KERNEL), 0);
	for (i = 1; i <= n; i++)
		KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_send_step, 0, i, 0), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&s.done) == n + 1));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.sum), n * (n + 1) / 2);

	atomic_long_set(&s.done, 0);
	atomic_long_set(&s.sum, 0);
	k = kthread_run(pkt_kthread_send, &b, "kgo-pkt-send");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_recv_step, 0, 0, 0), 0);
	/* Which value each gets is not known: check the sum. */
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&s.done) == n + 1));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.sum), n * (n + 1) / 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	kgo_chan_put(s.c);
}

/* A select of up to two receive cases, its result kept for the test. */
struct pkt_sel {
	struct kgo_task t;
	struct kgo_select_case cases[2];
	u32 v[2];
	unsigned int n;
	s64 timeout;
	int result;
	u32 resumes;
	u64 elapsed;
	atomic_long_t done;
};

static int pkt_sel_step(struct kgo_task *t)
{
	struct pkt_sel *f = container_of(t, struct pkt_sel, t);

	KGO_BEGIN(t);
	f->elapsed = ktime_get_ns();
	KGO_AWAIT(t, kgo_select_async(t, f->cases, f->n, f->timeout));
	f->resumes++;
	f->result = t->err;
	f->elapsed = ktime_get_ns() - f->elapsed;
	atomic_long_inc(&f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_sel_step);

static void pkt_sel_init(struct pkt_sel *f, struct kgo_chan *a,
			 struct kgo_chan *b, s64 timeout)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->cases[0].chan = a;
	f->cases[1].chan = b;
	f->n = 2;
	for (i = 0; i < 2; i++) {
		f->cases[i].dir = KGO_SELECT_RECV;
		f->cases[i].elem = &f->v[i];
	}
	f->timeout = timeout;
}

static int pkt_sel_run(struct pkt_sel *f)
{
	return kgo_go_async_gfp(pkt_sel_step, &f->t, GFP_KERNEL);
}

/*
 * Select: default (nothing ready), a ready case, a parked select woken on
 * its second case, a timeout; no sudog is left behind on any channel.
 */
static void pkt_select(struct kunit *test)
{
	struct pkt_sel *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct kgo_chan *a, *b;
	u32 v = 42;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	b = kgo_chan_make(sizeof(u32), 1, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));

	/* default: */
	pkt_sel_init(f, a, b, KGO_NOWAIT);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, -EAGAIN);

	/* A ready case completes at once. */
	KUNIT_ASSERT_EQ(test, kgo_chan_send(b, &v), 0);
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, 1);
	KUNIT_EXPECT_EQ(test, f->v[1], 42);
	KUNIT_EXPECT_TRUE(test, f->cases[1].ok);

	/* Parked on both; a thread-blocking send on the first wakes it. */
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	v = 7;
	KUNIT_EXPECT_EQ(test, kgo_chan_send(a, &v), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, 0);
	KUNIT_EXPECT_EQ(test, f->v[0], 7);
	/* Its sudog on b is gone: b takes one value into its buffer. */
	KUNIT_EXPECT_EQ(test, kgo_chan_send_timeout(b, &v, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(b, &v, NULL, KGO_NOWAIT), 0);

	/* Timeout: 10 ms, nothing comes. */
	pkt_sel_init(f, a, b, 10 * NSEC_PER_MSEC);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, f->elapsed, 10 * NSEC_PER_MSEC);
	/* No receiver left on a. */
	KUNIT_EXPECT_EQ(test, kgo_chan_send_timeout(a, &v, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, f->resumes, 1);

	/* A close wakes it with ok == false. */
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(a), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, 0);
	KUNIT_EXPECT_FALSE(test, f->cases[0].ok);
	kgo_chan_put(a);
	kgo_chan_put(b);
}

/*
 * A timeout racing a value: a select with a 1-20 us timeout against a
 * thread-blocking send with one as short. The value is delivered if and
 * only if the select chose its case; the G resumes once either way.
 */
static void pkt_select_timeout_race(struct kunit *test)
{
	long iters = kgo_test_quick ? 1000 : 10000;
	struct pkt_sel *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	long i, delivered = 0, timedout = 0;
	struct kgo_chan *a;
	int sent;
	u32 v;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	for (i = 0; i < iters; i++) {
		pkt_sel_init(f, a, NULL, (1 + i % 20) * NSEC_PER_USEC);
		KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
		v = i + 1;
		sent = kgo_chan_send_timeout(a, &v, (1 + i % 7) * NSEC_PER_USEC);
		KUNIT_ASSERT_TRUE(test, PKT_WAIT(atomic_long_read(&f->done) == 1));
		KUNIT_ASSERT_EQ(test, f->resumes, 1);
		if (!sent) {
			KUNIT_ASSERT_EQ(test, f->result, 0);
			KUNIT_ASSERT_EQ(test, f->v[0], v);
			delivered++;
		} else {
			KUNIT_ASSERT_EQ(test, sent, -ETIMEDOUT);
			KUNIT_ASSERT_EQ(test, f->result, -ETIMEDOUT);
			timedout++;
		}
	}
	kunit_info(test, "%ld delivered, %ld timed out\n", delivered, timedout);
	kgo_chan_put(a);
}

/* WaitGroup: parked waiters and a thread-blocking one, one kgo_wg_done(). */
struct pkt_wg {
	struct kgo_task t;
	struct kgo_wg *wg;
	atomic_long_t *done;
};

static int pkt_wg_step(struct kgo_task *t)
{
	struct pkt_wg *f = container_of(t, struct pkt_wg, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_wg_wait_async(t, f->wg));
	if (!t->err && !kgo_wg_count(f->wg))
		atomic_long_inc(f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_wg_step);

static void pkt_waitgroup(struct kunit *test)
{
	long n = kgo_test_quick ? 100 : 1000;
	long parked0 = kgo_tasks_parked();
	struct pkt_wg *f = kunit_kcalloc(test, n, sizeof(*f), GFP_KERNEL);
	atomic_long_t done;
	struct kgo_wg wg;
	long i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	atomic_long_set(&done, 0);
	kgo_wg_init(&wg);
	kgo_wg_add(&wg, 1);
	for (i = 0; i < n; i++) {
		f[i].wg = &wg;
		f[i].done = &done;
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_wg_step, &f[i].t,
						       GFP_KERNEL), 0);
	}
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(kgo_tasks_parked() - parked0 >= n));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&done), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_done(&wg), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, KGO_FOREVER), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&done) == n));
	/* A zero counter does not park. */
	f[0].wg = &wg;
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_wg_step, &f[0].t, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&done) == n + 1));
}

/* A parked G pins its module (this one) until it ends. */
static void pkt_module_pinned(struct kunit *test)
{
	int before = module_refcount(THIS_MODULE);
	long parked0 = kgo_tasks_parked();
	struct pkt_shared s = {};
	u32 v = 7;

	s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s.c));
	KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_recv_step, 0, 0, 7), 0);
	KUNIT_ASSERT_TRUE(test, PKT_WAIT(kgo_tasks_parked() > parked0));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before + 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_send(s.c, &v), 0);
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(atomic_long_read(&s.done) == 1));
	KUNIT_EXPECT_TRUE(test, PKT_WAIT(module_refcount(THIS_MODULE) == before));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	kgo_chan_put(s.c);
}

static struct kunit_case kgo_park_cases[] = {
	KUNIT_CASE(pkt_module_pinned),
	KUNIT_CASE(pkt_race_value),
	KUNIT_CASE(pkt_race_close),
	KUNIT_CASE(pkt_sleep_race),
	KUNIT_CASE(pkt_mixed_peers),
	KUNIT_CASE(pkt_select),
	KUNIT_CASE(pkt_select_timeout_race),
	KUNIT_CASE(pkt_waitgroup),
	KUNIT_CASE_SLOW(pkt_many_parked),
	{}
};

struct kunit_suite kgo_park_suite = {
	.name = "kgo_park",
	.test_cases = kgo_park_cases,
};
