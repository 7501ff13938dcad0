// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * CPU hotplug. When a CPU with a P goes offline its P stops: the owner (or,
 * for an idle P, the hotplug callback) moves its ring, runnext and inject
 * list to the global queue and marks it KGO_P_OFFLINE; its Ms are moved off
 * the CPU by the kernel and take other Ps. When the CPU returns, so does
 * its P. Nothing queued is lost: every G ends up on a queue that a running
 * P serves.
 */

#include <linux/cpuhotplug.h>
#include <linux/delay.h>

#include "sched.h"

static enum cpuhp_state kgo_hp_state;

/* The P that runs on @cpu, if @cpu has one of its own. */
static struct kgo_p *kgo_p_on_cpu(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_of_cpu(cpu);

	return p->cpu == cpu ? p : NULL;
}

static bool kgo_p_is_offline(struct kgo_p *p)
{
	return kgo_own_state(atomic_long_read(&p->own)) == KGO_P_OFFLINE;
}

static int kgo_cpu_offline(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_on_cpu(cpu);
	unsigned long flags;

	if (!p)
		return 0;
	WRITE_ONCE(p->offline_req, true);
	/* An idle P has no owner to notice: stop it here. */
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (kgo_pidle_take_locked(p))
		kgo_pidleput_locked(p);		/* sees offline_req */
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	/* Nor has a P kept for a blocked G: hand it off, to be stopped. */
	kgo_p_retake_blocked(p);
	/*
	 * An M owns it: it stops the P when it next gives it up, at its next
	 * schedule at the latest. A G that holds it longer loses it to sysmon
	 * within 10 ms, and the new M stops it. Hotplug is rare: poll.
	 */
	while (!kgo_p_is_offline(p)) {
		/* A G may have blocked keeping the P since we looked. */
		kgo_p_retake_blocked(p);
		usleep_range(1000, 2000);
	}
	kgo_wakep();
	return 0;
}

static int kgo_cpu_online(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_on_cpu(cpu);
	unsigned long flags;

	if (!p || !kgo_p_is_offline(p))
		return 0;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	WRITE_ONCE(p->offline_req, false);
	kgo_pidleput_locked(p);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	kgo_wakep();
	return 0;
}

/**
 * kgo_hotplug_init() - register the CPU hotplug callbacks
 *
 * Context: module init, after the Ps exist.
 * Return: 0 or a negative errno.
 */
int kgo_hotplug_init(void)
{
	int ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "kgo:online",
					    kgo_cpu_online, kgo_cpu_offline);

	if (ret < 0)
		return ret;
	kgo_hp_state = ret;
	return 0;
}

/**
 * kgo_hotplug_exit() - unregister the CPU hotplug callbacks
 *
 * Context: module unload.
 */
void kgo_hotplug_exit(void)
{
	cpuhp_remove_state_nocalls(kgo_hp_state);
}
