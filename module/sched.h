/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The G/M/P runtime's data structures, shared by sched.c (the schedule
 * loop, wake-up and spinning), pown.c (P ownership: every change of a P's
 * owner or state, with its table and the barrier pairs (D1)-(D7)), g.c
 * (G descriptors), m.c (M kthreads), block.c (hand-off when a G blocks),
 * sysmon.c and hotplug.c.
 *
 * Locking legend, as in kernel/workqueue.c. Struct fields are tagged with
 * the rule that protects them; the structs of the other files (runq.h,
 * chan.h, context.c, timer.c, ...) use these letters too, and this is the
 * only legend. Module init and exit, while nothing else runs, may touch
 * any field.
 *
 *  I: set before the object is visible to others, then read-only.
 *  O: the P's owner only (see P ownership in pown.c): the M that holds the
 *     P in state SCHED, a G inside an OWNER_OP window, or whoever took
 *     the P to hand it on (cmpxchg to RETAKEN, or off the idle list under
 *     S) until it hands it on. A G that merely runs (GRUNNING) is not the
 *     owner: sysmon or the blocking hooks may take the P at any moment.
 *  M: the M itself (its own kthread) only; for a G's fields, the M that
 *     runs the G.
 *  Y: the sysmon kthread only.
 *  S: kgo_sched.lock (a raw, irq-safe spinlock: spawns come from hardirq
 *     context and PREEMPT_RT must not turn it into a sleeping lock).
 *  C: the channel's lock, kgo_chan.lock (chan.h).
 *  Q: the lock of the sync object that owns the wait queue (syncq.h).
 *  T: kgo_ctx_lock (context.c).
 *  N: kgo_timer.lock, the mutex that serialises Stop and Reset (timer.c).
 *  U: kgo_users_lock, the mutex of the per-user limits (user.c).
 *  K: state of one call on its thread's stack (an ioctl's pins and
 *     copies): that thread only, apart from what the field says it lends.
 * PC: per CPU: updated on its own CPU only, with this_cpu ops or with
 *     interrupts off; other CPUs read it with READ_ONCE().
 *  D: the claimer of a waiter (chan.h): written only by the one party
 *     that won the waiter's @done, before it fires the sudog; the waiter
 *     reads it after (W1).
 *  A: atomic: only atomic_*(), cmpxchg(), xchg() or llist operations; or
 *     a flag whose every access, by any writer or reader, is
 *     WRITE_ONCE()/READ_ONCE().
 *  L: lock-free by its own protocol, documented where it is defined.
 *
 * A W after a letter (OW, MW, YW, SW, CW, TW, NW) is workqueue's WO: the
 * letter's rule for writes, which use WRITE_ONCE() (or a store-release);
 * whoever follows the rule reads plainly, anyone else locklessly with
 * READ_ONCE() (or a load-acquire), and gets a snapshot, a hint unless the
 * field says otherwise.
 */
#ifndef _KGO_SCHED_H
#define _KGO_SCHED_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <kgo/kgo.h>

#include "runq.h"

struct kgo_m;
struct kgo_p;
struct module;
struct task_struct;

/* G states: Go's _Grunnable, _Grunning, _Gwaiting, _Gdead. */
enum kgo_g_state {
	KGO_G_DEAD = 0,
	KGO_G_RUNNABLE,
	KGO_G_RUNNING,
	KGO_G_WAITING,
};

/**
 * struct kgo_g - a goroutine: a function to run and what it waits on
 * @schedlink: S or O: link in the list the G is on, under that list's
 *	rule: S for the global queue and the global cache of dead Gs, O for
 *	a P's cache; a batch being built (a spill) is its builder's until it
 *	is queued under S
 * @inject: L: link in a P's inject list (an llist)
 * @fn: I: the function
 * @arg: I: its argument
 * @owner: I: the module that spawned it, pinned until it has run
 * @goid: I: unique id, Go's goid
 * @m: MW: the M that runs (or ran) it; NULL until it first runs
 * @wait_reason: MW: what it waits on while %KGO_G_WAITING
 * @state: MW: &enum kgo_g_state
 *
 * No stack: a G borrows its M's kthread stack while it runs, which is why
 * a G that blocks keeps its M (see block.c). "I" here means set by the
 * spawner before the G is queued: a dead G's descriptor is reused.
 */
struct kgo_g {
	union {
		struct kgo_g *schedlink;
		struct llist_node inject;
	};
	kgo_func_t fn;
	void *arg;
	struct module *owner;
	u64 goid;
	struct kgo_m *m;
	const char *wait_reason;
	u8 state;
};

