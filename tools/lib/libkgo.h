/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * libkgo: the userspace side of kgo, a thin wrapper around /dev/kgo.
 *
 * Conventions: every call returns 0 (or a non-negative value) on success and
 * a negative errno on failure; errno itself is never the way an error is
 * reported. The structs are those of the kernel ABI, <kgo/kgo.h>.
 */
#ifndef _LIBKGO_H
#define _LIBKGO_H

#include <kgo/kgo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where kgo.ko's misc device appears. */
#define KGO_DEVICE_PATH		"/dev/" KGO_DEVICE_NAME

/**
 * kgo_open() - open the kgo device
 *
 * Opens %KGO_DEVICE_PATH read-write and close-on-exec.
 *
 * Return: a file descriptor on success; -ENOENT if kgo.ko is not loaded (or
 * /dev is not populated), another negative errno of open(2) otherwise.
 */
int kgo_open(void);

/**
 * kgo_version() - ask the loaded kgo module who it is
 * @fd: a descriptor from kgo_open()
 * @out: overwritten; on success holds the module's ABI version, release and
 *	number of Ps, with @out->size the number of bytes the kernel filled in
 *
 * Sets @out->size to sizeof(*@out) and every other input field to zero
 * before issuing %KGO_IOC_VERSION.
 *
 * Return: 0 on success; -EINVAL if @out is NULL; otherwise the negative
 * errno of the ioctl (-ENOTTY if @fd is not a kgo device).
 */
int kgo_version(int fd, struct kgo_version_info *out);

/* --- channels (ABI 1.1) --- */

/**
 * kgo_chan_make() - create a channel, Go's make(chan T, cap)
 * @devfd: a descriptor from kgo_open()
 * @elem_size: bytes per element (0 for a channel of empty values)
 * @cap: capacity; 0 for an unbuffered channel
 * @flags: %KGO_FD_CLOEXEC and/or %KGO_FD_NONBLOCK
 *
 * Return: the channel's new file descriptor; -EINVAL for bad flags or sizes
 * over the module's limits, -EMFILE when the per-user channel limit or the
 * descriptor table is full, another negative errno otherwise.
 */
int kgo_chan_make(int devfd, unsigned int elem_size, unsigned int cap,
		  unsigned int flags);

/**
 * kgo_chan_send_op() - send with explicit timeout and flags
 * @ch: a channel descriptor
 * @elem: the element to send (elem_size bytes; may be NULL if that is 0)
 * @timeout_ns: %KGO_TIMEOUT_FOREVER, %KGO_TIMEOUT_NOWAIT or nanoseconds
 * @flags: %KGO_OP_NONBLOCK or 0
 *
 * Return: 0 when the value was sent; -EPIPE if the channel is closed,
 * -EAGAIN if it would block (no wait asked, or an O_NONBLOCK descriptor),
 * -ETIMEDOUT, -EINTR, -EFAULT (nothing was sent), -EINVAL.
 */
int kgo_chan_send_op(int ch, const void *elem, long long timeout_ns,
		     unsigned int flags);

/**
 * kgo_chan_recv_op() - receive with explicit timeout and flags
 * @ch: a channel or timer descriptor
 * @elem: where the element goes (elem_size bytes), or NULL to drop it
 * @timeout_ns: %KGO_TIMEOUT_FOREVER, %KGO_TIMEOUT_NOWAIT or nanoseconds
 * @flags: %KGO_OP_NONBLOCK or 0
 *
 * Return: 1 for a value; 0 when the channel is closed and drained (@elem is
 * then zeroed); -EAGAIN, -ETIMEDOUT, -EINTR, -EFAULT (nothing was taken),
 * -EINVAL.
 */
int kgo_chan_recv_op(int ch, void *elem, long long timeout_ns,
		     unsigned int flags);

/**
 * kgo_chan_send() - blocking send, Go's ch <- v
 * @ch: a channel descriptor
 * @elem: the element to send
 *
 * Return: as kgo_chan_send_op() with %KGO_TIMEOUT_FOREVER.
 */
int kgo_chan_send(int ch, const void *elem);

/**
 * kgo_chan_recv() - blocking receive, Go's v, ok := <-ch
 * @ch: a channel or timer descriptor
 * @elem: where the element goes, or NULL
 *
 * Return: 1 for a value, 0 for closed and drained, or a negative errno, as
 * kgo_chan_recv_op() with %KGO_TIMEOUT_FOREVER.
 */
