// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * CPU hotplug. When a CPU with a P goes offline its P stops: the owner (or,
 * for an idle P, the hotplug callback) moves its ring, runnext and inject
 * list to the global queue and marks it KGO_P_OFFLINE; its Ms are moved off
 * the CPU by the kernel and take other Ps. When the CPU returns, so does
 * its P. Nothing queued is lost: every G ends up on a queue that a running
 * P serves. The P's transitions (kgo_p_take_offline(),
 * kgo_p_bring_online()) are in pown.c.
 */

#include <linux/cpuhotplug.h>

#include "sched.h"

static enum cpuhp_state kgo_hp_state;

/* The P that runs on @cpu, if @cpu has one of its own. */
static struct kgo_p *kgo_p_on_cpu(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_of_cpu(cpu);

	return p->cpu == cpu ? p : NULL;
}

static int kgo_cpu_offline(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_on_cpu(cpu);

	if (!p)
		return 0;
	kgo_p_take_offline(p);
	kgo_wakep();
	return 0;
}

static int kgo_cpu_online(unsigned int cpu)
{
	struct kgo_p *p = kgo_p_on_cpu(cpu);

	if (!p || !kgo_p_bring_online(p))
		return 0;
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
