// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The sync primitives' parking forms (<kgo/async.h>; Mutex, RWMutex,
 * Once, errgroup wait, context done): parked Gs, thread-blocking Gs and
 * kthreads contending for one object under Go's rules (mutual exclusion,
 * starvation mode reached and left, writer preference, Once run once),
 * cancellation waking parked Gs, and releases racing the park, where
 * every G must resume exactly once. Blocked states are observed on queues
 * and state words; time bounds only turn a hang into a failure.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/test.h>

#include <kgo/async.h>
#include <kgo/context.h>
#include <kgo/errgroup.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "park.h"
#include "sync_util.h"
#include "tests.h"

/* --- Mutex: mutual exclusion, parked and blocking lockers mixed --- */

struct psy_shared {
	struct kgo_mutex m;
	long counter;		/* under @m, updated non-atomically */
	atomic_t inside;	/* holders now: never more than one */
	atomic_long_t done;
	atomic_long_t bad;
	long iters;
};

static void psy_enter(struct psy_shared *s)
{
	long v;

	if (atomic_inc_return(&s->inside) != 1)
		atomic_long_inc(&s->bad);
	v = READ_ONCE(s->counter);
	cpu_relax();
	WRITE_ONCE(s->counter, v + 1);
}

static void psy_leave(struct psy_shared *s)
{
	atomic_dec(&s->inside);
}

struct psy_locker {
	struct kgo_task t;
	struct psy_shared *s;
	long i;
};

/* Lock, count, hold it across a park now and then, unlock; @iters times. */
static int psy_mutex_step(struct kgo_task *t)
{
	struct psy_locker *f = container_of(t, struct psy_locker, t);

	KGO_BEGIN(t);
	for (f->i = 0; f->i < f->s->iters; f->i++) {
		KGO_AWAIT(t, kgo_mutex_lock_async(t, &f->s->m));
		if (t->err)
			atomic_long_inc(&f->s->bad);
		psy_enter(f->s);
		if (f->i % 8 == 0)
			KGO_AWAIT(t, kgo_sleep_async(t, 1000));
		psy_leave(f->s);
		if (kgo_mutex_unlock(&f->s->m))
			atomic_long_inc(&f->s->bad);
	}
	atomic_long_inc(&f->s->done);
	kfree(f);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_mutex_step);

static void psy_mutex_blocking(void *arg)
{
	struct psy_shared *s = arg;
	long i;

	for (i = 0; i < s->iters; i++) {
		kgo_mutex_lock(&s->m);
		psy_enter(s);
		if (i % 8 == 0)
			udelay(2);
		psy_leave(s);
		kgo_mutex_unlock(&s->m);
	}
	atomic_long_inc(&s->done);
}

static int psy_mutex_kthread(void *arg)
{
	psy_mutex_blocking(arg);
	return 0;
}

static int psy_spawn_locker(struct psy_shared *s, kgo_step_t step)
{
	struct psy_locker *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	f->s = s;
	err = kgo_go_async_gfp(step, &f->t, GFP_KERNEL);
	if (err)
		kfree(f);
	return err;
}

static void psy_mutex_mixed(struct kunit *test)
{
	long nparked = kgo_test_quick ? 64 : 256, nblocking = 4, i;
	struct psy_shared *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct task_struct *k;
	struct syt_base base;

	KUNIT_ASSERT_NOT_NULL(test, s);
	syt_base_take(&base);
	kgo_mutex_init(&s->m);
	s->iters = 20;
	/* Held while they all start: every one of them queues at first. */
	kgo_mutex_lock(&s->m);
	for (i = 0; i < nparked; i++)
		KUNIT_ASSERT_EQ(test, psy_spawn_locker(s, psy_mutex_step), 0);
	for (i = 0; i < nblocking; i++)
		syt_go(test, psy_mutex_blocking, s);
	k = kthread_run(psy_mutex_kthread, s, "kgo-psy-mutex");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(kgo_mutex_waiters(&s->m) >=
					      nparked + nblocking + 1));
	kgo_mutex_unlock(&s->m);
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s->done) ==
					      nparked + nblocking + 1));
	kunit_info(test, "%d starvation hand-offs\n", atomic_read(&s->m.handoffs));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->bad), 0);
	KUNIT_EXPECT_EQ(test, s->counter, (nparked + nblocking + 1) * s->iters);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->m.state), 0);
	syt_check_leaks(test, &base);
}