int kgo_chan_recv(int ch, void *elem);

/**
 * kgo_chan_trysend() - send if it would not block (select with default)
 * @ch: a channel descriptor
 * @elem: the element to send
 *
 * Return: 0 when sent, -EAGAIN when it would block, else as
 * kgo_chan_send_op().
 */
int kgo_chan_trysend(int ch, const void *elem);

/**
 * kgo_chan_tryrecv() - receive if it would not block (select with default)
 * @ch: a channel or timer descriptor
 * @elem: where the element goes, or NULL
 *
 * Return: 1 for a value, 0 for closed and drained, -EAGAIN when it would
 * block, else as kgo_chan_recv_op().
 */
int kgo_chan_tryrecv(int ch, void *elem);

/**
 * kgo_chan_send_timeout() - send, waiting at most @ns nanoseconds
 * @ch: a channel descriptor
 * @elem: the element to send
 * @ns: the longest wait (0: do not wait; negative: wait forever)
 *
 * Return: 0 when sent, -ETIMEDOUT, else as kgo_chan_send_op().
 */
int kgo_chan_send_timeout(int ch, const void *elem, long long ns);

/**
 * kgo_chan_recv_timeout() - receive, waiting at most @ns nanoseconds
 * @ch: a channel or timer descriptor
 * @elem: where the element goes, or NULL
 * @ns: the longest wait (0: do not wait; negative: wait forever)
 *
 * Return: 1, 0 (closed and drained), -ETIMEDOUT, else as
 * kgo_chan_recv_op().
 */
int kgo_chan_recv_timeout(int ch, void *elem, long long ns);

/**
 * kgo_chan_close() - Go's close(ch); the descriptor stays open
 * @ch: a channel descriptor
 *
 * Wakes every blocked receiver (which sees the channel closed once drained)
 * and every blocked sender (-EPIPE).
 *
 * Return: 0; -EPIPE if already closed; -EINVAL for a timer.
 */
int kgo_chan_close(int ch);

/**
 * kgo_chan_info() - describe a channel
 * @ch: a channel or timer descriptor
 * @out: overwritten with the channel's element size, capacity, length,
 *	closed and timer flags
 *
 * Return: 0, -EINVAL if @out is NULL, or the ioctl's negative errno
 * (-ENOTTY if @ch is not a kgo channel).
 */
int kgo_chan_info(int ch, struct kgo_chan_info *out);

/**
 * kgo_chan_len() - Go's len(ch): values buffered now
 * @ch: a channel or timer descriptor
 *
 * Return: the length, or a negative errno as kgo_chan_info().
 */
int kgo_chan_len(int ch);

/**
 * kgo_chan_cap() - Go's cap(ch)
 * @ch: a channel or timer descriptor
 *
 * Return: the capacity, or a negative errno as kgo_chan_info(). A capacity
 * above INT_MAX is reported as INT_MAX.
 */
int kgo_chan_cap(int ch);

/* --- select --- */

/**
 * kgo_case_send() - a select case sending *@elem on @fd
 * @fd: a channel descriptor, or -1 for a case that is never ready
 * @elem: the value to send
 *
 * For array initializers: struct kgo_select_ucase c[] = { kgo_case_send(a,
 * &x), kgo_case_recv(b, &y) };
 *
 * Return: the case.
 */
static inline struct kgo_select_ucase kgo_case_send(int fd, const void *elem)
{
	struct kgo_select_ucase c = {
		.fd = fd,
		.dir = KGO_SELECT_CASE_SEND,
		.elem = (__u64)(unsigned long)elem,
	};

	return c;
}

/**
 * kgo_case_recv() - a select case receiving from @fd into @elem
 * @fd: a channel or timer descriptor, or -1 for a case that is never ready
 * @elem: where the value goes, or NULL to drop it
 *
 * After kgo_select() chose this case, its .ok says whether a value came (1)
 * or the channel was closed and drained (0).
 *
 * Return: the case.
 */
static inline struct kgo_select_ucase kgo_case_recv(int fd, void *elem)
{
	struct kgo_select_ucase c = {
		.fd = fd,
		.dir = KGO_SELECT_CASE_RECV,
		.elem = (__u64)(unsigned long)elem,
	};

	return c;
}

