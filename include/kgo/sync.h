/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo's sync package: WaitGroup, Mutex, RWMutex and Once for Gs, with
 * Go's semantics. Blocking in any of them by a G hands its P to another M
 * (Go parks the goroutine; a kgo G keeps its M but frees its P), so the
 * other Gs of the P keep running. Kernel threads and processes may use
 * them too; they just sleep. A parked G (<kgo/async.h>) has parking
 * forms of each wait: kgo_mutex_lock_async() and the like. Go's panics
 * ("negative WaitGroup counter", "unlock of unlocked mutex") are
 * WARN_ONCE() plus -EINVAL or -EPERM, and leave the object unchanged.
 *
 * Mutex, RWMutex and Once are lockdep-annotated: each init call site is a
 * lock class, as with mutex_init(). A kgo mutex must be unlocked by the G
 * (or task) that locked it when lockdep is on; Go allows any goroutine to
 * unlock. Do not hold a kernel spinlock across any of these calls.
 */
#ifndef _KGO_SYNC_H
#define _KGO_SYNC_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/lockdep.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct kgo_ctx;
struct task_struct;

/**
 * struct kgo_sema - internal: a semaphore that hands its token over
 * @lock: protects the other fields; taken with interrupts off
 * @count: tokens nobody waits for
 * @waiters: blocked acquirers (&struct kgo_sudog), FIFO unless an
 *	acquirer asked for the head (Go's semacquire with lifo)
 * @nwait: entries on @waiters, for tests and debugfs
 *
 * Go's runtime semaphore (sema.go). A release that finds a waiter gives
 * the token straight to it and never touches @count, so nobody can take
 * it in between. Not an API: embedded in the objects below.
 */
struct kgo_sema {
	spinlock_t lock;	/* the other fields */
	unsigned int count;
	struct list_head waiters;
	unsigned int nwait;
};

/* --- WaitGroup --- */

/**
 * struct kgo_wg - a WaitGroup (Go's sync.WaitGroup)
 * @lock: protects @count and @waiters; taken with interrupts off, so
 *	kgo_wg_done() works in any context
 * @count: under @lock: the counter
 * @waiters: under @lock: blocked waiters (&struct kgo_sudog)
 *
 * Initialise with kgo_wg_init(). Reusable once every wait has returned.
 */
struct kgo_wg {
	spinlock_t lock;	/* @count, @waiters; irqsave */
	long count;
	struct list_head waiters;
};

void kgo_wg_init(struct kgo_wg *wg);
int kgo_wg_add(struct kgo_wg *wg, long delta);
int kgo_wg_wait_timeout(struct kgo_wg *wg, s64 timeout_ns);
int kgo_wg_wait_ctx(struct kgo_wg *wg, struct kgo_ctx *ctx);
long kgo_wg_count(struct kgo_wg *wg);

/**
 * kgo_wg_done() - one fewer to wait for (Go's wg.Done())
 * @wg: the WaitGroup
 *
 * Context: any.
 * Return: see kgo_wg_add().
 */
static inline int kgo_wg_done(struct kgo_wg *wg)
{
	return kgo_wg_add(wg, -1);
}

/**
 * kgo_wg_wait() - wait until the counter is zero (Go's wg.Wait())
 * @wg: the WaitGroup
 *
 * Neither signals nor time end the wait.
 *
 * Context: process; sleeps.
 */
static inline void kgo_wg_wait(struct kgo_wg *wg)
{
	kgo_wg_wait_timeout(wg, -1);
}

/* --- Mutex --- */

/* Bits of kgo_mutex.state, as Go's sync.Mutex. */
#define KGO_MUTEX_LOCKED	1
#define KGO_MUTEX_WOKEN		2
#define KGO_MUTEX_STARVING	4
#define KGO_MUTEX_WAITER_SHIFT	3

/**
 * struct kgo_mutex - a mutual exclusion lock for Gs (Go's sync.Mutex)
 * @state: atomic: %KGO_MUTEX_LOCKED, %KGO_MUTEX_WOKEN, %KGO_MUTEX_STARVING
 *	and the number of waiters above %KGO_MUTEX_WAITER_SHIFT
 * @sema: where waiters sleep; its lock protects its own fields only
 * @owner: atomic hint (WRITE_ONCE/READ_ONCE): the M (a G's task) holding
 *	the lock, for the spinning decision; NULL when unlocked, or held by
 *	a task that is not a G
 * @handoffs: atomic: unlocks that handed the lock to a waiter in
 *	starvation mode, for tests and diagnostics
 * @dep_map: lockdep's view of the lock
 *
 * Initialise with kgo_mutex_init().
 */
