// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The schedule loop (Go's schedule/findRunnable/execute), the global run
 * queue, idle Ps, waking and spinning Ms, and spawning Gs.
 *
 * Who owns a P, and every change of owner, is in pown.c, with the index
 * of the scheduler's barrier pairs (D1)-(D7). The no-lost-wake-up argument
 * ("the delicate dance", Go's proc.go) is the store-buffering pattern: a
 * spawner stores a G into a queue and then reads kgo_sched.npidle and
 * nmspinning (in kgo_wakep()); an M giving up its P stores them and then
 * reads every queue. Each side has a full barrier between its store and
 * its load, (D1) in kgo_spawn_queue() and (D2) in kgo_find_runnable(), so
 * at least one of them sees the other: the spawner wakes an M, or the M
 * finds the G.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gcd.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <kgo/kgo.h>

#include "compat.h"
#include "park.h"
#include "sched.h"
#include "trace.h"

struct kgo_sched kgo_sched = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(kgo_sched.lock),
	.all_ms = LIST_HEAD_INIT(kgo_sched.all_ms),
};

static DEFINE_PER_CPU(struct kgo_cpu_counters, kgo_cpu_counters);

/* Go checks the global queue first on every 61st schedule of a P. */
#define KGO_GLOBAL_CHECK_INTERVAL	61
/* Runnext Gs in a row before the ring gets a turn (ping-pong pairs). */
#define KGO_RUNNEXT_MAX_STREAK		3
/* Go's stealTries. */
#define KGO_STEAL_PASSES		4

/* --- global run queue (S) --- */

static void kgo_globrunq_put_locked(struct kgo_g *head, struct kgo_g *tail,
				    u32 n)
{
	lockdep_assert_held(&kgo_sched.lock);
	tail->schedlink = NULL;
	if (kgo_sched.runq_tail)
		kgo_sched.runq_tail->schedlink = head;
	else
		kgo_sched.runq_head = head;
	kgo_sched.runq_tail = tail;
	WRITE_ONCE(kgo_sched.runq_size, kgo_sched.runq_size + n);
}

/*
 * Append a batch of @n Gs, linked @head to @tail through schedlink, to the
 * global queue. Context: any; takes kgo_sched.lock with irqs disabled.
 */
static void kgo_globrunq_put_batch(struct kgo_g *head, struct kgo_g *tail, u32 n)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	kgo_globrunq_put_locked(head, tail, n);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
}

/*
 * Take a batch from the global queue for @p (Go's globrunqgetbatch): return
 * one G and put up to @max - 1 more on @p's ring. @max = 0 means "a fair
 * share": size / nprocs + 1, at most half a ring.
 */
static struct kgo_g *kgo_globrunq_get_locked(struct kgo_p *p, u32 max)
{
	u32 size = kgo_sched.runq_size;
	struct kgo_g *g, *next;
	u32 n;

	lockdep_assert_held(&kgo_sched.lock);
	if (!size)
		return NULL;
	n = min(size, size / kgo_sched.nprocs + 1);
	n = min_t(u32, n, max ? max : KGO_RUNQ_SIZE / 2);

	g = kgo_sched.runq_head;
	kgo_sched.runq_head = g->schedlink;
	while (--n) {
		next = kgo_sched.runq_head;
		kgo_sched.runq_head = next->schedlink;
		/* Room is certain: we only refill an empty ring. */
		if (!kgo_runq_put(&p->runq, next)) {
			next->schedlink = kgo_sched.runq_head;
			kgo_sched.runq_head = next;
			break;
		}
		size--;
		kgo_p_stat_inc(&p->stats.global_taken);
	}
	size--;
	kgo_p_stat_inc(&p->stats.global_taken);
	if (!kgo_sched.runq_head)
		kgo_sched.runq_tail = NULL;
	WRITE_ONCE(kgo_sched.runq_size, size);
	return g;
}

static struct kgo_g *kgo_globrunq_get(struct kgo_p *p, u32 max)
{
	unsigned long flags;
	struct kgo_g *g;

	if (!READ_ONCE(kgo_sched.runq_size))
		return NULL;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	g = kgo_globrunq_get_locked(p, max);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	return g;
}

/* --- local queue helpers (owner only) --- */

