// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Mutex for Gs: Go's sync.Mutex (sync/mutex.go, internal/sync/mutex.go),
 * state word and all.
 *
 * Normal mode. Waiters queue FIFO, but a woken waiter does not own the
 * lock: it competes with newly arriving lockers, which have the advantage
 * of already running. A waiter that loses queues again at the head.
 * Starvation mode. A waiter that waited over 1 ms (%KGO_MUTEX_STARVE_NS)
 * sets %KGO_MUTEX_STARVING: unlock then hands the lock straight to the
 * first waiter, newcomers queue at the tail without trying, and nobody
 * spins. The waiter that gets the lock clears the bit when it is the last
 * one or waited under 1 ms. Normal mode is much faster (a G can take the
 * lock several times in a row); starvation mode bounds the tail latency.
 *
 * Spinning. A locker spins (4 rounds of 30 cpu_relax(), Go's
 * active_spin/active_spin_cnt) only where it can pay off: more than one P
 * and CPU, the owner on a CPU right now, and no other G queued on the
 * spinner's P (which would be delayed).
 *
 * Memory ordering. The lock is taken by a cmpxchg with acquire semantics
 * (fully ordered on the slow path) that sets %KGO_MUTEX_LOCKED, and given
 * up by a cmpxchg with release semantics that clears it: they pair, so a
 * critical section happens before the next. In starvation mode the lock
 * is handed over through the semaphore: the unlocker's release cmpxchg,
 * then its kgo_sema_release() (a spinlock, then (W2), a store-release of
 * the waiter's @fired) pairs with (W1), the waiter's load-acquire of
 * @fired, before the waiter's fully ordered atomic_add_return() takes
 * ownership; a parked waiter's load-acquire is kgo_sync_async_resume()'s,
 * at its resume. @owner is only a hint for spinning.
 *
 * Parked Gs (kgo_mutex_lock_async()) run the same slow path, cut at its
 * semaphore wait: kgo_mutex_lock_try() up to the wait, kgo_mutex_lock_woken()
 * after it, with the wait's state in the task instead of on the stack.
 */

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include <kgo/async.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "sched.h"
#include "syncq.h"

/* A waiter blocked longer than this switches the mutex to starvation mode. */
#define KGO_MUTEX_STARVE_NS	NSEC_PER_MSEC
#define KGO_MUTEX_SPIN_ROUNDS	4
#define KGO_MUTEX_SPIN_RELAX	30

/**
 * __kgo_mutex_init() - initialise @m, unlocked; use kgo_mutex_init()
 * @m: the mutex
 * @name: its name for lockdep
 * @key: its lockdep class
 *
 * Context: any.
 */
void __kgo_mutex_init(struct kgo_mutex *m, const char *name,
		      struct lock_class_key *key)
{
	atomic_set(&m->state, 0);
	kgo_sema_init(&m->sema, 0);
	m->owner = NULL;
	atomic_set(&m->handoffs, 0);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_init_map(&m->dep_map, name, key, 0);
#endif
}
EXPORT_SYMBOL_GPL(__kgo_mutex_init);

static bool kgo_task_on_cpu(struct task_struct *t)
{
#ifdef CONFIG_SMP
	return READ_ONCE(t->on_cpu);
#else
	return false;
#endif
}

/*
 * The owner hint for spinners: only a G's task, an M, which lives until
 * kgo unloads. Any other task could exit while it holds the mutex (another
 * task may unlock it) and be freed while a spinner reads its @on_cpu:
 * rcu_read_lock() protects only a pointer published after the task was
 * seen alive.
 */
static void kgo_mutex_set_owner(struct kgo_mutex *m)
{
	WRITE_ONCE(m->owner, kgo_m_current() ? current : NULL);
}

/* Go's sync_runtime_canSpin(). */
static bool kgo_mutex_can_spin(struct kgo_mutex *m, int iter)
{
	struct task_struct *owner;
	struct kgo_m *km;
	bool running;

	if (iter >= KGO_MUTEX_SPIN_ROUNDS || kgo_nprocs() <= 1 ||
	    num_online_cpus() <= 1)
		return false;
	km = kgo_m_current();
	if (km && km->p && kgo_p_has_work(km->p))
		return false;
	/* Only Ms are recorded, and they live until kgo unloads. */
	rcu_read_lock();
	owner = READ_ONCE(m->owner);
	running = owner && kgo_task_on_cpu(owner);
	rcu_read_unlock();
	return running;
}

static void kgo_mutex_spin(void)
{
	int i;

	for (i = 0; i < KGO_MUTEX_SPIN_RELAX; i++)
		cpu_relax();
}

/*
 * Go's lockSlow(), cut at its semacquire so that the thread-blocking and
 * the parked form (kgo_mutex_lock_async()) run the same code. What lives
 * across a wait is @since (when the locker first waited, 0 before) and
 * @starving (it waited over 1 ms): on the stack of a blocking locker, in
 * the task of a parked one. @awoke: the locker was just woken by unlock
 * (which set %KGO_MUTEX_WOKEN for it).
 *
 * Return: true when the caller holds the lock; false when it counted
 * itself as a waiter and must wait on @m->sema, at its head if *@lifo
 * (it waited before: Go's lifo).
 */
static bool kgo_mutex_lock_try(struct kgo_mutex *m, u64 *since, bool starving,
			       bool awoke, bool *lifo)
{
	int old, new, iter = 0;

	old = atomic_read(&m->state);
	for (;;) {
		/* Locked, not starving, and spinning pays: spin. */
		if ((old & (KGO_MUTEX_LOCKED | KGO_MUTEX_STARVING)) ==
		    KGO_MUTEX_LOCKED && kgo_mutex_can_spin(m, iter)) {
			/* Tell unlock not to wake others: we are awake. */
			if (!awoke && !(old & KGO_MUTEX_WOKEN) &&
			    (old >> KGO_MUTEX_WAITER_SHIFT) &&
			    atomic_try_cmpxchg(&m->state, &old,
					       old | KGO_MUTEX_WOKEN))
				awoke = true;
			kgo_mutex_spin();
			iter++;
			old = atomic_read(&m->state);
			continue;
		}
		new = old;
		/* Newcomers do not take a starving mutex: they queue. */
		if (!(old & KGO_MUTEX_STARVING))
			new |= KGO_MUTEX_LOCKED;
		if (old & (KGO_MUTEX_LOCKED | KGO_MUTEX_STARVING))
			new += 1 << KGO_MUTEX_WAITER_SHIFT;
		/* Switch to starvation mode, if it is still locked. */
		if (starving && (old & KGO_MUTEX_LOCKED))
			new |= KGO_MUTEX_STARVING;
		if (awoke) {
			WARN_ONCE(!(new & KGO_MUTEX_WOKEN),
				  "kgo: inconsistent mutex state %#x\n", old);
			new &= ~KGO_MUTEX_WOKEN;
		}
		if (!atomic_try_cmpxchg(&m->state, &old, new))
			continue;	/* @old is fresh */
		if (!(old & (KGO_MUTEX_LOCKED | KGO_MUTEX_STARVING)))
			return true;	/* locked by the cmpxchg */
		/* Waited before: back to the head of the queue (Go's lifo). */
		*lifo = *since != 0;
		if (!*since)
			*since = ktime_get_ns();
		return false;
	}
}

/*
 * After the semaphore's token came: whether unlock handed the lock over
 * (starvation mode). If not, the caller tries again with @awoke.
 */
static bool kgo_mutex_lock_woken(struct kgo_mutex *m, u64 since,
				 bool *starving)
{
	int old;

	*starving = *starving || ktime_get_ns() - since > KGO_MUTEX_STARVE_NS;
	old = atomic_read(&m->state);
	if (old & KGO_MUTEX_STARVING) {
		/* Handed to us: the lock is ours, we are no waiter. */
		int delta = KGO_MUTEX_LOCKED - (1 << KGO_MUTEX_WAITER_SHIFT);

		WARN_ONCE((old & (KGO_MUTEX_LOCKED | KGO_MUTEX_WOKEN)) ||
			  !(old >> KGO_MUTEX_WAITER_SHIFT),
			  "kgo: inconsistent starving mutex %#x\n", old);
		/* Last waiter, or we did not wait long: leave it. */
		if (!*starving || (old >> KGO_MUTEX_WAITER_SHIFT) == 1)
			delta -= KGO_MUTEX_STARVING;
		atomic_add_return(delta, &m->state);
		return true;
	}
	return false;
}

/* Go's lockSlow(), blocking. */
static void kgo_mutex_lock_slow(struct kgo_mutex *m)
{
	bool starving = false, awoke = false, lifo;
	u64 since = 0;

	while (!kgo_mutex_lock_try(m, &since, starving, awoke, &lifo)) {
		kgo_sema_acquire(&m->sema, lifo, false, 0, "mutex");
		if (kgo_mutex_lock_woken(m, since, &starving))
			return;
		awoke = true;
	}
}

/* Lock without lockdep: the public calls and kgo_rwmutex annotate. */
void kgo_mutex_lock_nodep(struct kgo_mutex *m)
{
	int old = 0;

	might_sleep();
	if (!atomic_try_cmpxchg_acquire(&m->state, &old, KGO_MUTEX_LOCKED))
		kgo_mutex_lock_slow(m);
	kgo_mutex_set_owner(m);
}

/**
 * kgo_mutex_lock() - lock @m, waiting as long as it takes (Go's Lock())
 * @m: the mutex
 *
 * A G that has to wait hands its P off. Neither signals nor time end the
 * wait. Locking a mutex the caller holds deadlocks, as in Go (lockdep
 * reports it).
 *
 * Context: process; sleeps.
 */
void kgo_mutex_lock(struct kgo_mutex *m)
{
	mutex_acquire(&m->dep_map, 0, 0, _RET_IP_);
	kgo_mutex_lock_nodep(m);
}
EXPORT_SYMBOL_GPL(kgo_mutex_lock);

/*
 * Go's lockSlow() in a parked-capable G: each wait on the semaphore queues
 * the task's sudog and returns -EINPROGRESS; the resume goes on with
 * kgo_mutex_lock_task_resume(). A parked G is no spinner's owner hint:
 * its M runs other Gs while it holds the lock.
 */
static int kgo_mutex_lock_task_slow(struct kgo_task *t, struct kgo_mutex *m,
				    enum kgo_task_op op, bool awoke)
{
	bool lifo;
	int ret;

	while (!kgo_mutex_lock_try(m, &t->since, t->starving, awoke, &lifo)) {
		ret = kgo_sema_acquire_task(t, &m->sema, lifo, op);
		if (ret)
			return ret;	/* queued: the token readies the G */
		if (kgo_mutex_lock_woken(m, t->since, &t->starving))
			break;
		awoke = true;
	}
	WRITE_ONCE(m->owner, NULL);
	return 0;
}

/**
 * kgo_mutex_lock_task() - lock @m in a parked-capable G
 * @t: the task; its @obj is set by the caller, for the resume of @op
 * @m: the mutex
 * @op: what the task's resume continues with once @m is locked
 *
 * Context: a step function.
 * Return: 0 with @m locked, or -EINPROGRESS: queued.
 */
int kgo_mutex_lock_task(struct kgo_task *t, struct kgo_mutex *m,
			enum kgo_task_op op)
{
	int old = 0;

	if (atomic_try_cmpxchg_acquire(&m->state, &old, KGO_MUTEX_LOCKED)) {
		WRITE_ONCE(m->owner, NULL);
		return 0;
	}
	t->since = 0;
	t->starving = false;
	return kgo_mutex_lock_task_slow(t, m, op, false);
}

/**
 * kgo_mutex_lock_task_resume() - go on with kgo_mutex_lock_task()
 * @t: the task, readied with a token of @m->sema
 * @m: the mutex
 * @op: as for kgo_mutex_lock_task()
 *
 * Context: the step function, from kgo_sync_async_resume().
 * Return: 0 with @m locked, or -EINPROGRESS: queued again (a newcomer
 * took the lock in normal mode; the G waits at the head of the queue).
 */
int kgo_mutex_lock_task_resume(struct kgo_task *t, struct kgo_mutex *m,
			       enum kgo_task_op op)
{
	if (kgo_mutex_lock_woken(m, t->since, &t->starving)) {
		WRITE_ONCE(m->owner, NULL);
		return 0;
	}
	return kgo_mutex_lock_task_slow(t, m, op, true);
}

/**
 * kgo_mutex_lock_async() - lock @m in a parked-capable G (<kgo/async.h>)
 * @t: the task
 * @m: the mutex
 *
 * kgo_mutex_lock() with the task as the waiter: the same state word, the
 * same semaphore queue, normal and starvation modes and hand-off, so
 * parked Gs, thread-blocking Gs and kthreads contend for @m alike. The G
 * parks instead of sleeping each time the thread-blocking form would
 * sleep, and may spin before, as that form does. The lock is not
 * recorded by lockdep (a parked G holds it without a task); unlock it
 * with kgo_mutex_unlock() from any G.
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 with @m locked, or -EINPROGRESS: parked, locked at the resume
 * (where @t->err is 0).
 */
int kgo_mutex_lock_async(struct kgo_task *t, struct kgo_mutex *m)
{
	t->obj = m;
	return kgo_mutex_lock_task(t, m, KGO_TASK_OP_MUTEX);
}
EXPORT_SYMBOL_GPL(kgo_mutex_lock_async);

/**
 * kgo_mutex_trylock() - lock @m if nobody holds it (Go's TryLock())
 * @m: the mutex
 *
 * Fails on a starving mutex even when it is unlocked: it belongs to the
 * first waiter.
 *
 * Context: any but hard irq.
 * Return: true if the caller now holds @m.
 */
bool kgo_mutex_trylock(struct kgo_mutex *m)
{
	int old = atomic_read(&m->state);

	do {
		if (old & (KGO_MUTEX_LOCKED | KGO_MUTEX_STARVING))
			return false;
	} while (!atomic_try_cmpxchg_acquire(&m->state, &old,
					     old | KGO_MUTEX_LOCKED));
	kgo_mutex_set_owner(m);
	mutex_acquire(&m->dep_map, 0, 1, _RET_IP_);
	return true;
}
EXPORT_SYMBOL_GPL(kgo_mutex_trylock);

/* Go's unlockSlow(): @new is the state just after clearing LOCKED. */
static void kgo_mutex_unlock_slow(struct kgo_mutex *m, int new)
{
	int old;

	if (new & KGO_MUTEX_STARVING) {
		/*
		 * Hand the lock to the first waiter: LOCKED stays clear
		 * but STARVING keeps newcomers off until it takes it.
		 */
		atomic_inc(&m->handoffs);
		kgo_sema_release(&m->sema);
		/*
		 * Go's semrelease(handoff) then yields its P, so that the
		 * waiter, which owns the mutex now, runs at once instead of
		 * waiting, woken, for a P this G keeps busy. Only where the
		 * caller may sleep: not atomic, not inside rcu_read_lock()
		 * (which preemptible RCU leaves out of the preempt count).
		 */
		if (preemptible() && !rcu_preempt_depth() && kgo_m_current())
			kgo_yield();
		return;
	}
	old = new;
	for (;;) {
		/*
		 * No waiters, or someone already took the lock, was woken or
		 * made it starving: nobody to wake.
		 */
		if (!(old >> KGO_MUTEX_WAITER_SHIFT) ||
		    (old & (KGO_MUTEX_LOCKED | KGO_MUTEX_WOKEN |
			    KGO_MUTEX_STARVING)))
			return;
		new = (old - (1 << KGO_MUTEX_WAITER_SHIFT)) | KGO_MUTEX_WOKEN;
		if (atomic_try_cmpxchg(&m->state, &old, new)) {
			kgo_sema_release(&m->sema);
			return;
		}
	}
}

/* Unlock without lockdep. */
int kgo_mutex_unlock_nodep(struct kgo_mutex *m)
{
	int old = atomic_read(&m->state);

	/* Never leave a stale owner that a spinner could dereference. */
	WRITE_ONCE(m->owner, NULL);
	do {
		if (!(old & KGO_MUTEX_LOCKED)) {
			kgo_sync_misuse("kgo: unlock of unlocked mutex\n");
			return -EPERM;
		}
	} while (!atomic_try_cmpxchg_release(&m->state, &old,
					     old - KGO_MUTEX_LOCKED));
	if (old != KGO_MUTEX_LOCKED)
		kgo_mutex_unlock_slow(m, old - KGO_MUTEX_LOCKED);
	return 0;
}

/**
 * kgo_mutex_unlock() - unlock @m (Go's Unlock())
 * @m: the mutex, locked by the caller
 *
 * Wakes a waiter if one should compete for the lock (normal mode) or
 * hands the lock to the first waiter (starvation mode); a G that hands
 * it over then yields its P, where it may sleep (Go's semrelease).
 *
 * A mutex locked by kgo_mutex_lock_async() is unlocked here too, by any
 * G or task: lockdep did not record it, so nobody's record is released.
 *
 * Context: any but hard irq (it yields only where it may sleep).
 * Return: 0, or -EPERM (and a warning, once) if @m was not locked: Go's
 * fatal "unlock of unlocked mutex". Nothing changes then.
 */
int kgo_mutex_unlock(struct kgo_mutex *m)
{
	if (!(atomic_read(&m->state) & KGO_MUTEX_LOCKED)) {
		kgo_sync_misuse("kgo: unlock of unlocked mutex\n");
		return -EPERM;
	}
	/* Locked by a parked G (kgo_mutex_lock_async()): not recorded. */
	if (kgo_dep_held(m))
		mutex_release(&m->dep_map, _RET_IP_);
	return kgo_mutex_unlock_nodep(m);
}
EXPORT_SYMBOL_GPL(kgo_mutex_unlock);

/**
 * kgo_mutex_starving() - whether @m is in starvation mode
 * @m: the mutex
 *
 * For tests and diagnostics: in starvation mode unlock hands the lock to
 * the first waiter, FIFO.
 *
 * Context: any.
 * Return: a snapshot.
 */
bool kgo_mutex_starving(struct kgo_mutex *m)
{
	return atomic_read(&m->state) & KGO_MUTEX_STARVING;
}
EXPORT_SYMBOL_GPL(kgo_mutex_starving);

/**
 * kgo_mutex_waiters() - Gs and tasks counted as waiting for @m
 * @m: the mutex
 *
 * Context: any.
 * Return: a snapshot of the waiter count in the state word.
 */
unsigned int kgo_mutex_waiters(struct kgo_mutex *m)
{
	return (unsigned int)atomic_read(&m->state) >> KGO_MUTEX_WAITER_SHIFT;
}
EXPORT_SYMBOL_GPL(kgo_mutex_waiters);
