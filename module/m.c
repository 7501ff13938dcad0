// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Ms: the kthreads that run Gs. An M runs the schedule loop while it holds
 * a P, parks on the idle-M list when it has none, and is woken with a P in
 * @nextp (Go's startm/stopm/mstart). New Ms are created from process
 * context only (kthread_create() sleeps), by a work item when a spawn from
 * atomic context finds no parked M.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "param.h"
#include "sched.h"

/* At least one M, or no G ever runs; at most the kernel's PID_MAX_LIMIT. */
unsigned long kgo_max_threads = 10000;
KGO_PARAM_RANGE(max_threads, kgo_max_threads, 1, 4194304,
		"Most Ms (kthreads) kgo may create; past it spawns get -EAGAIN and queued Gs wait, stranded (Go's 10000)");

static int kgo_m_main(void *arg);

/**
 * kgo_m_limit_set() - change the M limit (tests; the parameter is 0644)
 * @limit: the new limit; 0 means "as many Ms as exist now"
 *
 * Context: any.
 * Return: the previous limit.
 */
unsigned int kgo_m_limit_set(unsigned int limit)
{
	return xchg(&kgo_max_threads,
		    (unsigned long)(limit ?: READ_ONCE(kgo_sched.mcount)));
}
EXPORT_SYMBOL_NS_GPL(kgo_m_limit_set, KGO_INTERNAL_NS);

/**
 * kgo_m_of_task() - the M whose kthread @task is
 * @task: any task
 *
 * Context: any; @task must stay alive (an M's does until kgo unloads).
 * Return: the M, or NULL when @task is not one of kgo's kthreads.
 */
struct kgo_m *kgo_m_of_task(struct task_struct *task)
{
	if (!(task->flags & PF_KTHREAD) || kthread_func(task) != kgo_m_main)
		return NULL;
	return kthread_data(task);
}

/**
 * kgo_m_current() - the M the caller runs on
 *
 * Context: any.
 * Return: the M, or NULL when the caller is not one of kgo's kthreads.
 */
struct kgo_m *kgo_m_current(void)
{
	return in_task() ? kgo_m_of_task(current) : NULL;
}

/* Whether an M runs @p (its schedule loop or a G): queued Gs get a turn. */
static bool kgo_p_is_run(struct kgo_p *p)
{
	long own = atomic_long_read(&p->own);

	switch (kgo_own_state(own)) {
	case KGO_P_SCHED:
	case KGO_P_GRUNNING:
	case KGO_P_OWNER_OP:
		return kgo_own_m(own);
	default:
		return false;
	}
}

/**
 * kgo_stranded_now() - runnable Gs that no M can run for the M limit
 *
 * A G is stranded when it is queued while every M ``max_threads`` allows
 * exists, none is parked and no P is run by an M: all the Ms wait in
 * thread-blocking Gs, and the queued Gs run only when one of those waits
 * ends (if the waits wait for them, never). Spawns are refused with
 * -EAGAIN then (kgo_m_limit_reached()), but Gs queued before the Ms ran
 * out, and parked Gs readied since, are not.
 *
 * Context: any; lockless snapshots of the queues and the M counts.
 * Return: the number of such Gs, 0 when any M can still run Gs.
 */
long kgo_stranded_now(void)
{
	long n;
	u32 i;

	if (READ_ONCE(kgo_sched.mcount) < READ_ONCE(kgo_max_threads) ||
	    READ_ONCE(kgo_sched.nmidle))
		return 0;
	n = READ_ONCE(kgo_sched.runq_size);
	for (i = 0; i < kgo_sched.nprocs; i++) {
		struct kgo_p *p = kgo_sched.allp[i];

		if (kgo_p_is_run(p))
			return 0;
		n += kgo_runq_len(&p->runq) + !!READ_ONCE(p->runq.runnext) +
		     max(atomic_read(&p->ninject), 0);
	}
	return n;
}

/**
 * kgo_stranded_note() - account @n Gs found stranded (kgo_stranded_now())
 * @n: the count
 *
 * Keeps the peak; the first non-zero count of an episode counts the
 * episode and warns (ratelimited), a zero count ends it.
 *
 * Context: any.
 */
void kgo_stranded_note(long n)
{
	long peak = atomic_long_read(&kgo_sched.stranded_peak);

	while (n > peak &&
	       !atomic_long_try_cmpxchg(&kgo_sched.stranded_peak, &peak, n))
		;
	if (!n) {
		if (atomic_read(&kgo_sched.stranding))
			atomic_set(&kgo_sched.stranding, 0);
		return;
	}
	if (atomic_read(&kgo_sched.stranding) ||
	    atomic_xchg(&kgo_sched.stranding, 1))
		return;
	atomic_long_inc(&kgo_sched.stranded_episodes);
	pr_warn_ratelimited("%ld runnable Gs have no M: all max_threads=%lu Ms wait in thread-blocking Gs; Gs that wait should park (kgo_go_async())\n",
			    n, READ_ONCE(kgo_max_threads));
}

/**
 * kgo_stranded_read() - the stranded-G counts, for debugfs, stats and tests
 * @peak: set to the most Gs found stranded at once
 * @episodes: set to the number of stranding episodes
 *
 * Takes a sample as it reads (which may begin or end an episode).
 *
 * Context: any.
 * Return: the Gs stranded now, see kgo_stranded_now().
 */
long kgo_stranded_read(long *peak, long *episodes)
{
	long n = kgo_stranded_now();

	kgo_stranded_note(n);
	*peak = atomic_long_read(&kgo_sched.stranded_peak);
	*episodes = atomic_long_read(&kgo_sched.stranded_episodes);
	return n;
}
EXPORT_SYMBOL_NS_GPL(kgo_stranded_read, KGO_INTERNAL_NS);

/**
 * kgo_m_migrate() - move the calling M to @p's CPU
 * @p: the P it now holds
 *
 * Offline CPUs are refused; the M then runs anywhere.
 *
 * Context: an M's kthread; may sleep.
 */
void kgo_m_migrate(struct kgo_p *p)
{
	if (raw_smp_processor_id() == p->cpu && current->nr_cpus_allowed == 1)
		return;
	set_cpus_allowed_ptr(current, cpumask_of(p->cpu));
}

/**
 * kgo_m_wait_for_p() - wait, without a P, for one to be handed to @m
 * @m: the calling M, on the idle-M list or on kgo_sched.pwait
 *
 * Context: @m's kthread; sleeps.
 * Return: the P given (in @m->nextp, now cleared), or NULL when the M is
 * told to exit.
 */
struct kgo_p *kgo_m_wait_for_p(struct kgo_m *m)
{
	struct kgo_p *p;

	WRITE_ONCE(m->in_block, true);
	for (;;) {
		set_current_state(TASK_IDLE);
		/* (D6): pairs with wake_up_process() after @nextp (pown.c). */
		p = READ_ONCE(m->nextp);
		if (p || kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(m->in_block, false);
	if (p)
		WRITE_ONCE(m->nextp, NULL);
	return p;
}

/* Park @m, holding no P, on the idle-M list until it gets one (stopm). */
static void kgo_m_park(struct kgo_m *m)
{
	unsigned long flags;
	struct kgo_p *p;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	m->idle_next = kgo_sched.midle;
	kgo_sched.midle = m;
	WRITE_ONCE(kgo_sched.nmidle, kgo_sched.nmidle + 1);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	/*
	 * An M whose G ran on without a P (an unseen block, a retake) comes
	 * here without having looked at any queue. Gs left on an idle P while
	 * no M was parked (the M limit: kgo_m_create_failed()) would wait for
	 * the next spawn, forever if none comes: look, and wake an M (maybe
	 * this one) for them. (D2'): our place on midle before the look;
	 * pairs with kgo_m_create_failed(), which puts the P idle before it
	 * looks at nmidle.
	 */
	smp_mb();
	if (READ_ONCE(kgo_sched.npidle) && kgo_any_work())
		kgo_wakep();
	/* An M with nothing to run: no G is stranded. */
	if (atomic_read(&kgo_sched.stranding))
		kgo_stranded_note(0);

	p = kgo_m_wait_for_p(m);
	if (p)
		kgo_m_acquire_p(m, p);
}

static int kgo_m_main(void *arg)
{
	struct kgo_m *m = arg;

	kgo_block_m_init(m);
	while (!kthread_should_stop()) {
		struct kgo_p *p = READ_ONCE(m->nextp);

		if (m->p) {
			kgo_sched_loop(m);
		} else if (p) {
			/* Created for a P (kgo_m_create_work_fn): not on midle. */
			WRITE_ONCE(m->nextp, NULL);
			kgo_m_acquire_p(m, p);
		} else {
			kgo_m_park(m);
		}
	}
	kgo_block_m_exit(m);
	return 0;
}

/**
 * kgo_m_create() - create an M for @cpu, not yet woken
 * @cpu: where it will run first
 *
 * Context: process; sleeps.
 * Return: the M, or NULL at the M limit, without memory or kthreads.
 */
struct kgo_m *kgo_m_create(int cpu)
{
	unsigned long flags;
	struct kgo_m *m;
	u32 id;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (kgo_sched.mcount >= READ_ONCE(kgo_max_threads)) {
		raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
		atomic_long_inc(&kgo_sched.m_limit_hits);
		return NULL;
	}
	id = kgo_sched.mcount;
	WRITE_ONCE(kgo_sched.mcount, id + 1);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);

	m = kzalloc_node(sizeof(*m), GFP_KERNEL, cpu_to_node(cpu));
	if (!m)
		goto undo;
	m->id = id;
	m->task = kthread_create_on_node(kgo_m_main, m, cpu_to_node(cpu),
					 "kgo_m/%u:%u", cpu, id);
	if (IS_ERR(m->task))
		goto undo;
	get_task_struct(m->task);
	set_cpus_allowed_ptr(m->task, cpumask_of(cpu));
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	list_add_tail(&m->all, &kgo_sched.all_ms);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return m;
undo:
	kfree(m);
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	WRITE_ONCE(kgo_sched.mcount, kgo_sched.mcount - 1);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return NULL;
}

/**
 * kgo_m_spawn_spare() - create one parked M for @cpu
 * @cpu: where it will run first
 *
 * Context: process; sleeps.
 * Return: 0 or -ENOMEM (also when the M limit is reached).
 */
int kgo_m_spawn_spare(int cpu)
{
	struct kgo_m *m = kgo_m_create(cpu);

	if (!m)
		return -ENOMEM;
	wake_up_process(m->task);	/* it parks itself at once */
	return 0;
}

/**
 * kgo_m_stop_all() - stop and free every M
 *
 * Context: module unload, after every G has finished; sleeps.
 */
void kgo_m_stop_all(void)
{
	unsigned long flags;
	struct kgo_m *m;

	flush_work(&kgo_sched.m_create_work);
	for (;;) {
		raw_spin_lock_irqsave(&kgo_sched.lock, flags);
		m = list_first_entry_or_null(&kgo_sched.all_ms, struct kgo_m, all);
		if (m)
			list_del(&m->all);
		raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
		if (!m)
			break;
		kthread_stop(m->task);
		put_task_struct(m->task);
		kfree(m);
	}
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	kgo_sched.midle = NULL;
	WRITE_ONCE(kgo_sched.nmidle, 0);
	WRITE_ONCE(kgo_sched.mcount, 0);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
}
