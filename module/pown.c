// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * P ownership: every transition of a P between Ms, in one file (Go keeps
 * them in runtime/proc.go: acquirep/releasep, startm/handoffp, entersyscall/
 * exitsyscall, retake). The schedule loop that runs Gs on an owned P is in
 * sched.c, the Ms in m.c, the blocking hooks in block.c, sysmon in
 * sysmon.c and hotplug in hotplug.c; they all change a P's owner only
 * through the functions here.
 *
 * The problem. A P is the right to run Gs, and at most one M may hold it:
 * the owner alone takes Gs off its ring's head, fills its G cache and
 * counts. But a G has no stack of its own and keeps its M while it
 * blocks, so a P must leave a running G's M: when the G blocks in a kgo
 * operation (block.c), when it blocks behind kgo's back (the preempt
 * notifier's irq_work), when it hogs the CPU (sysmon) and when its CPU
 * goes away (hotplug). Those takers run in any context, hard interrupts
 * included, while the G they take the P from may be using it as owner at
 * that very moment (a spawn puts the new G on the P's ring). And a P
 * given up must never strand its queued Gs (the wake-up protocol, "the
 * delicate dance" in Go's proc.go), nor a G woken from a block wait
 * forever for a P.
 *
 * Designs rejected:
 *  - Go's own: p.status and p.m are separate words, and a running P is
 *    changed only by its M; sysmon takes only Ps in _Psyscall, and a G
 *    that runs too long is preempted (by a signal) rather than losing its
 *    P. kgo cannot preempt a G, so it must take the P from a *running* G,
 *    which Go never does; with two words an M that lost its P could read
 *    "mine" from one and act on the other.
 *  - A lock per P, taken by the owner around every ring operation and by
 *    whoever takes the P: a lock on the path of every spawn and every
 *    schedule, taken from hard interrupt context (the irq_work), and one
 *    the owner could not hold across the G it runs, which is exactly when
 *    others must take the P.
 *  - Always handing the P off when a G blocks (cmwq's concurrency
 *    management): a channel ping-pong then pays an M wake-up per message.
 *    The P is kept instead (BLOCKED, Go's _Psyscall) while nothing else
 *    wants it, and taken by whoever brings work.
 *  - Never letting a running G use its P as owner (every spawn from a G
 *    injected): Go's runnext hand-off, which keeps a ping-pong pair on one
 *    CPU, needs the spawner's own ring.
 *
 * The design: kgo_p.own holds the owner's address with the state in its
 * low bits (kgo_own()), so that every change of owner or state is one
 * cmpxchg that also checks who the owner is: an M that lost its P can
 * never act on it by mistake. States (enum kgo_p_state):
 *
 *   IDLE      no owner; on the idle list (S)
 *   SCHED     the owner runs the schedule loop; SCHED with no owner: taken
 *             off the idle list (or RETAKEN) and being handed to an M
 *   GRUNNING  the owner runs a G; that G is not the owner (O in sched.h)
 *   OWNER_OP  that G uses the P as owner (a spawn onto the ring)
 *   BLOCKED   the owner's G waits in a kgo operation with nothing else
 *             queued on the P (Go's _Psyscall): the P is kept for it
 *   RETAKEN   taken from a G; whoever took it hands it on (kgo_handoffp())
 *   OFFLINE   no owner; its CPU is offline
 *
 * Transitions (m: the owner; "S" means under kgo_sched.lock):
 *
 *   from          to            who, where
 *   ------------  ------------  ------------------------------------------
 *   IDLE          SCHED(none)   S: a waker or a waiting M takes an idle P:
 *                               kgo_pidleget_locked(), kgo_pidle_take_locked()
 *   SCHED(none)   SCHED(m)      S: a parked M is given it (kgo_m_start()), or
 *                               a new one (kgo_m_create_work_fn()); m then
 *                               kgo_m_acquire_p() (D6)
 *   any, given up SCHED(w)      S: an M w waiting in pwait for a P gets it
 *                               (kgo_pidleput_locked()) (D6)
 *   any, given up IDLE          S: kgo_pidleput_locked(): the schedule loop
 *                               with no work (kgo_find_runnable(), (D2)),
 *                               kgo_handoffp() with no work (D2'),
 *                               kgo_m_create_failed() (the M limit) (D2'),
 *                               which an M parking later answers
 *                               (kgo_m_park() in m.c, (D2'))
 *   any, given up OFFLINE       S: kgo_pidleput_locked() once hotplug asked
 *                               (offline_req): its Gs go to the global queue
 *   IDLE          OFFLINE       S: hotplug, kgo_p_take_offline()
 *   OFFLINE       IDLE/SCHED(w) S: hotplug, kgo_p_bring_online()
 *   SCHED(m)      GRUNNING(m)   m, to run a G: kgo_p_start_g() (D7)
 *   GRUNNING(m)   SCHED(m)      m, its G returned: kgo_p_end_g(), cmpxchg
 *   GRUNNING(m)   OWNER_OP(m)   m's G: kgo_owner_op_begin(), cmpxchg
 *   OWNER_OP(m)   GRUNNING(m)   m's G: kgo_owner_op_end() (D7)
 *   GRUNNING(m)   BLOCKED(m)    m's G waits in kgo, nothing queued:
 *                               kgo_p_block(), cmpxchg (D4)
 *   BLOCKED(m)    GRUNNING(m)   m's G, its wait over: kgo_p_unblock(), cmpxchg
 *   BLOCKED(m)    RETAKEN       anyone who queued work for it (D1), an M
 *                               waiting for a P (D5), sysmon, hotplug:
 *                               kgo_p_retake_blocked(), cmpxchg
 *   GRUNNING(m)   RETAKEN       m's G blocking with work queued
 *                               (kgo_p_block()), the retake irq_work (an
 *                               unseen block), sysmon (a hog):
 *                               kgo_p_retake(), cmpxchg
 *   RETAKEN       SCHED(none)   the taker: kgo_handoffp(), to an M
 *                 or given up   (kgo_m_start()) or as above
 *   SCHED(m)      SCHED(w)      m, every 61st schedule, when an M waits for
 *                 (given up)    a P: kgo_give_p_to_waiter()
 *   IDLE          SCHED(m),     m, whose G woke from a block without its
 *                 GRUNNING(m)   P: kgo_m_reacquire_p() (or waits in pwait)
 *
 * At unload (kgo_sched.stopping) every M gives its P up at its next
 * schedule; a G woken at unload with no P left finishes without one
 * (kgo_m_reacquire_p() returns). Only the table's cmpxchg transitions
 * may leave GRUNNING: a running G's OWNER_OP window and a retake exclude
 * each other, so the ring never has two owners.
 *
 * The scheduler's barrier pairs, each cited at both sides:
 *
 *  (D1)/(D2)  No lost wake-up: a spawner queues a G, then a full barrier
 *             (D1, kgo_spawn_queue() in sched.c), then reads npidle,
 *             nmspinning and the P's state; an M giving up its P stores
 *             npidle and nmspinning, then a full barrier (D2,
 *             kgo_find_runnable() in sched.c; (D2') in kgo_handoffp() and
 *             kgo_m_create_failed() here), then reads every queue. One of
 *             them sees the other: the spawner wakes an M, or the M finds
 *             the G. (D2') also pairs kgo_m_create_failed(), which leaves
 *             a P idle with work when no M is parked, with an M that parks
 *             later (kgo_m_park() in m.c): it stores nmidle, then a full
 *             barrier, then looks for work on idle Ps.
 *  (D3)       sysmon's sleep: sysmon sets kgo_sched.sysmon_idle, then
 *             sums the live-G counts (sysmon.c); a spawner counts its G,
 *             then (through D1's barrier) reads the flag (__kgo_go() in
 *             sched.c): sysmon sees the G or the spawner kicks it.
 *  (D4)/(D5)  A P kept for a blocked G is not left idle under work: the
 *             G's cmpxchg to BLOCKED, then a look at its queues and at
 *             pwait (D4, kgo_p_block()); a spawner's queueing then (D1)
 *             then a look at the state; an M waiting for a P joins pwait
 *             under S, then a full barrier, then looks at every P's state
 *             (D5, kgo_m_reacquire_p()). Whichever comes second retakes.
 *  (D6)       A P handed to a waiting M: the giver stores kgo_m.nextp,
 *             then wake_up_process() (a full barrier when it wakes)
 *             (kgo_m_start(), kgo_m_create_work_fn(), kgo_pidleput_locked());
 *             the M sets its task state, then reads nextp
 *             (kgo_m_wait_for_p() in m.c).
 *  (D7)       An owner's ring and G-cache updates before the P can be
 *             taken: the stores to own that end an owner's window are
 *             releases (kgo_p_start_g(), kgo_owner_op_end(),
 *             kgo_m_acquire_p()); every taker's cmpxchg (kgo_p_retake(),
 *             kgo_p_retake_blocked()) is fully ordered, so the next owner
 *             sees them.
 *
 * The ring's own protocol (head, tail, runnext) is in runq.h; the parked
 * G's park/ready protocol, (P1)-(P3), in park.c.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "sched.h"
#include "trace.h"

/* --- the idle list (S) --- */

/**
 * kgo_pidleput_locked() - give up @p: to an M waiting for a P, or idle
 * @p: a P whose owner is giving it up
 *
 * An M whose G woke from blocking and found no P waits on kgo_sched.pwait;
 * it gets the P first, as Go's exitsyscall would.
 *
 * Context: kgo_sched.lock held.
 */
void kgo_pidleput_locked(struct kgo_p *p)
{
	struct kgo_m *w = kgo_sched.pwait;

	lockdep_assert_held(&kgo_sched.lock);
	/* Hotplug asked the P to stop: its Gs go where running Ps look. */
	if (READ_ONCE(p->offline_req)) {
		kgo_p_drain_to_global_locked(p);
		atomic_long_set(&p->own, kgo_own(NULL, KGO_P_OFFLINE));
		return;
	}
	if (w) {
		WRITE_ONCE(kgo_sched.pwait, w->idle_next);
		atomic_long_set(&p->own, kgo_own(w, KGO_P_SCHED));
		WRITE_ONCE(w->nextp, p);
		wake_up_process(w->task);	/* (D6) */
		return;
	}
	atomic_long_set(&p->own, kgo_own(NULL, KGO_P_IDLE));
	p->idle_next = kgo_sched.pidle;
	kgo_sched.pidle = p;
	WRITE_ONCE(kgo_sched.npidle, kgo_sched.npidle + 1);
}

/**
 * kgo_pidleget_locked() - take an idle P
 *
 * Context: kgo_sched.lock held.
 * Return: the P, now owned by nobody in state KGO_P_SCHED (the caller hands
 * it on), or NULL.
 */
struct kgo_p *kgo_pidleget_locked(void)
{
	struct kgo_p *p = kgo_sched.pidle;

	lockdep_assert_held(&kgo_sched.lock);
	if (!p)
		return NULL;
	kgo_sched.pidle = p->idle_next;
	WRITE_ONCE(kgo_sched.npidle, kgo_sched.npidle - 1);
	atomic_long_set(&p->own, kgo_own(NULL, KGO_P_SCHED));
	return p;
}

/**
 * kgo_pidle_take_locked() - take @p off the idle list if it is there
 * @p: the P
 *
 * Context: kgo_sched.lock held.
 * Return: whether it was idle (and is now the caller's to hand on).
 */
bool kgo_pidle_take_locked(struct kgo_p *p)
{
	struct kgo_p **link;

	lockdep_assert_held(&kgo_sched.lock);
	for (link = &kgo_sched.pidle; *link; link = &(*link)->idle_next) {
		if (*link == p) {
			*link = p->idle_next;
			WRITE_ONCE(kgo_sched.npidle, kgo_sched.npidle - 1);
			atomic_long_set(&p->own, kgo_own(NULL, KGO_P_SCHED));
			return true;
		}
	}
	return false;
}

/* --- giving a P to an M (Go's startm, acquirep) --- */

/**
 * kgo_m_start() - run @p on a parked M, or have one created (Go's startm)
 * @p: the P to run, or NULL to take an idle P
 * @spinning: the M counts as spinning (the caller incremented nmspinning)
 *
 * Context: any, including hard interrupt context.
 * Return: 0 when an M got (or will get) the P; -EBUSY when @p is NULL and
 * no P is idle. The caller undoes its spinning count on failure.
 */
int kgo_m_start(struct kgo_p *p, bool spinning)
{
	unsigned long flags;
	struct kgo_m *m;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (!p) {
		p = kgo_pidleget_locked();
		if (!p) {
			raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
			return -EBUSY;
		}
	}
	m = kgo_sched.midle;
	if (m) {
		kgo_sched.midle = m->idle_next;
		WRITE_ONCE(kgo_sched.nmidle, kgo_sched.nmidle - 1);
		WRITE_ONCE(m->spinning, spinning);
		atomic_long_set(&p->own, kgo_own(m, KGO_P_SCHED));
		WRITE_ONCE(m->nextp, p);
		wake_up_process(m->task);	/* (D6) */
	} else {
		/* kthread_create() sleeps: a work item makes the M. */
		p->start_spinning = spinning;
		p->idle_next = kgo_sched.m_create_ps;
		kgo_sched.m_create_ps = p;
		queue_work(system_unbound_wq, &kgo_sched.m_create_work);
	}
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return 0;
}

/*
 * No M could be made for @p (the M limit, or no memory): the P goes idle
 * and keeps its work for the running Ms to steal, or for the next M that
 * parks (kgo_m_park() looks); until then its Gs are stranded, counted by
 * kgo_stranded_note(). An M may have parked
 * since kgo_m_start() found none idle, without looking at this P's queue
 * (it was neither idle nor owned then): wake one if any is idle, as
 * kgo_handoffp() does (D2'). Never a new creation from here: with the
 * limit reached that would only come back to this work item.
 */
static void kgo_m_create_failed(struct kgo_p *p)
{
	unsigned long flags;

	if (p->start_spinning)
		atomic_dec(&kgo_sched.nmspinning);
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	kgo_pidleput_locked(p);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	/* (D2'): pairs with (D1), as in kgo_handoffp(), and kgo_m_park() */
	smp_mb();
	if (READ_ONCE(kgo_sched.nmidle) && kgo_p_has_work(p))
		kgo_wakep();
	else
		kgo_stranded_note(kgo_stranded_now());
}

/**
 * kgo_m_create_work_fn() - create Ms for the Ps that wait for one
 * @work: kgo_sched.m_create_work
 *
 * Context: process (system_unbound_wq).
 */
void kgo_m_create_work_fn(struct work_struct *work)
{
	unsigned long flags;
	struct kgo_p *p;
	struct kgo_m *m;

	for (;;) {
		raw_spin_lock_irqsave(&kgo_sched.lock, flags);
		p = kgo_sched.m_create_ps;
		if (p)
			kgo_sched.m_create_ps = p->idle_next;
		raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
		if (!p)
			return;

		m = READ_ONCE(kgo_sched.stopping) ? NULL : kgo_m_create(p->cpu);
		if (!m) {
			kgo_m_create_failed(p);
			continue;
		}
		/* Debugfs may see the new M already (it is on all_ms). */
		WRITE_ONCE(m->spinning, p->start_spinning);
		atomic_long_set(&p->own, kgo_own(m, KGO_P_SCHED));
		WRITE_ONCE(m->nextp, p);
		wake_up_process(m->task);	/* (D6) */
	}
}

/**
 * kgo_m_acquire_p() - make @m the owner of @p
 * @m: the calling M
 * @p: a P handed to @m (state KGO_P_SCHED, no owner yet, or owner @m)
 *
 * Context: @m's kthread; may sleep (migrates to @p's CPU).
 */
void kgo_m_acquire_p(struct kgo_m *m, struct kgo_p *p)
{
	WRITE_ONCE(m->p, p);
	/* (D7): the giver's updates are ours; ours precede any retake. */
	atomic_long_set_release(&p->own, kgo_own(m, KGO_P_SCHED));
	kgo_m_migrate(p);
}

/**
 * kgo_handoffp() - find an M for @p, whose owner is leaving it (Go's handoffp)
 * @p: a P with no owner (state KGO_P_RETAKEN or KGO_P_SCHED with no M)
 *
 * Context: any, including hard interrupt context.
 */
void kgo_handoffp(struct kgo_p *p)
{
	bool work = kgo_p_has_work(p) || READ_ONCE(kgo_sched.runq_size);
	unsigned long flags;

	trace_kgo_p_handoff(p, work);
	/* Work waits: it gets an M at once. */
	if (work) {
		if (!kgo_m_start(p, false))
			return;
		goto idle;
	}
	/*
	 * No work, but nobody is looking: start a spinner; unless an M whose
	 * G woke waits for a P: kgo_pidleput_locked() gives it this one.
	 */
	if (!READ_ONCE(kgo_sched.pwait) &&
	    !atomic_read(&kgo_sched.nmspinning) && !READ_ONCE(kgo_sched.npidle) &&
	    atomic_cmpxchg(&kgo_sched.nmspinning, 0, 1) == 0) {
		if (!kgo_m_start(p, true))
			return;
		atomic_dec(&kgo_sched.nmspinning);
	}
idle:
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	kgo_pidleput_locked(p);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	/*
	 * (D2'), as (D2): work queued anywhere after the check above is
	 * found: the spawner's wakep sees npidle > 0, or we see the work.
	 */
	smp_mb();
	if (kgo_any_work())
		kgo_wakep();
}

/**
 * kgo_give_p_to_waiter() - give @p to the first M waiting for one, if any
 * @m: the calling M, owning @p in state KGO_P_SCHED
 * @p: its P
 *
 * Fairness for Gs woken from a block, every 61st schedule.
 *
 * Context: @m's schedule loop.
 * Return: whether @p was given away (@m then holds no P).
 */
bool kgo_give_p_to_waiter(struct kgo_m *m, struct kgo_p *p)
{
	unsigned long flags;
	bool given = false;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (kgo_sched.pwait) {
		/*
		 * A schedule on this P: the waiter's G runs next. Without the
		 * tick, the next M would find the same multiple of 61 and
		 * hand the P on again before running anything.
		 */
		WRITE_ONCE(p->schedtick, p->schedtick + 1);
		kgo_pidleput_locked(p);
		given = true;
	}
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	if (given)
		WRITE_ONCE(m->p, NULL);
	return given;
}

/* --- running a G on the P --- */

/**
 * kgo_p_start_g() - @m, owning @p in state KGO_P_SCHED, runs a G on it
 * @m: the calling M
 * @p: its P
 *
 * From here on the G is not the owner (sysmon may take @p) except inside
 * kgo_owner_op_begin() windows.
 *
 * Context: @m's kthread.
 */
void kgo_p_start_g(struct kgo_m *m, struct kgo_p *p)
{
	/* (D7): the owner's updates before a retake of the running G's P. */
	atomic_long_set_release(&p->own, kgo_own(m, KGO_P_GRUNNING));
}

/*
 * Leave KGO_P_GRUNNING for KGO_P_SCHED after a G returned. Waits out a
 * stray OWNER_OP window of an M that lost this P earlier (see
 * kgo_owner_op_begin()). Returns false when the P was taken from us.
 */
bool kgo_p_end_g(struct kgo_m *m, struct kgo_p *p)
{
	long want = kgo_own(m, KGO_P_GRUNNING);

	for (;;) {
		long old = atomic_long_cmpxchg(&p->own, want,
					       kgo_own(m, KGO_P_SCHED));

		if (old == want)
			return true;
		if (old != kgo_own(m, KGO_P_OWNER_OP))
			return false;
		cpu_relax();
	}
}

/*
 * Use the current M's P as its owner from inside a running G (the table
 * above). On success the caller must call kgo_owner_op_end().
 */
struct kgo_p *kgo_owner_op_begin(void)
{
	struct kgo_m *m = kgo_m_current();
	struct kgo_p *p;

	/* kgo_m_current() is NULL outside task context: irqs inject. */
	if (!m || !m->curg || !m->p)
		return NULL;
	p = m->p;
	if (atomic_long_cmpxchg(&p->own, kgo_own(m, KGO_P_GRUNNING),
				kgo_own(m, KGO_P_OWNER_OP)) !=
	    kgo_own(m, KGO_P_GRUNNING))
		return NULL;
	return p;
}

/* End the window kgo_owner_op_begin() opened. */
void kgo_owner_op_end(struct kgo_p *p)
{
	struct kgo_m *m = kgo_own_m(atomic_long_read(&p->own));

	/* (D7): our ring updates happen before a retake can succeed. */
	atomic_long_set_release(&p->own, kgo_own(m, KGO_P_GRUNNING));
}

/* --- taking a P from its G (Go's retake) --- */

/**
 * kgo_p_retake() - take @p from @m's running G and hand it to another M
 * @m: the M whose G runs with @p
 * @p: its P
 * @by_sysmon: count it in @p's @retakes (sysmon) rather than @handoffs
 *	(the G blocked)
 *
 * Context: any, including hard interrupt context.
 * Return: true if the P was taken (false: the G was using it as owner,
 * or had already left it).
 */
bool kgo_p_retake(struct kgo_m *m, struct kgo_p *p, bool by_sysmon)
{
	if (atomic_long_cmpxchg(&p->own, kgo_own(m, KGO_P_GRUNNING),
				kgo_own(NULL, KGO_P_RETAKEN)) !=
	    kgo_own(m, KGO_P_GRUNNING))
		return false;
	/*
	 * RETAKEN: the P is ours (O) until kgo_handoffp() gives it away; the
	 * cmpxchg pairs with the owner's release (D7).
	 */
	trace_kgo_p_retake(p, by_sysmon);
	if (by_sysmon)
		kgo_p_stat_inc(&p->stats.retakes);
	else
		kgo_p_stat_inc(&p->stats.handoffs);
	kgo_handoffp(p);
	return true;
}

/**
 * kgo_p_retake_blocked() - hand off @p if its G waits in a kgo operation
 * @p: any P
 *
 * Called by whoever queued work for @p (after a full barrier, pairing
 * with (D4) in kgo_p_block()), by an M waiting for a P (D5), by sysmon
 * and by hotplug.
 *
 * Context: any, including hard interrupt context.
 * Return: whether @p was retaken.
 */
bool kgo_p_retake_blocked(struct kgo_p *p)
{
	long own = atomic_long_read(&p->own);

	if (kgo_own_state(own) != KGO_P_BLOCKED ||
	    atomic_long_cmpxchg(&p->own, own, kgo_own(NULL, KGO_P_RETAKEN)) != own)
		return false;
	/* RETAKEN: ours until handed off; the cmpxchg pairs with (D7). */
	trace_kgo_p_retake(p, false);
	kgo_p_stat_inc(&p->stats.handoffs);
	kgo_handoffp(p);
	return true;
}

/**
 * kgo_retake_one_blocked_p() - hand off one P kept for a blocked G
 *
 * For an M that waits for a P: such a P runs nothing until its G wakes.
 *
 * Context: any.
 */
void kgo_retake_one_blocked_p(void)
{
	u32 i;

	for (i = 0; i < kgo_sched.nprocs; i++)
		if (kgo_p_retake_blocked(kgo_sched.allp[i]))
			return;
}

/* --- a G that waits in a kgo operation (Go's entersyscall, exitsyscall) --- */

/**
 * kgo_p_block() - the G on @m is about to wait in a kgo operation
 * @m: the calling M, its G's state already KGO_G_WAITING
 *
 * With nothing else queued and nobody waiting for a P, the P is kept for
 * the G (KGO_P_BLOCKED), to be taken back in kgo_p_unblock() with one
 * cmpxchg; else it is handed off now and the M holds no P.
 *
 * Context: process, @m's kthread.
 */
void kgo_p_block(struct kgo_m *m)
{
	struct kgo_p *p = m->p;

	if (!p)
		return;
	/* Nothing else to run, nobody waits for a P: keep it. */
	if (!kgo_p_has_work(p) && !READ_ONCE(kgo_sched.runq_size) &&
	    !READ_ONCE(kgo_sched.pwait) && !READ_ONCE(p->offline_req) &&
	    atomic_long_cmpxchg(&p->own, kgo_own(m, KGO_P_GRUNNING),
				kgo_own(m, KGO_P_BLOCKED)) ==
	    kgo_own(m, KGO_P_GRUNNING)) {
		/*
		 * (D4): the cmpxchg is a full barrier between publishing
		 * BLOCKED and looking at the queues and the Ms waiting for a
		 * P again; pairs with the barrier a spawner has between
		 * queuing and reading the state ((D1) in kgo_spawn_queue())
		 * and with (D5) in kgo_m_reacquire_p(): one of us retakes.
		 */
		if (kgo_p_has_work(p) || READ_ONCE(kgo_sched.pwait))
			kgo_p_retake_blocked(p);
		return;
	}
	if (kgo_p_retake(m, p, false))
		m->oldp = p;
	WRITE_ONCE(m->p, NULL);
}

/**
 * kgo_p_unblock() - the G on @m continues after kgo_p_block(): get a P
 * @m: the calling M
 *
 * Waits for a P: the old one if it was kept (one cmpxchg) or is idle, any
 * idle one, or the next given up.
 *
 * Context: process, @m's kthread; may sleep.
 */
void kgo_p_unblock(struct kgo_m *m)
{
	struct kgo_p *p = m->p;

	/* Fast path: the P was kept for us (KGO_P_BLOCKED). */
	if (p && atomic_long_cmpxchg(&p->own, kgo_own(m, KGO_P_BLOCKED),
				     kgo_own(m, KGO_P_GRUNNING)) ==
		 kgo_own(m, KGO_P_BLOCKED))
		return;
	m->oldp = p;
	WRITE_ONCE(m->p, NULL);
	kgo_m_reacquire_p(m);
}

/**
 * kgo_m_reacquire_p() - get a P back after the G blocked (exitsyscall)
 * @m: the calling M, holding no P, its G about to continue
 *
 * The P it had if it is idle (locality), else any idle P, else wait on
 * kgo_sched.pwait for the next P given up: at no time do more Gs run with
 * a P than there are Ps.
 *
 * Context: @m's kthread; sleeps.
 */
void kgo_m_reacquire_p(struct kgo_m *m)
{
	struct kgo_p *p = m->oldp;
	unsigned long flags;

	m->oldp = NULL;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (!p || !kgo_pidle_take_locked(p))
		p = kgo_pidleget_locked();
	if (!p) {
		m->idle_next = kgo_sched.pwait;
		WRITE_ONCE(kgo_sched.pwait, m);
	}
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	if (!p) {
		/*
		 * A P kept for a blocked G runs nothing: take it from that G
		 * for us (it goes to the first M waiting). (D5): our place
		 * in pwait before the look at the P states; pairs with (D4)
		 * in kgo_p_block().
		 */
		smp_mb();
		kgo_retake_one_blocked_p();
		p = kgo_m_wait_for_p(m);
	}
	if (!p)
		return;		/* module unload: the G finishes without a P */
	kgo_m_acquire_p(m, p);
	kgo_p_start_g(m, p);
}

/* --- CPU hotplug --- */

static bool kgo_p_is_offline(struct kgo_p *p)
{
	return kgo_own_state(atomic_long_read(&p->own)) == KGO_P_OFFLINE;
}

/**
 * kgo_p_take_offline() - stop @p, whose CPU goes offline
 * @p: the P of that CPU
 *
 * Returns once @p is KGO_P_OFFLINE, its queued Gs on the global queue.
 *
 * Context: the CPU hotplug callback; sleeps.
 */
void kgo_p_take_offline(struct kgo_p *p)
{
	unsigned long flags;

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
}

/**
 * kgo_p_bring_online() - restart @p, whose CPU came back
 * @p: the P of that CPU
 *
 * Context: the CPU hotplug callback.
 * Return: whether @p was offline (and is now idle or given to an M).
 */
bool kgo_p_bring_online(struct kgo_p *p)
{
	unsigned long flags;

	if (!kgo_p_is_offline(p))
		return false;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	WRITE_ONCE(p->offline_req, false);
	kgo_pidleput_locked(p);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return true;
}
