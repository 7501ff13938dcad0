// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * RWMutex for Gs: Go's sync.RWMutex (sync/rwmutex.go), writer-preferring.
 *
 * @reader_count counts readers. A writer first takes @w (excluding other
 * writers), then subtracts %KGO_RWMUTEX_MAX_READERS: from then on the
 * count is negative and new readers wait on @reader_sem. The readers that
 * were in when the writer arrived are added to @reader_wait; the last of
 * them to leave releases @writer_sem. The writer's unlock adds
 * %KGO_RWMUTEX_MAX_READERS back and releases one @reader_sem token per
 * reader that arrived meanwhile, then unlocks @w.
 *
 * Memory ordering: every update of @reader_count and @reader_wait is a
 * fully ordered value-returning atomic, and every hand-over goes through
 * a semaphore, whose wake-up is the (W2)/(W1) release/acquire pair of
 * syncq.h: a writer's critical section happens before the readers it
 * releases, and the last reader's before the writer it releases.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/lockdep.h>

#include <kgo/async.h>
#include <kgo/sync.h>

#include "syncq.h"

/**
 * __kgo_rwmutex_init() - initialise @rw, unlocked; use kgo_rwmutex_init()
 * @rw: the lock
 * @name: its name for lockdep
 * @key: its lockdep class
 *
 * Context: any.
 */
void __kgo_rwmutex_init(struct kgo_rwmutex *rw, const char *name,
			struct lock_class_key *key)
{
	/* @w is not annotated: @dep_map stands for the whole lock. */
	atomic_set(&rw->w.state, 0);
	kgo_sema_init(&rw->w.sema, 0);
	rw->w.owner = NULL;
	atomic_set(&rw->w.handoffs, 0);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	lockdep_init_map(&rw->w.dep_map, "kgo_rwmutex.w", key, 0);
	lockdep_init_map(&rw->dep_map, name, key, 0);
#endif
	kgo_sema_init(&rw->writer_sem, 0);
	kgo_sema_init(&rw->reader_sem, 0);
	atomic_set(&rw->reader_count, 0);
	atomic_set(&rw->reader_wait, 0);
}
EXPORT_SYMBOL_GPL(__kgo_rwmutex_init);

/* A reader comes in; true when a writer is pending: wait on @reader_sem. */
static bool kgo_rwmutex_reader_enter(struct kgo_rwmutex *rw)
{
	return atomic_inc_return(&rw->reader_count) < 0;
}

/*
 * The writer, holding @rw->w, keeps new readers out; true when readers it
 * found are still in: wait on @writer_sem for the last of them.
 */
static bool kgo_rwmutex_writer_enter(struct kgo_rwmutex *rw)
{
	/* Announce the writer; @r is the readers still in. */
	int r = atomic_add_return(-KGO_RWMUTEX_MAX_READERS, &rw->reader_count) +
		KGO_RWMUTEX_MAX_READERS;

	return r && atomic_add_return(r, &rw->reader_wait) != 0;
}

/**
 * kgo_rwmutex_rlock() - lock @rw for reading (Go's RLock())
 * @rw: the lock
 *
 * Waits while a writer holds the lock or waits for it.
 *
 * Context: process; sleeps.
 */
void kgo_rwmutex_rlock(struct kgo_rwmutex *rw)
{
	might_sleep();
	rwsem_acquire_read(&rw->dep_map, 0, 0, _RET_IP_);
	if (kgo_rwmutex_reader_enter(rw))
		/* A writer is pending: wait for its unlock. */
		kgo_sema_acquire(&rw->reader_sem, false, false, 0,
				 "rwmutex read");
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_rlock);

/**
 * kgo_rwmutex_runlock() - undo one kgo_rwmutex_rlock() (Go's RUnlock())
 * @rw: the lock
 *
 * Context: any but hard irq.
 * Return: 0, or -EPERM (and a warning, once) if @rw was not read-locked:
 * Go's fatal "RUnlock of unlocked RWMutex". Nothing changes then.
 */
int kgo_rwmutex_runlock(struct kgo_rwmutex *rw)
{
	int old = atomic_read(&rw->reader_count);

	/*
	 * Go decrements and then checks, fatally. kgo refuses before it
	 * changes anything: a decrement undone later would already have
	 * counted, for a writer arriving in between, as a reader still in.
	 */
	do {
		if (old == 0 || old == -KGO_RWMUTEX_MAX_READERS) {
			kgo_sync_misuse("kgo: runlock of unlocked rwmutex\n");
			return -EPERM;
		}
	} while (!atomic_try_cmpxchg(&rw->reader_count, &old, old - 1));
	/* A writer waits: the last reader it waits for lets it in. */
	if (old - 1 < 0 && atomic_dec_return(&rw->reader_wait) == 0)
		kgo_sema_release(&rw->writer_sem);
	/* Read-locked by a parked G (kgo_rwmutex_rlock_async()): not recorded. */
	if (kgo_dep_held(rw))
		rwsem_release(&rw->dep_map, _RET_IP_);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_runlock);

