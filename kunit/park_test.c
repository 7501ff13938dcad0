// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Parked Gs (<kgo/async.h>, module/park.c): a million Gs parked at once on
 * one channel; park/ready races (a value, a close, a context's cancel, a
 * timer arriving while the G parks: every G resumes exactly once with the
 * right result); timeouts and timers waking parked selects; CPU hotplug
 * with parked Gs; parked Gs with thread-blocking Gs and kthreads on the
 * other side; sleep; and the module pin of a parked G. The ported Go
 * channel, select and timer tests run with parked peers too (chan_util.h).
 */

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/test.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/context.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "chan.h"
#include "park.h"
#include "tests.h"

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
 * (this kthread, blocking), every value checked: the many_parked parameter,
 * 1,000,000 by default (fewer on a machine with less than 1.6 GiB: a G is
 * budgeted 1 KiB, of 5/8 of the RAM; KASAN makes it ~1 KiB), 10,000 with
 * quick=1. make check passes 200,000: the full million takes some 8
 * minutes under KASAN and TCG, a third of the check's budget.
 *
 * Under KASAN and TCG a G costs ~0.2 ms to spawn and park and ~0.08 ms to
 * release: a million take longer than KUnit's fixed 300 s per case (6.12
 * has no per-case timeout). But each parameter of a case runs under its
 * own timeout, so the case runs in phases, as parameters: eight spawn
 * steps, each parking an eighth of the Gs (the earlier ones stay parked),
 * then four release steps. The state lives in pkt_many between them; a
 * phase whose predecessor failed cleans up instead (the last one always
 * does).
 */
static unsigned long pkt_many_n = 1000000;
module_param_named(many_parked, pkt_many_n, ulong, 0444);
MODULE_PARM_DESC(many_parked, "Gs kgo_park's pkt_many_parked parks at once (quick=1: 10,000)");

#define PKT_MANY_SPAWN_STEPS	8
#define PKT_MANY_RELEASE_STEPS	4
#define PKT_MANY_STEPS		(PKT_MANY_SPAWN_STEPS + PKT_MANY_RELEASE_STEPS)

static struct {
	struct pkt_shared s;
	long n;
	long spawned;
	long sent;
	long parked0;
	long slab0;
	u64 t0;
	bool broken;
} pkt_many;

static const int pkt_many_steps[PKT_MANY_STEPS] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
};

static void pkt_many_desc(const int *step, char *desc)
{
	if (*step < PKT_MANY_SPAWN_STEPS)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "park %d/%d", *step + 1,
			 PKT_MANY_SPAWN_STEPS);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "release %d/%d",
			 *step - PKT_MANY_SPAWN_STEPS + 1, PKT_MANY_RELEASE_STEPS);
}

KUNIT_ARRAY_PARAM(pkt_many, pkt_many_steps, pkt_many_desc);

static long pkt_slab_bytes(void)
{
	return global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) << PAGE_SHIFT;
}