/* --- Mutex: starvation mode reached and left with a parked waiter --- */

struct psy_one {
	struct kgo_task t;
	struct kgo_mutex *m;
	atomic_t *done;
};

static int psy_lock_once_step(struct kgo_task *t)
{
	struct psy_one *f = container_of(t, struct psy_one, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_mutex_lock_async(t, f->m));
	kgo_mutex_unlock(f->m);
	atomic_inc(f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_lock_once_step);

/*
 * This thread holds the lock 2 ms while a parked G waits, then unlocks
 * and at once locks again: a running newcomer against a G that was only
 * readied. A woken waiter that waited over 1 ms and loses switches the
 * mutex to starvation mode; the next unlock hands the lock to it, and it,
 * the last waiter, switches it back.
 */
static void psy_mutex_starvation(struct kunit *test)
{
	struct psy_one *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	bool starved = false;
	struct kgo_mutex m;
	atomic_t done;
	int i, handoffs = 0;

	KUNIT_ASSERT_NOT_NULL(test, f);
	kgo_mutex_init(&m);
	atomic_set(&done, 0);
	f->m = &m;
	f->done = &done;
	for (i = 0; i < 100 && !starved; i++) {
		kgo_mutex_lock(&m);
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_lock_once_step, &f->t,
						       GFP_KERNEL), 0);
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_mutex_waiters(&m) == 1));
		usleep_range(2000, 3000);
		kgo_mutex_unlock(&m);
		kgo_mutex_lock(&m);
		/* The G lost and starves, or won and is done. */
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_mutex_starving(&m) ||
						      atomic_read(&done) == i + 1));
		starved = kgo_mutex_starving(&m);
		handoffs = atomic_read(&m.handoffs);
		kgo_mutex_unlock(&m);
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&done) == i + 1));
	}
	kunit_info(test, "starving after %d rounds\n", i);
	KUNIT_EXPECT_TRUE(test, starved);
	/* The unlock handed it over, once, and the last waiter left the mode. */
	KUNIT_EXPECT_EQ(test, atomic_read(&m.handoffs), handoffs + 1);
	KUNIT_EXPECT_FALSE(test, kgo_mutex_starving(&m));
	KUNIT_EXPECT_EQ(test, atomic_read(&m.state), 0);
}

/* --- RWMutex: writer preference with parked readers and writers --- */

struct psy_rw {
	struct kgo_rwmutex rw;
	atomic_t seq;		/* entry order */
	atomic_t readers;	/* readers in now */
	atomic_t writers;	/* writers in now */
	atomic_t done;
	atomic_long_t bad;
	struct completion go;	/* lets the blocking reader leave */
};

struct psy_rw_frame {
	struct kgo_task t;
	struct psy_rw *s;
	int order;		/* its entry in @seq; 0 before */
	bool writer;
};

