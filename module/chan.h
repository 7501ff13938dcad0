/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Channel internals, shared by chan.c (the operations), select.c and
 * timer.c. The layout is Go's hchan (runtime/chan.go).
 *
 * Locking: the fields are tagged with the letters of the one locking
 * legend, in sched.h. C is kgo_chan.lock, taken with bottom halves
 * disabled (timers send from softirq context); select.c takes several in
 * address order. CW fields (@qcount, @closed) are written under C with
 * WRITE_ONCE() and read without it, with READ_ONCE(), by kgo_chan_len(),
 * the buffered spin, select's readiness hints and channel fds' info.
 *
 * Waiters (the structures are in <kgo/async.h>, the code in park.c). A
 * blocked operation is one &struct kgo_waiter (on the waiting task's
 * stack, or in a parked G's &struct kgo_task) with one &struct kgo_sudog
 * per channel it waits on: one for a send or receive, one per case for a
 * select. Whoever completes the operation first claims the waiter by
 * atomic_cmpxchg(&w->done, 0, 1):
 *
 *   - a waker (a sender finding a waiting receiver, a receiver finding a
 *     waiting sender, close) pops the sudog under the channel lock, claims
 *     the waiter, moves the value, sets @fired (release) and wakes the
 *     task; a sudog whose waiter is already claimed is dropped from the
 *     queue and never counted as a delivery (Go's selectDone);
 *   - the waiter itself, on timeout or signal, claims it to cancel, then
 *     unlinks its sudogs under each channel's lock. If a waker claimed it
 *     first, the waiter waits for @fired instead: the value was delivered,
 *     and the operation succeeds.
 *
 * So exactly one party completes each operation, and a value is either
 * moved once or stays put. The waker sets @fired only after it has
 * dropped the channel lock (kgo_wakeq_flush()): a woken waiter may drop
 * the last reference to the channel at once, and the waker must not touch
 * the channel after that. Memory ordering: the waker's transfer happens
 * before smp_store_release(&w->fired) (W2), which pairs with the waiter's
 * smp_load_acquire(&w->fired) (W1) before it reads the value; the sleep
 * itself follows the set_current_state()/wake_up_process() protocol.
 * A sudog stays valid while it is on a queue: the waiter unlinks every
 * sudog under the channel's lock before it returns.
 */
#ifndef _KGO_CHAN_INTERNAL_H
#define _KGO_CHAN_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <kgo/chan.h>

#include "park.h"

struct kgo_timer;
struct task_struct;

/* Go's largest element; the max_elem_size parameter cannot exceed it. */
#define KGO_ELEM_SIZE_MAX	65536

/**
 * struct kgo_chan - a channel (Go's hchan)
 * @lock: protects the C fields
 * @id: I: unique while the module is loaded, from 1: names the channel in
 *	fdinfo and debugfs
 * @qcount: CW: values in the buffer
 * @dataqsiz: I: capacity of the buffer
 * @elemsize: I: bytes per element, possibly 0
 * @sendx: C: next slot to send into
 * @recvx: C: next slot to receive from
 * @closed: CW: set once, by close
 * @recvq: C: blocked receivers, FIFO; list_empty() may be called without
 *	the lock for a hint (list_add() and list_del() write with
 *	WRITE_ONCE())
 * @sendq: C: blocked senders, FIFO; as @recvq
 * @ref: A: references: creators, Gs, fds, timers' users
 * @timer: I: the timer feeding this channel, or NULL (timer.c)
 * @pollers: A: set for good the first time a file polls the channel;
 *	until then state changes skip the wake-up of @poll_wq
 * @poll_wq: L: poll(2) and epoll waiters of channel fds (chanfd.c),
 *	under the wait queue's own lock
 * @buf: I: @dataqsiz elements: @inline_buf, or a separate allocation;
 *	the elements themselves are C
 * @inline_buf: C: a small buffer, allocated with the channel
 */
struct kgo_chan {
	spinlock_t lock;	/* the C fields; bottom halves off */
	u64 id;
	u32 qcount;
	u32 dataqsiz;
	u32 elemsize;
	u32 sendx;
	u32 recvx;
	bool closed;
	struct list_head recvq;
	struct list_head sendq;
	refcount_t ref;
	struct kgo_timer *timer;
	bool pollers;
	wait_queue_head_t poll_wq;
	void *buf;
	u64 inline_buf[];
};

/* chan.c */
int kgo_chan_buf_bytes(u32 elem_size, u32 cap, size_t *bytes);
int kgo_chan_send_locked(struct kgo_chan *c, const void *elem,
			 struct kgo_sudog **wakeq);
int kgo_chan_recv_locked(struct kgo_chan *c, void *elem, bool *ok,
			 struct kgo_sudog **wakeq);
const void *kgo_chan_buffer_head_locked(struct kgo_chan *c);
bool kgo_chan_recv_would_block_locked(struct kgo_chan *c);
void kgo_chan_check_locked(struct kgo_chan *c);
void kgo_chan_poll_wake_locked(struct kgo_chan *c);
__poll_t kgo_chan_poll_mask(struct kgo_chan *c);

/**
 * struct kgo_chan_state - a snapshot of a channel, for fdinfo and debugfs
 * @len: values buffered
 * @closed: closed
 * @senders: senders waiting (open waiters only)
 * @receivers: receivers waiting (open waiters only)
 */
struct kgo_chan_state {
	u32 len;
	bool closed;
	u32 senders;
	u32 receivers;
};

void kgo_chan_snapshot(struct kgo_chan *c, struct kgo_chan_state *st);

/* timer.c */
void kgo_timer_release(struct kgo_timer *t);
void kgo_timer_received_locked(struct kgo_timer *t);
bool kgo_timer_armed(struct kgo_chan *timer);
u64 kgo_timer_period(struct kgo_chan *timer);
struct kgo_chan *kgo_timer_create(s64 ns, u64 period_ns, gfp_t gfp);

#endif /* _KGO_CHAN_INTERNAL_H */