/*
 * Spill half of @p's full ring plus @g to the global queue (Go's
 * runqputslow()). Return: false when thieves made room meanwhile. Apart
 * from kgo_runq_put_or_spill(), which runs for every G queued, because the
 * kernel zeroes the 1 KiB batch array (INIT_STACK_ALL_ZERO) wherever it is
 * declared.
 */
static noinline bool kgo_runq_spill(struct kgo_p *p, struct kgo_g *g)
{
	struct kgo_g *batch[KGO_RUNQ_SIZE / 2 + 1];
	u32 n, i;

	n = kgo_runq_overflow(&p->runq, batch);
	if (!n)
		return false;
	batch[n++] = g;
	for (i = 0; i + 1 < n; i++)
		batch[i]->schedlink = batch[i + 1];
	kgo_globrunq_put_batch(batch[0], batch[n - 1], n);
	kgo_p_stat_add(&p->stats.spilled, n);
	return true;
}

/* Put @g on @p's ring, spilling half the ring to the global queue if full. */
static void kgo_runq_put_or_spill(struct kgo_p *p, struct kgo_g *g)
{
	while (!kgo_runq_put(&p->runq, g))
		if (kgo_runq_spill(p, g))
			return;
}

/* Go's runqput(pp, gp, next=true): @g runs next, the old runnext queues. */
static void kgo_runq_put_next(struct kgo_p *p, struct kgo_g *g)
{
	struct kgo_g *old = kgo_runq_put_runnext(&p->runq, g);

	if (old)
		kgo_runq_put_or_spill(p, old);
}

/*
 * Move the Gs injected into @from onto @to's ring, oldest first. @to is the
 * caller's own P; @from is the same P (the owner draining) or a victim (a
 * thief: llist_del_all() is safe against other takers). Returns whether
 * anything moved.
 */
static bool kgo_inject_move(struct kgo_p *to, struct kgo_p *from)
{
	struct llist_node *list;
	struct kgo_g *g, *tmp;
	int n = 0;

	if (llist_empty(&from->inject))
		return false;
	list = llist_reverse_order(llist_del_all(&from->inject));
	llist_for_each_entry_safe(g, tmp, list, inject) {
		kgo_runq_put_or_spill(to, g);
		n++;
	}
	atomic_sub(n, &from->ninject);
	return list;
}

/**
 * kgo_p_has_work() - whether @p has a G queued (ring, runnext or inject)
 * @p: any P
 *
 * Context: any.
 * Return: a snapshot: true if @p had a G queued during the call.
 */
bool kgo_p_has_work(struct kgo_p *p)
{
	return !kgo_runq_empty(&p->runq) || !llist_empty(&p->inject);
}

/**
 * kgo_p_drain_to_global_locked() - move every G queued on @p to the global queue
 * @p: a P without an owner (being taken offline)
 *
 * Context: kgo_sched.lock held; thieves may still take from @p meanwhile.
 */
void kgo_p_drain_to_global_locked(struct kgo_p *p)
{
	struct kgo_g *batch[KGO_RUNQ_SIZE / 2];
	struct llist_node *list;
	struct kgo_g *g, *tmp;
	u32 n, i;

	lockdep_assert_held(&kgo_sched.lock);
	while ((n = kgo_runq_grab(&p->runq, batch, true))) {
		for (i = 0; i + 1 < n; i++)
			batch[i]->schedlink = batch[i + 1];
		kgo_globrunq_put_locked(batch[0], batch[n - 1], n);
	}
	list = llist_reverse_order(llist_del_all(&p->inject));
	llist_for_each_entry_safe(g, tmp, list, inject) {
		kgo_globrunq_put_locked(g, g, 1);
		atomic_dec(&p->ninject);
	}
}

/* --- waking Ms --- */

/**
 * kgo_wakep() - start a spinning M if a P is idle and nobody spins (Go's wakep)
 *
 * Context: any, including hard interrupt context.
 */
void kgo_wakep(void)
{
	if (!READ_ONCE(kgo_sched.npidle))
		return;
	/* Be conservative: one spinner at a time finds work for the rest. */
	if (atomic_read(&kgo_sched.nmspinning) ||
	    atomic_cmpxchg(&kgo_sched.nmspinning, 0, 1) != 0)
		return;
	if (kgo_m_start(NULL, true))
		atomic_dec(&kgo_sched.nmspinning);
}

/*
 * A spinning M found work: stop counting it as spinning and, if it was the
 * last spinner, start another one, so that the remaining work keeps being
 * looked for (Go's resetspinning).
 */