static void pkt_many_parked(struct kunit *test)
{
	const int step = *(const int *)test->param_value;
	long cap = (long)(totalram_pages() << PAGE_SHIFT) / 8 * 5 / 1024;
	long i, end;
	u64 t;
	u32 v;

	if (step == 0) {
		memset(&pkt_many, 0, sizeof(pkt_many));
		pkt_many.n = min(kgo_test_quick ? 10000L : (long)pkt_many_n, cap);
		pkt_many.parked0 = kgo_tasks_parked();
		pkt_many.slab0 = pkt_slab_bytes();
		pkt_many.t0 = ktime_get_ns();
		pkt_many.s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
		if (IS_ERR(pkt_many.s.c)) {
			pkt_many.s.c = NULL;
			pkt_many.broken = true;
		}
	}
	if (!pkt_many.s.c)
		kunit_skip(test, "no channel");
	/* Until a phase has passed, the next ones only clean up. */
	if (!pkt_many.broken)
		pkt_many.broken = true;
	else if (step < PKT_MANY_STEPS - 1)
		kunit_skip(test, "an earlier phase failed");

	if (step < PKT_MANY_SPAWN_STEPS) {
		end = pkt_many.n * (step + 1) / PKT_MANY_SPAWN_STEPS;
		t = ktime_get_ns();
		for (i = pkt_many.spawned; i < end; i++) {
			if (pkt_spawn(&pkt_many.s, pkt_recv_step, 0, 0, 0))
				break;
			pkt_many.spawned++;
		}
		KUNIT_ASSERT_EQ(test, pkt_many.spawned, end);
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_tasks_parked() - pkt_many.parked0 >=
						      pkt_many.spawned));
		kunit_info(test, "%ld Gs parked (%ld more in %llu ms)\n",
			   kgo_tasks_parked() - pkt_many.parked0,
			   end - pkt_many.n * step / PKT_MANY_SPAWN_STEPS,
			   div_u64(ktime_get_ns() - t, NSEC_PER_MSEC));
		if (step == PKT_MANY_SPAWN_STEPS - 1)
			kunit_info(test, "slab: %ld bytes per parked G, frame included\n",
				   (pkt_slab_bytes() - pkt_many.slab0) / pkt_many.n);
		pkt_many.broken = false;
		return;
	}
	/* Release: one sender, a part of the values per step. */
	end = step == PKT_MANY_STEPS - 1 ? pkt_many.spawned :
	      pkt_many.spawned * (step - PKT_MANY_SPAWN_STEPS + 1) / PKT_MANY_RELEASE_STEPS;
	t = ktime_get_ns();
	for (v = pkt_many.sent + 1; pkt_many.sent < end; v++) {
		KUNIT_ASSERT_EQ(test, kgo_chan_send(pkt_many.s.c, &v), 0);
		pkt_many.sent++;
	}
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&pkt_many.s.done) == end));
	kunit_info(test, "%ld released in %llu ms\n", end,
		   div_u64(ktime_get_ns() - t, NSEC_PER_MSEC));
	if (step < PKT_MANY_STEPS - 1) {
		pkt_many.broken = false;
		return;
	}
	KUNIT_EXPECT_EQ(test, pkt_many.spawned, pkt_many.n);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pkt_many.s.bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pkt_many.s.sum),
			pkt_many.spawned * (pkt_many.spawned + 1) / 2);
	kunit_info(test, "%ld Gs parked and released in %llu ms\n", pkt_many.n,
		   div_u64(ktime_get_ns() - pkt_many.t0, NSEC_PER_MSEC));
	kgo_chan_put(pkt_many.s.c);
	pkt_many.s.c = NULL;
}

/*
 * Wait, spinning, until a receiver is queued on @c: the moment the G's
 * async operation has dropped the channel lock and before its M has
 * parked it, the window the park/ready protocol guards. Gives up after a
 * while (the race then happens elsewhere, which proves less but is no
 * failure); yields, for the G may need this CPU.
 */
static void pkt_spin_queued(struct kgo_chan *c)
{
	bool queued = false;
	int i;

	for (i = 0; i < 100000 && !queued; i++) {
		spin_lock_bh(&c->lock);
		queued = !list_empty(&c->recvq);
		spin_unlock_bh(&c->lock);
		if (!(i & 15))
			cond_resched();
		else
			cpu_relax();
	}
}

/*
 * The race: a G's receive and its waker (a send, a close) start at once,
 * so the waker finds the G's sudog before, while or after the G parks (a
 * blocking send spins for its receiver; the closer spins until the G's
 * sudog is queued). Every G must resume exactly once with the value (or
 * the close) meant for it.
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
		if (close) {
			pkt_spin_queued(s.c);
			KUNIT_ASSERT_EQ(test, kgo_chan_close(s.c), 0);
		} else {
			KUNIT_ASSERT_EQ(test, kgo_chan_send(s.c, &v), 0);
		}
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == i + 1));
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

/*
 * A context's cancellation racing the park: a G selects on a channel
 * nobody else uses and on kgo_ctx_done() of a fresh context, and the
 * racer cancels the context as soon as the G's sudog is queued; on every
 * other round it first tries to hand the G a value instead (a send with a
 * 1-20 us timeout), then cancels. Every G resumes
 * exactly once: with the value if and only if the send succeeded, else
 * with the Done case, ok == false, and the context's -ECANCELED. Racers
 * on every CPU (up to 4) at once.
 */
