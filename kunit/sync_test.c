// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_sync: WaitGroup, Mutex, RWMutex and Once.
 *
 * WaitGroup with thousands of Gs and several waiters; timeouts; the
 * negative counter refused. Mutex exclusion under contention, counted
 * inside the critical section, from Gs and a plain kthread; starvation
 * mode reached and left, read from the state word (the test makes a
 * waiter wait over 1 ms and keeps re-taking the lock in front of it,
 * then checks the mode, never a duration). RWMutex reader/writer
 * exclusion and writer preference (a reader arriving behind a waiting
 * writer is queued, and the writer goes first). Once under races. Misuse
 * (Go's panics) returns errors and changes nothing.
 */

#include <linux/delay.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "compat.h"
#include "sync_util.h"
#include "tests.h"

/* --- WaitGroup --- */

struct wg_many {
	struct kgo_wg wg;
	int n;
	atomic_t ran;
	atomic_t saw_all;
	struct cht_countdown waiters;
};

static void wg_worker_fn(void *arg)
{
	struct wg_many *w = arg;

	atomic_inc(&w->ran);
	kgo_wg_done(&w->wg);
}

static void wg_waiter_fn(void *arg)
{
	struct wg_many *w = arg;

	kgo_wg_wait(&w->wg);
	/* Every worker ran before the wait returned. */
	if (atomic_read(&w->ran) == w->n)
		atomic_inc(&w->saw_all);
	cht_countdown_hit(&w->waiters);
}

static void kgo_wg_thousands_test(struct kunit *test)
{
	const int n = kgo_test_quick ? 1000 : 5000, nwait = 4;
	struct syt_base base;
	struct wg_many *w;
	int i;

	syt_base_take(&base);
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	kgo_wg_init(&w->wg);
	cht_countdown_init(&w->waiters, nwait);
	KUNIT_ASSERT_EQ(test, kgo_wg_add(&w->wg, n), 0);
	w->n = n;
	for (i = 0; i < nwait; i++)
		syt_go(test, wg_waiter_fn, w);
	for (i = 0; i < n; i++)
		syt_go(test, wg_worker_fn, w);
	/* A plain kthread waits too. */
	kgo_wg_wait(&w->wg);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->ran), n);
	KUNIT_EXPECT_EQ(test, kgo_wg_count(&w->wg), 0);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&w->waiters));
	KUNIT_EXPECT_EQ(test, atomic_read(&w->saw_all), nwait);
	/* Reusable: a second round. */
	KUNIT_ASSERT_EQ(test, kgo_wg_add(&w->wg, 10), 0);
	for (i = 0; i < 10; i++)
		syt_go(test, wg_worker_fn, w);
	kgo_wg_wait(&w->wg);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->ran), n + 10);
	syt_check_leaks(test, &base);
}

static void kgo_wg_timeout_and_misuse_test(struct kunit *test)
{
	int misuses = atomic_read(&kgo_sync_misuses);
	struct syt_base base;
	struct kgo_wg wg;

	syt_base_take(&base);
	kgo_wg_init(&wg);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_add(&wg, 1), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, KGO_NOWAIT), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, CHT_SHORT_NS), -ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, syt_wg_waiters(&wg));
	KUNIT_EXPECT_EQ(test, kgo_wg_done(&wg), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, CHT_SHORT_NS), 0);

	/* Go panics on a negative counter; kgo refuses, changing nothing. */
	WRITE_ONCE(kgo_sync_misuse_quiet, true);
	KUNIT_EXPECT_EQ(test, kgo_wg_done(&wg), -EINVAL);
	KUNIT_EXPECT_EQ(test, kgo_wg_add(&wg, 2), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_add(&wg, -3), -EINVAL);
	WRITE_ONCE(kgo_sync_misuse_quiet, false);
	KUNIT_EXPECT_EQ(test, kgo_wg_count(&wg), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&kgo_sync_misuses), misuses + 2);
	KUNIT_EXPECT_EQ(test, kgo_wg_add(&wg, -2), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, KGO_NOWAIT), 0);
	syt_check_leaks(test, &base);
}

