/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo channels, select and timers: Go's semantics for kernel code.
 *
 * A channel carries fixed-size elements, copied by value. Every operation
 * takes a timeout in nanoseconds: %KGO_FOREVER blocks until it can
 * complete, %KGO_NOWAIT never blocks (-EAGAIN instead, Go's select with a
 * default case), a positive value blocks at most that long (-ETIMEDOUT).
 * The inline wrappers below name the common forms.
 *
 * Who may wait: a G (its P goes to another M while it waits), a kthread or
 * a process (it just sleeps). User tasks wait interruptibly and get
 * -ERESTARTSYS (no timeout) or -EINTR (with one) on a signal; kernel
 * threads wait in TASK_IDLE, so a G blocked for good is a goroutine leak
 * that shows in kgo_live_gs(), not a hung-task report. A value is either
 * delivered exactly once or stays where it was, whatever ends a wait.
 * %KGO_NOWAIT operations work in process and softirq context.
 *
 * Go's panics are error codes: send on (or close of) a closed channel is
 * -EPIPE, close of a NULL channel -EINVAL. A NULL channel blocks forever
 * in a plain operation (until the timeout or a signal) and is never
 * chosen by select.
 */
#ifndef _KGO_CHAN_H
#define _KGO_CHAN_H

#include <linux/gfp.h>
#include <linux/types.h>

struct kgo_chan;

/* Timeouts, in nanoseconds. */
#define KGO_FOREVER	((s64)-1)
#define KGO_NOWAIT	((s64)0)

struct kgo_chan *kgo_chan_make(u32 elem_size, u32 cap, gfp_t gfp);
struct kgo_chan *kgo_chan_get(struct kgo_chan *c);
void kgo_chan_put(struct kgo_chan *c);
int kgo_chan_close(struct kgo_chan *c);
u32 kgo_chan_len(struct kgo_chan *c);
u32 kgo_chan_cap(struct kgo_chan *c);
u32 kgo_chan_elem_size(struct kgo_chan *c);
int kgo_chan_send_timeout(struct kgo_chan *c, const void *elem, s64 timeout_ns);
int kgo_chan_recv_timeout(struct kgo_chan *c, void *elem, bool *ok,
			  s64 timeout_ns);
long kgo_chan_live(void);

/**
 * kgo_chan_send() - send, blocking until a receiver or buffer space
 * @c: the channel
 * @elem: the element to copy in
 *
 * Return: see kgo_chan_send_timeout().
 */
static inline int kgo_chan_send(struct kgo_chan *c, const void *elem)
{
	return kgo_chan_send_timeout(c, elem, KGO_FOREVER);
}

/**
 * kgo_chan_trysend() - send if it can be done without blocking
 * @c: the channel
 * @elem: the element to copy in
 *
 * Return: see kgo_chan_send_timeout(); -EAGAIN instead of blocking.
 */
static inline int kgo_chan_trysend(struct kgo_chan *c, const void *elem)
{
	return kgo_chan_send_timeout(c, elem, KGO_NOWAIT);
}

/**
 * kgo_chan_recv() - receive, blocking until a value or close
 * @c: the channel
 * @elem: where to copy the element, or NULL to drop it
 * @ok: set to false when the channel is closed and drained; may be NULL
 *
 * Return: see kgo_chan_recv_timeout().
 */
static inline int kgo_chan_recv(struct kgo_chan *c, void *elem, bool *ok)
{
	return kgo_chan_recv_timeout(c, elem, ok, KGO_FOREVER);
}

/**
 * kgo_chan_tryrecv() - receive if it can be done without blocking
 * @c: the channel
 * @elem: where to copy the element, or NULL to drop it
 * @ok: set to false when the channel is closed and drained; may be NULL
 *
 * Return: see kgo_chan_recv_timeout(); -EAGAIN instead of blocking.
 */
static inline int kgo_chan_tryrecv(struct kgo_chan *c, void *elem, bool *ok)
{
	return kgo_chan_recv_timeout(c, elem, ok, KGO_NOWAIT);
}

/* --- select --- */

/**
 * enum kgo_select_dir - what a select case does
 * @KGO_SELECT_SEND: send *@elem on the channel
 * @KGO_SELECT_RECV: receive into @elem
 */
enum kgo_select_dir {
	KGO_SELECT_SEND = 1,
	KGO_SELECT_RECV = 2,
};

/**
 * struct kgo_select_case - one case of kgo_select()
 * @chan: the channel; NULL makes the case never ready (Go's nil channel)
 * @dir: &enum kgo_select_dir
 * @elem: send: the element to copy in; receive: where to copy it (NULL
 *	drops it)
 * @ok: out, receive: false when the case was chosen because the channel
 *	is closed and drained
 * @err: out: 0, or -EPIPE for a send case chosen on a closed channel
 */
struct kgo_select_case {
	struct kgo_chan *chan;
	u32 dir;
	void *elem;
	bool ok;
	int err;
};

/* Most cases one select takes. */
#define KGO_SELECT_MAX_CASES	128

int kgo_select(struct kgo_select_case *cases, unsigned int ncases,
	       s64 timeout_ns);

/* --- timers --- */

struct kgo_chan *kgo_timer_new(s64 after_ns, gfp_t gfp);
struct kgo_chan *kgo_ticker_new(s64 period_ns, gfp_t gfp);
int kgo_timer_stop(struct kgo_chan *timer);
int kgo_timer_reset(struct kgo_chan *timer, s64 ns);
long kgo_timer_live(void);

/**
 * kgo_after() - a channel that receives the time once, @ns from now
 * @ns: the delay in nanoseconds
 *
 * Go's time.After, with Go 1.23's rule: the timer is freed as soon as the
 * caller puts the channel, fired or not, so a loop of selects with a
 * kgo_after() case leaks nothing.
 *
 * Context: process or softirq (GFP_ATOMIC).
 * Return: the timer channel or an ERR_PTR(); put it with kgo_chan_put().
 */
static inline struct kgo_chan *kgo_after(s64 ns)
{
	return kgo_timer_new(ns, GFP_ATOMIC);
}

#endif /* _KGO_CHAN_H */