static void kgo_m_reset_spinning(struct kgo_m *m)
{
	WRITE_ONCE(m->spinning, false);
	if (atomic_dec_return(&kgo_sched.nmspinning) == 0)
		kgo_wakep();
}

/* --- stealing --- */

/* Take all of @victim's inject list into @self's ring; return one G. */
static struct kgo_g *kgo_steal_inject(struct kgo_p *self, struct kgo_p *victim)
{
	bool next;

	if (!kgo_inject_move(self, victim))
		return NULL;
	return kgo_runq_get(&self->runq, &next);
}

/* Go's back-off before stealing the runnext of a P that runs a G. */
#define KGO_RUNNEXT_BACKOFF_US		3

/*
 * A running G that readied runnext (a channel hand-off, typically) is
 * about to finish and run it; stealing it now would move a ping-pong pair
 * apart and thrash caches. Wait a moment first, as Go's runqgrab does;
 * the steal that follows takes runnext only if it is still there.
 */
static void kgo_runnext_backoff(struct kgo_p *victim)
{
	long own = atomic_long_read(&victim->own);

	if (kgo_own_state(own) == KGO_P_GRUNNING &&
	    !kgo_runq_len(&victim->runq) && READ_ONCE(victim->runq.runnext))
		udelay(KGO_RUNNEXT_BACKOFF_US);
}

/*
 * Visit every P but @self once, from a random start with a stride coprime
 * to nprocs (Go's randomOrder), trying to steal from each.
 */
static struct kgo_g *kgo_steal_work(struct kgo_p *self)
{
	u32 nprocs = kgo_sched.nprocs;
	u32 pass, i, start, stride;
	struct kgo_g *g;

	if (nprocs < 2)
		return NULL;
	for (pass = 0; pass < KGO_STEAL_PASSES; pass++) {
		bool last = pass == KGO_STEAL_PASSES - 1;

		cond_resched();

		start = kgo_random_below(nprocs);
		do {
			stride = kgo_random_below(nprocs - 1) + 1;
		} while (gcd(stride, nprocs) != 1);
		for (i = 0; i < nprocs; i++) {
			struct kgo_p *victim =
				kgo_sched.allp[(start + i * stride) % nprocs];

			if (victim == self)
				continue;
			/* Injected Gs first: their P may not look soon. */
			g = kgo_steal_inject(self, victim);
			if (!g && last)
				kgo_runnext_backoff(victim);
			if (!g)
				g = kgo_runq_steal(&self->runq, &victim->runq, last);
			if (g) {
				u32 n = kgo_runq_len(&self->runq) + 1;

				trace_kgo_p_steal(self, victim, n);
				kgo_p_stat_inc(&self->stats.steals);
				kgo_p_stat_add(&self->stats.stolen, n);
				atomic_long_add(n, &victim->stolen_out);
				return g;
			}
		}
	}
	return NULL;
}

/**
 * kgo_any_work() - whether any P or the global queue has work
 *
 * Context: any.
 * Return: a snapshot.
 */
bool kgo_any_work(void)
{
	u32 i;

	if (READ_ONCE(kgo_sched.runq_size))
		return true;
	for (i = 0; i < kgo_sched.nprocs; i++)
		if (kgo_p_has_work(kgo_sched.allp[i]))
			return true;
	return false;
}

/* --- the schedule loop --- */

/* Take a G from @p's own queues, runnext at most KGO_RUNNEXT_MAX_STREAK times. */
static struct kgo_g *kgo_local_get(struct kgo_p *p, bool *inherit)
{
	struct kgo_g *g;

	kgo_inject_move(p, p);
	if (p->runnext_streak >= KGO_RUNNEXT_MAX_STREAK) {
		/* Send runnext to the back so the ring gets a turn. */
		g = xchg(&p->runq.runnext, NULL);
		if (g)
			kgo_runq_put_or_spill(p, g);
	}
	g = kgo_runq_get(&p->runq, inherit);
	if (g && *inherit)
		p->runnext_streak++;
	else
		p->runnext_streak = 0;
	return g;
}

/*
 * Find a G for @m, which owns @m->p in state KGO_P_SCHED. Returns NULL when
 * @m gave its P away and must park.
 */