/* --- Mutex --- */

struct mu_contend {
	struct kgo_mutex m;
	unsigned long counter;	/* under @m, deliberately not atomic */
	atomic_t inside;
	atomic_t violations;
	int iters;
	struct cht_countdown cd;
};

static void mu_section(struct mu_contend *mc)
{
	if (atomic_inc_return(&mc->inside) != 1)
		atomic_inc(&mc->violations);
	mc->counter++;
	atomic_dec(&mc->inside);
}

static void mu_worker_fn(void *arg)
{
	struct mu_contend *mc = arg;
	int i;

	for (i = 0; i < mc->iters; i++) {
		if (i % 7 == 3 && kgo_mutex_trylock(&mc->m)) {
			mu_section(mc);
		} else {
			kgo_mutex_lock(&mc->m);
			mu_section(mc);
			if (i % 64 == 0)
				kgo_yield();	/* hold it across a yield */
		}
		kgo_mutex_unlock(&mc->m);
	}
	cht_countdown_hit(&mc->cd);
}

static void kgo_mutex_contention_test(struct kunit *test)
{
	const int ngs = kgo_test_quick ? 4 : 8;
	struct syt_base base;
	struct mu_contend *mc;
	int i;

	syt_base_take(&base);
	mc = kunit_kzalloc(test, sizeof(*mc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mc);
	kgo_mutex_init(&mc->m);
	mc->iters = kgo_test_quick ? 500 : 2000;
	cht_countdown_init(&mc->cd, ngs);
	for (i = 0; i < ngs; i++)
		syt_go(test, mu_worker_fn, mc);
	/* The test's kthread competes too: a waiter that is not a G. */
	for (i = 0; i < mc->iters; i++) {
		kgo_mutex_lock(&mc->m);
		mu_section(mc);
		kgo_mutex_unlock(&mc->m);
	}
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&mc->cd));
	KUNIT_EXPECT_EQ(test, atomic_read(&mc->violations), 0);
	KUNIT_EXPECT_EQ(test, mc->counter, (unsigned long)(ngs + 1) * mc->iters);
	KUNIT_EXPECT_EQ(test, atomic_read(&mc->m.state), 0);
	KUNIT_EXPECT_EQ(test, kgo_sema_waiters(&mc->m.sema), 0);
	syt_check_leaks(test, &base);
}

struct mu_starve {
	struct kgo_mutex m;
	bool starving_when_locked;
	struct cht_countdown cd;
};

static void mu_starve_fn(void *arg)
{
	struct mu_starve *ms = arg;

	kgo_mutex_lock(&ms->m);
	ms->starving_when_locked = kgo_mutex_starving(&ms->m);
	kgo_mutex_unlock(&ms->m);
	cht_countdown_hit(&ms->cd);
}

/* The woken waiter lost the race and sleeps again. */
static bool mu_requeued(struct kgo_mutex *m)
{
	return kgo_sema_waiters(&m->sema) == 1 &&
	       !(atomic_read(&m->state) & KGO_MUTEX_WOKEN);
}

/* The G has locked, unlocked and returned. */
static bool mu_starve_done(struct mu_starve *ms)
{
	return completion_done(&ms->cd.done);
}

/*
 * Starvation mode, reached and left. The test's kthread holds the lock;
 * a G waits for it, asleep on the semaphore, for over 1 ms. Then the test
 * unlocks and at once re-takes the lock (trylock, preemption off in
 * between, so that on our CPU the woken G cannot run first): the G wakes,
 * finds the lock held after a wait over 1 ms, and switches the mutex to
 * starvation mode. (On another CPU the G may win the race instead; the
 * next round tries again.) Newcomers cannot take a starving mutex even when it is
 * unlocked; the next unlock hands it to the G, which, as the last waiter,
 * switches back to normal mode.
 */