/* P states, kept in the low bits of kgo_p.own: pown.c has their table. */
enum kgo_p_state {
	KGO_P_IDLE = 0,
	KGO_P_SCHED,
	KGO_P_GRUNNING,
	KGO_P_OWNER_OP,
	KGO_P_RETAKEN,
	KGO_P_OFFLINE,
	KGO_P_BLOCKED,
	KGO_P_STATE_MASK = 7,
};

/* The value of kgo_p.own for @m owning a P in @state. */
static inline long kgo_own(const struct kgo_m *m, enum kgo_p_state state)
{
	return (long)m | state;
}

static inline enum kgo_p_state kgo_own_state(long own)
{
	return own & KGO_P_STATE_MASK;
}

static inline struct kgo_m *kgo_own_m(long own)
{
	return (struct kgo_m *)(own & ~(long)KGO_P_STATE_MASK);
}

/**
 * struct kgo_p_stats - per-P counters for kgoctl and debugfs
 * @spawned: OW: Gs put on this P by a spawn
 * @ran: OW: Gs run to completion
 * @stolen: OW: Gs this P's Ms stole from others
 * @steals: OW: successful steal operations
 * @spilled: OW: Gs moved to the global queue on ring overflow
 * @global_taken: OW: Gs taken from the global queue
 * @handoffs: OW: times this P was handed to another M by a blocking G
 *	(counted by whoever retook it, before kgo_handoffp())
 * @retakes: OW: times sysmon took this P from a G running too long
 *	(counted by sysmon, before kgo_handoffp())
 * @yields: kgo_yield() calls (summed from &kgo_p.yields: a running G
 *	does not own its P)
 * @parks: OW: times an M gave this P up for lack of work
 * @spins: OW: times an M holding this P started spinning (looking for work)
 * @stolen_out: Gs other Ps stole from this one (summed from
 *	&kgo_p.stolen_out, which thieves write)
 *
 * In &kgo_p.stats the owner adds with kgo_p_stat_add(); readers take
 * READ_ONCE() snapshots. @yields and @stolen_out are only used in the
 * sums of kgo_sched_stats_sum().
 */
struct kgo_p_stats {
	u64 spawned;
	u64 ran;
	u64 stolen;
	u64 steals;
	u64 spilled;
	u64 global_taken;
	u64 handoffs;
	u64 retakes;
	u64 yields;
	u64 parks;
	u64 spins;
	u64 stolen_out;
};

/**
 * struct kgo_p - a processor context: the right to run Gs on one CPU
 * @runq: L: the local ring and runnext (runq.h, which tags its fields)
 * @inject: L: Gs spawned by anyone but the owner; drained by the owner
 *	and by thieves with llist_del_all()
 * @ninject: A: about how many Gs @inject holds: added to after the
 *	llist_add(), taken from by whoever moved them off; a snapshot may be
 *	off by the Gs in flight, even below 0 (kgo_stranded_now() clamps)
 * @own: A: owner and &enum kgo_p_state (pown.c); changed by cmpxchg, or
 *	under S for IDLE and OFFLINE
 * @preempt_req: A: set by sysmon when the running G held the P over
 *	10 ms, cleared by the owner and by kgo_yield(); kgo_should_yield()
 *	reports it
 * @schedtick: OW: schedule-loop iterations; sysmon reads it to spot a G
 *	that holds the P too long
 * @runnext_streak: O: Gs run from runnext in a row
 * @gfree: O: cached dead G descriptors
 * @ngfree: O: length of @gfree
 * @idle_next: S: link in the idle-P list or in kgo_sched.m_create_ps
 * @offline_req: A: hotplug asked this P to stop (written by the hotplug
 *	callbacks only)
 * @start_spinning: S while on kgo_sched.m_create_ps, then O (the work
 *	item that took it off): whether the M to be created counts as
 *	spinning
 * @id: I: index in kgo_sched.allp
 * @cpu: I: the CPU whose Ms run this P
 * @sysmon_tick: Y: @schedtick when sysmon last looked
 * @sysmon_when: Y: when @sysmon_tick last changed (ns)
 * @stats: OW: counters for kgoctl and debugfs (see &struct kgo_p_stats)
 * @stolen_out: A: Gs stolen from this P, added to by the thieves
 * @yields: A: kgo_yield() calls by Gs running on this P; a running G is
 *	not its P's owner, and may have lost the P a moment ago
 */
struct kgo_p {
	struct kgo_runq runq;
	struct llist_head inject ____cacheline_aligned;
	atomic_t ninject;
	atomic_long_t own;
	bool preempt_req;
	u32 schedtick;
	u32 runnext_streak;
	struct kgo_g *gfree;
	u32 ngfree;
	struct kgo_p *idle_next;
	bool offline_req;
	bool start_spinning;
	u32 id;
	int cpu;
	u32 sysmon_tick;
	u64 sysmon_when;
	struct kgo_p_stats stats;
	atomic_long_t stolen_out;
	atomic_long_t yields;
} ____cacheline_aligned;

