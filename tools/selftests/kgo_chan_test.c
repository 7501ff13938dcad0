// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_chan_test: channel file descriptors (ABI 1.1) seen from userspace:
 * KGO_IOC_CHAN_CREATE and its extensible-struct rules, send/receive/close
 * with Go's semantics, element sizes, read(2)/write(2), O_NONBLOCK, bad
 * user buffers (EFAULT without consuming anything), unknown ioctls, stats,
 * KGO_IOC_BENCH_SPAWN and the per-user channel limit. Prints KTAP.
 */

#include <poll.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "kgo_selftest.h"

/* A struct as a caller with a newer, larger header sees it. */
struct kt_big_create {
	struct kgo_chan_create c;
	unsigned char tail[64];
};

struct kt_big_op {
	struct kgo_chan_op op;
	unsigned char tail[64];
};

#define KT_SIZE_MAX	4096

/* A module parameter, or @def when sysfs does not show it. */
static unsigned long kt_param(const char *name, unsigned long def)
{
	char path[128];
	unsigned long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kgo/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return def;
	if (fscanf(f, "%lu", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

static int kt_create(void *arg)
{
	return kt_ioctl(kt_dev, KGO_IOC_CHAN_CREATE, arg);
}

static enum ktap_result kt_dev_open(void *arg)
{
	struct stat st;

	(void)arg;
	KT_NEED_DEV();
	/* Any user may open it, as any user may create threads. */
	KT_ASSERT(fstat(kt_dev, &st) == 0, "fstat: %s", strerror(errno));
	KT_ASSERT((st.st_mode & 0777) == 0666, "mode %o, want 0666",
		  st.st_mode & 0777);
	return KTAP_PASS;
}

static enum ktap_result kt_abi_version(void *arg)
{
	struct kgo_version_info v;

	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("kgo_version", kgo_version(kt_dev, &v), 0);
	KT_ASSERT(v.abi_major == 1 && v.abi_minor >= 1,
		  "module ABI %u.%u has no channels", v.abi_major, v.abi_minor);
	return KTAP_PASS;
}

static enum ktap_result kt_create_info(void *arg)
{
	struct kgo_chan_info info;
	int fd, fl;

	(void)arg;
	KT_NEED_DEV();
	fd = kgo_chan_make(kt_dev, 8, 4, KGO_FD_CLOEXEC);
	KT_ASSERT(fd >= 0, "kgo_chan_make: %s", kgo_strerror(fd));
	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.flags = 0;
	info.reserved = 0;
	KT_CHECK("CHAN_INFO", kt_ioctl(fd, KGO_IOC_CHAN_INFO, &info), 0);
	KT_ASSERT(info.size == sizeof(info) && info.elem_size == 8 &&
		  info.cap == 4 && info.len == 0 && info.closed == 0 &&
		  info.is_timer == 0,
		  "info: size %u elem %u cap %u len %u closed %u timer %u",
		  info.size, info.elem_size, info.cap, info.len, info.closed,
		  info.is_timer);
	fl = fcntl(fd, F_GETFD);
	KT_ASSERT(fl >= 0 && (fl & FD_CLOEXEC), "FD_CLOEXEC missing");
	fl = fcntl(fd, F_GETFL);
	KT_ASSERT(fl >= 0 && !(fl & O_NONBLOCK), "O_NONBLOCK set");
	KT_CHECK("kgo_chan_len", kgo_chan_len(fd), 0);
	KT_CHECK("kgo_chan_cap", kgo_chan_cap(fd), 4);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_create_flags(void *arg)
{
	int fd, fl;

	(void)arg;
	KT_NEED_DEV();
	fd = kgo_chan_make(kt_dev, 8, 0, KGO_FD_NONBLOCK);
	KT_ASSERT(fd >= 0, "kgo_chan_make: %s", kgo_strerror(fd));
	fl = fcntl(fd, F_GETFD);
	KT_ASSERT(fl >= 0 && !(fl & FD_CLOEXEC), "FD_CLOEXEC set");
	fl = fcntl(fd, F_GETFL);
	KT_ASSERT(fl >= 0 && (fl & O_NONBLOCK), "O_NONBLOCK missing");
	close(fd);
	KT_CHECK("flags 1 << 2", kgo_chan_make(kt_dev, 8, 0, 1U << 2), -EINVAL);
	KT_CHECK("flags ~0", kgo_chan_make(kt_dev, 8, 0, ~0U), -EINVAL);
	return KTAP_PASS;
}

static enum ktap_result kt_create_struct_rules(void *arg)
{
	struct kt_big_create big;
	struct kgo_chan_create c;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	memset(&c, 0, sizeof(c));
	c.elem_size = 8;
	c.size = KGO_CHAN_CREATE_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_create(&c), -EINVAL);
	c.size = 0;
	KT_CHECK("size 0", kt_create(&c), -EINVAL);
	c.size = sizeof(c);
	c.reserved = 1;
	KT_CHECK("reserved 1", kt_create(&c), -EINVAL);
	c.reserved = 0;
	c.size = KT_SIZE_MAX + 1;
	KT_CHECK("size 4097", kt_create(&c), -E2BIG);
	c.size = 0xffffffff;
	KT_CHECK("size 0xffffffff", kt_create(&c), -E2BIG);

	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	big.c.elem_size = 8;
	fd = kt_create(&big);
	KT_ASSERT(fd >= 0, "larger size, zero tail: %s", kt_err(fd));
	close(fd);
	big.tail[10] = 1;
	KT_CHECK("larger size, non-zero tail", kt_create(&big), -E2BIG);
	KT_CHECK("NULL argument", kt_create(NULL), -EFAULT);
	return KTAP_PASS;
}

static enum ktap_result kt_create_sizes(void *arg)
{
	unsigned long max_elem = kt_param("max_elem_size", 65536);
	unsigned long max_bytes = kt_param("max_chan_bytes", 64UL << 20);
	int fd;

	(void)arg;
	KT_NEED_DEV();
	ktap_diag("max_elem_size %lu max_chan_bytes %lu", max_elem, max_bytes);
	fd = kgo_chan_make(kt_dev, 0, 0, KGO_FD_CLOEXEC);
	KT_ASSERT(fd >= 0, "elem_size 0: %s", kgo_strerror(fd));
	close(fd);
	fd = kgo_chan_make(kt_dev, 0, 1000, KGO_FD_CLOEXEC);
	KT_ASSERT(fd >= 0, "elem_size 0 cap 1000: %s", kgo_strerror(fd));
	close(fd);
	fd = kgo_chan_make(kt_dev, max_elem, 1, KGO_FD_CLOEXEC);
	KT_ASSERT(fd >= 0, "elem_size max: %s", kgo_strerror(fd));
	close(fd);
	KT_CHECK("elem_size max + 1",
		 kgo_chan_make(kt_dev, max_elem + 1, 0, KGO_FD_CLOEXEC),
		 -EINVAL);
	KT_CHECK("elem_size 0xffffffff",
		 kgo_chan_make(kt_dev, 0xffffffffU, 0, KGO_FD_CLOEXEC),
		 -EINVAL);
	KT_CHECK("buffer over max_chan_bytes",
		 kgo_chan_make(kt_dev, 8, max_bytes / 8 + 1, KGO_FD_CLOEXEC),
		 -EINVAL);
	KT_CHECK("cap 0xffffffff of 64 KiB",
		 kgo_chan_make(kt_dev, 65536, 0xffffffffU, KGO_FD_CLOEXEC),
		 -EINVAL);
	return KTAP_PASS;
}

static enum ktap_result kt_buffered_fifo(void *arg)
{
	unsigned long long v;
	unsigned int i;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	KT_ASSERT(fd >= 0, "no channel");
	for (v = 1; v <= 4; v++)
		KT_CHECK("trysend", kgo_chan_trysend(fd, &v), 0);
	KT_CHECK("trysend on full", kgo_chan_trysend(fd, &v), -EAGAIN);
	KT_CHECK("send_timeout on full",
		 kgo_chan_send_timeout(fd, &v, KT_MS), -ETIMEDOUT);
	KT_CHECK("len", kgo_chan_len(fd), 4);
	for (i = 1; i <= 4; i++) {
		v = 0;
		KT_CHECK("recv", kgo_chan_recv(fd, &v), 1);
		KT_CHECK("FIFO order", v, i);
	}
	KT_CHECK("tryrecv on empty", kgo_chan_tryrecv(fd, &v), -EAGAIN);
	KT_CHECK("recv_timeout on empty", kgo_chan_recv_timeout(fd, &v, KT_MS),
		 -ETIMEDOUT);
	/* A NULL destination drops the value. */
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("recv into NULL", kgo_chan_recv(fd, NULL), 1);
	KT_CHECK("len after drop", kgo_chan_len(fd), 0);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_op_nonblock(void *arg)
{
	struct kgo_chan_op op;
	unsigned long long v = 7;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	memset(&op, 0, sizeof(op));
	op.size = sizeof(op);
	op.flags = KGO_OP_NONBLOCK;
	op.elem = (unsigned long)&v;
	op.timeout_ns = KGO_TIMEOUT_FOREVER;
	KT_CHECK("recv, KGO_OP_NONBLOCK", kt_ioctl(fd, KGO_IOC_CHAN_RECV, &op),
		 -EAGAIN);
	KT_CHECK("send, KGO_OP_NONBLOCK", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op),
		 -EAGAIN);
	op.flags = 0;
	op.timeout_ns = KGO_TIMEOUT_NOWAIT;
	KT_CHECK("recv, timeout 0", kt_ioctl(fd, KGO_IOC_CHAN_RECV, &op),
		 -EAGAIN);
	KT_CHECK("send, timeout 0", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op),
		 -EAGAIN);
	op.timeout_ns = KT_MS;
	KT_CHECK("recv, timeout 1 ms", kt_ioctl(fd, KGO_IOC_CHAN_RECV, &op),
		 -ETIMEDOUT);
	KT_CHECK("send, timeout 1 ms", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op),
		 -ETIMEDOUT);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_op_struct_rules(void *arg)
{
	unsigned long long v = 1;
	struct kt_big_op big;
	struct kgo_chan_op op;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	KT_ASSERT(fd >= 0, "no channel");
	memset(&op, 0, sizeof(op));
	op.elem = (unsigned long)&v;
	op.size = KGO_CHAN_OP_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op), -EINVAL);
	op.size = sizeof(op);
	op.flags = 1U << 1;
	KT_CHECK("unknown flag", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op), -EINVAL);
	KT_CHECK("unknown flag, recv", kt_ioctl(fd, KGO_IOC_CHAN_RECV, &op),
		 -EINVAL);
	op.flags = 0;
	op.reserved = 1;
	KT_CHECK("reserved 1", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op), -EINVAL);
	op.reserved = 0;
	op.size = KT_SIZE_MAX + 1;
	KT_CHECK("size 4097", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &op), -E2BIG);
	KT_CHECK("len after refused sends", kgo_chan_len(fd), 0);

	memset(&big, 0, sizeof(big));
	big.op.size = sizeof(big);
	big.op.elem = (unsigned long)&v;
	KT_CHECK("larger size, zero tail", kt_ioctl(fd, KGO_IOC_CHAN_SEND, &big),
		 0);
	big.tail[63] = 1;
	KT_CHECK("larger size, non-zero tail",
		 kt_ioctl(fd, KGO_IOC_CHAN_SEND, &big), -E2BIG);
	KT_CHECK("len", kgo_chan_len(fd), 1);
	KT_CHECK("NULL argument", kt_ioctl(fd, KGO_IOC_CHAN_RECV, NULL),
		 -EFAULT);
	KT_CHECK("len after NULL argument", kgo_chan_len(fd), 1);

	/* The kernel writes back ok and size, and nothing past its struct. */
	memset(&big, 0, sizeof(big));
	big.op.size = sizeof(big);
	big.op.elem = (unsigned long)&v;
	v = 0;
	KT_CHECK("recv, larger size", kt_ioctl(fd, KGO_IOC_CHAN_RECV, &big), 0);
	KT_CHECK("ok", big.op.ok, 1);
	KT_CHECK("value", v, 1);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_info_struct_rules(void *arg)
{
	struct kgo_chan_info info;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 1);
	KT_ASSERT(fd >= 0, "no channel");
	memset(&info, 0, sizeof(info));
	info.size = KGO_CHAN_INFO_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(fd, KGO_IOC_CHAN_INFO, &info),
		 -EINVAL);
	info.size = sizeof(info);
	info.flags = 1;
	KT_CHECK("flags 1", kt_ioctl(fd, KGO_IOC_CHAN_INFO, &info), -EINVAL);
	info.flags = 0;
	info.reserved = 1;
	KT_CHECK("reserved 1", kt_ioctl(fd, KGO_IOC_CHAN_INFO, &info), -EINVAL);
	KT_CHECK("NULL argument", kt_ioctl(fd, KGO_IOC_CHAN_INFO, NULL),
		 -EFAULT);
	KT_CHECK("kgo_chan_info(NULL)", kgo_chan_info(fd, NULL), -EINVAL);
	close(fd);
	return KTAP_PASS;
}