static void kgo_mutex_starvation_test(struct kunit *test)
{
	struct syt_base base;
	struct mu_starve *ms;
	bool reached = false, held;
	int round, cycle;

	syt_base_take(&base);
	ms = kunit_kzalloc(test, sizeof(*ms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ms);
	kgo_mutex_init(&ms->m);
	for (round = 0; round < 100 && !reached; round++) {
		cht_countdown_init(&ms->cd, 1);
		kgo_mutex_lock(&ms->m);
		if (kgo_go_gfp(mu_starve_fn, ms, GFP_KERNEL)) {
			KUNIT_FAIL(test, "no G");
			kgo_mutex_unlock(&ms->m);
			return;
		}
		if (!syt_wait_for(kgo_sema_waiters(&ms->m.sema) == 1)) {
			/* Never abort holding the lock: lockdep would report it. */
			KUNIT_FAIL(test, "the G never slept on the mutex");
			kgo_mutex_unlock(&ms->m);
			cht_countdown_wait(&ms->cd);
			return;
		}
		/* Over 1 ms: waiting longer only helps. */
		usleep_range(2000, 3000);
		held = true;
		for (cycle = 0; cycle < 1000 && held && !reached; cycle++) {
			KUNIT_EXPECT_FALSE(test, kgo_mutex_starving(&ms->m));
			preempt_disable();
			kgo_mutex_unlock(&ms->m);
			held = kgo_mutex_trylock(&ms->m);
			preempt_enable();
			if (!held)
				break;	/* the G got it: try another round */
			/*
			 * The G woke, lost, and queued again (at the head). Or
			 * it won: on another CPU it can lock and unlock between
			 * our unlock and trylock (a vCPU of ours may stall for
			 * that long), and our trylock found the mutex free.
			 */
			if (!syt_wait_for(mu_requeued(&ms->m) ||
					  mu_starve_done(ms))) {
				KUNIT_FAIL(test, "waiter not queued again: state %#x, %u asleep",
					   atomic_read(&ms->m.state),
					   kgo_sema_waiters(&ms->m.sema));
				break;
			}
			if (mu_starve_done(ms))
				break;	/* try another round */
			reached = kgo_mutex_starving(&ms->m);
		}
		if (!reached) {
			if (held)
				kgo_mutex_unlock(&ms->m);
			KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&ms->cd));
			continue;
		}
		KUNIT_EXPECT_EQ(test, kgo_mutex_waiters(&ms->m), 1);
		/* Unlock hands the lock to the G (FIFO hand-off). */
		kgo_mutex_unlock(&ms->m);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&ms->cd));
	}
	KUNIT_EXPECT_TRUE_MSG(test, reached, "starvation mode never reached");
	/* Exactly one unlock handed the lock over: the starving one. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->m.handoffs), 1);
	/* Left: the G, last waiter, took it in normal mode. */
	KUNIT_EXPECT_FALSE(test, ms->starving_when_locked);
	KUNIT_EXPECT_FALSE(test, kgo_mutex_starving(&ms->m));
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->m.state), 0);
	syt_check_leaks(test, &base);
}

/* --- RWMutex --- */

struct rw_mix {
	struct kgo_rwmutex rw;
	atomic_t readers;
	atomic_t writers;
	atomic_t violations;
	atomic_t max_readers;
	unsigned long counter;	/* under the write lock */
	int iters;
	struct cht_countdown cd;
};

static void rw_reader_fn(void *arg)
{
	struct rw_mix *x = arg;
	int i, r, m;

	for (i = 0; i < x->iters; i++) {
		kgo_rwmutex_rlock(&x->rw);
		r = atomic_inc_return(&x->readers);
		m = atomic_read(&x->max_readers);
		if (r > m)
			atomic_cmpxchg(&x->max_readers, m, r);
		if (atomic_read(&x->writers))
			atomic_inc(&x->violations);
		if (i % 16 == 0)
			kgo_yield();
		atomic_dec(&x->readers);
		kgo_rwmutex_runlock(&x->rw);
	}
	cht_countdown_hit(&x->cd);
}

