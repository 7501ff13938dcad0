/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The waiter layer (Go's gopark/goready, and the sudog half of chan.go):
 * how an operation that must wait queues a waiter, and how whoever
 * completes it tells the waiter. A waiter is either a blocked task (a
 * thread-blocking G, a kthread, a user process: wake_up_process()) or a
 * parked G (a stackless &struct kgo_task: readied onto a run queue). Every
 * sync primitive uses it; the protocols are described in park.c.
 */
#ifndef _KGO_PARK_H
#define _KGO_PARK_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/list.h>

#include <kgo/async.h>

struct kgo_g;

/*
 * Pop the first sudog of @q whose waiter we can claim. Sudogs of waiters
 * claimed by someone else (a select completed elsewhere, a wait being
 * cancelled) are dropped: their owner unlinks nothing twice, since the
 * link is left self-pointing, and they never count as a delivery.
 */
static inline struct kgo_sudog *kgo_waitq_dequeue(struct list_head *q)
{
	struct kgo_sudog *sg, *tmp;

	list_for_each_entry_safe(sg, tmp, q, link) {
		list_del_init(&sg->link);
		if (atomic_cmpxchg(&sg->w->done, 0, 1) == 0)
			return sg;
	}
	return NULL;
}

/*
 * A claimed sudog is complete: queue it on @wakeq, to be fired by
 * kgo_wakeq_flush() once the channel lock is dropped.
 */
static inline void kgo_sudog_fire(struct kgo_sudog *sg, bool success,
				  struct kgo_sudog **wakeq)
{
	sg->success = success;
	sg->wake_next = *wakeq;
	*wakeq = sg;
}

void kgo_waiter_init(struct kgo_waiter *w);
void kgo_wakeq_flush(struct kgo_sudog *wakeq);
/* Flags of kgo_wait_until(). */
#define KGO_WAIT_INTR		BIT(0)	/* a user task's signal ends the wait */
#define KGO_WAIT_RESTART	BIT(1)	/* ... with -ERESTARTSYS, not -EINTR */
#define KGO_WAIT_SPIN		BIT(2)	/* spin for a peer before blocking */
int kgo_wait_until(struct kgo_waiter *w, ktime_t deadline, unsigned int flags,
		   const char *reason);
int kgo_wait_timeout(struct kgo_waiter *w, s64 timeout_ns, unsigned int flags,
		     const char *reason);
ktime_t kgo_deadline_after(u64 ns);
int kgo_wait(struct kgo_waiter *w, s64 timeout_ns, const char *reason);
int kgo_block_forever(s64 timeout_ns);

/* Parked Gs. What a parked task waits in (kgo_task.op). */
enum kgo_task_op {
	KGO_TASK_OP_NONE = 0,
	KGO_TASK_OP_SEND,
	KGO_TASK_OP_RECV,
	KGO_TASK_OP_SLEEP,
	KGO_TASK_OP_FOREVER,
	KGO_TASK_OP_SELECT,
	KGO_TASK_OP_WG,
	/* The sync primitives' (syncq.c): resumed by kgo_sync_async_resume(). */
	KGO_TASK_OP_SEMA,	/* a semaphore token (RWMutex readers, writer) */
	KGO_TASK_OP_MUTEX,	/* a Mutex: t->obj */
	KGO_TASK_OP_RWMUTEX,	/* an RWMutex's writer Mutex: t->obj */
	KGO_TASK_OP_ONCE,	/* a Once's Mutex: t->obj */
	KGO_TASK_OP_ERRGROUP,	/* an errgroup's WaitGroup: t->obj */
	KGO_TASK_OP_CTX,	/* a context's cancellation: t->obj */
};

void kgo_task_fn(void *arg);
bool kgo_task_execute(struct kgo_g *g);
void kgo_task_wait_prepare(struct kgo_task *t, enum kgo_task_op op);
void kgo_task_check_frame_ptr(const void *p);
long kgo_tasks_parked(void);
void kgo_task_arm_timeout(struct kgo_task *t, s64 ns);

/* syncq.c */
int kgo_sync_async_resume(struct kgo_task *t, enum kgo_task_op op);

/* select.c */
int kgo_select_async_resume(struct kgo_task *t);

/* sched.c */
void kgo_g_ready(struct kgo_g *g, const char *reason);

#endif /* _KGO_PARK_H */
