// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Wait queues and the token-passing semaphore under kgo's sync primitives.
 * The waiter protocol and its memory ordering are chan.h's: (W2), the
 * smp_store_release() of @fired in kgo_wakeq_flush(), pairs with (W1),
 * the smp_load_acquire() in kgo_wait_until(), so everything the waker did
 * before firing (handing over a semaphore token, cancelling a context) is
 * visible to the woken waiter.
 */

#include "chan.h"
#include "compat.h"
#include "park.h"
#include "sched.h"
#include "syncq.h"

/* Test hooks: see kgo_sync_misuse(). */
bool kgo_sync_misuse_quiet;
EXPORT_SYMBOL_NS_GPL(kgo_sync_misuse_quiet, KGO_INTERNAL_NS);
atomic_t kgo_sync_misuses = ATOMIC_INIT(0);
EXPORT_SYMBOL_NS_GPL(kgo_sync_misuses, KGO_INTERNAL_NS);

/**
 * kgo_syncq_add() - queue @sg of waiter @w on @q
 * @q: the queue, its owner's lock held
 * @sg: the sudog, on the waiter's stack
 * @w: the waiter, initialised with kgo_waiter_init()
 * @head: queue at the head (Go's lifo) rather than at the tail
 */
void kgo_syncq_add(struct list_head *q, struct kgo_sudog *sg,
		   struct kgo_waiter *w, bool head)
{
	sg->w = w;
	sg->elem = NULL;
	sg->index = 0;
	sg->success = false;
	sg->wake_next = NULL;
	if (head)
		list_add(&sg->link, q);
	else
		list_add_tail(&sg->link, q);
}

/**
 * kgo_syncq_pop() - claim the first waiter of @q and queue it for waking
 * @q: the queue, its owner's lock held
 * @wakeq: the list for kgo_wakeq_flush(), called after the unlock
 *
 * Sudogs whose waiter someone else claimed (a timeout, a context, another
 * queue of the same waiter) are dropped on the way.
 *
 * Return: the claimed sudog, or NULL if no open waiter was queued.
 */
struct kgo_sudog *kgo_syncq_pop(struct list_head *q, struct kgo_sudog **wakeq)
{
	struct kgo_sudog *sg, *tmp;

	list_for_each_entry_safe(sg, tmp, q, link) {
		list_del_init(&sg->link);
		if (atomic_cmpxchg(&sg->w->done, 0, 1) == 0) {
			sg->success = true;
			sg->wake_next = *wakeq;
			*wakeq = sg;
			return sg;
		}
	}
	return NULL;
}

/**
 * kgo_sema_init() - initialise @s with @count tokens
 * @s: the semaphore
 * @count: tokens available
 */
void kgo_sema_init(struct kgo_sema *s, unsigned int count)
{
	spin_lock_init(&s->lock);
	s->count = count;
	INIT_LIST_HEAD(&s->waiters);
	s->nwait = 0;
}

/**
 * kgo_sema_acquire() - take a token, waiting for one if need be
 * @s: the semaphore
 * @lifo: wait at the head of the queue (a waiter that already waited once)
 * @intr: a user task's signal ends the wait
 * @deadline: CLOCK_MONOTONIC time that ends the wait, or 0 for none
 * @reason: for debugfs
 *
 * Context: process; sleeps.
 * Return: 0 with the token, -ETIMEDOUT or -EINTR without it.
 */
int kgo_sema_acquire(struct kgo_sema *s, bool lifo, bool intr, ktime_t deadline,
		     const char *reason)
{
	struct kgo_waiter w;
	struct kgo_sudog sg;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&s->lock, flags);
	if (s->count) {
		s->count--;
		spin_unlock_irqrestore(&s->lock, flags);
		return 0;
	}
	kgo_waiter_init(&w);
	kgo_syncq_add(&s->waiters, &sg, &w, lifo);
	s->nwait++;
	spin_unlock_irqrestore(&s->lock, flags);

	ret = kgo_sync_wait(&w, intr, deadline, reason);
	if (ret) {
		/* We claimed ourselves: no release handed us the token. */
		spin_lock_irqsave(&s->lock, flags);
		if (!list_empty(&sg.link)) {
			list_del_init(&sg.link);
			s->nwait--;
		}
		spin_unlock_irqrestore(&s->lock, flags);
	}
	return ret;
}