/* Elements of several sizes keep every byte, in order. */
static enum ktap_result kt_elem_sizes(void *arg)
{
	static const unsigned int sizes[] = { 1, 3, 8, 24, 4096, 4097, 65536 };
	unsigned char *a, *b;
	enum ktap_result res = KTAP_PASS;
	unsigned int i, j, k;
	int fd = -1;

	(void)arg;
	KT_NEED_DEV();
	a = malloc(65536 * 2);
	b = malloc(65536);
	KT_TRY(a && b, "malloc");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int n = sizes[i];

		fd = kt_chan(n, 2);
		KT_TRY(fd >= 0, "no channel of %u", n);
		for (k = 0; k < 2; k++) {
			for (j = 0; j < n; j++)
				a[k * n + j] = (unsigned char)(j * 7 + k + n);
			KT_TRY(kgo_chan_send(fd, a + k * n) == 0, "send %u", n);
		}
		for (k = 0; k < 2; k++) {
			memset(b, 0, n);
			KT_TRY(kgo_chan_recv(fd, b) == 1, "recv %u", n);
			KT_TRY(!memcmp(a + k * n, b, n),
			       "element %u of size %u corrupted", k, n);
		}
		close(fd);
		fd = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	free(a);
	free(b);
	return res;
}

static enum ktap_result kt_elem_size_zero(void *arg)
{
	int fd, i;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(0, 3);
	KT_ASSERT(fd >= 0, "no channel");
	for (i = 0; i < 3; i++)
		KT_CHECK("send struct{}{}", kgo_chan_send(fd, NULL), 0);
	KT_CHECK("full", kgo_chan_trysend(fd, NULL), -EAGAIN);
	KT_CHECK("len", kgo_chan_len(fd), 3);
	for (i = 0; i < 3; i++)
		KT_CHECK("recv", kgo_chan_recv(fd, NULL), 1);
	KT_CHECK("close", kgo_chan_close(fd), 0);
	KT_CHECK("recv closed", kgo_chan_recv(fd, NULL), 0);
	close(fd);
	return KTAP_PASS;
}

