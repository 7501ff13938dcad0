// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_observe_test: what kgo shows of itself to an observer. Today the
 * fdinfo of channel and timer descriptors (/proc/self/fdinfo/N): the
 * channel's id, element size, capacity, length, closed state, the senders
 * and receivers waiting on it, the creating process and, for timers,
 * whether it is armed and its period. Prints KTAP.
 */

#include <stdio.h>
#include <string.h>

#include "kgo_selftest.h"

/*
 * The value of @key in @fd's fdinfo, or -1 with a diagnostic if the line
 * is missing. Values are non-negative numbers.
 */
static long long kt_fdinfo(int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f) {
		ktap_diag("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	if (v < 0)
		ktap_diag("fd %d: no \"%s:\" line in fdinfo", fd, key);
	return v;
}

/*
 * Wait until @key of @fd reads @want: a child blocks in its own time.
 * Returns the last value read.
 */
static long long kt_fdinfo_until(int fd, const char *key, long long want)
{
	long long end = kt_now_ns() + KT_HANG_NS, v;

	while ((v = kt_fdinfo(fd, key)) != want && v >= 0 && kt_now_ns() < end)
		kt_sleep_ms(5);
	return v;
}

static enum ktap_result kt_fdinfo_buffered(void *arg)
{
	unsigned long long v = 7;
	int fd, fd2;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	KT_ASSERT(fd >= 0, "no channel");
	fd2 = kt_chan(0, 0);
	KT_ASSERT(fd2 >= 0, "no second channel");
	KT_CHECK("elem size", kt_fdinfo(fd, "kgo-elem-size"), 8);
	KT_CHECK("cap", kt_fdinfo(fd, "kgo-cap"), 4);
	KT_CHECK("len, empty", kt_fdinfo(fd, "kgo-len"), 0);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("len after two sends", kt_fdinfo(fd, "kgo-len"), 2);
	KT_CHECK("closed", kt_fdinfo(fd, "kgo-closed"), 0);
	KT_CHECK("senders", kt_fdinfo(fd, "kgo-senders"), 0);
	KT_CHECK("receivers", kt_fdinfo(fd, "kgo-receivers"), 0);
	KT_CHECK("creator", kt_fdinfo(fd, "kgo-creator-pid"), getpid());
	KT_CHECK("a channel is no timer", kt_fdinfo(fd, "kgo-timer"), 0);
	KT_ASSERT(kt_fdinfo(fd, "kgo-chan-id") > 0, "no channel id");
	KT_ASSERT(kt_fdinfo(fd, "kgo-chan-id") != kt_fdinfo(fd2, "kgo-chan-id"),
		  "two channels share id %lld", kt_fdinfo(fd, "kgo-chan-id"));
	KT_CHECK("unbuffered elem size", kt_fdinfo(fd2, "kgo-elem-size"), 0);
	KT_CHECK("unbuffered cap", kt_fdinfo(fd2, "kgo-cap"), 0);
	KT_CHECK("close", kgo_chan_close(fd), 0);
	KT_CHECK("closed after close", kt_fdinfo(fd, "kgo-closed"), 1);
	KT_CHECK("len kept by close", kt_fdinfo(fd, "kgo-len"), 2);
	close(fd2);
	close(fd);
	return KTAP_PASS;
}

struct kt_peer {
	int fd;
	int send;	/* 1: send a value, 0: receive one */
};

static int kt_peer_run(void *arg)
{
	struct kt_peer *p = arg;
	unsigned long long v = 42;
	int ret;

	if (p->send)
		return kgo_chan_send_timeout(p->fd, &v, KT_HANG_NS) ? 10 : 0;
	ret = kgo_chan_recv_timeout(p->fd, &v, KT_HANG_NS);
	return ret == 1 && v == 42 ? 0 : 11;
}

/*
 * A process blocked on a channel shows as its waiting sender or receiver
 * until a partner comes; it never shows as both.
 */
static enum ktap_result kt_fdinfo_waiters_one(int send)
{
	const char *mine = send ? "kgo-senders" : "kgo-receivers";
	const char *other = send ? "kgo-receivers" : "kgo-senders";
	unsigned long long v = 42;
	struct kt_peer p;
	pid_t pid;
	int fd;

	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	p.fd = fd;
	p.send = send;
	pid = kt_spawn(kt_peer_run, &p);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("child waits", kt_fdinfo_until(fd, mine, 1), 1);
	KT_CHECK("nobody on the other side", kt_fdinfo(fd, other), 0);
	/* The child's fd is this one's, made by this process. */
	KT_CHECK("creator", kt_fdinfo(fd, "kgo-creator-pid"), getpid());
	if (send)
		KT_CHECK("recv", kgo_chan_recv_timeout(fd, &v, KT_HANG_NS), 1);
	else
		KT_CHECK("send", kgo_chan_send_timeout(fd, &v, KT_HANG_NS), 0);
	KT_CHECK("child", kt_wait(pid), 0);
	KT_CHECK("nobody waits once paired", kt_fdinfo(fd, mine), 0);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_fdinfo_receiver(void *arg)
{
	(void)arg;
	return kt_fdinfo_waiters_one(0);
}

static enum ktap_result kt_fdinfo_sender(void *arg)
{
	(void)arg;
	return kt_fdinfo_waiters_one(1);
}

static int kt_select_child(void *arg)
{
	int *fds = arg;
	unsigned long long a = 0, b = 0;
	struct kgo_select_ucase cases[2] = {
		kgo_case_recv(fds[0], &a),
		kgo_case_recv(fds[1], &b),
	};
	int i = kgo_select(kt_dev, cases, 2, KT_HANG_NS);

	return i == 1 && b == 5 ? 0 : 20;
}

/*
 * A select blocked on two channels waits on both; once one case fires,
 * it waits on neither (its other sudog, claimed, is not a waiter).
 */
static enum ktap_result kt_fdinfo_select(void *arg)
{
	unsigned long long v = 5;
	int fds[2];
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	fds[0] = kt_chan(8, 0);
	fds[1] = kt_chan(8, 0);
	KT_ASSERT(fds[0] >= 0 && fds[1] >= 0, "no channels");
	pid = kt_spawn(kt_select_child, fds);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("select waits on a", kt_fdinfo_until(fds[0], "kgo-receivers", 1), 1);
	KT_CHECK("select waits on b", kt_fdinfo_until(fds[1], "kgo-receivers", 1), 1);
	KT_CHECK("send b", kgo_chan_send_timeout(fds[1], &v, KT_HANG_NS), 0);
	KT_CHECK("child", kt_wait(pid), 0);
	KT_CHECK("a: nobody waits", kt_fdinfo(fds[0], "kgo-receivers"), 0);
	KT_CHECK("b: nobody waits", kt_fdinfo(fds[1], "kgo-receivers"), 0);
	close(fds[0]);
	close(fds[1]);
	return KTAP_PASS;
}

static enum ktap_result kt_fdinfo_timer(void *arg)
{
	const long long period = 3600LL * 1000 * KT_MS;	/* an hour */
	int t, tk;

	(void)arg;
	KT_NEED_DEV();
	t = kgo_timer_new(kt_dev, period, KGO_FD_CLOEXEC);
	KT_ASSERT(t >= 0, "kgo_timer_new: %s", kgo_strerror(t));
	tk = kgo_ticker_new(kt_dev, period, KGO_FD_CLOEXEC);
	KT_ASSERT(tk >= 0, "kgo_ticker_new: %s", kgo_strerror(tk));
	KT_CHECK("timer", kt_fdinfo(t, "kgo-timer"), 1);
	KT_CHECK("timer armed", kt_fdinfo(t, "kgo-timer-armed"), 1);
	KT_CHECK("one-shot: no period", kt_fdinfo(t, "kgo-timer-period-ns"), 0);
	KT_CHECK("timer cap", kt_fdinfo(t, "kgo-cap"), 1);
	KT_CHECK("ticker period", kt_fdinfo(tk, "kgo-timer-period-ns"), period);
	KT_CHECK("stop", kgo_timer_stop(t), 1);
	KT_CHECK("stopped: not armed", kt_fdinfo(t, "kgo-timer-armed"), 0);
	close(tk);
	close(t);
	return KTAP_PASS;
}

static const struct ktap_case kt_cases[] = {
	{ "fdinfo_buffered", kt_fdinfo_buffered },
	{ "fdinfo_blocked_receiver", kt_fdinfo_receiver },
	{ "fdinfo_blocked_sender", kt_fdinfo_sender },
	{ "fdinfo_select_waiters", kt_fdinfo_select },
	{ "fdinfo_timer", kt_fdinfo_timer },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
