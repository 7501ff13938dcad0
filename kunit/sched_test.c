// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_sched: the G/M/P scheduler end to end. Every case waits for events,
 * never for time: a generous timeout only turns a hang into a failure.
 * The guest runs this suite once with the default nprocs and once with
 * nprocs=1, where the single-P cases matter most.
 */

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <kunit/test.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "sched.h"
#include "tests.h"

/*
 * Only a hang detector, below KUnit's 300 s per-case timeout: the million
 * Gs take about three minutes in the debug kernel under TCG.
 */
#define SCHED_TEST_TIMEOUT	(280 * HZ)

/* Work items that count down to a completion. */
struct countdown {
	atomic_long_t left;
	struct completion done;
};

static void countdown_init(struct countdown *c, long n)
{
	atomic_long_set(&c->left, n);
	init_completion(&c->done);
}

static void countdown_hit(struct countdown *c)
{
	if (atomic_long_dec_and_test(&c->left))
		complete(&c->done);
}

static bool countdown_wait(struct countdown *c)
{
	return wait_for_completion_timeout(&c->done, SCHED_TEST_TIMEOUT);
}

/* Keep the CPU (and the P) busy for @us microseconds: a G doing work. */
static void busy_us(unsigned int us)
{
	u64 end = ktime_get_ns() + us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* Wait until every G of this test has finished (and unpinned us). */
static void wait_gs_gone(struct kunit *test, long baseline)
{
	int i;

	for (i = 0; i < 18000 && kgo_live_gs() > baseline; i++)
		usleep_range(5000, 10000);
	KUNIT_EXPECT_EQ(test, kgo_live_gs(), baseline);
}

/* --- a million Gs, each run exactly once --- */

#define MILLION		1000000UL

struct once_ctx {
	unsigned long *seen;
	atomic_long_t dup;
	struct countdown cd;
};

static struct once_ctx *once;

static void once_fn(void *arg)
{
	unsigned long i = (unsigned long)arg;

	if (test_and_set_bit(i, once->seen))
		atomic_long_inc(&once->dup);
	countdown_hit(&once->cd);
}

/* Spawners are Gs themselves: their children go through the owner path. */
#define ONCE_SPAWNERS	16

static void once_spawner(void *arg)
{
	unsigned long first = (unsigned long)arg * (MILLION / ONCE_SPAWNERS);
	unsigned long i;

	for (i = first; i < first + MILLION / ONCE_SPAWNERS; i++) {
		while (kgo_go(once_fn, (void *)i))
			kgo_yield();	/* GFP_ATOMIC ran dry: let the rest run */
		if (kgo_should_yield())
			kgo_yield();
	}
}

static void kgo_sched_million_test(struct kunit *test)
{
	long base = kgo_live_gs();
	unsigned long i;

	BUILD_BUG_ON(MILLION % ONCE_SPAWNERS);
	kgo_test_skip_slow(test);
	once = kunit_kzalloc(test, sizeof(*once), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, once);
	once->seen = vzalloc(BITS_TO_LONGS(MILLION) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, once->seen);
	countdown_init(&once->cd, MILLION);
	for (i = 0; i < ONCE_SPAWNERS; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(once_spawner, (void *)i), 0);
	KUNIT_EXPECT_TRUE_MSG(test, countdown_wait(&once->cd),
			      "%ld Gs not run, %ld live", atomic_long_read(&once->cd.left),
			      kgo_live_gs());
	KUNIT_EXPECT_EQ(test, atomic_long_read(&once->dup), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(once->seen, MILLION), MILLION);
	wait_gs_gone(test, base);
	vfree(once->seen);
}

/* --- Gs spawned on one P spread over every P --- */

#define SPREAD_CHILDREN	400

struct spread_ctx {
	atomic_t ran_on[NR_CPUS];
	struct countdown cd;
};

static struct spread_ctx *spread;

static void spread_child(void *arg)
{
	atomic_inc(&spread->ran_on[raw_smp_processor_id()]);
	busy_us(200);	/* long enough that idle Ps come looking */
	countdown_hit(&spread->cd);
}

static void spread_parent(void *arg)
{
	int i;

	/* From a G: every child lands on this G's own P. */
	for (i = 0; i < SPREAD_CHILDREN; i++)
		WARN_ON_ONCE(kgo_go(spread_child, NULL));
}

static void kgo_sched_spread_test(struct kunit *test)
{
	long base = kgo_live_gs();
	unsigned int cpu, used = 0;

	spread = kunit_kzalloc(test, sizeof(*spread), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spread);
	countdown_init(&spread->cd, SPREAD_CHILDREN);
	KUNIT_ASSERT_EQ(test, kgo_go(spread_parent, NULL), 0);
	KUNIT_ASSERT_TRUE(test, countdown_wait(&spread->cd));
	for_each_possible_cpu(cpu)
		used += atomic_read(&spread->ran_on[cpu]) > 0;
	KUNIT_EXPECT_EQ_MSG(test, used, kgo_nprocs(),
			    "children ran on %u CPUs, there are %u Ps",
			    used, kgo_nprocs());
	wait_gs_gone(test, base);
}

/* --- blocked Gs do not hold up the rest --- */

enum block_kind { BLOCK_KGO_SLEEP, BLOCK_MSLEEP, BLOCK_MUTEX };

struct block_ctx {
	enum block_kind kind;
	bool release;
	struct mutex lock;	/* held by the test while mutex blockers wait */
	struct countdown blockers;
	struct countdown workers;
};

static struct block_ctx *blk;

static void blocker_fn(void *arg)
{
	switch (blk->kind) {
	case BLOCK_KGO_SLEEP:
		while (!READ_ONCE(blk->release))
			kgo_sleep(NSEC_PER_MSEC);
		break;
	case BLOCK_MSLEEP:
		while (!READ_ONCE(blk->release))
			msleep(20);
		break;
	case BLOCK_MUTEX:
		mutex_lock(&blk->lock);
		mutex_unlock(&blk->lock);
		break;
	}
	countdown_hit(&blk->blockers);
}

static void worker_fn(void *arg)
{
	countdown_hit(&blk->workers);
}

static void run_block_case(struct kunit *test, enum block_kind kind)
{
	unsigned int i, nblockers = kgo_nprocs();
	long base = kgo_live_gs();
	const unsigned int nworkers = 64;

	blk = kunit_kzalloc(test, sizeof(*blk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	blk->kind = kind;
	mutex_init(&blk->lock);
	countdown_init(&blk->blockers, nblockers);
	countdown_init(&blk->workers, nworkers);
	/* Held by the test, so every mutex blocker blocks. */
	mutex_lock(&blk->lock);
	for (i = 0; i < nblockers; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(blocker_fn, NULL), 0);
	for (i = 0; i < nworkers; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(worker_fn, NULL), 0);
	/* Every P has a blocked G on it; the workers must still all run. */
	KUNIT_EXPECT_TRUE(test, countdown_wait(&blk->workers));
	WRITE_ONCE(blk->release, true);
	mutex_unlock(&blk->lock);
	KUNIT_EXPECT_TRUE(test, countdown_wait(&blk->blockers));
	wait_gs_gone(test, base);
}

static void kgo_sched_block_kgo_sleep_test(struct kunit *test)
{
	run_block_case(test, BLOCK_KGO_SLEEP);
}

static void kgo_sched_block_msleep_test(struct kunit *test)
{
	run_block_case(test, BLOCK_MSLEEP);
}

static void kgo_sched_block_mutex_test(struct kunit *test)
{
	run_block_case(test, BLOCK_MUTEX);
}

/* --- never more running Gs than Ps --- */

struct running_ctx {
	atomic_t running;
	atomic_t peak;
	struct countdown cd;
};

static struct running_ctx *run_ctx;

static void note_running(int delta)
{
	int now = atomic_add_return(delta, &run_ctx->running);
	int peak = atomic_read(&run_ctx->peak);

	while (now > peak && !atomic_try_cmpxchg(&run_ctx->peak, &peak, now))
		;
}

static void running_fn(void *arg)
{
	unsigned long i = (unsigned long)arg;

	note_running(1);
	busy_us(20);
	if (i % 8 == 0) {
		/* A kgo wait gives the P away: this G is not running then. */
		note_running(-1);
		kgo_sleep(100 * NSEC_PER_USEC);
		note_running(1);
	}
	busy_us(20);
	note_running(-1);
	countdown_hit(&run_ctx->cd);
}

static void kgo_sched_running_bound_test(struct kunit *test)
{
	struct kgo_p_stats before, after;
	long base = kgo_live_gs();
	unsigned long i, n = 2000;
	u64 retakes;

	run_ctx = kunit_kzalloc(test, sizeof(*run_ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run_ctx);
	countdown_init(&run_ctx->cd, n);
	kgo_sched_stats_sum(&before);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, kgo_go(running_fn, (void *)i), 0);
	KUNIT_ASSERT_TRUE(test, countdown_wait(&run_ctx->cd));
	kgo_sched_stats_sum(&after);
	/*
	 * sysmon takes the P from a G that held it 10 ms (a vCPU that the
	 * host stalled looks like that); each such G runs on without a P.
	 */
	retakes = after.retakes - before.retakes;
	KUNIT_EXPECT_LE_MSG(test, atomic_read(&run_ctx->peak),
			    kgo_nprocs() + retakes, "retakes during the test: %llu",
			    retakes);
	KUNIT_EXPECT_GT(test, atomic_read(&run_ctx->peak), 0);
	wait_gs_gone(test, base);
}

/* --- a hog does not starve its P's queue; the single-core question --- */

struct hog_ctx {
	bool flag;
	struct countdown children;
	struct completion hog_done;
};

static struct hog_ctx *hog;

static void hog_child(void *arg)
{
	countdown_hit(&hog->children);
}

static void hog_fn(void *arg)
{
	int i;

	/* The children queue on this G's own P, behind it. */
	for (i = 0; i < 16; i++)
		WARN_ON_ONCE(kgo_go(hog_child, NULL));
	while (atomic_long_read(&hog->children.left))
		cond_resched();		/* kernel etiquette; not kgo_yield() */
	complete(&hog->hog_done);
}

static void kgo_sched_hog_test(struct kunit *test)
{
	long base = kgo_live_gs();

	hog = kunit_kzalloc(test, sizeof(*hog), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hog);
	countdown_init(&hog->children, 16);
	init_completion(&hog->hog_done);
	KUNIT_ASSERT_EQ(test, kgo_go(hog_fn, NULL), 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&hog->hog_done,
							    SCHED_TEST_TIMEOUT));
	wait_gs_gone(test, base);
}

static void flag_setter(void *arg)
{
	WRITE_ONCE(hog->flag, true);
}

static void spinner_fn(void *arg)
{
	/* Go: "one P, one G spins on a flag another G sets". */
	WARN_ON_ONCE(kgo_go(flag_setter, NULL));
	while (!READ_ONCE(hog->flag))
		cond_resched();
	complete(&hog->hog_done);
}

static void kgo_sched_spin_on_flag_test(struct kunit *test)
{
	long base = kgo_live_gs();

	hog = kunit_kzalloc(test, sizeof(*hog), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hog);
	init_completion(&hog->hog_done);
	KUNIT_ASSERT_EQ(test, kgo_go(spinner_fn, NULL), 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&hog->hog_done,
							    SCHED_TEST_TIMEOUT));
	wait_gs_gone(test, base);
}

/* --- spawning from hard interrupt context --- */

#define IRQ_SPAWNS	100

struct irq_ctx {
	struct hrtimer timer;
	int fired;
	bool all_in_hardirq;
	struct countdown cd;
};

static struct irq_ctx *irq_ctx;

static void irq_child(void *arg)
{
	countdown_hit(&irq_ctx->cd);
}

static enum hrtimer_restart irq_timer_fn(struct hrtimer *t)
{
	if (!in_hardirq())
		irq_ctx->all_in_hardirq = false;
	if (kgo_go(irq_child, NULL))
		irq_ctx->all_in_hardirq = false;	/* reported below */
	if (++irq_ctx->fired == IRQ_SPAWNS)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(100 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static void kgo_sched_hardirq_spawn_test(struct kunit *test)
{
	long base = kgo_live_gs();

	irq_ctx = kunit_kzalloc(test, sizeof(*irq_ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, irq_ctx);
	irq_ctx->all_in_hardirq = true;
	countdown_init(&irq_ctx->cd, IRQ_SPAWNS);
	hrtimer_init(&irq_ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	irq_ctx->timer.function = irq_timer_fn;
	hrtimer_start(&irq_ctx->timer, ns_to_ktime(100 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	KUNIT_EXPECT_TRUE(test, countdown_wait(&irq_ctx->cd));
	hrtimer_cancel(&irq_ctx->timer);
	KUNIT_EXPECT_TRUE_MSG(test, irq_ctx->all_in_hardirq,
			      "a spawn ran outside hard irq or failed");
	wait_gs_gone(test, base);
}

/* --- CPU hotplug under load --- */

#define HOTPLUG_GS	4000

static struct countdown *hp_cd;

static void hotplug_fn(void *arg)
{
	unsigned long i = (unsigned long)arg;

	busy_us(10);
	if (i % 16 == 0)
		kgo_sleep(50 * NSEC_PER_USEC);
	countdown_hit(hp_cd);
}

static int hotplug_spawner(void *arg)
{
	unsigned long i;

	for (i = 0; i < HOTPLUG_GS; i++) {
		while (kgo_go_gfp(hotplug_fn, (void *)i, GFP_KERNEL))
			usleep_range(100, 200);
		if (!(i & 63))
			cond_resched();
	}
	return 0;
}

static void kgo_sched_hotplug_test(struct kunit *test)
{
	long base = kgo_live_gs();
	struct task_struct *t;
	unsigned int cpu;
	int ret;

	if (num_online_cpus() < 2 || kgo_nprocs() < 2)
		kunit_skip(test, "needs two CPUs with a P each");
	/* Ps sit on the first nprocs online CPUs: this is P 1's. */
	cpu = cpumask_next(cpumask_first(cpu_online_mask), cpu_online_mask);
	hp_cd = kunit_kzalloc(test, sizeof(*hp_cd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hp_cd);
	countdown_init(hp_cd, HOTPLUG_GS);
	t = kthread_run(hotplug_spawner, NULL, "kgo_test_hp");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	ret = remove_cpu(cpu);
	KUNIT_EXPECT_EQ(test, ret, 0);
	msleep(20);
	if (!ret)
		KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	/* Nothing queued on the offlined P may be lost. */
	KUNIT_EXPECT_TRUE(test, countdown_wait(hp_cd));
	wait_gs_gone(test, base);
}

/* --- a spawning module stays pinned until its Gs finish --- */

static struct completion *pin_release;

static void pinned_fn(void *arg)
{
	wait_for_completion(pin_release);
}

static void kgo_sched_module_pin_test(struct kunit *test)
{
	int refs = module_refcount(THIS_MODULE);
	long base = kgo_live_gs();

	pin_release = kunit_kzalloc(test, sizeof(*pin_release), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pin_release);
	init_completion(pin_release);
	KUNIT_ASSERT_EQ(test, kgo_go(pinned_fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	KUNIT_EXPECT_EQ(test, kgo_live_gs(), base + 1);
	complete(pin_release);
	wait_gs_gone(test, base);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
}

/* --- the M limit turns more demand into -EAGAIN, not a hang --- */

static atomic_t mlimit_started;
static bool mlimit_release;
static DECLARE_WAIT_QUEUE_HEAD(mlimit_wq);

/* Blocks behind kgo's back: its P is handed off, which needs another M. */
static void mlimit_blocker(void *arg)
{
	atomic_inc(&mlimit_started);
	wait_event(mlimit_wq, READ_ONCE(mlimit_release));
}

static void kgo_sched_m_limit_test(struct kunit *test)
{
	unsigned int old_limit, limit, i, j;
	long base = kgo_live_gs();
	int ret = 0;

	atomic_set(&mlimit_started, 0);
	WRITE_ONCE(mlimit_release, false);
	old_limit = kgo_m_limit_set(0);	/* no M beyond those that exist */
	limit = kgo_m_limit_set(0);
	/*
	 * Each blocker holds an M; once every M holds one, no M is free and
	 * the next spawn must be refused. The waits are event-driven; the
	 * bound only turns a hang into a failure.
	 */
	for (i = 0; i <= limit + 1; i++) {
		ret = kgo_go(mlimit_blocker, NULL);
		if (ret)
			break;
		for (j = 0; j < 20000; j++) {
			if (atomic_read(&mlimit_started) > i ||
			    kgo_m_limit_reached())
				break;
			usleep_range(500, 1000);
		}
	}
	KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
	KUNIT_EXPECT_LE(test, atomic_read(&mlimit_started), (int)limit);

	kgo_m_limit_set(old_limit);
	WRITE_ONCE(mlimit_release, true);
	wake_up_all(&mlimit_wq);
	wait_gs_gone(test, base);
	/* Every spawned blocker ran in the end, and spawning works again. */
	KUNIT_EXPECT_EQ(test, atomic_read(&mlimit_started), (int)i);
	KUNIT_EXPECT_EQ(test, kgo_go(mlimit_blocker, NULL), 0);
	wait_gs_gone(test, base);
}

/* --- Gs stranded behind the M limit are counted, and run in the end --- */

#define STRAND_PARKED	8

struct strand_frame {
	struct kgo_task t;
	struct kgo_chan *c;
	u32 v;
};

static atomic_t strand_entered;
static atomic_t strand_done;
static atomic_t strand_bad;

/* A parked G: receive one value (the Gs are sent 1..STRAND_PARKED). */
static int strand_recv_step(struct kgo_task *t)
{
	struct strand_frame *f = container_of(t, struct strand_frame, t);

	KGO_BEGIN(t);
	atomic_inc(&strand_entered);
	KGO_AWAIT(t, kgo_chan_recv_async(t, f->c, &f->v));
	if (t->err || !t->ok || !f->v || f->v > STRAND_PARKED)
		atomic_inc(&strand_bad);
	atomic_inc(&strand_done);
	KGO_END(t);
}

KGO_STEP_FUNC(strand_recv_step);

/* Wait, bounded only against a hang, until @v reaches @want. */
static bool strand_wait(atomic_t *v, int want)
{
	int i;

	for (i = 0; i < 40000 && atomic_read(v) < want; i++)
		usleep_range(500, 1000);
	return atomic_read(v) >= want;
}

/*
 * Every M the limit allows waits in a thread-blocking G; parked Gs readied
 * meanwhile are runnable with no M to run them. kgo_stranded_read() must
 * count exactly them, the episode and the peak; they run once the blocking
 * Gs return.
 */
static void kgo_sched_stranded_test(struct kunit *test)
{
	struct strand_frame *f;
	long base = kgo_live_gs();
	long peak, episodes, episodes0, now = 0;
	unsigned int old_limit, limit, spawned = 0, i;
	struct kgo_chan *c;

	/* Not kunit_kcalloc(): a G that never ran must not see it freed. */
	f = kcalloc(STRAND_PARKED, sizeof(*f), GFP_KERNEL);
	c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	atomic_set(&strand_entered, 0);
	atomic_set(&strand_done, 0);
	atomic_set(&strand_bad, 0);
	atomic_set(&mlimit_started, 0);
	WRITE_ONCE(mlimit_release, false);

	/* The parked receivers first, while Ms are free to start them. */
	for (i = 0; i < STRAND_PARKED; i++) {
		f[i].c = c;
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(strand_recv_step, &f[i].t,
						       GFP_KERNEL), 0);
	}
	KUNIT_ASSERT_TRUE(test, strand_wait(&strand_entered, STRAND_PARKED));

	/* Then one blocker per M: no M beyond those that exist. */
	old_limit = kgo_m_limit_set(0);
	limit = kgo_m_limit_set(0);
	for (i = 0; i < 80000 && atomic_read(&mlimit_started) < (int)limit; i++) {
		if (spawned == atomic_read(&mlimit_started) &&
		    !kgo_go(mlimit_blocker, NULL))
			spawned++;
		else
			usleep_range(500, 1000);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&mlimit_started), (int)limit);
	/* Every M waits, none is parked: nothing is queued yet. */
	KUNIT_EXPECT_EQ(test, kgo_stranded_read(&peak, &episodes0), 0L);

	/* Each value readies a parked G, which no M can run. */
	for (i = 1; i <= STRAND_PARKED; i++)
		KUNIT_EXPECT_EQ(test, kgo_chan_send(c, &i), 0);
	for (i = 0; i < 40000; i++) {
		now = kgo_stranded_read(&peak, &episodes);
		if (now >= STRAND_PARKED)
			break;
		usleep_range(500, 1000);
	}
	KUNIT_EXPECT_EQ(test, now, (long)STRAND_PARKED);
	KUNIT_EXPECT_GE(test, peak, (long)STRAND_PARKED);
	KUNIT_EXPECT_EQ(test, episodes, episodes0 + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&strand_done), 0);

	/* The blockers return: their Ms run the stranded Gs. */
	kgo_m_limit_set(old_limit);
	WRITE_ONCE(mlimit_release, true);
	wake_up_all(&mlimit_wq);
	wait_gs_gone(test, base);
	KUNIT_EXPECT_EQ(test, atomic_read(&strand_bad), 0);
	KUNIT_EXPECT_EQ(test, kgo_stranded_read(&peak, &episodes), 0L);
	KUNIT_ASSERT_EQ(test, atomic_read(&strand_done), STRAND_PARKED);
	kgo_chan_put(c);
	kfree(f);
}

static struct kunit_case kgo_sched_cases[] = {
	KUNIT_CASE(kgo_sched_module_pin_test),
	KUNIT_CASE(kgo_sched_spread_test),
	KUNIT_CASE(kgo_sched_block_kgo_sleep_test),
	KUNIT_CASE(kgo_sched_block_msleep_test),
	KUNIT_CASE(kgo_sched_block_mutex_test),
	KUNIT_CASE_SLOW(kgo_sched_running_bound_test),
	KUNIT_CASE(kgo_sched_hog_test),
	KUNIT_CASE(kgo_sched_spin_on_flag_test),
	KUNIT_CASE(kgo_sched_hardirq_spawn_test),
	KUNIT_CASE(kgo_sched_m_limit_test),
	KUNIT_CASE(kgo_sched_stranded_test),
	KUNIT_CASE_SLOW(kgo_sched_hotplug_test),
	KUNIT_CASE_SLOW(kgo_sched_million_test),
	{}
};

struct kunit_suite kgo_sched_suite = {
	.name = "kgo_sched",
	.test_cases = kgo_sched_cases,
};