static int kt_child_recv_one(void *arg)
{
	int fd = *(int *)arg;
	unsigned long long v = 0;
	int ret = kgo_chan_recv_timeout(fd, &v, KT_HANG_NS);

	if (ret != 1)
		return 10;
	return v == 0x1122334455667788ULL ? 0 : 11;
}

static enum ktap_result kt_unbuffered_fork(void *arg)
{
	unsigned long long v = 0x1122334455667788ULL;
	pid_t pid;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	pid = kt_spawn(kt_child_recv_one, &fd);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("send to child", kgo_chan_send_timeout(fd, &v, KT_HANG_NS), 0);
	KT_CHECK("child's status", kt_wait(pid), 0);
	/* Unbuffered: the value went straight to the receiver. */
	KT_CHECK("len", kgo_chan_len(fd), 0);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_close_semantics(void *arg)
{
	struct kgo_chan_info info;
	unsigned long long v;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	KT_ASSERT(fd >= 0, "no channel");
	v = 5;
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	v = 6;
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("close", kgo_chan_close(fd), 0);
	KT_CHECK("close again", kgo_chan_close(fd), -EPIPE);
	KT_CHECK("send on closed", kgo_chan_send(fd, &v), -EPIPE);
	KT_CHECK("trysend on closed", kgo_chan_trysend(fd, &v), -EPIPE);
	KT_CHECK("info", kgo_chan_info(fd, &info), 0);
	KT_ASSERT(info.closed == 1 && info.len == 2, "closed %u len %u",
		  info.closed, info.len);
	/* Buffered values drain first, then the zero value with ok == 0. */
	KT_CHECK("recv buffered 1", kgo_chan_recv(fd, &v), 1);
	KT_CHECK("value 1", v, 5);
	KT_CHECK("recv buffered 2", kgo_chan_tryrecv(fd, &v), 1);
	KT_CHECK("value 2", v, 6);
	v = ~0ULL;
	KT_CHECK("recv closed", kgo_chan_recv(fd, &v), 0);
	KT_CHECK("zeroed element", v, 0);
	v = ~0ULL;
	KT_CHECK("tryrecv closed", kgo_chan_tryrecv(fd, &v), 0);
	KT_CHECK("zeroed element", v, 0);
	KT_CHECK("recv_timeout closed", kgo_chan_recv_timeout(fd, &v, KT_MS), 0);
	close(fd);
	return KTAP_PASS;
}

static int kt_child_recv_closed(void *arg)
{
	int fd = *(int *)arg;
	unsigned long long v = ~0ULL;
	int ret = kgo_chan_recv_timeout(fd, &v, KT_HANG_NS);

	if (ret != 0)
		return 20;
	return v == 0 ? 0 : 21;
}

static int kt_child_send_closed(void *arg)
{
	int fd = *(int *)arg;
	unsigned long long v = 1;

	return kgo_chan_send_timeout(fd, &v, KT_HANG_NS) == -EPIPE ? 0 : 30;
}

/* Close wakes every receiver (ok == 0) and every sender (EPIPE). */
static enum ktap_result kt_close_wakes_all(void *arg)
{
	pid_t r[3], s[3];
	enum ktap_result res = KTAP_PASS;
	int fd, rfd, i;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);	/* receivers wait here */
	rfd = kt_chan(8, 0);	/* senders wait here: nobody receives */
	KT_ASSERT(fd >= 0 && rfd >= 0, "no channel");
	for (i = 0; i < 3; i++) {
		r[i] = kt_spawn(kt_child_recv_closed, &fd);
		s[i] = kt_spawn(kt_child_send_closed, &rfd);
	}
	/* Whether they block before or after the close, the result is one. */
	kt_sleep_ms(20);
	KT_CHECK("close receivers' channel", kgo_chan_close(fd), 0);
	KT_CHECK("close senders' channel", kgo_chan_close(rfd), 0);
	for (i = 0; i < 3; i++) {
		if (!KT_EXPECT("receiver's status", kt_wait(r[i]), 0))
			res = KTAP_FAIL;
		if (!KT_EXPECT("sender's status", kt_wait(s[i]), 0))
			res = KTAP_FAIL;
	}
	close(fd);
	close(rfd);
	return res;
}

