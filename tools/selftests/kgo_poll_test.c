// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_poll_test: readiness of channel descriptors through poll(2),
 * epoll(7) and select(2): EPOLLIN when a receive would not block (a value,
 * a waiting sender, or closed), EPOLLOUT when a send would not block (room,
 * or a waiting receiver), EPOLLHUP when closed; and wake-ups of a blocked
 * poller by another process. Prints KTAP.
 */

#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "kgo_selftest.h"

/* The events poll(2) reports now, or -errno. */
static int kt_revents(int fd, int timeout_ms, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	return n ? p.revents : 0;
}

#define KT_ALL	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define KT_MASK	(POLLIN | POLLOUT | POLLHUP | POLLERR | POLLNVAL)

static enum ktap_result kt_poll_buffered(void *arg)
{
	unsigned long long v = 1;
	int fd, ev;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 2);
	KT_ASSERT(fd >= 0, "no channel");
	ev = kt_revents(fd, 0, KT_ALL) & KT_MASK;
	KT_CHECK("empty: POLLOUT only", ev, POLLOUT);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	ev = kt_revents(fd, 0, KT_ALL) & KT_MASK;
	KT_CHECK("one value: POLLIN | POLLOUT", ev, POLLIN | POLLOUT);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	ev = kt_revents(fd, 0, KT_ALL) & KT_MASK;
	KT_CHECK("full: POLLIN only", ev, POLLIN);
	KT_CHECK("close", kgo_chan_close(fd), 0);
	ev = kt_revents(fd, 0, KT_ALL);
	KT_ASSERT((ev & POLLIN) && (ev & POLLHUP),
		  "closed with values: revents %#x", ev);
	KT_CHECK("recv", kgo_chan_recv(fd, &v), 1);
	KT_CHECK("recv", kgo_chan_recv(fd, &v), 1);
	ev = kt_revents(fd, 0, KT_ALL);
	KT_ASSERT((ev & POLLIN) && (ev & POLLHUP),
		  "closed and drained: revents %#x", ev);
	ktap_diag("closed and drained: revents %#x", ev);
	/* Only what was asked for, besides POLLHUP/POLLERR. */
	ev = kt_revents(fd, 0, POLLOUT) & KT_MASK;
	KT_ASSERT(!(ev & POLLIN), "POLLIN reported unasked: %#x", ev);
	close(fd);
	return KTAP_PASS;
}

static int kt_child_recv(void *arg)
{
	unsigned long long v = 0;
	int ret = kgo_chan_recv_timeout(*(int *)arg, &v, KT_HANG_NS);

	return ret == 1 && v == 321 ? 0 : 10;
}

static int kt_child_send(void *arg)
{
	unsigned long long v = 321;

	return kgo_chan_send_timeout(*(int *)arg, &v, KT_HANG_NS) ? 11 : 0;
}

static int kt_child_close(void *arg)
{
	return kgo_chan_close(*(int *)arg) ? 12 : 0;
}

/* Unbuffered: ready only with a partner waiting on the other side. */
static enum ktap_result kt_poll_unbuffered(void *arg)
{
	unsigned long long v = 321;
	int fd, ev;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 0);
	KT_ASSERT(fd >= 0, "no channel");
	ev = kt_revents(fd, 0, KT_ALL) & KT_MASK;
	KT_CHECK("no partner: no events", ev, 0);

	pid = kt_spawn(kt_child_recv, &fd);
	KT_ASSERT(pid > 0, "fork");
	ev = kt_revents(fd, KT_HANG_MS, POLLOUT) & KT_MASK;
	KT_CHECK("a receiver waits: POLLOUT", ev, POLLOUT);
	KT_CHECK("trysend to the waiting receiver", kgo_chan_trysend(fd, &v), 0);
	KT_CHECK("receiver's status", kt_wait(pid), 0);

	pid = kt_spawn(kt_child_send, &fd);
	KT_ASSERT(pid > 0, "fork");
	ev = kt_revents(fd, KT_HANG_MS, POLLIN) & KT_MASK;
	KT_CHECK("a sender waits: POLLIN", ev, POLLIN);
	v = 0;
	KT_CHECK("tryrecv from the waiting sender", kgo_chan_tryrecv(fd, &v), 1);
	KT_CHECK("value", v, 321);
	KT_CHECK("sender's status", kt_wait(pid), 0);
	ev = kt_revents(fd, 0, KT_ALL) & KT_MASK;
	KT_CHECK("no partner again: no events", ev, 0);
	close(fd);
	return KTAP_PASS;
}

