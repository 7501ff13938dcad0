// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * debugfs: /sys/kernel/debug/kgo/sched prints the scheduler's state the
 * way Go's GODEBUG=schedtrace does, one summary line and one line per P;
 * /sys/kernel/debug/kgo/ms lists the Ms. Everything is read locklessly,
 * with READ_ONCE() or atomic reads as the fields' tags in sched.h ask (the
 * W and A rules): a line is a snapshot of counters that keep moving.
 * kgo_sched.lock is taken only to walk the list of Ms.
 */

#include <linux/debugfs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include <kgo/chan.h>

#include "sched.h"

static struct dentry *kgo_debugfs_dir;

static const char *const kgo_p_state_names[] = {
	[KGO_P_IDLE] = "idle",
	[KGO_P_SCHED] = "sched",
	[KGO_P_GRUNNING] = "running",
	[KGO_P_OWNER_OP] = "owner-op",
	[KGO_P_RETAKEN] = "retaken",
	[KGO_P_OFFLINE] = "offline",
	[KGO_P_BLOCKED] = "blocked",
};

static const char *kgo_p_state_name(struct kgo_p *p)
{
	enum kgo_p_state state = kgo_own_state(atomic_long_read(&p->own));

	if (state >= ARRAY_SIZE(kgo_p_state_names) || !kgo_p_state_names[state])
		return "?";
	return kgo_p_state_names[state];
}

static void kgo_debugfs_show_p(struct seq_file *s, struct kgo_p *p)
{
	const struct kgo_p_stats *st = &p->stats;

	seq_printf(s, "  P%u: cpu=%d status=%s schedtick=%u runqsize=%u inject=%d",
		   p->id, p->cpu, kgo_p_state_name(p), READ_ONCE(p->schedtick),
		   kgo_runq_len(&p->runq), !llist_empty(&p->inject));
	seq_printf(s, " spawned=%llu ran=%llu stolen_in=%llu stolen_out=%ld steals=%llu",
		   READ_ONCE(st->spawned), READ_ONCE(st->ran),
		   READ_ONCE(st->stolen), atomic_long_read(&p->stolen_out),
		   READ_ONCE(st->steals));
	seq_printf(s, " spilled=%llu global_taken=%llu handoffs=%llu parks=%llu spins=%llu retakes=%llu yields=%ld\n",
		   READ_ONCE(st->spilled), READ_ONCE(st->global_taken),
		   READ_ONCE(st->handoffs), READ_ONCE(st->parks),
		   READ_ONCE(st->spins), READ_ONCE(st->retakes),
		   atomic_long_read(&p->yields));
}

static int kgo_debugfs_sched_show(struct seq_file *s, void *unused)
{
	long stranded, peak, episodes;
	u32 i;

	seq_printf(s, "SCHED: nprocs=%u idleprocs=%u threads=%u idlethreads=%u spinningthreads=%d runqueue=%u live_gs=%ld live_chans=%ld live_timers=%ld m_limit_hits=%ld max_threads=%lu",
		   kgo_sched.nprocs, READ_ONCE(kgo_sched.npidle),
		   READ_ONCE(kgo_sched.mcount), READ_ONCE(kgo_sched.nmidle),
		   atomic_read(&kgo_sched.nmspinning),
		   READ_ONCE(kgo_sched.runq_size), kgo_live_gs_sum(),
		   kgo_chan_live(), kgo_timer_live(),
		   atomic_long_read(&kgo_sched.m_limit_hits),
		   READ_ONCE(kgo_max_threads));
	stranded = kgo_stranded_read(&peak, &episodes);
	seq_printf(s, " stranded=%ld stranded_peak=%ld stranded_episodes=%ld\n",
		   stranded, peak, episodes);
	for (i = 0; i < kgo_sched.nprocs; i++)
		kgo_debugfs_show_p(s, kgo_sched.allp[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kgo_debugfs_sched);

/*
 * One line per M. Only the M's own fields: its G may finish and be freed
 * at any moment, so the G is not dereferenced.
 */
static int kgo_debugfs_ms_show(struct seq_file *s, void *unused)
{
	unsigned long flags;
	struct kgo_m *m;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	list_for_each_entry(m, &kgo_sched.all_ms, all) {
		struct kgo_p *p = READ_ONCE(m->p);

		seq_printf(s, "M%u: pid=%d cpu=%u p=%d running_g=%d blocked=%d spinning=%d\n",
			   m->id, task_pid_nr(m->task), task_cpu(m->task),
			   p ? (int)p->id : -1, !!READ_ONCE(m->curg),
			   READ_ONCE(m->in_block), READ_ONCE(m->spinning));
	}
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kgo_debugfs_ms);

/**
 * kgo_debugfs_init() - create /sys/kernel/debug/kgo
 *
 * Failures are ignored, as debugfs is for debugging only.
 *
 * Context: module init, after kgo_sched_init().
 */
void kgo_debugfs_init(void)
{
	kgo_debugfs_dir = debugfs_create_dir("kgo", NULL);
	debugfs_create_file("sched", 0444, kgo_debugfs_dir, NULL,
			    &kgo_debugfs_sched_fops);
	debugfs_create_file("ms", 0444, kgo_debugfs_dir, NULL,
			    &kgo_debugfs_ms_fops);
}

/**
 * kgo_debugfs_exit() - remove /sys/kernel/debug/kgo
 *
 * Context: module unload, before kgo_sched_exit().
 */
void kgo_debugfs_exit(void)
{
	debugfs_remove_recursive(kgo_debugfs_dir);
}