/**
 * kgo_sema_acquire_task() - kgo_sema_acquire() for a parked-capable G
 * @t: the task, in its step function
 * @s: the semaphore
 * @lifo: wait at the head of the queue
 * @op: what @t waits in, for its resume (kgo_sync_async_resume())
 *
 * The task's sudog joins the blocked acquirers of kgo_sema_acquire(); a
 * release hands it the token and readies the G (park.c). No timeout: the
 * sudog leaves the queue only through a release.
 *
 * Context: a step function.
 * Return: 0 with the token, or -EINPROGRESS: queued, the token comes with
 * the resume.
 */
int kgo_sema_acquire_task(struct kgo_task *t, struct kgo_sema *s, bool lifo,
			  enum kgo_task_op op)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (s->count) {
		s->count--;
		spin_unlock_irqrestore(&s->lock, flags);
		return 0;
	}
	kgo_task_wait_prepare(t, op);
	kgo_syncq_add(&s->waiters, &t->sg, &t->w, lifo);
	s->nwait++;
	spin_unlock_irqrestore(&s->lock, flags);
	return -EINPROGRESS;
}

/**
 * kgo_sync_async_resume() - the resume of a parked G's sync wait
 * @t: the task, readied
 * @op: what it waited in
 *
 * Every sync wait of a parked G ends by a waker's fire (there is no
 * timeout): a semaphore token, a WaitGroup reaching zero, a context's
 * cancellation. The acquire of @w->fired (W1) pairs with the waker's
 * release (W2), so the G sees what the waker did before; then the
 * primitive goes on where its thread-blocking form does after its wait,
 * and may queue the G again (-EINPROGRESS).
 *
 * Context: the G's step function, from kgo_task_resume().
 * Return: the operation's result, or -EINPROGRESS: waiting again.
 */
int kgo_sync_async_resume(struct kgo_task *t, enum kgo_task_op op)
{
	if (WARN_ON_ONCE(!smp_load_acquire(&t->w.fired)))	/* (W1) */
		return -EINVAL;
	switch (op) {
	case KGO_TASK_OP_SEMA:
		return 0;
	case KGO_TASK_OP_MUTEX:
		return kgo_mutex_lock_task_resume(t, t->obj, op);
	case KGO_TASK_OP_RWMUTEX:
		return kgo_rwmutex_lock_task_resume(t, t->obj);
	case KGO_TASK_OP_ONCE:
		return kgo_once_task_resume(t, t->obj);
	case KGO_TASK_OP_ERRGROUP:
		return kgo_errgroup_wait_end(t->obj);
	case KGO_TASK_OP_CTX:
		return kgo_ctx_wait_del(t->obj, &t->sg);
	default:
		WARN_ONCE(1, "kgo: sync resume of op %d\n", op);
		return -EINVAL;
	}
}

/**
 * kgo_sema_try_acquire() - take a token if one is free
 * @s: the semaphore
 *
 * Context: any.
 * Return: whether the caller got a token.
 */
bool kgo_sema_try_acquire(struct kgo_sema *s)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&s->lock, flags);
	ok = s->count;
	if (ok)
		s->count--;
	spin_unlock_irqrestore(&s->lock, flags);
	return ok;
}

/**
 * kgo_sema_release() - give a token back: to the first waiter, if any
 * @s: the semaphore
 *
 * Context: any.
 */
void kgo_sema_release(struct kgo_sema *s)
{
	struct kgo_sudog *wakeq = NULL;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (list_empty(&s->waiters)) {
		s->count++;
	} else {
		struct kgo_sudog *sg, *tmp;

		/* kgo_syncq_pop(), counting the sudogs it drops. */
		list_for_each_entry_safe(sg, tmp, &s->waiters, link) {
			list_del_init(&sg->link);
			s->nwait--;
			if (atomic_cmpxchg(&sg->w->done, 0, 1) == 0) {
				sg->success = true;
				sg->wake_next = NULL;
				wakeq = sg;
				break;
			}
		}
		if (!wakeq)
			s->count++;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	kgo_wakeq_flush(wakeq);
}

/**
 * kgo_sema_waiters() - acquirers blocked on @s now
 * @s: the semaphore
 *
 * Context: any.
 * Return: a snapshot.
 */
unsigned int kgo_sema_waiters(struct kgo_sema *s)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&s->lock, flags);
	n = s->nwait;
	spin_unlock_irqrestore(&s->lock, flags);
	return n;
}
EXPORT_SYMBOL_NS_GPL(kgo_sema_waiters, KGO_INTERNAL_NS);