static int psy_rw_step(struct kgo_task *t)
{
	struct psy_rw_frame *f = container_of(t, struct psy_rw_frame, t);
	struct psy_rw *s = f->s;

	KGO_BEGIN(t);
	if (f->writer) {
		KGO_AWAIT(t, kgo_rwmutex_lock_async(t, &s->rw));
		f->order = atomic_inc_return(&s->seq);
		if (atomic_inc_return(&s->writers) != 1 ||
		    atomic_read(&s->readers))
			atomic_long_inc(&s->bad);
		atomic_dec(&s->writers);
		if (kgo_rwmutex_unlock(&s->rw))
			atomic_long_inc(&s->bad);
	} else {
		KGO_AWAIT(t, kgo_rwmutex_rlock_async(t, &s->rw));
		f->order = atomic_inc_return(&s->seq);
		atomic_inc(&s->readers);
		if (atomic_read(&s->writers))
			atomic_long_inc(&s->bad);
		/* Stay in until the next writer could have entered. */
		atomic_dec(&s->readers);
		if (kgo_rwmutex_runlock(&s->rw))
			atomic_long_inc(&s->bad);
	}
	atomic_inc(&s->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_rw_step);

/* A thread-blocking reader among the late ones. */
struct psy_rw_blocking {
	struct psy_rw *s;
	int order;
};

static void psy_rw_blocking_reader(void *arg)
{
	struct psy_rw_blocking *b = arg;

	kgo_rwmutex_rlock(&b->s->rw);
	b->order = atomic_inc_return(&b->s->seq);
	kgo_rwmutex_runlock(&b->s->rw);
	atomic_inc(&b->s->done);
}

static int psy_rw_spawn(struct psy_rw_frame *f, struct psy_rw *s, bool writer)
{
	f->s = s;
	f->writer = writer;
	f->order = 0;
	return kgo_go_async_gfp(psy_rw_step, &f->t, GFP_KERNEL);
}

/*
 * This thread read-locks. A parked writer W1 comes and waits for it;
 * then parked readers (and a blocking one) arrive: they must wait behind
 * W1, not join this thread. A second parked writer W2 queues on the writer
 * Mutex. Unlocking lets in W1, then every late reader, then W2.
 */
static void psy_rwmutex_writer_pref(struct kunit *test)
{
	const int nreaders = 8;
	struct psy_rw *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct psy_rw_frame *f = kunit_kcalloc(test, nreaders + 2, sizeof(*f),
					       GFP_KERNEL);
	struct psy_rw_blocking b = {};
	int i, last_reader = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, f);
	kgo_rwmutex_init(&s->rw);
	b.s = s;

	kgo_rwmutex_rlock(&s->rw);
	KUNIT_ASSERT_EQ(test, psy_rw_spawn(&f[0], s, true), 0);
	/* W1 holds the writer Mutex and waits for this reader. */
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_sema_waiters(&s->rw.writer_sem) == 1));
	for (i = 1; i <= nreaders; i++)
		KUNIT_ASSERT_EQ(test, psy_rw_spawn(&f[i], s, false), 0);
	syt_go(test, psy_rw_blocking_reader, &b);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_sema_waiters(&s->rw.reader_sem) ==
					 nreaders + 1));
	KUNIT_ASSERT_EQ(test, psy_rw_spawn(&f[nreaders + 1], s, true), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_mutex_waiters(&s->rw.w) == 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&s->seq), 0);

	KUNIT_EXPECT_EQ(test, kgo_rwmutex_runlock(&s->rw), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->done) == nreaders + 3));
	KUNIT_EXPECT_EQ(test, f[0].order, 1);
	for (i = 1; i <= nreaders; i++) {
		KUNIT_EXPECT_GT(test, f[i].order, 1);
		last_reader = max(last_reader, f[i].order);
	}
	last_reader = max(last_reader, b.order);
	KUNIT_EXPECT_GT(test, b.order, 1);
	KUNIT_EXPECT_EQ(test, f[nreaders + 1].order, nreaders + 3);
	KUNIT_EXPECT_LT(test, last_reader, f[nreaders + 1].order);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->rw.reader_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->rw.w.state), 0);
}

/* --- Once: parked callers wait for the running function --- */

struct psy_once {
	struct kgo_once o;
	struct completion release;	/* lets the function return */
	atomic_t calls;
	int value;			/* written by the function */
	atomic_t done;
	atomic_long_t bad;
	bool block;
};

static void psy_once_fn(void *arg)
{
	struct psy_once *s = arg;

	atomic_inc(&s->calls);
	if (s->block)
		wait_for_completion(&s->release);
	s->value = 42;
}

struct psy_once_frame {
	struct kgo_task t;
	struct psy_once *s;
};