static enum ktap_result kt_fd_nonblock(void *arg)
{
	unsigned long long v = 3;
	int fd, fl;

	(void)arg;
	KT_NEED_DEV();
	fd = kgo_chan_make(kt_dev, 8, 1, KGO_FD_NONBLOCK | KGO_FD_CLOEXEC);
	KT_ASSERT(fd >= 0, "kgo_chan_make: %s", kgo_strerror(fd));
	KT_CHECK("blocking recv, O_NONBLOCK", kgo_chan_recv(fd, &v), -EAGAIN);
	KT_CHECK("recv with timeout, O_NONBLOCK",
		 kgo_chan_recv_timeout(fd, &v, KT_HANG_NS), -EAGAIN);
	KT_ASSERT(read(fd, &v, 8) < 0 && errno == EAGAIN, "read: %s",
		  strerror(errno));
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("blocking send on full, O_NONBLOCK", kgo_chan_send(fd, &v),
		 -EAGAIN);
	KT_ASSERT(write(fd, &v, 8) < 0 && errno == EAGAIN, "write: %s",
		  strerror(errno));
	close(fd);

	/* O_NONBLOCK set later with fcntl(2) counts as well. */
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	fl = fcntl(fd, F_GETFL);
	KT_ASSERT(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0, "F_SETFL: %s",
		  strerror(errno));
	KT_CHECK("blocking recv after F_SETFL", kgo_chan_recv(fd, &v), -EAGAIN);
	KT_ASSERT(read(fd, &v, 8) < 0 && errno == EAGAIN, "read: %s",
		  strerror(errno));
	KT_ASSERT(write(fd, &v, 8) < 0 && errno == EAGAIN, "write: %s",
		  strerror(errno));
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_read_write(void *arg)
{
	unsigned long long in[3] = { 11, 12, 13 }, out[4];
	unsigned int got = 0;
	ssize_t n;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	KT_ASSERT(fd >= 0, "no channel");
	KT_ASSERT(write(fd, in, 8) == 8, "write 1: %s", strerror(errno));
	KT_ASSERT(write(fd, in + 1, 16) == 16, "write 2: %s", strerror(errno));
	KT_CHECK("len", kgo_chan_len(fd), 3);
	while (got < 3) {
		n = read(fd, out + got, (3 - got) * 8);
		KT_ASSERT(n > 0 && n % 8 == 0 && n <= (ssize_t)(3 - got) * 8,
			  "read returned %zd (%s)", n,
			  n < 0 ? strerror(errno) : "");
		got += n / 8;
	}
	KT_ASSERT(out[0] == 11 && out[1] == 12 && out[2] == 13,
		  "read %llu %llu %llu", out[0], out[1], out[2]);

	/* Counts that are not a positive multiple of elem_size. */
	KT_ASSERT(write(fd, in, 5) < 0 && errno == EINVAL, "write 5: %s",
		  strerror(errno));
	KT_ASSERT(write(fd, in, 12) < 0 && errno == EINVAL, "write 12: %s",
		  strerror(errno));
	KT_ASSERT(write(fd, in, 0) < 0 && errno == EINVAL, "write 0: %s",
		  strerror(errno));
	KT_ASSERT(read(fd, out, 7) < 0 && errno == EINVAL, "read 7: %s",
		  strerror(errno));
	KT_ASSERT(read(fd, out, 0) < 0 && errno == EINVAL, "read 0: %s",
		  strerror(errno));
	KT_CHECK("len after refused writes", kgo_chan_len(fd), 0);
	close(fd);
	return KTAP_PASS;
}

static int kt_child_write_closed(void *arg)
{
	int fd = *(int *)arg;
	unsigned long long v = 1;

	/* kgo raises no SIGPIPE: with the default action we would die. */
	signal(SIGPIPE, SIG_DFL);
	if (write(fd, &v, 8) >= 0)
		return 40;
	return errno == EPIPE ? 0 : 41;
}

static enum ktap_result kt_read_eof(void *arg)
{
	unsigned long long v = 9, two[2];
	pid_t pid;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 2);
	KT_ASSERT(fd >= 0, "no channel");
	KT_ASSERT(write(fd, &v, 8) == 8, "write: %s", strerror(errno));
	KT_CHECK("close", kgo_chan_close(fd), 0);
	v = 0;
	KT_ASSERT(read(fd, &v, 8) == 8 && v == 9, "read buffered: %llu", v);
	KT_ASSERT(read(fd, &v, 8) == 0, "read at closed and drained is not EOF");
	KT_ASSERT(read(fd, two, 16) == 0, "second read is not EOF");
	pid = kt_spawn(kt_child_write_closed, &fd);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("write on closed: child's status (141 = SIGPIPE)", kt_wait(pid),
		 0);
	close(fd);
	return KTAP_PASS;
}

