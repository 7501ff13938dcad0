/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Wait queues and semaphores for kgo's synchronisation primitives
 * (context.c, waitgroup.c, mutex.c, rwmutex.c, errgroup.c). They reuse the
 * channel waiter protocol of chan.h: a blocked task is one &struct
 * kgo_waiter with one &struct kgo_sudog per queue it waits on; whoever
 * completes the wait claims the waiter by atomic_cmpxchg(&w->done, 0, 1)
 * and fires the sudog with kgo_wakeq_flush() after dropping the queue's
 * lock, so a waiter may free the object it waited on as soon as it is
 * woken. Waits go through kgo_block_enter()/kgo_block_exit(): a G hands
 * its P off while it sleeps.
 *
 * Locking: the letters of sched.h's legend; Q is the lock of the object
 * that owns the queue (a kgo_sema's or a kgo_wg's spinlock).
 */
#ifndef _KGO_SYNCQ_H
#define _KGO_SYNCQ_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <kgo/sync.h>

#include "chan.h"
#include "park.h"

void kgo_sema_init(struct kgo_sema *s, unsigned int count);
int kgo_sema_acquire(struct kgo_sema *s, bool lifo, bool intr, ktime_t deadline,
		     const char *reason);
void kgo_sema_release(struct kgo_sema *s);
bool kgo_sema_try_acquire(struct kgo_sema *s);
int kgo_sema_acquire_task(struct kgo_task *t, struct kgo_sema *s, bool lifo,
			  enum kgo_task_op op);
unsigned int kgo_sema_waiters(struct kgo_sema *s);

void kgo_syncq_add(struct list_head *q, struct kgo_sudog *sg,
		   struct kgo_waiter *w, bool head);
struct kgo_sudog *kgo_syncq_pop(struct list_head *q, struct kgo_sudog **wakeq);

/*
 * kgo_sync_wait() - kgo_wait_until() for a sync primitive: no spinning
 * (the primitives spin, or not, themselves) and a choice about signals,
 * since a mutex must not fail because its caller has a signal pending.
 */
static inline int kgo_sync_wait(struct kgo_waiter *w, bool intr,
				ktime_t deadline, const char *reason)
{
	return kgo_wait_until(w, deadline, intr ? KGO_WAIT_INTR : 0, reason);
}

/*
 * Misuse that Go turns into a panic ("negative WaitGroup counter", "unlock
 * of unlocked mutex"): a warning, once per call site, and a count. The
 * KUnit suites that provoke it on purpose set kgo_sync_misuse_quiet, so
 * that the expected report does not read as a kernel splat.
 */
extern bool kgo_sync_misuse_quiet;
extern atomic_t kgo_sync_misuses;

#define kgo_sync_misuse(fmt, ...)					\
do {									\
	atomic_inc(&kgo_sync_misuses);					\
	if (!READ_ONCE(kgo_sync_misuse_quiet))				\
		WARN_ONCE(1, fmt, ##__VA_ARGS__);			\
} while (0)

/*
 * Whether lockdep records the caller as holding @lock (a kgo_mutex or
 * kgo_rwmutex): one locked by a parked G is not recorded, and its unlock
 * releases nothing. A macro: @lock->dep_map exists only with lockdep.
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define kgo_dep_held(lock)	lock_is_held(&(lock)->dep_map)
#else
#define kgo_dep_held(lock)	({ (void)(lock); false; })
#endif

/* mutex.c: without lockdep annotation, for kgo_rwmutex */
void kgo_mutex_lock_nodep(struct kgo_mutex *m);
int kgo_mutex_unlock_nodep(struct kgo_mutex *m);

/*
 * The parked forms' continuations, run by kgo_sync_async_resume(): 0 when
 * the operation is complete, -EINPROGRESS when it queued the task again.
 * kgo_mutex_lock_task() is kgo_mutex_lock_async() for the primitives
 * built on a Mutex: @op is what the task's resume continues with.
 */
int kgo_mutex_lock_task(struct kgo_task *t, struct kgo_mutex *m,
			enum kgo_task_op op);
int kgo_mutex_lock_task_resume(struct kgo_task *t, struct kgo_mutex *m,
			       enum kgo_task_op op);
int kgo_rwmutex_lock_task_resume(struct kgo_task *t, struct kgo_rwmutex *rw);
int kgo_once_task_resume(struct kgo_task *t, struct kgo_once *o);
struct kgo_errgroup;
int kgo_errgroup_wait_end(struct kgo_errgroup *eg);
int kgo_wg_wait_task(struct kgo_task *t, struct kgo_wg *wg,
		     enum kgo_task_op op);

/* context.c: a wait that a context's cancellation ends too */
struct kgo_ctx;
int kgo_ctx_wait_add(struct kgo_ctx *ctx, struct kgo_sudog *sg,
		     struct kgo_waiter *w);
int kgo_ctx_wait_del(struct kgo_ctx *ctx, struct kgo_sudog *sg);
unsigned int kgo_ctx_nchildren(struct kgo_ctx *ctx);

#endif /* _KGO_SYNCQ_H */