static int psy_once_step(struct kgo_task *t)
{
	struct psy_once_frame *f = container_of(t, struct psy_once_frame, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_once_do_async(t, &f->s->o, psy_once_fn, f->s));
	/* The function has returned: its effect is visible. */
	if (t->err || READ_ONCE(f->s->value) != 42)
		atomic_long_inc(&f->s->bad);
	atomic_inc(&f->s->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_once_step);

static void psy_once_blocking(void *arg)
{
	struct psy_once *s = arg;

	kgo_once_do(&s->o, psy_once_fn, s);
	if (READ_ONCE(s->value) != 42)
		atomic_long_inc(&s->bad);
	atomic_inc(&s->done);
}

/*
 * A thread-blocking G runs the function, which blocks; parked Gs and a
 * blocking one call meanwhile and wait on the Once's Mutex. Then the
 * other way round: a parked G runs it (blocking its M) while the others
 * wait. The function runs once each time; nobody returns before it.
 */
static void psy_once_parked(struct kunit *test)
{
	const int n = 16;
	struct psy_once *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct psy_once_frame *f = kunit_kcalloc(test, n, sizeof(*f),
						 GFP_KERNEL);
	int round, i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, f);
	for (round = 0; round < 2; round++) {
		kgo_once_init(&s->o);
		init_completion(&s->release);
		atomic_set(&s->calls, 0);
		atomic_set(&s->done, 0);
		s->value = 0;
		s->block = true;
		if (round == 0) {
			syt_go(test, psy_once_blocking, s);
		} else {
			f[0].s = s;
			KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_once_step,
							       &f[0].t,
							       GFP_KERNEL), 0);
		}
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->calls) == 1));
		for (i = 1; i < n; i++) {
			f[i].s = s;
			KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_once_step,
							       &f[i].t,
							       GFP_KERNEL), 0);
		}
		syt_go(test, psy_once_blocking, s);
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_mutex_waiters(&s->o.m) == n));
		KUNIT_EXPECT_EQ(test, atomic_read(&s->done), 0);
		complete(&s->release);
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->done) == n + 1));
		KUNIT_EXPECT_EQ(test, atomic_read(&s->calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&s->bad), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&s->o.m.state), 0);
	}
	/* Done: a later call completes at once, without the function. */
	f[0].s = s;
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_once_step, &f[0].t,
					       GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->done) == n + 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&s->calls), 1);
}

/* --- errgroup wait, parked --- */

struct psy_eg {
	struct kgo_errgroup eg;
	struct kgo_chan *gate;	/* closed to let the group's Gs finish */
	int fail;		/* what the failing G returns */
	int blocking_result;	/* of the thread-blocking waiter */
	atomic_t blocking_done;
};

/* A thread-blocking G waiting beside the parked one. */
static void psy_eg_blocking(void *arg)
{
	struct psy_eg *s = arg;

	s->blocking_result = kgo_errgroup_wait(&s->eg);
	atomic_inc(&s->blocking_done);
}

/* Wait for the gate (or the group's cancellation); one of them fails. */
static int psy_eg_fn(struct kgo_ctx *ctx, void *arg)
{
	struct psy_eg *s = arg;
	int err;

	err = kgo_chan_recv_ctx(ctx, s->gate, NULL, NULL);
	if (err)
		return err;
	return s->fail;
}

struct psy_eg_frame {
	struct kgo_task t;
	struct psy_eg *s;
	int result;
	atomic_t done;
};