/* A page that is mapped but read-only, and the address of an unmapped one. */
static int kt_bad_pages(void **ro, void **unmapped)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	memset(p, 0x5a, 2 * pg);
	mprotect(p, pg, PROT_READ);
	munmap(p + pg, pg);
	*ro = p;
	*unmapped = p + pg;
	return 0;
}

static enum ktap_result kt_efault_recv(void *arg)
{
	size_t pg = sysconf(_SC_PAGESIZE);
	unsigned long long v = 77, *fresh;
	void *ro, *um;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(kt_bad_pages(&ro, &um) == 0, "mmap");
	fd = kt_chan(8, 2);
	KT_ASSERT(fd >= 0, "no channel");
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("recv into read-only page", kgo_chan_recv(fd, ro), -EFAULT);
	KT_CHECK("len after it", kgo_chan_len(fd), 1);
	KT_CHECK("recv into unmapped page", kgo_chan_recv(fd, um), -EFAULT);
	KT_CHECK("len after it", kgo_chan_len(fd), 1);
	KT_CHECK("recv into address 1", kgo_chan_recv(fd, (void *)1), -EFAULT);
	KT_CHECK("recv into a kernel address",
		 kgo_chan_recv(fd, (void *)0xffffffffff600000UL), -EFAULT);
	KT_CHECK("len after it", kgo_chan_len(fd), 1);
	KT_ASSERT(read(fd, ro, 8) < 0 && errno == EFAULT,
		  "read(2) into read-only page: %s", strerror(errno));
	KT_CHECK("len after read(2)", kgo_chan_len(fd), 1);
	/* Straddling the end of a mapping. */
	KT_CHECK("recv across the end of a mapping",
		 kgo_chan_recv(fd, (char *)um - 4), -EFAULT);
	v = 0;
	KT_CHECK("recv", kgo_chan_recv(fd, &v), 1);
	KT_CHECK("value kept", v, 77);
	/* A page never touched is not present: received into all the same. */
	fresh = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(fresh != MAP_FAILED, "mmap");
	v = 78;
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("recv into a page not faulted in yet",
		 kgo_chan_recv(fd, fresh), 1);
	KT_CHECK("its value", *fresh, 78);
	munmap(fresh, pg);
	close(fd);
	munmap(ro, pg);
	return KTAP_PASS;
}