struct pkt_cancel {
	struct kgo_task t;
	struct kgo_select_case cs[2];
	u32 v;
	u32 *hit;
	int result;
	bool ok;
	atomic_t done;
};

static int pkt_cancel_step(struct kgo_task *t)
{
	struct pkt_cancel *f = container_of(t, struct pkt_cancel, t);

	KGO_BEGIN(t);
	KGO_AWAIT(t, kgo_select_async(t, f->cs, 2, KGO_FOREVER));
	(*f->hit)++;
	f->result = t->err;
	f->ok = f->cs[t->err == 1].ok;
	atomic_set_release(&f->done, 1);
	KGO_END(t);
}

KGO_STEP_FUNC(pkt_cancel_step);

struct pkt_cancel_racer {
	long iters;
	u32 *hits;
	atomic_long_t bad;
	atomic_long_t delivered;
	struct completion finished;
};

static void pkt_cancel_round(struct pkt_cancel_racer *r, struct pkt_cancel *f,
			     long i)
{
	struct kgo_chan *c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	struct kgo_ctx *ctx = kgo_ctx_with_cancel(kgo_ctx_background(), GFP_KERNEL);
	u32 v = i + 1;
	int sent = -ETIMEDOUT;

	if (IS_ERR_OR_NULL(c) || IS_ERR_OR_NULL(ctx))
		goto fail;
	memset(f, 0, sizeof(*f));
	f->hit = &r->hits[i];
	f->cs[0] = (struct kgo_select_case){ .chan = c, .dir = KGO_SELECT_RECV,
					     .elem = &f->v };
	f->cs[1] = (struct kgo_select_case){ .chan = kgo_ctx_done(ctx),
					     .dir = KGO_SELECT_RECV };
	if (kgo_go_async_gfp(pkt_cancel_step, &f->t, GFP_KERNEL))
		goto fail;
	if (i & 1)
		sent = kgo_chan_send_timeout(c, &v, (1 + i % 20) * NSEC_PER_USEC);
	else
		pkt_spin_queued(c);
	kgo_ctx_cancel(ctx);
	if (!KGO_TEST_WAIT(atomic_read_acquire(&f->done)))
		goto fail;	/* the G is lost: leak rather than free under it */
	if (kgo_ctx_err(ctx) != -ECANCELED)
		atomic_long_inc(&r->bad);
	if (!sent) {
		atomic_long_inc(&r->delivered);
		if (f->result != 0 || !f->ok || f->v != v)
			atomic_long_inc(&r->bad);
	} else if (f->result != 1 || f->ok) {
		atomic_long_inc(&r->bad);
	}
	kgo_ctx_put(ctx);
	kgo_chan_put(c);
	return;
fail:
	atomic_long_inc(&r->bad);
	r->iters = 0;
}

static int pkt_cancel_racer_fn(void *arg)
{
	struct pkt_cancel_racer *r = arg;
	struct pkt_cancel *f = kzalloc(sizeof(*f), GFP_KERNEL);
	long i;

	if (!f) {
		atomic_long_inc(&r->bad);
		r->iters = 0;
	}
	for (i = 0; i < r->iters; i++) {
		pkt_cancel_round(r, f, i);
		cond_resched();
	}
	if (!r->iters)	/* a lost G may still use the frame */
		f = NULL;
	kfree(f);
	complete(&r->finished);
	return 0;
}