static struct kgo_g *kgo_find_runnable(struct kgo_m *m, bool *inherit)
{
	struct kgo_p *p;
	unsigned long flags;
	bool was_spinning;
	struct kgo_g *g;

top:
	p = m->p;
	*inherit = false;
	if (READ_ONCE(p->offline_req) || READ_ONCE(kgo_sched.stopping))
		goto release;
	/* Fairness: the global queue, and Ms whose G woke, get a turn. */
	if (p->schedtick % KGO_GLOBAL_CHECK_INTERVAL == 0) {
		if (READ_ONCE(kgo_sched.pwait) && kgo_give_p_to_waiter(m, p)) {
			if (m->spinning) {
				WRITE_ONCE(m->spinning, false);
				atomic_dec(&kgo_sched.nmspinning);
			}
			return NULL;
		}
		g = kgo_globrunq_get(p, 1);
		if (g)
			return g;
	}
	g = kgo_local_get(p, inherit);
	if (g)
		return g;
	g = kgo_globrunq_get(p, 0);
	if (g)
		return g;

	/* Spin only while at most half the busy Ps have a spinner (Go). */
	if (m->spinning || 2 * atomic_read(&kgo_sched.nmspinning) <
			   kgo_sched.nprocs - READ_ONCE(kgo_sched.npidle)) {
		if (!m->spinning) {
			WRITE_ONCE(m->spinning, true);
			kgo_p_stat_inc(&p->stats.spins);
			atomic_inc(&kgo_sched.nmspinning);
		}
		g = kgo_steal_work(p);
		if (g)
			return g;
	}

release:
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	if (!READ_ONCE(p->offline_req) && !READ_ONCE(kgo_sched.stopping)) {
		g = kgo_globrunq_get_locked(p, 0);
		if (g) {
			raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
			return g;
		}
	}
	kgo_p_stat_inc(&p->stats.parks);
	kgo_pidleput_locked(p);
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	WRITE_ONCE(m->p, NULL);

	was_spinning = m->spinning;
	if (was_spinning) {
		WRITE_ONCE(m->spinning, false);
		atomic_dec(&kgo_sched.nmspinning);
	}
	/*
	 * Only the last spinner looks again (Go: "if wasSpinning"); an M that
	 * was not spinning saw the queues empty moments ago under its P.
	 *
	 * (D2): pairs with (D1) in kgo_spawn_queue(). Our stores to npidle
	 * and nmspinning are visible before we look at the queues, so a
	 * spawner that queued after our look sees an idle P and wakes an M.
	 */
	if (!was_spinning)
		return NULL;
	smp_mb();	/* (D2) */
	if (READ_ONCE(kgo_sched.stopping) || !kgo_any_work())
		return NULL;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	p = kgo_pidleget_locked();
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	if (!p)
		return NULL;
	kgo_m_acquire_p(m, p);
	/* Spinning again: the work may be on another P, to be stolen. */
	WRITE_ONCE(m->spinning, true);
	kgo_p_stat_inc(&p->stats.spins);
	atomic_inc(&kgo_sched.nmspinning);
	/* The owner of that work may share our CPU: let it run. */
	cond_resched();
	goto top;
}

static void kgo_execute(struct kgo_m *m, struct kgo_g *g, bool inherit)
{
	struct kgo_p *p = m->p;
	struct module *owner = g->owner;

	/* A runnext G inherits the time slice: sysmon sees no new tick. */
	if (!inherit)
		WRITE_ONCE(p->schedtick, p->schedtick + 1);
	WRITE_ONCE(p->preempt_req, false);
	WRITE_ONCE(g->m, m);
	WRITE_ONCE(g->state, KGO_G_RUNNING);
	WRITE_ONCE(m->curg, g);
	kgo_p_start_g(m, p);
	trace_kgo_g_run(g, p);

	if (g->fn != kgo_task_fn) {
		g->fn(g->arg);
	} else if (kgo_task_execute(g)) {
		/* Parked (park.c): @g is no longer ours to touch. */
		m->curg = NULL;
		p = m->p;
		if (p && !kgo_p_end_g(m, p))
			m->p = NULL;
		return;
	}

	trace_kgo_g_exit(g);
	WRITE_ONCE(m->curg, NULL);
	WRITE_ONCE(g->state, KGO_G_DEAD);
	/* The G may have blocked and come back on another P. */
	p = m->p;
	if (p && kgo_p_end_g(m, p)) {
		kgo_p_stat_inc(&p->stats.ran);
		kgo_g_free(p, g);
	} else {
		WRITE_ONCE(m->p, NULL);
		kgo_g_free(NULL, g);
	}
	module_put(owner);
	this_cpu_dec(kgo_cpu_counters.live_gs);
}

