// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * libkgo: see libkgo.h for the contract of each call.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkgo.h"

int kgo_open(void)
{
	int fd = open(KGO_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kgo_version(int fd, struct kgo_version_info *out)
{
	if (!out)
		return -EINVAL;

	/* Zeroed input fields are what the kernel demands of flags/reserved. */
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (ioctl(fd, KGO_IOC_VERSION, out) < 0)
		return -errno;
	return 0;
}

/* 0 or -errno; a non-negative return of the ioctl is passed through. */
static int kgo_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int kgo_chan_make(int devfd, unsigned int elem_size, unsigned int cap,
		  unsigned int flags)
{
	struct kgo_chan_create c = {
		.size = sizeof(c),
		.flags = flags,
		.elem_size = elem_size,
		.cap = cap,
	};

	return kgo_ioctl(devfd, KGO_IOC_CHAN_CREATE, &c);
}

/* One KGO_IOC_CHAN_SEND or _RECV; @op holds the kernel's answer after. */
static int kgo_chan_op_ioctl(int ch, unsigned long cmd, const void *elem,
			     long long timeout_ns, unsigned int flags,
			     struct kgo_chan_op *op)
{
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->flags = flags;
	op->elem = (__u64)(unsigned long)elem;
	op->timeout_ns = timeout_ns;
	return kgo_ioctl(ch, cmd, op);
}

int kgo_chan_send_op(int ch, const void *elem, long long timeout_ns,
		     unsigned int flags)
{
	struct kgo_chan_op op;
	int ret = kgo_chan_op_ioctl(ch, KGO_IOC_CHAN_SEND, elem, timeout_ns,
				    flags, &op);

	return ret < 0 ? ret : 0;
}

int kgo_chan_recv_op(int ch, void *elem, long long timeout_ns,
		     unsigned int flags)
{
	struct kgo_chan_op op;
	int ret = kgo_chan_op_ioctl(ch, KGO_IOC_CHAN_RECV, elem, timeout_ns,
				    flags, &op);

	return ret < 0 ? ret : !!op.ok;
}

int kgo_chan_send(int ch, const void *elem)
{
	return kgo_chan_send_op(ch, elem, KGO_TIMEOUT_FOREVER, 0);
}

int kgo_chan_recv(int ch, void *elem)
{
	return kgo_chan_recv_op(ch, elem, KGO_TIMEOUT_FOREVER, 0);
}

int kgo_chan_trysend(int ch, const void *elem)
{
	return kgo_chan_send_op(ch, elem, KGO_TIMEOUT_NOWAIT, 0);
}

int kgo_chan_tryrecv(int ch, void *elem)
{
	return kgo_chan_recv_op(ch, elem, KGO_TIMEOUT_NOWAIT, 0);
}

int kgo_chan_send_timeout(int ch, const void *elem, long long ns)
{
	return kgo_chan_send_op(ch, elem, ns < 0 ? KGO_TIMEOUT_FOREVER : ns, 0);
}

int kgo_chan_recv_timeout(int ch, void *elem, long long ns)
{
	return kgo_chan_recv_op(ch, elem, ns < 0 ? KGO_TIMEOUT_FOREVER : ns, 0);
}

int kgo_chan_close(int ch)
{
	int ret = kgo_ioctl(ch, KGO_IOC_CHAN_CLOSE, NULL);

	return ret < 0 ? ret : 0;
}

int kgo_chan_info(int ch, struct kgo_chan_info *out)
{
	int ret;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	ret = kgo_ioctl(ch, KGO_IOC_CHAN_INFO, out);
	return ret < 0 ? ret : 0;
}

int kgo_chan_len(int ch)
{
	struct kgo_chan_info info;
	int ret = kgo_chan_info(ch, &info);

	if (ret)
		return ret;
	return info.len > INT_MAX ? INT_MAX : (int)info.len;
}

int kgo_chan_cap(int ch)
{
	struct kgo_chan_info info;
	int ret = kgo_chan_info(ch, &info);

	if (ret)
		return ret;
	return info.cap > INT_MAX ? INT_MAX : (int)info.cap;
}

int kgo_select(int fd, struct kgo_select_ucase *cases, unsigned int n,
	       long long timeout_ns)
{
	struct kgo_select_args args = {
		.size = sizeof(args),
		.cases = (__u64)(unsigned long)cases,
		.ncases = n,
		.timeout_ns = timeout_ns,
	};
	int ret = kgo_ioctl(fd, KGO_IOC_SELECT, &args);

	return ret < 0 ? ret : (int)args.index;
}

static int kgo_timer_create(int devfd, long long after_ns,
			    long long period_ns, unsigned int flags)
{
	struct kgo_timer_create t = {
		.size = sizeof(t),
		.flags = flags,
		.after_ns = after_ns,
		.period_ns = period_ns,
	};

	return kgo_ioctl(devfd, KGO_IOC_TIMER_CREATE, &t);
}

int kgo_timer_new(int devfd, long long after_ns, unsigned int flags)
{
	return kgo_timer_create(devfd, after_ns, 0, flags);
}

int kgo_ticker_new(int devfd, long long period_ns, unsigned int flags)
{
	/* Go's NewTicker panics on a non-positive period. */
	if (period_ns <= 0)
		return -EINVAL;
	return kgo_timer_create(devfd, period_ns, period_ns, flags);
}

int kgo_after(int devfd, long long ns)
{
	return kgo_timer_create(devfd, ns, 0, KGO_FD_CLOEXEC);
}

int kgo_timer_stop(int timer)
{
	int ret = kgo_ioctl(timer, KGO_IOC_TIMER_STOP, NULL);

	return ret < 0 ? ret : !!ret;
}

int kgo_timer_reset(int timer, long long ns)
{
	struct kgo_timer_reset r = {
		.size = sizeof(r),
		.ns = ns,
	};
	int ret = kgo_ioctl(timer, KGO_IOC_TIMER_RESET, &r);

	return ret < 0 ? ret : !!ret;
}

int kgo_stats(int devfd, struct kgo_stats *out, struct kgo_stats_proc *procs,
	      unsigned int room)
{
	int ret;

	if (!out || (room && !procs))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->nprocs_room = procs ? room : 0;
	out->procs = (__u64)(unsigned long)procs;
	ret = kgo_ioctl(devfd, KGO_IOC_STATS, out);
	if (ret < 0)
		return ret;
	return out->nprocs > INT_MAX ? INT_MAX : (int)out->nprocs;
}

int kgo_bench_spawn(int devfd, unsigned int count,
		    unsigned long long *elapsed_ns)
{
	struct kgo_bench_spawn b = {
		.size = sizeof(b),
		.count = count,
	};
	int ret = kgo_ioctl(devfd, KGO_IOC_BENCH_SPAWN, &b);

	if (ret < 0)
		return ret;
	if (elapsed_ns)
		*elapsed_ns = b.elapsed_ns;
	return 0;
}

const char *kgo_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "Success";
	case EPIPE:
		return "Channel is closed";
	case EAGAIN:
		return "Operation would block (channel not ready)";
	case ETIMEDOUT:
		return "Timed out";
	case EINTR:
		return "Interrupted by a signal";
	case EMFILE:
		return "Too many channels (per-user limit) or open files";
	case ENOBUFS:
		return "Channel buffer budget of this user exhausted (user_buf_bytes_soft/hard)";
	case ENOTTY:
		return "Not a kgo descriptor, or unknown to the loaded kgo module";
	case EBADF:
		return "Bad file descriptor (not an open kgo channel)";
	case E2BIG:
		return "Unknown non-zero struct fields (ABI newer than the module)";
	case EPERM:
		return "Operation not permitted (needs CAP_SYS_ADMIN)";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