/* A blocked poll(2) is woken by a send and by a close in another process. */
static enum ktap_result kt_poll_wakeup(void *arg)
{
	int fd, ev;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 1);
	KT_ASSERT(fd >= 0, "no channel");
	pid = kt_spawn(kt_child_send, &fd);
	KT_ASSERT(pid > 0, "fork");
	ev = kt_revents(fd, KT_HANG_MS, POLLIN);
	KT_ASSERT(ev & POLLIN, "woken without POLLIN: %#x", ev);
	KT_CHECK("sender's status", kt_wait(pid), 0);
	KT_CHECK("recv", kgo_chan_recv(fd, NULL), 1);

	pid = kt_spawn(kt_child_close, &fd);
	KT_ASSERT(pid > 0, "fork");
	ev = kt_revents(fd, KT_HANG_MS, POLLIN);
	KT_ASSERT((ev & POLLHUP) && (ev & POLLIN), "close: revents %#x", ev);
	KT_CHECK("closer's status", kt_wait(pid), 0);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_epoll(void *arg)
{
	struct epoll_event ev = { 0 }, out[4];
	unsigned long long v = 1;
	enum ktap_result res = KTAP_PASS;
	int fd, ep = -1, n;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 1);
	KT_ASSERT(fd >= 0, "no channel");
	ep = epoll_create1(EPOLL_CLOEXEC);
	KT_TRY(ep >= 0, "epoll_create1: %s", strerror(errno));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.fd = fd;
	KT_TRY(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "EPOLL_CTL_ADD: %s",
	       strerror(errno));
	n = epoll_wait(ep, out, 4, 0);
	KT_TRY(n == 1 && out[0].data.fd == fd &&
	       (out[0].events & (EPOLLIN | EPOLLOUT | EPOLLHUP)) == EPOLLOUT,
	       "empty: n %d events %#x", n, n > 0 ? out[0].events : 0);
	KT_TRY(kgo_chan_send(fd, &v) == 0, "send");
	n = epoll_wait(ep, out, 4, 0);
	KT_TRY(n == 1 &&
	       (out[0].events & (EPOLLIN | EPOLLOUT | EPOLLHUP)) == EPOLLIN,
	       "full: n %d events %#x", n, n > 0 ? out[0].events : 0);
	KT_TRY(kgo_chan_recv(fd, NULL) == 1, "recv");

	/* Only EPOLLIN now, and a sender in another process wakes us. */
	ev.events = EPOLLIN;
	KT_TRY(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0, "EPOLL_CTL_MOD: %s",
	       strerror(errno));
	KT_TRY(epoll_wait(ep, out, 4, 0) == 0, "empty: EPOLLIN reported");
	pid = kt_spawn(kt_child_send, &fd);
	KT_TRY(pid > 0, "fork");
	n = epoll_wait(ep, out, 4, KT_HANG_MS);
	KT_TRY(n == 1 && (out[0].events & EPOLLIN), "wake-up: n %d events %#x",
	       n, n > 0 ? out[0].events : 0);
	KT_TRY(kt_wait(pid) == 0, "sender failed");
	KT_TRY(kgo_chan_recv(fd, NULL) == 1, "recv");

	/* Close: hang-up, woken from a blocked epoll_wait(). */
	pid = kt_spawn(kt_child_close, &fd);
	KT_TRY(pid > 0, "fork");
	n = epoll_wait(ep, out, 4, KT_HANG_MS);
	KT_TRY(n == 1 && (out[0].events & EPOLLHUP) && (out[0].events & EPOLLIN),
	       "close: n %d events %#x", n, n > 0 ? out[0].events : 0);
	KT_TRY(kt_wait(pid) == 0, "closer failed");
	/* Deregistration by close(2) of the channel fd: nothing dangles. */
	close(fd);
	fd = -1;
	KT_TRY(epoll_wait(ep, out, 4, 0) == 0, "closed fd still reported");