static void rw_writer_fn(void *arg)
{
	struct rw_mix *x = arg;
	int i;

	for (i = 0; i < x->iters; i++) {
		kgo_rwmutex_lock(&x->rw);
		if (atomic_inc_return(&x->writers) != 1 ||
		    atomic_read(&x->readers))
			atomic_inc(&x->violations);
		x->counter++;
		atomic_dec(&x->writers);
		kgo_rwmutex_unlock(&x->rw);
	}
	cht_countdown_hit(&x->cd);
}

static void kgo_rwmutex_exclusion_test(struct kunit *test)
{
	const int nr = 6, nw = 3;
	struct syt_base base;
	struct rw_mix *x;
	int i;

	syt_base_take(&base);
	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	kgo_rwmutex_init(&x->rw);
	x->iters = kgo_test_quick ? 300 : 3000;
	cht_countdown_init(&x->cd, nr + nw);
	for (i = 0; i < nr + nw; i++)
		syt_go(test, i < nr ? rw_reader_fn : rw_writer_fn, x);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&x->cd));
	KUNIT_EXPECT_EQ(test, atomic_read(&x->violations), 0);
	KUNIT_EXPECT_EQ(test, x->counter, (unsigned long)nw * x->iters);
	KUNIT_EXPECT_EQ(test, atomic_read(&x->rw.reader_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&x->rw.w.state), 0);
	syt_check_leaks(test, &base);
}

struct rw_pref {
	struct kgo_rwmutex rw;
	atomic_t seq;
	int writer_at;
	int reader2_at;
	struct cht_countdown cd;
};

static void rw_pref_writer_fn(void *arg)
{
	struct rw_pref *p = arg;

	kgo_rwmutex_lock(&p->rw);
	p->writer_at = atomic_inc_return(&p->seq);
	kgo_rwmutex_unlock(&p->rw);
	cht_countdown_hit(&p->cd);
}

static void rw_pref_reader_fn(void *arg)
{
	struct rw_pref *p = arg;

	kgo_rwmutex_rlock(&p->rw);
	p->reader2_at = atomic_inc_return(&p->seq);
	kgo_rwmutex_runlock(&p->rw);
	cht_countdown_hit(&p->cd);
}

/*
 * A reader holds the lock; a writer arrives and waits for it; a second
 * reader arrives after the writer and must wait behind it, although only
 * readers hold the lock. When the first reader leaves, the writer goes
 * first, then the second reader.
 */
static void kgo_rwmutex_writer_preference_test(struct kunit *test)
{
	struct syt_base base;
	struct rw_pref *p;

	syt_base_take(&base);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kgo_rwmutex_init(&p->rw);
	cht_countdown_init(&p->cd, 2);
	kgo_rwmutex_rlock(&p->rw);
	syt_go(test, rw_pref_writer_fn, p);
	KUNIT_ASSERT_TRUE(test, syt_wait_for(kgo_sema_waiters(&p->rw.writer_sem) == 1));
	KUNIT_EXPECT_LT(test, atomic_read(&p->rw.reader_count), 0);
	syt_go(test, rw_pref_reader_fn, p);
	KUNIT_ASSERT_TRUE(test, syt_wait_for(kgo_sema_waiters(&p->rw.reader_sem) == 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->seq), 0);
	kgo_rwmutex_runlock(&p->rw);
	KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&p->cd));
	KUNIT_EXPECT_EQ(test, p->writer_at, 1);
	KUNIT_EXPECT_EQ(test, p->reader2_at, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->rw.reader_count), 0);
	syt_check_leaks(test, &base);
}