/*
 * kgo_p_stat_add() - add @n to @ctr, a counter in &kgo_p.stats. The caller
 * is the P's owner (O), so its plain read is exact; only the store is
 * marked, for the lockless readers (OW).
 */
static inline void kgo_p_stat_add(u64 *ctr, u64 n)
{
	WRITE_ONCE(*ctr, *ctr + n);
}

static inline void kgo_p_stat_inc(u64 *ctr)
{
	kgo_p_stat_add(ctr, 1);
}

/**
 * struct kgo_m - a machine: a kthread that runs Gs while it holds a P
 * @task: I: the kthread
 * @p: MW: the P it holds (valid while kgo_own(m, ...) is in @p->own);
 *	read remotely by its @retake_work and by debugfs
 * @nextp: A: a P handed to it while it waits (Go's m.nextp): set by the
 *	giver (under S, or before the M first runs) before it wakes the M,
 *	cleared by the M
 * @oldp: M: the P it held before its G blocked (Go's m.oldp)
 * @curg: MW: the G it runs, or NULL; debugfs reads it
 * @idle_next: S: link in the idle-M or P-waiting list
 * @all: S: link in kgo_sched.all_ms
 * @notifier: M: preempt notifier that spots a G blocking behind kgo's back
 *	(registered and unregistered by the M on itself)
 * @retake_work: M: hard irq_work that hands the P off after such a block
 *	(the notifier runs under the runqueue lock and cannot wake anyone);
 *	initialised, queued (by the notifier) and synced by the M only
 * @spinning: MW: looking for work while holding a P (Go's m.spinning);
 *	also set by whoever hands a waiting M a P, before the wake-up
 * @in_block: MW: between kgo_block_enter() and kgo_block_exit(), or
 *	parked: the notifier must not act
 * @id: I: for names and debugfs
 */
struct kgo_m {
	struct task_struct *task;
	struct kgo_p *p;
	struct kgo_p *nextp;
	struct kgo_p *oldp;
	struct kgo_g *curg;
	struct kgo_m *idle_next;
	struct list_head all;
	struct preempt_notifier notifier;
	struct irq_work retake_work;
	bool spinning;
	bool in_block;
	u32 id;
};

/**
 * struct kgo_sched - global scheduler state (Go's schedt)
 * @lock: protects the S fields
 * @runq_head: S: global run queue, FIFO through @kgo_g.schedlink
 * @runq_tail: S: its tail
 * @runq_size: SW: its length
 * @pidle: S: idle Ps
 * @npidle: SW: their number
 * @midle: S: parked Ms without a P
 * @nmidle: SW: their number (kgo_m_limit_reached() reads it locklessly)
 * @pwait: SW: Ms whose G woke from blocking and wait for a P; lockless
 *	readers only test it for NULL
 * @nmspinning: A: Ms spinning (holding a P, looking for work)
 * @mcount: SW: Ms alive (kgo_m_limit_reached() reads it locklessly)
 * @all_ms: S: every M, for shutdown and debugfs
 * @gfree: S: global cache of dead G descriptors
 * @ngfree: SW: its length
 * @allp: I: every P, by id
 * @nprocs: I: number of Ps
 * @goid_gen: A: the last goid handed out to a CPU's batch (struct
 *	kgo_cpu_counters)
 * @sysmon_idle: YW: sysmon sleeps until kgo_sysmon_kick() because no G
 *	lived when it last looked (a read-mostly flag: spawns only read it)
 * @stopping: A: module unload in progress: no new Gs, Ms exit (written
 *	once, by kgo_sched_exit())
 * @m_create_work: I: creates Ms for @m_create_ps from process context
 *	(queue_work() and flush_work() synchronise themselves)
 * @m_create_ps: S: Ps waiting for a new M (a spawn from atomic context
 *	found no parked M)
 * @m_limit_hits: A: times the M limit refused a new M
 * @stranding: A: 1 during a stranding episode: Gs were found runnable
 *	with no M to run them because of the M limit (kgo_stranded_note());
 *	back to 0 when none are
 * @stranded_episodes: A: stranding episodes begun
 * @stranded_peak: A: the most Gs found stranded at once
 */
struct kgo_sched {
	raw_spinlock_t lock;
	struct kgo_g *runq_head;
	struct kgo_g *runq_tail;
	u32 runq_size;
	struct kgo_p *pidle;
	u32 npidle;
	struct kgo_m *midle;
	u32 nmidle;
	struct kgo_m *pwait;
	atomic_t nmspinning;
	u32 mcount;
	struct list_head all_ms;
	struct kgo_g *gfree;
	u32 ngfree;
	struct kgo_p **allp;
	u32 nprocs;
	atomic64_t goid_gen;
	bool sysmon_idle;
	bool stopping;
	struct work_struct m_create_work;
	struct kgo_p *m_create_ps;
	atomic_long_t m_limit_hits;
	atomic_t stranding;
	atomic_long_t stranded_episodes;
	atomic_long_t stranded_peak;
};