/**
 * kgo_sched_loop() - run Gs until the M has no P any more
 * @m: the calling M, owning m->p in state KGO_P_SCHED
 *
 * Context: the M's kthread.
 */
void kgo_sched_loop(struct kgo_m *m)
{
	bool inherit;
	struct kgo_g *g;

	while (m->p) {
		g = kgo_find_runnable(m, &inherit);
		if (!g)
			return;
		if (m->spinning)
			kgo_m_reset_spinning(m);
		kgo_execute(m, g, inherit);
		cond_resched();
	}
}

/* --- spawning --- */

static struct kgo_p __percpu *kgo_procs;

/* Goids come in per-CPU batches of 16 from kgo_sched.goid_gen (Go's). */
#define KGO_GOID_BATCH	16

static u64 kgo_goid_next(void)
{
	struct kgo_cpu_counters *c;
	unsigned long flags;
	u64 goid;

	/* Interrupts off: a spawn from an interrupt must not share a goid. */
	local_irq_save(flags);
	c = this_cpu_ptr(&kgo_cpu_counters);
	if (c->goid_next == c->goid_end) {
		c->goid_end = atomic64_add_return(KGO_GOID_BATCH,
						  &kgo_sched.goid_gen) + 1;
		c->goid_next = c->goid_end - KGO_GOID_BATCH;
	}
	goid = c->goid_next++;
	local_irq_restore(flags);
	return goid;
}

/**
 * kgo_live_gs_sum() - the sum of every CPU's live-G count
 *
 * Context: any.
 * Return: exact while no G is spawned or finishes during the call;
 * otherwise a value between the counts before and after each concurrent
 * change, as with percpu_counter_sum().
 */
long kgo_live_gs_sum(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(kgo_cpu_counters.live_gs, cpu));
	return sum;
}

/**
 * kgo_m_limit_reached() - whether every M allowed exists and none is free
 *
 * Then a new G might never get an M (every M may be blocked in a G waiting
 * for it), so spawns fail instead of queueing: Go's fatal "thread
 * exhaustion" as an error code.
 *
 * Context: any; a racy snapshot, read-mostly fields first.
 * Return: true when a spawn should be refused.
 */
bool kgo_m_limit_reached(void)
{
	return READ_ONCE(kgo_sched.mcount) >= READ_ONCE(kgo_max_threads) &&
	       !READ_ONCE(kgo_sched.nmidle);
}
EXPORT_SYMBOL_NS_GPL(kgo_m_limit_reached, KGO_INTERNAL_NS);

/**
 * kgo_p_of_cpu() - the P that runs on @cpu, or some P if none does
 * @cpu: a possible CPU
 *
 * Context: any.
 * Return: the P; never NULL.
 */
struct kgo_p *kgo_p_of_cpu(unsigned int cpu)
{
	struct kgo_p *p = per_cpu_ptr(kgo_procs, cpu);

	/* Slots of CPUs without a P are zeroed: their id 0 names another P. */
	if (kgo_sched.allp[p->id] == p)
		return p;
	return kgo_sched.allp[cpu % kgo_sched.nprocs];
}

/* Queue a new runnable @g: on our own P as runnext, else injected. */
static void kgo_spawn_queue(struct kgo_g *g)
{
	struct kgo_p *p = kgo_owner_op_begin();

	if (p) {
		kgo_p_stat_inc(&p->stats.spawned);
		kgo_runq_put_next(p, g);
		kgo_owner_op_end(p);
	} else {
		/* Any P will do; this CPU's keeps the G warm in its cache. */
		p = kgo_p_of_cpu(raw_smp_processor_id());
		llist_add(&g->inject, &p->inject);
		atomic_inc(&p->ninject);	/* for kgo_stranded_now() only */
		/*
		 * The owner may be in its loop and never look again: its
		 * spinner or idle-P logic below must see the G.
		 */
	}
	/*
	 * (D1): pairs with (D2) in kgo_find_runnable(), with (D2') in
	 * kgo_handoffp() and kgo_m_create_failed(), and with (D4) in
	 * kgo_p_block() (all three in pown.c): an owner that kept its P for a
	 * blocked G does not look at its queues, so the P is retaken for the
	 * new G.
	 */
	smp_mb();
	kgo_p_retake_blocked(p);
	kgo_wakep();
}