static enum ktap_result kt_efault_send(void *arg)
{
	void *ro, *um;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(kt_bad_pages(&ro, &um) == 0, "mmap");
	fd = kt_chan(8, 2);
	KT_ASSERT(fd >= 0, "no channel");
	KT_CHECK("send from unmapped page", kgo_chan_send(fd, um), -EFAULT);
	KT_CHECK("send from NULL", kgo_chan_send(fd, NULL), -EFAULT);
	KT_CHECK("send across the end of a mapping",
		 kgo_chan_send(fd, (char *)um - 4), -EFAULT);
	KT_ASSERT(write(fd, um, 8) < 0 && errno == EFAULT,
		  "write(2) from unmapped page: %s", strerror(errno));
	KT_CHECK("len", kgo_chan_len(fd), 0);
	/* A read-only source is fine. */
	KT_CHECK("send from read-only page", kgo_chan_send(fd, ro), 0);
	KT_CHECK("len", kgo_chan_len(fd), 1);
	close(fd);
	munmap(ro, sysconf(_SC_PAGESIZE));
	return KTAP_PASS;
}

static int kt_child_send_42(void *arg)
{
	int fd = *(int *)arg;
	unsigned long long v = 42;

	return kgo_chan_send_timeout(fd, &v, KT_HANG_NS) == 0 ? 0 : 50;
}

/* A blocked sender's value survives a receiver with a bad buffer. */
static enum ktap_result kt_efault_handoff(void *arg)
{
	struct pollfd p;
	unsigned long long v = 0;
	void *ro, *um;
	pid_t pid;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(kt_bad_pages(&ro, &um) == 0, "mmap");
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	pid = kt_spawn(kt_child_send_42, &fd);
	KT_ASSERT(pid > 0, "fork");
	/* EPOLLIN on an unbuffered channel: a sender is waiting. */
	p.fd = fd;
	p.events = POLLIN;
	KT_ASSERT(poll(&p, 1, KT_HANG_MS) == 1, "the sender never waited");
	KT_CHECK("recv into read-only page", kgo_chan_recv(fd, ro), -EFAULT);
	KT_CHECK("recv into unmapped page", kgo_chan_recv(fd, um), -EFAULT);
	KT_CHECK("recv", kgo_chan_recv_timeout(fd, &v, KT_HANG_NS), 1);
	KT_CHECK("value", v, 42);
	KT_CHECK("sender's status", kt_wait(pid), 0);
	close(fd);
	munmap(ro, sysconf(_SC_PAGESIZE));
	return KTAP_PASS;
}