struct kgo_mutex {
	atomic_t state;
	struct kgo_sema sema;
	struct task_struct *owner;
	atomic_t handoffs;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
};

void __kgo_mutex_init(struct kgo_mutex *m, const char *name,
		      struct lock_class_key *key);

/**
 * kgo_mutex_init() - initialise a &struct kgo_mutex, unlocked
 * @m: the mutex
 *
 * Each call site is a lockdep class, as with mutex_init().
 */
#define kgo_mutex_init(m)					\
do {								\
	static struct lock_class_key __kgo_key;			\
								\
	__kgo_mutex_init((m), #m, &__kgo_key);			\
} while (0)

void kgo_mutex_lock(struct kgo_mutex *m);
bool kgo_mutex_trylock(struct kgo_mutex *m);
int kgo_mutex_unlock(struct kgo_mutex *m);
bool kgo_mutex_starving(struct kgo_mutex *m);
unsigned int kgo_mutex_waiters(struct kgo_mutex *m);

/* --- RWMutex --- */

/* Most readers at once (Go's rwmutexMaxReaders). */
#define KGO_RWMUTEX_MAX_READERS	((int)BIT(30))

/**
 * struct kgo_rwmutex - a reader/writer lock for Gs (Go's sync.RWMutex)
 * @w: held by the writer, and by a writer waiting for readers to leave
 * @writer_sem: where a writer waits for the readers it found to leave
 * @reader_sem: where readers wait for a writer to finish
 * @reader_count: atomic: readers in (or waiting); minus
 *	%KGO_RWMUTEX_MAX_READERS while a writer holds or waits for the lock
 * @reader_wait: atomic: readers the waiting writer still waits for
 * @dep_map: lockdep's view of the lock
 *
 * Writer-preferring: once a writer waits, new readers wait behind it.
 * A reader must not take the read lock twice (it deadlocks against a
 * waiting writer, as in Go). Initialise with kgo_rwmutex_init().
 */
struct kgo_rwmutex {
	struct kgo_mutex w;
	struct kgo_sema writer_sem;
	struct kgo_sema reader_sem;
	atomic_t reader_count;
	atomic_t reader_wait;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;
#endif
};

void __kgo_rwmutex_init(struct kgo_rwmutex *rw, const char *name,
			struct lock_class_key *key);

/**
 * kgo_rwmutex_init() - initialise a &struct kgo_rwmutex, unlocked
 * @rw: the lock
 *
 * Each call site is a lockdep class.
 */
#define kgo_rwmutex_init(rw)					\
do {								\
	static struct lock_class_key __kgo_key;			\
								\
	__kgo_rwmutex_init((rw), #rw, &__kgo_key);		\
} while (0)

void kgo_rwmutex_rlock(struct kgo_rwmutex *rw);
int kgo_rwmutex_runlock(struct kgo_rwmutex *rw);
void kgo_rwmutex_lock(struct kgo_rwmutex *rw);
int kgo_rwmutex_unlock(struct kgo_rwmutex *rw);

/* --- Once --- */

/**
 * struct kgo_once - run a function once (Go's sync.Once)
 * @done: 0 until the function has returned; written with
 *	smp_store_release() under @m, read with smp_load_acquire()
 * @m: serialises the first callers
 *
 * Initialise with kgo_once_init().
 */
struct kgo_once {
	int done;
	struct kgo_mutex m;
};

/**
 * kgo_once_init() - initialise a &struct kgo_once
 * @o: the Once
 */
#define kgo_once_init(o)					\
do {								\
	struct kgo_once *__kgo_o = (o);				\
								\
	__kgo_o->done = 0;					\
	kgo_mutex_init(&__kgo_o->m);				\
} while (0)

void kgo_once_do(struct kgo_once *o, void (*fn)(void *arg), void *arg);

#endif /* _KGO_SYNC_H */