extern struct kgo_sched kgo_sched;
extern unsigned long kgo_max_threads;

/**
 * struct kgo_cpu_counters - per-CPU counters the spawn path updates
 * @live_gs: PC: Gs spawned on this CPU minus Gs that finished on it; may
 *	be negative, only the sum over all CPUs means anything
 *	(kgo_live_gs_sum() reads the other CPUs' with READ_ONCE())
 * @goid_next: PC: next goid of this CPU's batch (Go's p.goidcache); this
 *	CPU only, interrupts off
 * @goid_end: PC: end of the batch; as @goid_next
 *
 * Per CPU rather than per P because spawns come from any context, P or
 * not. Updated with this_cpu ops or with interrupts off: no shared cache
 * line is written per G (the cost that one global atomic per spawn
 * showed in the spawn benchmark).
 */
struct kgo_cpu_counters {
	long live_gs;
	u64 goid_next;
	u64 goid_end;
};

/* sched.c */
long kgo_live_gs_sum(void);
bool kgo_m_limit_reached(void);
int kgo_sched_init(void);
void kgo_sched_exit(void);
void kgo_sched_loop(struct kgo_m *m);
void kgo_wakep(void);
bool kgo_p_has_work(struct kgo_p *p);
bool kgo_any_work(void);
void kgo_p_drain_to_global_locked(struct kgo_p *p);
struct kgo_p *kgo_p_of_cpu(unsigned int cpu);
void kgo_sched_stats_sum(struct kgo_p_stats *sum);

/* pown.c: P ownership */
void kgo_pidleput_locked(struct kgo_p *p);
struct kgo_p *kgo_pidleget_locked(void);
bool kgo_pidle_take_locked(struct kgo_p *p);
int kgo_m_start(struct kgo_p *p, bool spinning);
void kgo_m_create_work_fn(struct work_struct *work);
void kgo_m_acquire_p(struct kgo_m *m, struct kgo_p *p);
void kgo_handoffp(struct kgo_p *p);
bool kgo_give_p_to_waiter(struct kgo_m *m, struct kgo_p *p);
void kgo_p_start_g(struct kgo_m *m, struct kgo_p *p);
bool kgo_p_end_g(struct kgo_m *m, struct kgo_p *p);
struct kgo_p *kgo_owner_op_begin(void);
void kgo_owner_op_end(struct kgo_p *p);
bool kgo_p_retake(struct kgo_m *m, struct kgo_p *p, bool by_sysmon);
bool kgo_p_retake_blocked(struct kgo_p *p);
void kgo_retake_one_blocked_p(void);
void kgo_p_block(struct kgo_m *m);
void kgo_p_unblock(struct kgo_m *m);
void kgo_m_reacquire_p(struct kgo_m *m);
void kgo_p_take_offline(struct kgo_p *p);
bool kgo_p_bring_online(struct kgo_p *p);

/* g.c */
int kgo_g_cache_init(void);
void kgo_g_cache_exit(void);
void kgo_g_free_p_cache(struct kgo_p *p);
struct kgo_g *kgo_g_alloc(struct kgo_p *p, gfp_t gfp);
void kgo_g_free(struct kgo_p *p, struct kgo_g *g);

/* m.c */
unsigned int kgo_m_limit_set(unsigned int limit);
struct kgo_m *kgo_m_current(void);
struct kgo_m *kgo_m_of_task(struct task_struct *task);
void kgo_m_migrate(struct kgo_p *p);
struct kgo_p *kgo_m_wait_for_p(struct kgo_m *m);
struct kgo_m *kgo_m_create(int cpu);
long kgo_stranded_now(void);
long kgo_stranded_read(long *peak, long *episodes);
void kgo_stranded_note(long n);
int kgo_m_spawn_spare(int cpu);
void kgo_m_stop_all(void);

/* block.c */
void kgo_block_init_all(void);
void kgo_block_exit_all(void);
void kgo_block_m_init(struct kgo_m *m);
void kgo_block_m_exit(struct kgo_m *m);
u64 kgo_block_spin_ns(void);
struct kgo_m *kgo_block_enter(const char *reason);
void kgo_block_exit(struct kgo_m *m);

/* debugfs.c */
void kgo_debugfs_init(void);
void kgo_debugfs_exit(void);

/* sysmon.c */
int kgo_sysmon_start(void);
void kgo_sysmon_stop(void);
void kgo_sysmon_kick(void);

/* hotplug.c */
int kgo_hotplug_init(void);
void kgo_hotplug_exit(void);

#endif /* _KGO_SCHED_H */