static enum ktap_result kt_unknown_ioctls(void *arg)
{
	unsigned char buf[256] = { 0 };
	int fd, pfd[2];

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	KT_CHECK("unused nr on a channel", kt_ioctl(fd, _IO(KGO_IOC_MAGIC, 0xff),
						    NULL), -ENOTTY);
	KT_CHECK("another magic on a channel",
		 kt_ioctl(fd, _IOWR(KGO_IOC_MAGIC + 1, 0x10,
				    struct kgo_chan_op), buf), -ENOTTY);
	KT_CHECK("CHAN_SEND's nr, wrong direction",
		 kt_ioctl(fd, _IO(KGO_IOC_MAGIC, 0x10), NULL), -ENOTTY);
	KT_CHECK("unused nr on /dev/kgo",
		 kt_ioctl(kt_dev, _IOWR(KGO_IOC_MAGIC, 0x7f, struct kgo_chan_op),
			  buf), -ENOTTY);
	/* Channel ioctls on descriptors that are not kgo channels. */
	KT_ASSERT(pipe(pfd) == 0, "pipe");
	KT_CHECK("CHAN_SEND on a pipe", kt_ioctl(pfd[1], KGO_IOC_CHAN_SEND, buf),
		 -ENOTTY);
	KT_CHECK("CHAN_CLOSE on a pipe", kt_ioctl(pfd[0], KGO_IOC_CHAN_CLOSE,
						  NULL), -ENOTTY);
	KT_CHECK("kgo_chan_len(-1)", kgo_chan_len(-1), -EBADF);
	close(pfd[0]);
	close(pfd[1]);
	/* Timer ioctls on a channel, channel creation on a channel: refused. */
	KT_ASSERT(kgo_timer_stop(fd) < 0, "TIMER_STOP on a channel succeeded");
	KT_ASSERT(kgo_chan_make(fd, 8, 0, 0) < 0,
		  "CHAN_CREATE on a channel fd succeeded");
	ktap_diag("TIMER_STOP on a channel: %s; CHAN_CREATE on a channel: %s",
		  kgo_strerror(kgo_timer_stop(fd)),
		  kgo_strerror(kgo_chan_make(fd, 8, 0, 0)));
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_stats(void *arg)
{
	struct kgo_stats_proc procs[512];
	struct kgo_stats st;
	unsigned int i;
	int n, fd;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	n = kgo_stats(kt_dev, &st, procs, ARRAY_SIZE(procs));
	KT_ASSERT(n > 0, "kgo_stats: %s", kgo_strerror(n));
	KT_ASSERT(st.size == sizeof(st), "size %u", st.size);
	KT_ASSERT(st.nprocs_room == (unsigned int)n, "filled %u of %d",
		  st.nprocs_room, n);
	KT_ASSERT(st.live_chans >= 1, "live_chans %llu with one open",
		  (unsigned long long)st.live_chans);
	KT_ASSERT(st.threads >= 1 && st.max_threads >= st.threads,
		  "threads %u max %u", st.threads, st.max_threads);
	for (i = 0; i < (unsigned int)n; i++)
		KT_ASSERT(procs[i].status <= KGO_PROC_BLOCKED,
			  "P%u status %u", i, procs[i].status);
	ktap_diag("nprocs %d live_gs %llu live_chans %llu threads %u", n,
		  (unsigned long long)st.live_gs,
		  (unsigned long long)st.live_chans, st.threads);
	/* Less room than Ps: only that much is filled. */
	KT_CHECK("room 1", kgo_stats(kt_dev, &st, procs, 1), n);
	KT_CHECK("filled with room 1", st.nprocs_room, 1);
	KT_CHECK("room 0", kgo_stats(kt_dev, &st, NULL, 0), n);
	KT_CHECK("filled with room 0", st.nprocs_room, 0);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = 1;
	KT_CHECK("flags 1", kt_ioctl(kt_dev, KGO_IOC_STATS, &st), -EINVAL);
	st.flags = 0;
	st.size = KGO_STATS_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(kt_dev, KGO_IOC_STATS, &st), -EINVAL);
	st.size = sizeof(st);
	st.nprocs_room = 4;
	st.procs = 8;	/* unmapped */
	KT_CHECK("procs unmapped", kt_ioctl(kt_dev, KGO_IOC_STATS, &st),
		 -EFAULT);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_bench_spawn(void *arg)
{
	unsigned long long ns = 0;
	struct kgo_bench_spawn b;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("not root");
	KT_CHECK("spawn 1000", kgo_bench_spawn(kt_dev, 1000, &ns), 0);
	KT_ASSERT(ns > 0, "elapsed_ns 0");
	ktap_diag("1000 Gs in %llu ns", ns);
	KT_CHECK("count 0", kgo_bench_spawn(kt_dev, 0, &ns), -EINVAL);
	KT_CHECK("count 10000001", kgo_bench_spawn(kt_dev, 10000001, &ns),
		 -EINVAL);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.count = 1;
	b.reserved = 1;
	KT_CHECK("reserved 1", kt_ioctl(kt_dev, KGO_IOC_BENCH_SPAWN, &b),
		 -EINVAL);
	b.reserved = 0;
	b.flags = 1;
	KT_CHECK("flags 1", kt_ioctl(kt_dev, KGO_IOC_BENCH_SPAWN, &b), -EINVAL);
	return KTAP_PASS;
}

/*
 * Create channels as an unprivileged user until the per-user limit says
 * EMFILE; the limit must be kgo's, not the descriptor table's, and freeing
 * one channel must make room for one more.
 */
#define KT_LIMIT_TRIES	300000
static int kt_child_chan_limit(void *arg)
{
	struct rlimit rl = { KT_LIMIT_TRIES + 64, KT_LIMIT_TRIES + 64 };
	int *fds = arg;
	int n = 0, fd, ret = 0, i;

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 60;
	if (setgid(65534) < 0 || setuid(65534) < 0)
		return 61;
	for (;;) {
		if (n == KT_LIMIT_TRIES) {
			ret = 62;	/* no limit hit */
			goto out;
		}
		fd = kgo_chan_make(kt_dev, 8, 1, KGO_FD_CLOEXEC);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	printf("# per-user limit: %d channels, then %s\n", n,
	       kgo_strerror(fd));
	if (fd != -EMFILE) {
		ret = 63;
		goto out;
	}
	/* The last one still works; freeing one makes room for one. */
	if (n == 0 || kgo_chan_trysend(fds[n - 1], &n) != 0) {
		ret = 64;
		goto out;
	}
	close(fds[--n]);
	fd = kgo_chan_make(kt_dev, 8, 1, KGO_FD_CLOEXEC);
	if (fd < 0) {
		ret = 65;
		goto out;
	}
	fds[n++] = fd;
	if (kgo_chan_make(kt_dev, 8, 1, KGO_FD_CLOEXEC) != -EMFILE)
		ret = 66;
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	fflush(stdout);
	return ret;
}

static enum ktap_result kt_chan_limit(void *arg)
{
	struct kgo_stats before, after;
	int *fds;
	pid_t pid;
	int st;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to raise RLIMIT_NOFILE and setuid");
	fds = calloc(KT_LIMIT_TRIES, sizeof(*fds));
	KT_ASSERT(fds, "calloc");
	KT_ASSERT(kgo_stats(kt_dev, &before, NULL, 0) >= 0, "stats");
	pid = kt_spawn(kt_child_chan_limit, fds);
	free(fds);
	KT_ASSERT(pid > 0, "fork");
	/* Thousands of creations: minutes on a debug kernel under TCG. */
	st = kt_wait_for(pid, 1200);
	KT_ASSERT(kgo_stats(kt_dev, &after, NULL, 0) >= 0, "stats");
	ktap_diag("live_chans before %llu after %llu",
		  (unsigned long long)before.live_chans,
		  (unsigned long long)after.live_chans);
	KT_CHECK("child's status (62: no limit, 63: another error)", st, 0);
	return KTAP_PASS;
}

static const struct ktap_case kt_cases[] = {
	{ "dev_open", kt_dev_open },
	{ "abi_version_1_1", kt_abi_version },
	{ "create_and_info", kt_create_info },
	{ "create_flags", kt_create_flags },
	{ "create_struct_rules", kt_create_struct_rules },
	{ "create_size_limits", kt_create_sizes },
	{ "buffered_fifo", kt_buffered_fifo },
	{ "op_nonblock_and_timeouts", kt_op_nonblock },
	{ "op_struct_rules", kt_op_struct_rules },
	{ "info_struct_rules", kt_info_struct_rules },
	{ "elem_sizes", kt_elem_sizes },
	{ "elem_size_zero", kt_elem_size_zero },
	{ "unbuffered_across_fork", kt_unbuffered_fork },
	{ "close_semantics", kt_close_semantics },
	{ "close_wakes_all", kt_close_wakes_all },
	{ "fd_nonblock", kt_fd_nonblock },
	{ "read_write", kt_read_write },
	{ "read_eof_write_epipe", kt_read_eof },
	{ "efault_recv_keeps_value", kt_efault_recv },
	{ "efault_send_sends_nothing", kt_efault_send },
	{ "efault_blocked_sender_keeps_value", kt_efault_handoff },
	{ "unknown_ioctls", kt_unknown_ioctls },
	{ "stats", kt_stats },
	{ "bench_spawn", kt_bench_spawn },
	{ "per_user_chan_limit", kt_chan_limit },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