static int psy_eg_step(struct kgo_task *t)
{
	struct psy_eg_frame *f = container_of(t, struct psy_eg_frame, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_errgroup_wait_async(t, &f->s->eg));
	f->result = t->err;
	atomic_inc(&f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_eg_step);

/*
 * A parked G and a thread-blocking one wait for a group of 8 Gs. With
 * @cancel, the parent context is cancelled and the Gs return its error;
 * else the gate opens and they return -EIO. Both waits return that error
 * and cancel the group.
 */
static void psy_errgroup(struct kunit *test, bool cancel)
{
	struct psy_eg *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct psy_eg_frame *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct kgo_ctx *parent;
	struct syt_base base;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, f);
	syt_base_take(&base);
	parent = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
	s->gate = kgo_chan_make(0, 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->gate));
	s->fail = -EIO;
	KUNIT_ASSERT_EQ(test, kgo_errgroup_init(&s->eg, parent, GFP_KERNEL), 0);
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, kgo_errgroup_go(&s->eg, psy_eg_fn, s), 0);
	f->s = s;
	atomic_set(&f->done, 0);
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_eg_step, &f->t, GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(syt_wg_waiters(&s->eg.wg)));
	syt_go(test, psy_eg_blocking, s);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->done), 0);
	if (cancel)
		kgo_ctx_cancel(parent);
	else
		kgo_chan_close(s->gate);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&f->done) == 1));
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->blocking_done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, cancel ? -ECANCELED : -EIO);
	KUNIT_EXPECT_EQ(test, s->blocking_result, cancel ? -ECANCELED : -EIO);
	KUNIT_EXPECT_EQ(test, kgo_wg_count(&s->eg.wg), 0);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(kgo_errgroup_ctx(&s->eg)),
			cancel ? -ECANCELED : -EIO);
	/* A second wait, nothing running: at once, the same error. */
	atomic_set(&f->done, 0);
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_eg_step, &f->t, GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, cancel ? -ECANCELED : -EIO);
	kgo_errgroup_destroy(&s->eg);
	kgo_chan_put(s->gate);
	kgo_ctx_put(parent);
	syt_check_leaks(test, &base);
}

static void psy_errgroup_error(struct kunit *test)
{
	psy_errgroup(test, false);
}

static void psy_errgroup_cancel(struct kunit *test)
{
	psy_errgroup(test, true);
}

/* --- context done, parked --- */

struct psy_ctx_frame {
	struct kgo_task t;
	struct kgo_ctx *ctx;
	atomic_t *done;
	u32 *hits;
	int result;
	int id;
};

static int psy_ctx_step(struct kgo_task *t)
{
	struct psy_ctx_frame *f = container_of(t, struct psy_ctx_frame, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_ctx_done_async(t, f->ctx));
	if (f->hits)
		f->hits[f->id]++;
	f->result = t->err;
	atomic_inc(f->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_ctx_step);

/*
 * Parked Gs wait on a context and on its child; cancelling the parent
 * wakes all of them with its error; a deadline wakes with -ETIMEDOUT; a
 * cancelled context does not park.
 */
static void psy_ctx_cancel(struct kunit *test)
{
	const int n = 64;
	struct psy_ctx_frame *f = kunit_kcalloc(test, n, sizeof(*f), GFP_KERNEL);
	struct kgo_ctx *parent, *child, *dl;
	long parked0 = kgo_tasks_parked();
	struct syt_base base;
	atomic_t done;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	syt_base_take(&base);
	atomic_set(&done, 0);
	parent = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
	child = kgo_ctx_with_value(parent, &done, NULL, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(child));
	for (i = 0; i < n; i++) {
		f[i].ctx = i % 2 ? child : parent;
		f[i].done = &done;
		f[i].result = 1;
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_ctx_step, &f[i].t,
						       GFP_KERNEL), 0);
	}
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_tasks_parked() - parked0 >= n));
	KUNIT_EXPECT_EQ(test, atomic_read(&done), 0);
	kgo_ctx_cancel(parent);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&done) == n));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, f[i].result, -ECANCELED);

	/* Cancelled already: no park. */
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_ctx_step, &f[0].t,
					       GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&done) == n + 1));
	KUNIT_EXPECT_EQ(test, f[0].result, -ECANCELED);
	kgo_ctx_put(child);
	kgo_ctx_put(parent);

	/* A deadline. */
	dl = kgo_ctx_with_timeout(NULL, 5 * NSEC_PER_MSEC, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dl));
	f[0].ctx = dl;
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_ctx_step, &f[0].t,
					       GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&done) == n + 2));
	KUNIT_EXPECT_EQ(test, f[0].result, -ETIMEDOUT);
	kgo_ctx_put(dl);
	syt_check_leaks(test, &base);
}