out:
	if (ep >= 0)
		close(ep);
	if (fd >= 0)
		close(fd);
	return res;
}

static enum ktap_result kt_epoll_edge(void *arg)
{
	struct epoll_event ev = { 0 }, out[2];
	unsigned long long v = 1;
	int fd, ep, n;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 4);
	ep = epoll_create1(EPOLL_CLOEXEC);
	KT_ASSERT(fd >= 0 && ep >= 0, "setup");
	ev.events = EPOLLIN | EPOLLET;
	KT_ASSERT(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "EPOLL_CTL_ADD");
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	n = epoll_wait(ep, out, 2, KT_HANG_MS);
	KT_CHECK("first edge", n, 1);
	KT_CHECK("no new edge", epoll_wait(ep, out, 2, 0), 0);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	KT_CHECK("second edge", epoll_wait(ep, out, 2, KT_HANG_MS), 1);
	close(ep);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_select2(void *arg)
{
	struct timeval tv = { 0, 0 };
	unsigned long long v = 1;
	fd_set r, w;
	int fd, n;

	(void)arg;
	KT_NEED_DEV();
	fd = kt_chan(8, 1);
	KT_ASSERT(fd >= 0 && fd < FD_SETSIZE, "no channel");
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	n = select(fd + 1, &r, &w, NULL, &tv);
	KT_ASSERT(n == 1 && !FD_ISSET(fd, &r) && FD_ISSET(fd, &w),
		  "empty: n %d", n);
	KT_CHECK("send", kgo_chan_send(fd, &v), 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	n = select(fd + 1, &r, &w, NULL, &tv);
	KT_ASSERT(n == 1 && FD_ISSET(fd, &r) && !FD_ISSET(fd, &w),
		  "full: n %d", n);
	KT_CHECK("recv", kgo_chan_recv(fd, NULL), 1);
	KT_CHECK("close", kgo_chan_close(fd), 0);
	FD_ZERO(&r);
	FD_SET(fd, &r);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	n = select(fd + 1, &r, NULL, NULL, &tv);
	KT_ASSERT(n == 1 && FD_ISSET(fd, &r), "closed: not readable (n %d)", n);
	close(fd);
	return KTAP_PASS;
}

static enum ktap_result kt_poll_timer(void *arg)
{
	unsigned long long when;
	int t, ev;

	(void)arg;
	KT_NEED_DEV();
	t = kgo_timer_new(kt_dev, KT_MS, KGO_FD_CLOEXEC);
	KT_ASSERT(t >= 0, "kgo_timer_new: %s", kgo_strerror(t));
	/* Receive-only: an empty timer is not writable. */
	ev = kt_revents(t, 0, KT_ALL) & KT_MASK;
	KT_ASSERT(!(ev & POLLOUT), "a timer reports POLLOUT: %#x", ev);
	ev = kt_revents(t, KT_HANG_MS, POLLIN);
	KT_ASSERT(ev & POLLIN, "timer never readable: %#x", ev);
	KT_ASSERT(read(t, &when, 8) == 8, "read: %s", strerror(errno));
	KT_ASSERT(when > 0, "expiry 0");
	ev = kt_revents(t, 0, POLLIN) & KT_MASK;
	KT_CHECK("read timer: no events", ev, 0);
	close(t);
	return KTAP_PASS;
}

static const struct ktap_case kt_cases[] = {
	{ "poll_buffered_states", kt_poll_buffered },
	{ "poll_unbuffered_partners", kt_poll_unbuffered },
	{ "poll_wakeup_send_and_close", kt_poll_wakeup },
	{ "epoll_level", kt_epoll },
	{ "epoll_edge", kt_epoll_edge },
	{ "select2", kt_select2 },
	{ "poll_timer", kt_poll_timer },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