/**
 * kgo_g_ready() - make a parked G runnable again (Go's goready)
 * @g: the G, parked (park.c)
 * @reason: unused, for symmetry with the park side; NULL
 *
 * Onto the caller's P as runnext when the caller is a G on a P, else
 * injected into this CPU's P, waking an idle P as a spawn does.
 *
 * Context: any.
 */
void kgo_g_ready(struct kgo_g *g, const char *reason)
{
	trace_kgo_g_ready(g->goid, 0);
	WRITE_ONCE(g->wait_reason, reason);
	WRITE_ONCE(g->state, KGO_G_RUNNABLE);
	kgo_spawn_queue(g);
}

/**
 * __kgo_go() - spawn a G: run @fn(@arg) on some M soon (Go's go statement)
 * @owner: the module that owns @fn's code (THIS_MODULE via kgo_go());
 *	pinned until @fn has returned
 * @fn: the function
 * @arg: its argument
 * @gfp: how to allocate the G descriptor (kgo_go() uses GFP_ATOMIC)
 *
 * Context: any: process, softirq or hard interrupt context with a
 * non-sleeping @gfp; a G calling it makes the new G its P's runnext.
 * Return: 0, -ENOMEM, -ENOENT when @owner is going away, -EAGAIN when
 * every M the ``max_threads`` parameter allows exists and is busy, or
 * -ESHUTDOWN while kgo itself unloads.
 */
int __kgo_go(struct module *owner, kgo_func_t fn, void *arg, gfp_t gfp)
{
	struct kgo_p *p;
	struct kgo_g *g;

	if (unlikely(READ_ONCE(kgo_sched.stopping)))
		return -ESHUTDOWN;
	if (unlikely(kgo_m_limit_reached()))
		return -EAGAIN;
	if (!try_module_get(owner))
		return -ENOENT;
	/* From a G, the P's cache of dead Gs; else the slab. */
	p = kgo_owner_op_begin();
	g = p ? kgo_g_alloc(p, 0) : NULL;
	if (p)
		kgo_owner_op_end(p);
	if (!g)
		g = kgo_g_alloc(NULL, gfp);
	if (!g) {
		module_put(owner);
		return -ENOMEM;
	}
	g->fn = fn;
	g->arg = arg;
	g->owner = owner;
	g->goid = kgo_goid_next();
	g->m = NULL;
	g->wait_reason = NULL;
	g->state = KGO_G_RUNNABLE;
	this_cpu_inc(kgo_cpu_counters.live_gs);
	trace_kgo_g_spawn(g);
	kgo_spawn_queue(g);
	/*
	 * (D3): kgo_spawn_queue()'s full barrier (D1) orders the live-G
	 * increment before this load; pairs with (D3) in sysmon, which sets
	 * the flag before it sums the counts: it sees our G or we wake it.
	 */
	if (unlikely(READ_ONCE(kgo_sched.sysmon_idle)))
		kgo_sysmon_kick();
	return 0;
}
EXPORT_SYMBOL_GPL(__kgo_go);

/**
 * kgo_live_gs() - the number of Gs spawned and not yet finished
 *
 * What a goroutine leak shows up in (Go's runtime.NumGoroutine()).
 *
 * Context: any.
 * Return: the count, a snapshot (exact when no G starts or ends meanwhile).
 */
long kgo_live_gs(void)
{
	return kgo_live_gs_sum();
}
EXPORT_SYMBOL_GPL(kgo_live_gs);

/**
 * kgo_nprocs() - the number of Ps (Go's GOMAXPROCS)
 *
 * Context: any.
 * Return: the number of Ps, fixed while kgo is loaded.
 */
unsigned int kgo_nprocs(void)
{
	return kgo_sched.nprocs;
}
EXPORT_SYMBOL_GPL(kgo_nprocs);

/* --- init and exit --- */

static unsigned int kgo_nprocs_param;
module_param_named(nprocs, kgo_nprocs_param, uint, 0444);
MODULE_PARM_DESC(nprocs, "Number of Ps (Go's GOMAXPROCS); 0 = every online CPU");