/* --- races: the release arrives while the G parks --- */

enum psy_race_kind {
	PSY_RACE_MUTEX,		/* an unlock */
	PSY_RACE_RLOCK,		/* a writer's unlock, to a reader */
	PSY_RACE_WLOCK,		/* a reader's unlock, to a writer */
	PSY_RACE_ONCE,		/* the function's return */
	PSY_RACE_CTX,		/* a cancel */
};

/* One object of a race round, and the G that waits on it. */
struct psy_race_obj {
	struct kgo_task t;
	struct psy_race *s;
	struct kgo_mutex m;
	struct kgo_rwmutex rw;
	struct kgo_once o;
	struct kgo_ctx *ctx;
	int once_value;
	int id;
};

#define PSY_RACE_BATCH	16

struct psy_race {
	enum psy_race_kind kind;
	struct psy_race_obj obj[PSY_RACE_BATCH];
	u32 *hits;
	atomic_t done;
	atomic_long_t bad;
};

static void psy_race_once_fn(void *arg)
{
	struct psy_race_obj *f = arg;

	f->once_value++;
}

static int psy_race_step(struct kgo_task *t)
{
	struct psy_race_obj *f = container_of(t, struct psy_race_obj, t);
	struct psy_race *s = f->s;

	KGO_BEGIN(t);
	switch (s->kind) {
	case PSY_RACE_MUTEX:
		KGO_AWAIT(t, kgo_mutex_lock_async(t, &f->m));
		break;
	case PSY_RACE_RLOCK:
		KGO_AWAIT(t, kgo_rwmutex_rlock_async(t, &f->rw));
		break;
	case PSY_RACE_WLOCK:
		KGO_AWAIT(t, kgo_rwmutex_lock_async(t, &f->rw));
		break;
	case PSY_RACE_ONCE:
		KGO_AWAIT(t, kgo_once_do_async(t, &f->o, psy_race_once_fn, f));
		break;
	case PSY_RACE_CTX:
		KGO_AWAIT(t, kgo_ctx_done_async(t, f->ctx));
		break;
	}
	s->hits[f->id]++;
	switch (s->kind) {
	case PSY_RACE_MUTEX:
		if (t->err || kgo_mutex_unlock(&f->m))
			atomic_long_inc(&s->bad);
		break;
	case PSY_RACE_RLOCK:
		if (t->err || kgo_rwmutex_runlock(&f->rw))
			atomic_long_inc(&s->bad);
		break;
	case PSY_RACE_WLOCK:
		if (t->err || kgo_rwmutex_unlock(&f->rw))
			atomic_long_inc(&s->bad);
		break;
	case PSY_RACE_ONCE:
		if (t->err || f->once_value != 1)
			atomic_long_inc(&s->bad);
		break;
	case PSY_RACE_CTX:
		if (t->err != -ECANCELED)
			atomic_long_inc(&s->bad);
		break;
	}
	atomic_inc(&s->done);
	KGO_END(t);
}

KGO_STEP_FUNC(psy_race_step);

/* This thread holds @f's object, as the G's peer. */
static void psy_race_hold(struct kunit *test, struct psy_race *s,
			  struct psy_race_obj *f)
{
	switch (s->kind) {
	case PSY_RACE_MUTEX:
		kgo_mutex_lock(&f->m);
		break;
	case PSY_RACE_RLOCK:
		kgo_rwmutex_lock(&f->rw);
		break;
	case PSY_RACE_WLOCK:
		kgo_rwmutex_rlock(&f->rw);
		break;
	case PSY_RACE_ONCE:
		kgo_once_init(&f->o);
		f->once_value = 0;
		/* The function "runs": this thread holds the Mutex. */
		kgo_mutex_lock(&f->o.m);
		break;
	case PSY_RACE_CTX:
		f->ctx = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(f->ctx));
		break;
	}
}