static void pkt_race_cancel(struct kunit *test)
{
	long iters = kgo_test_quick ? 1000 : 10000;
	unsigned int k, nr = clamp(num_online_cpus(), 1U, 4U);
	struct pkt_cancel_racer *r;
	struct task_struct *task;
	long i, delivered = 0;

	r = kunit_kcalloc(test, nr, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (k = 0; k < nr; k++) {
		r[k].iters = iters / nr;
		r[k].hits = kunit_kcalloc(test, r[k].iters, sizeof(u32), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r[k].hits);
		init_completion(&r[k].finished);
	}
	for (k = 0; k < nr; k++) {
		task = kthread_run(pkt_cancel_racer_fn, &r[k], "kgo_pkt_cancel");
		if (IS_ERR(task)) {
			atomic_long_inc(&r[k].bad);
			complete(&r[k].finished);
		}
	}
	for (k = 0; k < nr; k++) {
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r[k].finished,
								    240 * HZ));
		KUNIT_EXPECT_EQ(test, atomic_long_read(&r[k].bad), 0);
		for (i = 0; i < r[k].iters; i++)
			if (r[k].hits[i] != 1)
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, r[k].iters, "racer %u: G %ld resumed %u times",
				    k, i, i < r[k].iters ? r[k].hits[i] : 0);
		delivered += atomic_long_read(&r[k].delivered);
	}
	kunit_info(test, "%u racers, %ld values won over the cancel\n", nr, delivered);
}

/*
 * Timeouts wake parked Gs: a context's deadline (its Done channel closes,
 * -ETIMEDOUT) and a timer's channel (kgo_after()), each in a select of a
 * parked G with a channel never ready; 100 Gs on each at once.
 */
#define PKT_TMO_GS	100

static void pkt_timeouts_wake(struct kunit *test)
{
	struct pkt_cancel *f = kunit_kcalloc(test, 2 * PKT_TMO_GS, sizeof(*f), GFP_KERNEL);
	u32 *hits = kunit_kcalloc(test, 2 * PKT_TMO_GS, sizeof(u32), GFP_KERNEL);
	struct kgo_chan *c, *after[PKT_TMO_GS];
	struct kgo_ctx *ctx;
	u64 t0 = ktime_get_ns();
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, hits);
	c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	ctx = kgo_ctx_with_timeout(kgo_ctx_background(), 5 * NSEC_PER_MSEC, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(ctx));
	for (i = 0; i < 2 * PKT_TMO_GS; i++) {
		struct kgo_chan *wake = kgo_ctx_done(ctx);

		if (i >= PKT_TMO_GS) {
			wake = kgo_after(5 * NSEC_PER_MSEC);
			KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(wake));
			after[i - PKT_TMO_GS] = wake;
		}
		f[i].hit = &hits[i];
		f[i].cs[0] = (struct kgo_select_case){ .chan = c, .dir = KGO_SELECT_RECV,
						       .elem = &f[i].v };
		f[i].cs[1] = (struct kgo_select_case){ .chan = wake,
						       .dir = KGO_SELECT_RECV };
		KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_cancel_step, &f[i].t,
						       GFP_KERNEL), 0);
	}
	for (i = 0; i < 2 * PKT_TMO_GS; i++) {
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_read_acquire(&f[i].done)));
		KUNIT_EXPECT_EQ(test, hits[i], 1);
		KUNIT_EXPECT_EQ(test, f[i].result, 1);
		/* Done is closed: ok == false; a timer delivers its time. */
		KUNIT_EXPECT_EQ(test, f[i].ok, i >= PKT_TMO_GS);
	}
	KUNIT_EXPECT_GE(test, ktime_get_ns() - t0, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, kgo_ctx_err(ctx), -ETIMEDOUT);
	/* Only one G got each timer's one value. */
	for (i = 0; i < PKT_TMO_GS; i++)
		kgo_chan_put(after[i]);
	kgo_ctx_put(ctx);
	kgo_chan_put(c);
}

/*
 * CPU hotplug with parked Gs: thousands parked on one channel, more being
 * spawned and all being released by a kthread, while a CPU with a P goes
 * offline and comes back, three times; then it goes offline again and a
 * second kthread releases the other half. Nothing is lost, not even while
 * the CPU is offline: every G resumes exactly once with one of the
 * values, and the values add up.
 */
struct pkt_hp {
	struct pkt_shared *s;
	long from, to;
	atomic_long_t *errs;
	struct completion finished;
};

static int pkt_hp_spawner(void *arg)
{
	struct pkt_hp *h = arg;
	long i;

	for (i = h->from; i < h->to; i++) {
		while (pkt_spawn(h->s, pkt_recv_step, i, 0, 0))
			usleep_range(100, 200);
		if (!(i & 63))
			cond_resched();
	}
	complete_all(&h->finished);
	return 0;
}