/**
 * kgo_select() - Go's select over @n cases
 * @fd: /dev/kgo or any channel descriptor (the ioctl goes to it)
 * @cases: the cases; their ok and err fields are written
 * @n: number of cases, 0 to %KGO_SELECT_UCASES_MAX
 * @timeout_ns: %KGO_TIMEOUT_FOREVER, %KGO_TIMEOUT_NOWAIT (a default case)
 *	or nanoseconds
 *
 * A send case chosen on a closed channel has err set to EPIPE (positive).
 *
 * Return: the chosen index; -EAGAIN when none is ready and @timeout_ns is
 * %KGO_TIMEOUT_NOWAIT (Go's default case), -ETIMEDOUT, -EINTR, -EBADF (an
 * fd that is not a kgo channel), -EFAULT, -EINVAL.
 */
int kgo_select(int fd, struct kgo_select_ucase *cases, unsigned int n,
	       long long timeout_ns);

/* --- timers --- */

/**
 * kgo_timer_new() - Go's time.NewTimer(): a channel that receives once
 * @devfd: a descriptor from kgo_open()
 * @after_ns: nanoseconds until it fires
 * @flags: %KGO_FD_CLOEXEC and/or %KGO_FD_NONBLOCK
 *
 * The descriptor is a receive-only channel of 8-byte elements, each the
 * CLOCK_MONOTONIC time of an expiry in nanoseconds (a __u64).
 *
 * Return: the timer's descriptor or a negative errno.
 */
int kgo_timer_new(int devfd, long long after_ns, unsigned int flags);

/**
 * kgo_ticker_new() - Go's time.NewTicker(): a channel that ticks
 * @devfd: a descriptor from kgo_open()
 * @period_ns: the period (> 0); the first tick comes after one period
 * @flags: %KGO_FD_CLOEXEC and/or %KGO_FD_NONBLOCK
 *
 * Return: the ticker's descriptor or a negative errno.
 */
int kgo_ticker_new(int devfd, long long period_ns, unsigned int flags);

/**
 * kgo_after() - Go's time.After(): a close-on-exec one-shot timer
 * @devfd: a descriptor from kgo_open()
 * @ns: nanoseconds until it fires
 *
 * Return: the timer's descriptor (to close(2) when done) or a negative
 * errno.
 */
int kgo_after(int devfd, long long ns);

/**
 * kgo_timer_stop() - Go's Timer.Stop() / Ticker.Stop()
 * @timer: a timer descriptor
 *
 * No value is received after it returns, even one that was already due.
 *
 * Return: 1 if the timer was pending (or its value unread), 0 if not, or a
 * negative errno.
 */
int kgo_timer_stop(int timer);

/**
 * kgo_timer_reset() - Go's Timer.Reset() / Ticker.Reset()
 * @timer: a timer descriptor
 * @ns: the new delay (for a ticker, the new period)
 *
 * Return: 1 if the timer was pending (or its value unread), 0 if not, or a
 * negative errno.
 */
int kgo_timer_reset(int timer, long long ns);

/* --- statistics --- */

/**
 * kgo_stats() - the runtime's counters
 * @devfd: a descriptor from kgo_open()
 * @out: overwritten with the global counters
 * @procs: room for @room per-P entries, or NULL
 * @room: entries @procs has room for
 *
 * Return: the number of Ps (which may exceed @room: only @room entries are
 * filled, and @out->nprocs_room says how many were), or a negative errno.
 */
int kgo_stats(int devfd, struct kgo_stats *out, struct kgo_stats_proc *procs,
	      unsigned int room);

/**
 * kgo_bench_spawn() - time the spawning of @count empty kernel Gs
 * @devfd: a descriptor from kgo_open()
 * @count: Gs to spawn, 1 to 10000000
 * @elapsed_ns: set to the nanoseconds from the first spawn until the last
 *	G has run
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN, -EINVAL, or another negative
 * errno.
 */
int kgo_bench_spawn(int devfd, unsigned int count,
		    unsigned long long *elapsed_ns);

/**
 * kgo_strerror() - describe an error returned by a libkgo call
 * @err: a negative errno as returned by libkgo (a positive one works too)
 *
 * Return: a static, human-readable string; never NULL, never to be freed.
 */
const char *kgo_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _LIBKGO_H */
