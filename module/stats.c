// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * KGO_IOC_STATS (the scheduler's counters, for kgoctl stats) and
 * KGO_IOC_BENCH_SPAWN (a kernel spawn workload, for kgoctl bench).
 */

#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>

#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "dev.h"
#include "sched.h"

static void kgo_stats_fill_proc(struct kgo_stats_proc *out, struct kgo_p *p)
{
	const struct kgo_p_stats *st = &p->stats;

	memset(out, 0, sizeof(*out));
	out->spawned = READ_ONCE(st->spawned);
	out->ran = READ_ONCE(st->ran);
	out->stolen_in = READ_ONCE(st->stolen);
	out->stolen_out = atomic_long_read(&p->stolen_out);
	out->steals = READ_ONCE(st->steals);
	out->spilled = READ_ONCE(st->spilled);
	out->global_taken = READ_ONCE(st->global_taken);
	out->handoffs = READ_ONCE(st->handoffs);
	out->parks = READ_ONCE(st->parks);
	out->spins = READ_ONCE(st->spins);
	out->retakes = READ_ONCE(st->retakes);
	out->yields = atomic_long_read(&p->yields);
	out->runq = kgo_runq_len(&p->runq);
	out->cpu = p->cpu;
	/* The UAPI's KGO_PROC_* values are the P states. */
	out->status = kgo_own_state(atomic_long_read(&p->own));
}

/**
 * kgo_ioctl_stats() - %KGO_IOC_STATS
 * @file: unused
 * @arg: &struct kgo_stats
 *
 * Context: process.
 * Return: 0, -EFAULT, -EINVAL or -E2BIG.
 */
long kgo_ioctl_stats(struct file *file, void __user *arg)
{
	struct kgo_stats_proc __user *uprocs;
	struct kgo_stats_proc proc;
	struct kgo_stats st;
	long peak, episodes;
	u32 i, n;
	int ret;

	BUILD_BUG_ON(KGO_PROC_BLOCKED != KGO_P_BLOCKED);
	BUILD_BUG_ON(sizeof(struct kgo_stats) != KGO_STATS_SIZE_VER1);
	ret = kgo_copy_struct_in(&st, sizeof(st), arg, KGO_STATS_SIZE_VER0);
	if (ret)
		return ret;
	if (st.flags || st.reserved || (st.nprocs_room && !st.procs))
		return -EINVAL;
	uprocs = u64_to_user_ptr(st.procs);
	n = min(st.nprocs_room, kgo_sched.nprocs);
	for (i = 0; i < n; i++) {
		kgo_stats_fill_proc(&proc, kgo_sched.allp[i]);
		if (copy_to_user(&uprocs[i], &proc, sizeof(proc)))
			return -EFAULT;
	}
	st.nprocs = kgo_sched.nprocs;
	st.nprocs_room = n;
	st.live_gs = kgo_live_gs();
	st.live_chans = kgo_chan_live();
	st.live_timers = kgo_timer_live();
	st.threads = READ_ONCE(kgo_sched.mcount);
	st.idle_threads = READ_ONCE(kgo_sched.nmidle);
	st.spinning_threads = atomic_read(&kgo_sched.nmspinning);
	st.global_runq = READ_ONCE(kgo_sched.runq_size);
	st.m_limit_hits = atomic_long_read(&kgo_sched.m_limit_hits);
	st.max_threads = READ_ONCE(kgo_max_threads);
	st.stranded = kgo_stranded_read(&peak, &episodes);
	st.stranded_peak = peak;
	st.stranded_episodes = episodes;
	return kgo_copy_struct_out(arg, &st, sizeof(st));
}

/* The spawn workload: empty Gs counting down to a completion. */
struct kgo_bench_run {
	atomic_t left;			/* A: Gs (plus one) yet to finish */
	struct completion done;		/* L: completed by the last one */
};

static void kgo_bench_g(void *arg)
{
	struct kgo_bench_run *run = arg;

	if (atomic_dec_and_test(&run->left))
		complete(&run->done);
}

/**
 * kgo_ioctl_bench_spawn() - %KGO_IOC_BENCH_SPAWN (CAP_SYS_ADMIN)
 * @file: unused
 * @arg: &struct kgo_bench_spawn
 *
 * Context: process; sleeps until every G has run.
 * Return: 0, -EPERM, -EINVAL, -EFAULT, or a spawn error.
 */
long kgo_ioctl_bench_spawn(struct file *file, void __user *arg)
{
	struct kgo_bench_run run;
	struct kgo_bench_spawn b;
	u32 i, spawned = 0;
	u64 start;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kgo_copy_struct_in(&b, sizeof(b), arg,
				 KGO_BENCH_SPAWN_SIZE_VER0);
	if (ret)
		return ret;
	if (b.flags || b.reserved || !b.count || b.count > 10000000)
		return -EINVAL;
	/* One extra count so that a failed spawn can still finish the run. */
	atomic_set(&run.left, b.count + 1);
	init_completion(&run.done);
	start = ktime_get_ns();
	for (i = 0; i < b.count; i++) {
		ret = kgo_go_gfp(kgo_bench_g, &run, GFP_KERNEL);
		if (ret)
			break;
		spawned++;
		if (!(i & 1023))
			cond_resched();
	}
	/* Gs not spawned never count down: do it for them. */
	if (atomic_sub_and_test(b.count - spawned + 1, &run.left))
		complete(&run.done);
	wait_for_completion(&run.done);
	b.elapsed_ns = ktime_get_ns() - start;
	if (ret)
		return ret;
	return kgo_copy_struct_out(arg, &b, sizeof(b));
}
