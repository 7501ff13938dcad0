// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * sysmon: a kthread without a P that retakes Ps from Gs that keep them too
 * long (Go's sysmon/retake). A P whose schedule tick has not moved for
 * 10 ms while a G runs on it is handed to another M: the G is either a hog
 * (the kernel's scheduler then shares the CPU between the two Ms) or
 * blocked in a way the preempt notifier did not catch. It first asks the
 * G to yield (kgo_should_yield()); the retake follows only when other work
 * waits, so a lone long G keeps its P.
 *
 * It sleeps 20 us between passes, doubling after 50 idle passes up to
 * 10 ms (Go's backoff), and sleeps a second at a time while no G lives.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "sched.h"

#define KGO_SYSMON_MIN_US	20
#define KGO_SYSMON_MAX_US	10000
#define KGO_SYSMON_IDLE_PASSES	50
#define KGO_FORCE_PREEMPT_NS	(10 * NSEC_PER_MSEC)

static struct task_struct *kgo_sysmon_task;

/* Look at one P; return true if it was retaken. */
static bool kgo_sysmon_check(struct kgo_p *p, u64 now)
{
	long own = atomic_long_read(&p->own);
	u32 tick = READ_ONCE(p->schedtick);
	struct kgo_m *m;

	/* A P kept for a blocked G: work for it arrived some other way. */
	if (kgo_own_state(own) == KGO_P_BLOCKED &&
	    (kgo_p_has_work(p) || READ_ONCE(kgo_sched.runq_size) ||
	     READ_ONCE(kgo_sched.pwait) || READ_ONCE(p->offline_req)))
		return kgo_p_retake_blocked(p);
	if (kgo_own_state(own) != KGO_P_GRUNNING || tick != p->sysmon_tick) {
		p->sysmon_tick = tick;
		p->sysmon_when = now;
		return false;
	}
	if (now - p->sysmon_when < KGO_FORCE_PREEMPT_NS)
		return false;
	WRITE_ONCE(p->preempt_req, true);
	if (!kgo_p_has_work(p) && !READ_ONCE(kgo_sched.runq_size))
		return false;
	m = kgo_own_m(own);
	if (!kgo_p_retake(m, p, true))
		return false;
	p->sysmon_when = now;
	return true;
}

static int kgo_sysmon_main(void *unused)
{
	unsigned int delay_us = KGO_SYSMON_MIN_US, idle = 0;
	bool retook;
	u32 i;

	while (!kthread_should_stop()) {
		if (!kgo_live_gs_sum()) {
			/*
			 * kgo_sysmon_kick() wakes us for the next G. (D3): the
			 * flag is stored, then set_current_state()'s full
			 * barrier, then the counts are summed; pairs with (D3)
			 * in __kgo_go(). The sum is a snapshot, so a G that
			 * starts and ends on different CPUs meanwhile may be
			 * missed: the timeout bounds that to a second.
			 */
			WRITE_ONCE(kgo_sched.sysmon_idle, true);
			set_current_state(TASK_INTERRUPTIBLE);
			if (!kgo_live_gs_sum() && !kthread_should_stop())
				schedule_timeout(HZ);
			__set_current_state(TASK_RUNNING);
			WRITE_ONCE(kgo_sched.sysmon_idle, false);
			delay_us = KGO_SYSMON_MIN_US;
			continue;
		}
		usleep_range(delay_us, delay_us + delay_us / 4);
		retook = false;
		for (i = 0; i < kgo_sched.nprocs; i++)
			retook |= kgo_sysmon_check(kgo_sched.allp[i],
						   ktime_get_ns());
		if (retook) {
			idle = 0;
			delay_us = KGO_SYSMON_MIN_US;
		} else if (++idle > KGO_SYSMON_IDLE_PASSES) {
			delay_us = min(delay_us * 2, KGO_SYSMON_MAX_US);
		}
	}
	return 0;
}

/**
 * kgo_sysmon_kick() - wake sysmon from its no-G sleep
 *
 * Context: any, including hard interrupt context.
 */
void kgo_sysmon_kick(void)
{
	struct task_struct *t = READ_ONCE(kgo_sysmon_task);

	if (t)
		wake_up_process(t);
}

/**
 * kgo_sysmon_start() - start the sysmon kthread
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int kgo_sysmon_start(void)
{
	struct task_struct *t = kthread_run(kgo_sysmon_main, NULL, "kgo_sysmon");

	if (IS_ERR(t))
		return PTR_ERR(t);
	WRITE_ONCE(kgo_sysmon_task, t);
	return 0;
}

/**
 * kgo_sysmon_stop() - stop the sysmon kthread
 *
 * Context: module unload.
 */
void kgo_sysmon_stop(void)
{
	struct task_struct *t = kgo_sysmon_task;

	WRITE_ONCE(kgo_sysmon_task, NULL);
	kthread_stop(t);
}