static int pkt_hp_sender(void *arg)
{
	struct pkt_hp *h = arg;
	u32 v;

	for (v = h->from + 1; v <= h->to; v++)
		if (kgo_chan_send(h->s->c, &v))
			atomic_long_inc(h->errs);
	complete_all(&h->finished);
	return 0;
}

static struct cpumask pkt_hp_mask;

static void pkt_hotplug(struct kunit *test)
{
	long n = kgo_test_quick ? 2000 : 10000;
	long parked0 = kgo_tasks_parked();
	struct pkt_hp spawner, sender, sender2;
	struct pkt_shared s = {};
	atomic_long_t errs;
	struct task_struct *k;
	unsigned int cpu;
	int round, ret;
	long i;

	if (num_online_cpus() < 2 || kgo_nprocs() < 2)
		kunit_skip(test, "needs two CPUs with a P each");
	/* Ps sit on the first nprocs online CPUs: this is P 1's. */
	cpu = cpumask_next(cpumask_first(cpu_online_mask), cpu_online_mask);
	atomic_long_set(&errs, 0);
	s.n = n;
	s.hits = vcalloc(n, sizeof(*s.hits));
	KUNIT_ASSERT_NOT_NULL(test, s.hits);
	s.c = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s.c));
	/* Half parked before the first offline, half spawned during. */
	for (i = 0; i < n / 2; i++)
		KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_recv_step, i, 0, 0), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_tasks_parked() - parked0 >= n / 2));
	spawner = (struct pkt_hp){ .s = &s, .from = n / 2, .to = n, .errs = &errs };
	sender = (struct pkt_hp){ .s = &s, .from = 0, .to = n / 2, .errs = &errs };
	sender2 = (struct pkt_hp){ .s = &s, .from = n / 2, .to = n, .errs = &errs };
	init_completion(&spawner.finished);
	init_completion(&sender.finished);
	init_completion(&sender2.finished);
	/*
	 * Both on the CPU that goes and the first: spawns and wake-ups from
	 * a kthread are injected into its CPU's P, so the going P has Gs
	 * queued when it stops.
	 */
	cpumask_clear(&pkt_hp_mask);
	cpumask_set_cpu(cpumask_first(cpu_online_mask), &pkt_hp_mask);
	cpumask_set_cpu(cpu, &pkt_hp_mask);
	k = kthread_create(pkt_hp_spawner, &spawner, "kgo_pkt_hp_spawn");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	set_cpus_allowed_ptr(k, &pkt_hp_mask);
	wake_up_process(k);
	k = kthread_create(pkt_hp_sender, &sender, "kgo_pkt_hp_send");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	set_cpus_allowed_ptr(k, &pkt_hp_mask);
	wake_up_process(k);
	for (round = 0; round < 3; round++) {
		ret = remove_cpu(cpu);
		KUNIT_EXPECT_EQ(test, ret, 0);
		usleep_range(10000, 20000);
		if (!ret)
			KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
		usleep_range(5000, 10000);
	}
	/*
	 * The second half of the values with the CPU offline: a G left on
	 * its P (queued there before it stopped, or readied onto it after)
	 * would never run.
	 */
	ret = remove_cpu(cpu);
	KUNIT_EXPECT_EQ(test, ret, 0);
	k = kthread_run(pkt_hp_sender, &sender2, "kgo_pkt_hp_send");
	if (IS_ERR(k))
		complete_all(&sender2.finished);
	KUNIT_EXPECT_FALSE(test, IS_ERR(k));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&spawner.finished, 240 * HZ));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&sender.finished, 240 * HZ));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&sender2.finished, 240 * HZ));
	KUNIT_EXPECT_TRUE_MSG(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == n),
			      "%ld of %ld Gs done with CPU %u offline",
			      atomic_long_read(&s.done), n, cpu);
	if (!ret)
		KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	/* A failed wait above: whatever was stranded may run now. */
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&spawner.finished, 240 * HZ));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&sender.finished, 240 * HZ));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&sender2.finished, 240 * HZ));
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == n));
	/* A G run twice would count twice; give it the chance. */
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.done), n);
	for (i = 0; i < n; i++)
		if (s.hits[i] != 1)
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, n, "G %ld resumed %u times", i,
			    i < n ? s.hits[i] : 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&errs), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.sum), n * (n + 1) / 2);
	kgo_chan_put(s.c);
	vfree(s.hits);
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
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&done) == iters));
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
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&done) == 1));
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
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == n + 1));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.sum), n * (n + 1) / 2);

	atomic_long_set(&s.done, 0);
	atomic_long_set(&s.sum, 0);
	k = kthread_run(pkt_kthread_send, &b, "kgo-pkt-send");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, pkt_spawn(&s, pkt_recv_step, 0, 0, 0), 0);
	/* Which value each gets is not known: check the sum. */
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == n + 1));
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
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, -EAGAIN);

	/* A ready case completes at once. */
	KUNIT_ASSERT_EQ(test, kgo_chan_send(b, &v), 0);
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, 1);
	KUNIT_EXPECT_EQ(test, f->v[1], 42);
	KUNIT_EXPECT_TRUE(test, f->cases[1].ok);

	/* Parked on both; a thread-blocking send on the first wakes it. */
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	v = 7;
	KUNIT_EXPECT_EQ(test, kgo_chan_send(a, &v), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, 0);
	KUNIT_EXPECT_EQ(test, f->v[0], 7);
	/* Its sudog on b is gone: b takes one value into its buffer. */
	KUNIT_EXPECT_EQ(test, kgo_chan_send_timeout(b, &v, KGO_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv_timeout(b, &v, NULL, KGO_NOWAIT), 0);

	/* Timeout: 10 ms, nothing comes. */
	pkt_sel_init(f, a, b, 10 * NSEC_PER_MSEC);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
	KUNIT_EXPECT_EQ(test, f->result, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, f->elapsed, 10 * NSEC_PER_MSEC);
	/* No receiver left on a. */
	KUNIT_EXPECT_EQ(test, kgo_chan_send_timeout(a, &v, KGO_NOWAIT), -EAGAIN);
	KUNIT_EXPECT_EQ(test, f->resumes, 1);

	/* A close wakes it with ok == false. */
	pkt_sel_init(f, a, b, KGO_FOREVER);
	KUNIT_ASSERT_EQ(test, pkt_sel_run(f), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(a), 0);
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
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
		KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&f->done) == 1));
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
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_tasks_parked() - parked0 >= n));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&done), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_done(&wg), 0);
	KUNIT_EXPECT_EQ(test, kgo_wg_wait_timeout(&wg, KGO_FOREVER), 0);
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&done) == n));
	/* A zero counter does not park. */
	f[0].wg = &wg;
	KUNIT_ASSERT_EQ(test, kgo_go_async_gfp(pkt_wg_step, &f[0].t, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&done) == n + 1));
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
	KUNIT_ASSERT_TRUE(test, KGO_TEST_WAIT(kgo_tasks_parked() > parked0));
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), before + 1);
	KUNIT_EXPECT_EQ(test, kgo_chan_send(s.c, &v), 0);
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(atomic_long_read(&s.done) == 1));
	KUNIT_EXPECT_TRUE(test, KGO_TEST_WAIT(module_refcount(THIS_MODULE) == before));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s.bad), 0);
	kgo_chan_put(s.c);
}

static struct kunit_case kgo_park_cases[] = {
	KUNIT_CASE(pkt_module_pinned),
	KUNIT_CASE(pkt_race_value),
	KUNIT_CASE(pkt_race_close),
	KUNIT_CASE_SLOW(pkt_race_cancel),
	KUNIT_CASE(pkt_timeouts_wake),
	KUNIT_CASE_SLOW(pkt_hotplug),
	KUNIT_CASE(pkt_sleep_race),
	KUNIT_CASE(pkt_mixed_peers),
	KUNIT_CASE(pkt_select),
	KUNIT_CASE(pkt_select_timeout_race),
	KUNIT_CASE(pkt_waitgroup),
	KUNIT_CASE_PARAM_ATTR(pkt_many_parked, pkt_many_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

struct kunit_suite kgo_park_suite = {
	.name = "kgo_park",
	.test_cases = kgo_park_cases,
};
