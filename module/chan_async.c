// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Channel operations of parked Gs (<kgo/async.h>): Go's chansend and
 * chanrecv with the task's embedded sudog as the waiter. The locked fast
 * paths are chan.c's, so a parked G, a thread-blocking G, a kthread and a
 * channel fd's process meet on one channel under one set of rules.
 *
 * Departures from the thread-blocking forms: no spin for the peer (the
 * M has other Gs to run, and a parked G costs a run-queue round trip, not
 * a context switch, to resume), no timeout and no signals (a select with
 * a timer's channel, or a context, bounds a wait).
 */

#include <linux/spinlock.h>

#include <kgo/async.h>
#include <kgo/chan.h>

#include "chan.h"
#include "park.h"

/*
 * Queue @t's sudog on @q of @c, locked on entry, unlocked on return.
 * From here a waker may complete the operation and ready the G, even
 * before the step function has returned (park.c).
 */
static int kgo_chan_park(struct kgo_task *t, struct kgo_chan *c,
			 struct list_head *q, void *elem,
			 enum kgo_task_op op)
	__releases(&c->lock)
{
	kgo_task_wait_prepare(t, op);
	t->sg.w = &t->w;
	t->sg.elem = elem;
	t->sg.index = 0;
	t->sg.success = false;
	list_add_tail(&t->sg.link, q);
	kgo_chan_check_locked(c);
	/* A blocked peer makes the other direction ready for pollers. */
	kgo_chan_poll_wake_locked(c);
	spin_unlock_bh(&c->lock);
	return -EINPROGRESS;
}

/**
 * kgo_chan_send_async() - send a value from a parked-capable G
 * @t: the task
 * @c: the channel; NULL parks for good
 * @elem: the value, in the task's frame (read when a receiver takes it)
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 when sent; -EPIPE when @c is or gets closed; -EINVAL as for
 * kgo_chan_send_timeout(); -EINPROGRESS: parked, the result comes with
 * the resume.
 */
int kgo_chan_send_async(struct kgo_task *t, struct kgo_chan *c,
			const void *elem)
{
	struct kgo_sudog *wakeq = NULL;
	int ret;

	if (!c) {
		kgo_task_wait_prepare(t, KGO_TASK_OP_FOREVER);
		return -EINPROGRESS;
	}
	if ((!elem && c->elemsize) || c->timer)
		return -EINVAL;
	kgo_task_check_frame_ptr(elem);
	spin_lock_bh(&c->lock);
	ret = kgo_chan_send_locked(c, elem, &wakeq);
	if (!ret)
		return kgo_chan_park(t, c, &c->sendq, (void *)elem,
				     KGO_TASK_OP_SEND);
	spin_unlock_bh(&c->lock);
	kgo_wakeq_flush(wakeq);
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_send_async);

/**
 * kgo_chan_recv_async() - receive a value in a parked-capable G
 * @t: the task; @t->ok says whether a value came (false: closed and
 *	drained, *@elem zeroed)
 * @c: the channel; NULL parks for good
 * @elem: where the value goes, in the task's frame, or NULL to drop it
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: 0 when @t->ok is valid; -EINPROGRESS: parked.
 */
int kgo_chan_recv_async(struct kgo_task *t, struct kgo_chan *c, void *elem)
{
	struct kgo_sudog *wakeq = NULL;
	int ret;

	if (!c) {
		kgo_task_wait_prepare(t, KGO_TASK_OP_FOREVER);
		return -EINPROGRESS;
	}
	kgo_task_check_frame_ptr(elem);
	spin_lock_bh(&c->lock);
	ret = kgo_chan_recv_locked(c, elem, &t->ok, &wakeq);
	if (!ret)
		return kgo_chan_park(t, c, &c->recvq, elem, KGO_TASK_OP_RECV);
	spin_unlock_bh(&c->lock);
	kgo_wakeq_flush(wakeq);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_recv_async);