static void psy_race_release(struct psy_race *s, struct psy_race_obj *f)
{
	switch (s->kind) {
	case PSY_RACE_MUTEX:
		kgo_mutex_unlock(&f->m);
		break;
	case PSY_RACE_RLOCK:
		kgo_rwmutex_unlock(&f->rw);
		break;
	case PSY_RACE_WLOCK:
		kgo_rwmutex_runlock(&f->rw);
		break;
	case PSY_RACE_ONCE:
		psy_race_once_fn(f);
		/* As kgo_once_do(): pairs with the fast path's acquire. */
		smp_store_release(&f->o.done, 1);
		kgo_mutex_unlock(&f->o.m);
		break;
	case PSY_RACE_CTX:
		kgo_ctx_cancel(f->ctx);
		break;
	}
}

/*
 * Rounds of PSY_RACE_BATCH objects: this thread holds each, spawns a G
 * that waits on it and releases it at once, before, while or after the
 * G parks; then waits for the round's Gs. Each G must resume exactly
 * once, holding what it waited for.
 */
static void psy_race_run(struct kunit *test, enum psy_race_kind kind)
{
	long iters = kgo_test_quick ? 1024 : 4096, i;
	struct psy_race *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct psy_race_obj *f;
	int j;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->hits = vcalloc(iters, sizeof(*s->hits));
	KUNIT_ASSERT_NOT_NULL(test, s->hits);
	s->kind = kind;
	for (j = 0; j < PSY_RACE_BATCH; j++) {
		kgo_mutex_init(&s->obj[j].m);
		kgo_rwmutex_init(&s->obj[j].rw);
		s->obj[j].s = s;
	}
	for (i = 0; i < iters; i += PSY_RACE_BATCH) {
		for (j = 0; j < PSY_RACE_BATCH; j++) {
			f = &s->obj[j];
			f->id = i + j;
			psy_race_hold(test, s, f);
			KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(psy_race_step,
							       &f->t,
							       GFP_KERNEL), 0);
			psy_race_release(s, f);
		}
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read(&s->done) ==
						 i + PSY_RACE_BATCH));
		for (j = 0; j < PSY_RACE_BATCH; j++) {
			f = &s->obj[j];
			if (atomic_read(&f->m.state) ||
			    atomic_read(&f->rw.reader_count))
				atomic_long_inc(&s->bad);
			if (kind == PSY_RACE_CTX)
				kgo_ctx_put(f->ctx);
		}
	}
	/* A G run twice would count twice; give it the chance. */
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->done), iters);
	for (i = 0; i < iters; i++)
		if (s->hits[i] != 1)
			break;
	KUNIT_EXPECT_EQ(test, i, iters);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->bad), 0);
	vfree(s->hits);
}

static void psy_race_mutex(struct kunit *test)
{
	psy_race_run(test, PSY_RACE_MUTEX);
}

static void psy_race_rlock(struct kunit *test)
{
	psy_race_run(test, PSY_RACE_RLOCK);
}

static void psy_race_wlock(struct kunit *test)
{
	psy_race_run(test, PSY_RACE_WLOCK);
}

static void psy_race_once(struct kunit *test)
{
	psy_race_run(test, PSY_RACE_ONCE);
}

static void psy_race_ctx(struct kunit *test)
{
	psy_race_run(test, PSY_RACE_CTX);
}

static struct kunit_case kgo_park_sync_cases[] = {
	KUNIT_CASE(psy_mutex_mixed),
	KUNIT_CASE(psy_mutex_starvation),
	KUNIT_CASE(psy_rwmutex_writer_pref),
	KUNIT_CASE(psy_once_parked),
	KUNIT_CASE(psy_errgroup_error),
	KUNIT_CASE(psy_errgroup_cancel),
	KUNIT_CASE(psy_ctx_cancel),
	KUNIT_CASE(psy_race_mutex),
	KUNIT_CASE(psy_race_rlock),
	KUNIT_CASE(psy_race_wlock),
	KUNIT_CASE(psy_race_once),
	KUNIT_CASE(psy_race_ctx),
	{}
};

struct kunit_suite kgo_park_sync_suite = {
	.name = "kgo_park_sync",
	.test_cases = kgo_park_sync_cases,
};
