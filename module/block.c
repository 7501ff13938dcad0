// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * What happens to a P when its G blocks. A G has no stack of its own, so a
 * blocked G keeps its M asleep; the P must go to another M so that the
 * rest of its queue keeps running (Go's entersyscall/handoffp/exitsyscall,
 * cmwq's concurrency management).
 *
 * - kgo's own blocking operations bracket the wait with kgo_block_enter()
 *   and kgo_block_exit(). With other Gs queued, the P is handed off before
 *   the M sleeps. With none, it is kept in state KGO_P_BLOCKED (Go's
 *   _Psyscall) so that a short wait (a channel ping-pong) gets it back
 *   with one cmpxchg; whoever queues work for a blocked P, or sysmon,
 *   retakes it and hands it off then. A G whose P was taken reacquires
 *   one in kgo_block_exit(). The P's side of all this (kgo_p_block(),
 *   kgo_p_unblock(), the retakes) is in pown.c.
 * - Blocking that kgo does not see (mutex_lock(), msleep(), I/O) is caught
 *   by a preempt notifier: switching out a G's M that is not runnable
 *   queues a hard irq_work (the notifier runs under the runqueue lock,
 *   where waking anyone would deadlock) that retakes the P and hands it
 *   off. Such a G, once woken, runs on without a P until it returns or
 *   calls into kgo, where it reacquires one; see Documentation/design.rst.
 * - sysmon (sysmon.c) is the fallback: it retakes a P whose G has not let
 *   the schedule loop run for 10 ms, blocked or hogging.
 */

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include <kgo/kgo.h>

#include "compat.h"
#include "param.h"
#include "sched.h"
#include "trace.h"

static void kgo_retake_work_fn(struct irq_work *work)
{
	struct kgo_m *m = container_of(work, struct kgo_m, retake_work);
	struct kgo_p *p = READ_ONCE(m->p);

	/*
	 * Only if the M is still off the CPU: it may be back already. A
	 * stale @p is harmless: the retake's cmpxchg names @m as its owner.
	 */
	if (p && !task_is_running(m->task) && !READ_ONCE(m->in_block))
		kgo_p_retake(m, p, false);
}

static void kgo_notifier_sched_in(struct preempt_notifier *pn, int cpu)
{
}

static void kgo_notifier_sched_out(struct preempt_notifier *pn,
				   struct task_struct *next)
{
	struct kgo_m *m = container_of(pn, struct kgo_m, notifier);

	/* Preempted (still runnable) is not blocked; kgo's own waits hand off. */
	if (task_is_running(current) || !m->curg || READ_ONCE(m->in_block))
		return;
	irq_work_queue(&m->retake_work);
}

static struct preempt_ops kgo_notifier_ops = {
	.sched_in = kgo_notifier_sched_in,
	.sched_out = kgo_notifier_sched_out,
};

/**
 * kgo_block_init_all() - enable preempt notifiers (a static key)
 *
 * Context: module init, before any M starts.
 */
void kgo_block_init_all(void)
{
	preempt_notifier_inc();
}

/**
 * kgo_block_exit_all() - what undoing kgo_block_init_all() would be
 *
 * Deliberately leaves the preempt-notifier static key enabled: every
 * enable and disable rewrites the code of __schedule() while other CPUs
 * run it, and QEMU's TCG emulation, where kgo's tests run, now and then
 * executes the transient int3 of that rewrite after it is gone ("Oops:
 * int3" in __schedule, seen at insmod and at rmmod). Left enabled, only
 * the first load of a boot patches the code; the cost is a list-empty
 * check per context switch of tasks that have no notifier.
 *
 * Context: module unload, after every M has stopped.
 */
void kgo_block_exit_all(void)
{
}

/**
 * kgo_block_m_init() - set up @m's blocking detection
 * @m: the calling M, at the start of its kthread
 */
void kgo_block_m_init(struct kgo_m *m)
{
	m->retake_work = IRQ_WORK_INIT_HARD(kgo_retake_work_fn);
	preempt_notifier_init(&m->notifier, &kgo_notifier_ops);
	preempt_notifier_register(&m->notifier);
}

/**
 * kgo_block_m_exit() - undo kgo_block_m_init()
 * @m: the calling M, at the end of its kthread
 */
void kgo_block_m_exit(struct kgo_m *m)
{
	preempt_notifier_unregister(&m->notifier);
	irq_work_sync(&m->retake_work);
}

/*
 * How long a G may spin waiting for a channel peer before it blocks. A
 * wake-up costs a sleep, an IPI and the P's way back; a peer running on
 * another CPU often answers sooner. 0 disables spinning.
 */
static unsigned long kgo_wait_spin_ns = 20000;
/* Past a millisecond a spin costs more than any wake-up it saves. */
KGO_PARAM_RANGE(wait_spin_ns, kgo_wait_spin_ns, 0, 1000000,
		"Nanoseconds a G spins for a channel peer before blocking, when its P has nothing else to run (0: never)");