/**
 * kgo_rwmutex_lock() - lock @rw for writing (Go's Lock())
 * @rw: the lock
 *
 * Waits for other writers, then keeps new readers out and waits for the
 * readers already in to leave.
 *
 * Context: process; sleeps.
 */
void kgo_rwmutex_lock(struct kgo_rwmutex *rw)
{
	might_sleep();
	rwsem_acquire(&rw->dep_map, 0, 0, _RET_IP_);
	kgo_mutex_lock_nodep(&rw->w);
	if (kgo_rwmutex_writer_enter(rw))
		kgo_sema_acquire(&rw->writer_sem, false, false, 0,
				 "rwmutex write");
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_lock);

/**
 * kgo_rwmutex_unlock() - unlock @rw locked for writing (Go's Unlock())
 * @rw: the lock
 *
 * Lets in the readers that arrived while the writer held or waited for
 * the lock, then the next writer.
 *
 * Context: any but hard irq.
 * Return: 0, or -EPERM (and a warning, once) if @rw was not write-locked.
 */
int kgo_rwmutex_unlock(struct kgo_rwmutex *rw)
{
	int old = atomic_read(&rw->reader_count);
	int r, i;

	/* Checked and changed at once: two racing unlocks cannot both pass. */
	do {
		if (old >= 0) {
			kgo_sync_misuse("kgo: unlock of unlocked rwmutex\n");
			return -EPERM;
		}
	} while (!atomic_try_cmpxchg(&rw->reader_count, &old,
				     old + KGO_RWMUTEX_MAX_READERS));
	if (kgo_dep_held(rw))
		rwsem_release(&rw->dep_map, _RET_IP_);
	r = old + KGO_RWMUTEX_MAX_READERS;
	for (i = 0; i < r; i++)
		kgo_sema_release(&rw->reader_sem);
	return kgo_mutex_unlock_nodep(&rw->w);
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_unlock);

/**
 * kgo_rwmutex_rlock_async() - read-lock @rw in a parked-capable G
 * @t: the task
 * @rw: the lock
 *
 * kgo_rwmutex_rlock() with the task as the waiter: a reader that arrives
 * while a writer holds or waits for the lock parks on the same queue as
 * blocking readers, and the writer's unlock lets it in. Not recorded by
 * lockdep; unlock with kgo_rwmutex_runlock().
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 with @rw read-locked, or -EINPROGRESS: parked, read-locked at
 * the resume.
 */
int kgo_rwmutex_rlock_async(struct kgo_task *t, struct kgo_rwmutex *rw)
{
	if (kgo_rwmutex_reader_enter(rw))
		return kgo_sema_acquire_task(t, &rw->reader_sem, false,
					     KGO_TASK_OP_SEMA);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_rlock_async);

/* The writer holds @rw->w: wait for the readers it found, if any. */
static int kgo_rwmutex_lock_task_writer(struct kgo_task *t,
					struct kgo_rwmutex *rw)
{
	if (kgo_rwmutex_writer_enter(rw))
		return kgo_sema_acquire_task(t, &rw->writer_sem, false,
					     KGO_TASK_OP_SEMA);
	return 0;
}

/**
 * kgo_rwmutex_lock_async() - write-lock @rw in a parked-capable G
 * @t: the task
 * @rw: the lock
 *
 * kgo_rwmutex_lock() with the task as the waiter: it parks, if need be,
 * first for the writer Mutex, then for the readers it found to leave; new
 * readers wait behind it from the moment it holds the writer Mutex. Not
 * recorded by lockdep; unlock with kgo_rwmutex_unlock().
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 with @rw write-locked, or -EINPROGRESS: parked, write-locked
 * at the resume.
 */
int kgo_rwmutex_lock_async(struct kgo_task *t, struct kgo_rwmutex *rw)
{
	int ret;

	t->obj = rw;
	ret = kgo_mutex_lock_task(t, &rw->w, KGO_TASK_OP_RWMUTEX);
	if (ret)
		return ret;
	return kgo_rwmutex_lock_task_writer(t, rw);
}
EXPORT_SYMBOL_GPL(kgo_rwmutex_lock_async);

/**
 * kgo_rwmutex_lock_task_resume() - go on with kgo_rwmutex_lock_async()
 * @t: the task, readied with a token of @rw->w's semaphore
 * @rw: the lock
 *
 * Context: the step function, from kgo_sync_async_resume().
 * Return: 0 with @rw write-locked, or -EINPROGRESS: waiting again (for
 * the writer Mutex, or for the readers).
 */
int kgo_rwmutex_lock_task_resume(struct kgo_task *t, struct kgo_rwmutex *rw)
{
	int ret = kgo_mutex_lock_task_resume(t, &rw->w, KGO_TASK_OP_RWMUTEX);

	if (ret)
		return ret;
	return kgo_rwmutex_lock_task_writer(t, rw);
}