/**
 * kgo_sched_init() - create the Ps, a spare M for each, and start sysmon
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int kgo_sched_init(void)
{
	unsigned int cpu, n = 0, want;
	int ret;
	u32 i;

	kgo_block_init_all();
	cpus_read_lock();
	want = num_online_cpus();
	if (kgo_nprocs_param && kgo_nprocs_param < want)
		want = kgo_nprocs_param;
	kgo_procs = alloc_percpu(struct kgo_p);
	kgo_sched.allp = kcalloc(want, sizeof(*kgo_sched.allp), GFP_KERNEL);
	if (!kgo_procs || !kgo_sched.allp) {
		cpus_read_unlock();
		ret = -ENOMEM;
		goto fail;
	}
	for_each_online_cpu(cpu) {
		struct kgo_p *p = per_cpu_ptr(kgo_procs, cpu);

		if (n == want)
			break;
		kgo_runq_init(&p->runq, 0);
		init_llist_head(&p->inject);
		p->id = n;
		p->cpu = cpu;
		kgo_sched.allp[n++] = p;
	}
	kgo_sched.nprocs = n;
	INIT_WORK(&kgo_sched.m_create_work, kgo_m_create_work_fn);
	raw_spin_lock_irq(&kgo_sched.lock);
	for (i = 0; i < n; i++)
		kgo_pidleput_locked(kgo_sched.allp[i]);
	raw_spin_unlock_irq(&kgo_sched.lock);
	cpus_read_unlock();

	for (i = 0; i < n; i++) {
		ret = kgo_m_spawn_spare(kgo_sched.allp[i]->cpu);
		if (ret)
			goto fail_ms;
	}
	ret = kgo_sysmon_start();
	if (ret)
		goto fail_ms;
	ret = kgo_hotplug_init();
	if (ret)
		goto fail_sysmon;
	return 0;

fail_sysmon:
	kgo_sysmon_stop();
fail_ms:
	kgo_m_stop_all();
fail:
	kfree(kgo_sched.allp);
	free_percpu(kgo_procs);
	kgo_block_exit_all();
	return ret;
}

/**
 * kgo_sched_exit() - wait for every G, then stop sysmon and the Ms
 *
 * Client modules pin kgo through their use of its symbols and each G pins
 * its own module, so no G is left by the time kgo can be unloaded; the
 * wait is a safety net that reports a leak rather than freeing under it.
 *
 * Context: module unload.
 */
void kgo_sched_exit(void)
{
	u32 i;

	WRITE_ONCE(kgo_sched.stopping, true);
	smp_mb();	/* stopping before the wake-ups below look at queues */
	/* Polled: a wake-up on the last G's exit would cost every G a check. */
	for (i = 0; i < 500 && kgo_live_gs_sum(); i++)
		msleep(20);
	WARN_ONCE(kgo_live_gs_sum(), "kgo: %ld Gs still live at unload\n",
		  kgo_live_gs_sum());
	kgo_hotplug_exit();
	kgo_sysmon_stop();
	kgo_m_stop_all();
	kgo_block_exit_all();
	for (i = 0; i < kgo_sched.nprocs; i++)
		kgo_g_free_p_cache(kgo_sched.allp[i]);
	kfree(kgo_sched.allp);
	free_percpu(kgo_procs);
}

/**
 * kgo_sched_stats_sum() - the sum of every P's counters
 * @sum: filled in
 *
 * Context: any; the counters are read locklessly (READ_ONCE() snapshots,
 * see &struct kgo_p_stats).
 */
void kgo_sched_stats_sum(struct kgo_p_stats *sum)
{
	u32 i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < kgo_sched.nprocs; i++) {
		struct kgo_p *p = kgo_sched.allp[i];
		const struct kgo_p_stats *s = &p->stats;

		sum->spawned += READ_ONCE(s->spawned);
		sum->ran += READ_ONCE(s->ran);
		sum->stolen += READ_ONCE(s->stolen);
		sum->steals += READ_ONCE(s->steals);
		sum->spilled += READ_ONCE(s->spilled);
		sum->global_taken += READ_ONCE(s->global_taken);
		sum->handoffs += READ_ONCE(s->handoffs);
		sum->retakes += READ_ONCE(s->retakes);
		sum->yields += atomic_long_read(&p->yields);
		sum->parks += READ_ONCE(s->parks);
		sum->spins += READ_ONCE(s->spins);
		sum->stolen_out += atomic_long_read(&p->stolen_out);
	}
}
EXPORT_SYMBOL_NS_GPL(kgo_sched_stats_sum, KGO_INTERNAL_NS);