/**
 * kgo_block_spin_ns() - how long the calling G may spin before it blocks
 *
 * Go's sync.Mutex spins only when it can pay off: there is more than one
 * P, another P is busy (the peer may be running there) and this P has
 * nothing else to run. A task outside a G never spins.
 *
 * Context: process.
 * Return: nanoseconds, 0 for none.
 */
u64 kgo_block_spin_ns(void)
{
	unsigned long ns = READ_ONCE(kgo_wait_spin_ns);
	struct kgo_m *m;

	if (!ns || kgo_sched.nprocs < 2)
		return 0;
	m = kgo_m_current();
	if (!m || !m->curg || !m->p || kgo_p_has_work(m->p) ||
	    READ_ONCE(kgo_sched.runq_size) || READ_ONCE(kgo_sched.pwait))
		return 0;
	/* Every other P idle: no peer can be running on one. */
	if (READ_ONCE(kgo_sched.npidle) + 1 >= kgo_sched.nprocs)
		return 0;
	return ns;
}

/**
 * kgo_block_enter() - the calling G is about to block: hand its P off
 * @reason: what it waits on (debugfs shows it)
 *
 * Context: process. A no-op outside a G, where blocking just sleeps.
 * Return: the M to pass to kgo_block_exit(), or NULL outside a G.
 */
struct kgo_m *kgo_block_enter(const char *reason)
{
	struct kgo_m *m = kgo_m_current();

	if (!m || !m->curg)
		return NULL;
	trace_kgo_g_block(m->curg, reason);
	WRITE_ONCE(m->curg->wait_reason, reason);
	WRITE_ONCE(m->curg->state, KGO_G_WAITING);
	WRITE_ONCE(m->in_block, true);
	kgo_p_block(m);		/* keep the P, or hand it off (pown.c) */
	return m;
}

/**
 * kgo_block_exit() - the G blocked by kgo_block_enter() continues
 * @m: what kgo_block_enter() returned
 *
 * Waits for a P: the old one if idle, any idle one, or the next given up.
 *
 * Context: process; may sleep.
 */
void kgo_block_exit(struct kgo_m *m)
{
	if (!m)
		return;
	kgo_p_unblock(m);
	WRITE_ONCE(m->in_block, false);
	WRITE_ONCE(m->curg->wait_reason, NULL);
	WRITE_ONCE(m->curg->state, KGO_G_RUNNING);
}

/* A G whose P was taken while it ran (retake, unseen block) gets one back. */
static void kgo_regain_p(struct kgo_m *m)
{
	struct kgo_p *p = m->p;

	if (p && kgo_own_m(atomic_long_read(&p->own)) == m)
		return;
	m->oldp = p;
	WRITE_ONCE(m->p, NULL);
	kgo_block_exit(m);
}

/**
 * kgo_sleep() - sleep for @ns nanoseconds, letting other Gs use the P
 * @ns: how long
 *
 * Context: process; sleeps. Outside a G it is a plain sleep.
 */
void kgo_sleep(u64 ns)
{
	struct kgo_m *m = kgo_block_enter("sleep");
	ktime_t timeout = ns_to_ktime(ns);

	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule_hrtimeout(&timeout, HRTIMER_MODE_REL);
	kgo_block_exit(m);
}
EXPORT_SYMBOL_GPL(kgo_sleep);

/**
 * kgo_should_yield() - whether the calling G should call kgo_yield()
 *
 * True once the G has held its P for 10 ms while other work waited
 * (sysmon's preemption request) or after its P was taken from it. Cheap
 * enough for the inner loop of a long computation.
 *
 * Context: any.
 * Return: whether to yield; always false outside a G.
 */
bool kgo_should_yield(void)
{
	struct kgo_m *m = kgo_m_current();
	struct kgo_p *p;

	if (!m || !m->curg)
		return false;
	p = m->p;
	return !p || READ_ONCE(p->preempt_req) ||
	       atomic_long_read(&p->own) != kgo_own(m, KGO_P_GRUNNING);
}
EXPORT_SYMBOL_GPL(kgo_should_yield);

/**
 * kgo_yield() - let other Gs run (Go's runtime.Gosched)
 *
 * The G cannot leave its M (it has no stack of its own), so the P leaves
 * instead: when other Gs wait, queued or woken and waiting for a P (what
 * a runnable G is to Go), the P goes to another M and this G queues for
 * a P behind the Ms already waiting, which every P serves at least every
 * 61st schedule.
 *
 * Context: process; may sleep. Outside a G it is cond_resched().
 */
void kgo_yield(void)
{
	struct kgo_m *m = kgo_m_current();
	struct kgo_p *p;

	if (!m || !m->curg) {
		cond_resched();
		return;
	}
	kgo_regain_p(m);
	p = m->p;
	if (!p)
		return;
	/* Not as owner (O): sysmon may take the P from us at any moment. */
	atomic_long_inc(&p->yields);
	WRITE_ONCE(p->preempt_req, false);
	if (!kgo_p_has_work(p) && !READ_ONCE(kgo_sched.runq_size) &&
	    !READ_ONCE(kgo_sched.pwait)) {
		cond_resched();
		return;
	}
	kgo_block_exit(kgo_block_enter("yield"));
}
EXPORT_SYMBOL_GPL(kgo_yield);