/* --- Once --- */

struct once_race {
	struct kgo_once once;
	atomic_t calls;
	int value;		/* written by the function only */
	atomic_t saw_unset;
	struct cht_countdown cd;
};

static void once_fn(void *arg)
{
	struct once_race *o = arg;

	atomic_inc(&o->calls);
	kgo_sleep(100 * NSEC_PER_USEC);	/* others arrive meanwhile */
	o->value = 42;
}

static void once_caller_fn(void *arg)
{
	struct once_race *o = arg;

	kgo_once_do(&o->once, once_fn, o);
	if (READ_ONCE(o->value) != 42)
		atomic_inc(&o->saw_unset);
	cht_countdown_hit(&o->cd);
}

static void kgo_once_race_test(struct kunit *test)
{
	const int n = kgo_test_quick ? 16 : 64;
	int rounds = kgo_test_quick ? 5 : 20, r, i;
	struct syt_base base;
	struct once_race *o;

	syt_base_take(&base);
	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	for (r = 0; r < rounds; r++) {
		memset(o, 0, sizeof(*o));
		kgo_once_init(&o->once);
		cht_countdown_init(&o->cd, n);
		for (i = 0; i < n; i++)
			syt_go(test, once_caller_fn, o);
		kgo_once_do(&o->once, once_fn, o);
		KUNIT_EXPECT_EQ(test, o->value, 42);
		KUNIT_ASSERT_TRUE(test, cht_countdown_wait(&o->cd));
		KUNIT_EXPECT_EQ(test, atomic_read(&o->calls), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&o->saw_unset), 0);
	}
	syt_check_leaks(test, &base);
}

/* Go's fatal errors: an error code, and nothing changes. */
static void kgo_sync_misuse_test(struct kunit *test)
{
	int misuses = atomic_read(&kgo_sync_misuses);
	struct kgo_rwmutex rw;
	struct kgo_mutex m;

	kgo_mutex_init(&m);
	kgo_rwmutex_init(&rw);
	WRITE_ONCE(kgo_sync_misuse_quiet, true);
	KUNIT_EXPECT_EQ(test, kgo_mutex_unlock(&m), -EPERM);
	KUNIT_EXPECT_EQ(test, kgo_rwmutex_runlock(&rw), -EPERM);
	KUNIT_EXPECT_EQ(test, kgo_rwmutex_unlock(&rw), -EPERM);
	WRITE_ONCE(kgo_sync_misuse_quiet, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&kgo_sync_misuses), misuses + 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&m.state), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&rw.reader_count), 0);
	/* Still usable. */
	kgo_mutex_lock(&m);
	KUNIT_EXPECT_FALSE(test, kgo_mutex_trylock(&m));
	KUNIT_EXPECT_EQ(test, kgo_mutex_unlock(&m), 0);
	kgo_rwmutex_rlock(&rw);
	KUNIT_EXPECT_EQ(test, kgo_rwmutex_runlock(&rw), 0);
	kgo_rwmutex_lock(&rw);
	KUNIT_EXPECT_EQ(test, kgo_rwmutex_unlock(&rw), 0);
}

static struct kunit_case kgo_sync_cases[] = {
	KUNIT_CASE_SLOW(kgo_wg_thousands_test),
	KUNIT_CASE(kgo_wg_timeout_and_misuse_test),
	KUNIT_CASE_SLOW(kgo_mutex_contention_test),
	KUNIT_CASE(kgo_mutex_starvation_test),
	KUNIT_CASE_SLOW(kgo_rwmutex_exclusion_test),
	KUNIT_CASE(kgo_rwmutex_writer_preference_test),
	KUNIT_CASE_SLOW(kgo_once_race_test),
	KUNIT_CASE(kgo_sync_misuse_test),
	{}
};

struct kunit_suite kgo_sync_suite = {
	.name = "kgo_sync",
	.test_cases = kgo_sync_cases,
};
