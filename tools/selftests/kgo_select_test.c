// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_select_test: KGO_IOC_SELECT (default, timeout, send and receive
 * cases, never-ready -1 cases, closed channels, rough fairness, bad
 * arguments) and timer channels (one-shot, ticker, stop, reset, a timer
 * in a select beside other channels). Prints KTAP.
 */

#include <stdio.h>
#include <sys/mman.h>

#include "kgo_selftest.h"

static int kt_sel(int fd, struct kgo_select_ucase *c, unsigned int n,
		  unsigned long long cases_addr, unsigned int flags,
		  long long timeout)
{
	struct kgo_select_args a = {
		.size = sizeof(a),
		.flags = flags,
		.cases = (unsigned long)c,
		.ncases = n,
		.timeout_ns = timeout,
	};

	if (cases_addr)
		a.cases = cases_addr;
	return kt_ioctl(fd, KGO_IOC_SELECT, &a);
}

static enum ktap_result kt_default_case(void *arg)
{
	unsigned long long v;
	struct kgo_select_ucase c[2];
	int a, b;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);
	b = kt_chan(8, 1);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	c[0] = kgo_case_recv(a, &v);
	c[1] = kgo_case_recv(b, &v);
	KT_CHECK("nothing ready, NOWAIT", kgo_select(kt_dev, c, 2,
						     KGO_TIMEOUT_NOWAIT),
		 -EAGAIN);
	KT_CHECK("nothing ready, 1 ms", kgo_select(kt_dev, c, 2, KT_MS),
		 -ETIMEDOUT);
	/* Through a channel descriptor instead of /dev/kgo. */
	KT_CHECK("on a channel fd", kgo_select(a, c, 2, KGO_TIMEOUT_NOWAIT),
		 -EAGAIN);
	close(a);
	close(b);
	return KTAP_PASS;
}

static enum ktap_result kt_recv_case(void *arg)
{
	unsigned long long v = 99, x = 0, y = 0;
	struct kgo_select_ucase c[3];
	int a, b;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	b = kt_chan(8, 1);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	KT_CHECK("send", kgo_chan_send(b, &v), 0);
	c[0] = kgo_case_recv(a, &x);
	c[1] = kgo_case_recv(-1, &x);
	c[2] = kgo_case_recv(b, &y);
	KT_CHECK("index", kgo_select(kt_dev, c, 3, KGO_TIMEOUT_FOREVER), 2);
	KT_CHECK("ok", c[2].ok, 1);
	KT_CHECK("err", c[2].err, 0);
	KT_CHECK("value", y, 99);
	KT_CHECK("x untouched", x, 0);
	KT_CHECK("len", kgo_chan_len(b), 0);
	/* Through a channel descriptor: same. */
	KT_CHECK("send", kgo_chan_send(a, &v), 0);
	c[0] = kgo_case_recv(a, &x);
	c[1] = kgo_case_recv(-1, &x);
	c[2] = kgo_case_recv(b, &y);
	KT_CHECK("index, on a channel fd", kgo_select(b, c, 3, KT_HANG_NS), 0);
	KT_CHECK("value", x, 99);
	close(a);
	close(b);
	return KTAP_PASS;
}

static enum ktap_result kt_send_case(void *arg)
{
	unsigned long long v = 5, w = 0;
	struct kgo_select_ucase c[2];
	int a, b;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);	/* nobody receives: never ready to send */
	b = kt_chan(8, 1);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	c[0] = kgo_case_send(a, &v);
	c[1] = kgo_case_send(b, &v);
	KT_CHECK("index", kgo_select(kt_dev, c, 2, KT_HANG_NS), 1);
	KT_CHECK("err", c[1].err, 0);
	KT_CHECK("recv", kgo_chan_tryrecv(b, &w), 1);
	KT_CHECK("value", w, 5);
	/* Both full now: default. */
	KT_CHECK("send", kgo_chan_send(b, &v), 0);
	KT_CHECK("nothing ready", kgo_select(kt_dev, c, 2, KGO_TIMEOUT_NOWAIT),
		 -EAGAIN);
	KT_CHECK("len unchanged", kgo_chan_len(b), 1);
	close(a);
	close(b);
	return KTAP_PASS;
}

static enum ktap_result kt_closed_cases(void *arg)
{
	unsigned long long v = ~0ULL;
	struct kgo_select_ucase c[2];
	int a, b;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);
	b = kt_chan(8, 0);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	KT_CHECK("close", kgo_chan_close(a), 0);
	/* A receive from a closed channel is ready: ok 0, zeroed. */
	c[0] = kgo_case_recv(a, &v);
	c[1] = kgo_case_recv(b, NULL);
	KT_CHECK("index", kgo_select(kt_dev, c, 2, KT_HANG_NS), 0);
	KT_CHECK("ok", c[0].ok, 0);
	KT_CHECK("zeroed", v, 0);
	/* A send to a closed channel is chosen, with err EPIPE. */
	c[0] = kgo_case_send(a, &v);
	c[0].err = 0;
	KT_CHECK("send index", kgo_select(kt_dev, c, 2, KT_HANG_NS), 0);
	KT_CHECK("err", c[0].err, EPIPE);
	close(a);
	close(b);
	return KTAP_PASS;
}

static enum ktap_result kt_nil_cases(void *arg)
{
	struct kgo_select_ucase c[3];

	(void)arg;
	KT_NEED_DEV();
	c[0] = kgo_case_recv(-1, NULL);
	c[1] = kgo_case_send(-1, NULL);
	c[2] = kgo_case_recv(-1, NULL);
	KT_CHECK("only -1 cases, NOWAIT",
		 kgo_select(kt_dev, c, 3, KGO_TIMEOUT_NOWAIT), -EAGAIN);
	KT_CHECK("only -1 cases, 1 ms", kgo_select(kt_dev, c, 3, KT_MS),
		 -ETIMEDOUT);
	KT_CHECK("0 cases, 1 ms", kgo_select(kt_dev, NULL, 0, KT_MS),
		 -ETIMEDOUT);
	KT_CHECK("0 cases, NOWAIT", kgo_select(kt_dev, NULL, 0,
					       KGO_TIMEOUT_NOWAIT), -EAGAIN);
	return KTAP_PASS;
}

/* Two always-ready cases: each is chosen a fair share of the time. */
static enum ktap_result kt_fairness(void *arg)
{
	const unsigned int rounds = 2000;
	unsigned int hits[2] = { 0, 0 }, i;
	struct kgo_select_ucase c[2];
	unsigned long long v = 1;
	int a, b, idx;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	b = kt_chan(8, 1);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	KT_CHECK("send", kgo_chan_send(a, &v), 0);
	KT_CHECK("send", kgo_chan_send(b, &v), 0);
	for (i = 0; i < rounds; i++) {
		/* Fresh cases each round: reuse has its own case. */
		c[0] = kgo_case_recv(a, &v);
		c[1] = kgo_case_recv(b, &v);
		idx = kgo_select(kt_dev, c, 2, KGO_TIMEOUT_NOWAIT);
		KT_ASSERT(idx == 0 || idx == 1, "select: %d", idx);
		hits[idx]++;
		KT_CHECK("refill", kgo_chan_send(idx ? b : a, &v), 0);
	}
	ktap_diag("case 0: %u, case 1: %u of %u", hits[0], hits[1], rounds);
	/* Binomial(2000, 1/2): sd 22; 700 is 13 sd away. */
	KT_ASSERT(hits[0] > 700 && hits[1] > 700, "unfair: %u vs %u",
		  hits[0], hits[1]);
	close(a);
	close(b);
	return KTAP_PASS;
}

/*
 * A loop selects again and again over one case array: the out fields
 * (ok, err) that the previous call wrote are no input.
 */
static enum ktap_result kt_reuse_cases(void *arg)
{
	unsigned long long v = 1, w = 0;
	struct kgo_select_ucase c[2];
	int a, b, i, idx;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	b = kt_chan(8, 0);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	KT_CHECK("close", kgo_chan_close(b), 0);
	c[0] = kgo_case_recv(a, &w);
	c[1] = kgo_case_send(b, &v);
	for (i = 0; i < 20; i++) {
		/* a holds a value, b is closed: either case is ready. */
		KT_CHECK("refill", kgo_chan_trysend(a, &v) == 0 ||
			 kgo_chan_len(a) == 1, 1);
		idx = kgo_select(kt_dev, c, 2, KT_HANG_NS);
		KT_ASSERT(idx >= 0, "round %d (ok %u/%u, err %d/%d in): %s", i,
			  c[0].ok, c[1].ok, c[0].err, c[1].err,
			  kgo_strerror(idx));
	}
	close(a);
	close(b);
	return KTAP_PASS;
}

static int kt_child_send_7(void *arg)
{
	unsigned long long v = 7;

	return kgo_chan_send_timeout(*(int *)arg, &v, KT_HANG_NS) ? 10 : 0;
}

/* A select that blocks is woken by a sender in another process. */
static enum ktap_result kt_blocking_wakeup(void *arg)
{
	unsigned long long v = 0;
	struct kgo_select_ucase c[3];
	int a, b, t;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);
	b = kt_chan(8, 0);
	t = kgo_timer_new(kt_dev, KT_HANG_NS, KGO_FD_CLOEXEC);
	KT_ASSERT(a >= 0 && b >= 0 && t >= 0, "no channel");
	pid = kt_spawn(kt_child_send_7, &b);
	KT_ASSERT(pid > 0, "fork");
	c[0] = kgo_case_recv(a, &v);
	c[1] = kgo_case_recv(b, &v);
	c[2] = kgo_case_recv(t, NULL);
	KT_CHECK("index", kgo_select(kt_dev, c, 3, KGO_TIMEOUT_FOREVER), 1);
	KT_CHECK("value", v, 7);
	KT_CHECK("child", kt_wait(pid), 0);
	close(a);
	close(b);
	close(t);
	return KTAP_PASS;
}

static enum ktap_result kt_bad_args(void *arg)
{
	struct kgo_select_ucase c[KGO_SELECT_UCASES_MAX + 1];
	struct kgo_select_args sa;
	unsigned long long v;
	unsigned int i;
	int a, pfd[2];

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	KT_ASSERT(a >= 0, "no channel");
	for (i = 0; i < ARRAY_SIZE(c); i++)
		c[i] = kgo_case_recv(a, &v);
	KT_CHECK("128 cases", kgo_select(kt_dev, c, 128, KGO_TIMEOUT_NOWAIT),
		 -EAGAIN);
	KT_CHECK("129 cases", kgo_select(kt_dev, c, 129, KGO_TIMEOUT_NOWAIT),
		 -EINVAL);
	KT_CHECK("~0 cases", kgo_select(kt_dev, c, ~0U, KGO_TIMEOUT_NOWAIT),
		 -EINVAL);
	KT_CHECK("flags 1", kt_sel(kt_dev, c, 1, 0, 1, KGO_TIMEOUT_NOWAIT),
		 -EINVAL);
	KT_CHECK("cases unmapped", kt_sel(kt_dev, c, 1, 8, 0,
					  KGO_TIMEOUT_NOWAIT), -EFAULT);
	KT_CHECK("NULL argument", kt_ioctl(kt_dev, KGO_IOC_SELECT, NULL),
		 -EFAULT);
	memset(&sa, 0, sizeof(sa));
	sa.size = KGO_SELECT_ARGS_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(kt_dev, KGO_IOC_SELECT, &sa),
		 -EINVAL);
	c[0].dir = 0;
	KT_CHECK("dir 0", kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT), -EINVAL);
	c[0].dir = 3;
	KT_CHECK("dir 3", kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT), -EINVAL);

	KT_ASSERT(pipe(pfd) == 0, "pipe");
	c[0] = kgo_case_recv(pfd[0], &v);
	i = kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT);
	KT_ASSERT((int)i == -EBADF || (int)i == -EINVAL,
		  "a pipe in select: %d (%s)", (int)i, kt_err(i));
	c[0] = kgo_case_recv(kt_dev, &v);
	i = kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT);
	KT_ASSERT((int)i == -EBADF || (int)i == -EINVAL,
		  "/dev/kgo in select: %d (%s)", (int)i, kt_err(i));
	close(pfd[0]);
	close(pfd[1]);
	c[0] = kgo_case_recv(pfd[0], &v);	/* closed now */
	KT_CHECK("a closed fd", kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT),
		 -EBADF);
	c[0] = kgo_case_recv(-2, &v);
	i = kgo_select(kt_dev, c, 1, KGO_TIMEOUT_NOWAIT);
	KT_ASSERT((int)i == -EBADF || (int)i == -EINVAL, "fd -2: %d", (int)i);

	/* A ready receive into a bad buffer: EFAULT, nothing taken. */
	v = 3;
	KT_CHECK("send", kgo_chan_send(a, &v), 0);
	c[0] = kgo_case_recv(a, (void *)8);
	KT_CHECK("recv into unmapped", kgo_select(kt_dev, c, 1, KT_HANG_NS),
		 -EFAULT);
	KT_CHECK("len", kgo_chan_len(a), 1);
	close(a);
	return KTAP_PASS;
}

/*
 * The kernel cannot write the results back (a read-only case array, or
 * read-only arguments): EFAULT, and the ready value was not taken, as for
 * any other bad buffer.
 */
static enum ktap_result kt_efault_results(void *arg)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned long long v = 4, w = 0;
	struct kgo_select_ucase *c;
	struct kgo_select_args *sa;
	enum ktap_result res = KTAP_PASS;
	char *p;
	int a, ret;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	KT_ASSERT(a >= 0, "no channel");
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	KT_ASSERT(p != MAP_FAILED, "mmap");
	KT_TRY(kgo_chan_send(a, &v) == 0, "send");
	c = (void *)p;
	sa = (void *)(p + 512);
	c[0] = kgo_case_recv(a, &w);
	memset(sa, 0, sizeof(*sa));
	sa->size = sizeof(*sa);
	sa->cases = (unsigned long)c;
	sa->ncases = 1;
	sa->timeout_ns = KT_HANG_NS;
	KT_TRY(mprotect(p, pg, PROT_READ) == 0, "mprotect");

	ret = kgo_select(kt_dev, c, 1, KT_HANG_NS);
	KT_TRY(ret == -EFAULT, "read-only cases: %d (%s)", ret, kt_err(ret));
	ret = kgo_chan_len(a);
	KT_TRY(ret == 1, "read-only cases: len %d after EFAULT: value taken",
	       ret);
	ret = kt_ioctl(kt_dev, KGO_IOC_SELECT, sa);
	KT_TRY(ret == -EFAULT, "read-only args: %d (%s)", ret, kt_err(ret));
	ret = kgo_chan_len(a);
	KT_TRY(ret == 1, "read-only args: len %d after EFAULT: value taken",
	       ret);
out:
	munmap(p, pg);
	close(a);
	return res;
}

/* The same channel in many cases, send and receive, is allowed. */
static enum ktap_result kt_same_chan_cases(void *arg)
{
	struct kgo_select_ucase c[4];
	unsigned long long v = 1, w = 0;
	int a, idx;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 1);
	KT_ASSERT(a >= 0, "no channel");
	c[0] = kgo_case_recv(a, &w);
	c[1] = kgo_case_send(a, &v);
	c[2] = kgo_case_recv(a, &w);
	c[3] = kgo_case_send(a, &v);
	/* Empty: only the sends are ready. */
	idx = kgo_select(kt_dev, c, 4, KT_HANG_NS);
	KT_ASSERT(idx == 1 || idx == 3, "index %d", idx);
	/* Full: only the receives. */
	idx = kgo_select(kt_dev, c, 4, KT_HANG_NS);
	KT_ASSERT(idx == 0 || idx == 2, "index %d", idx);
	KT_CHECK("value", w, 1);
	close(a);
	return KTAP_PASS;
}

/* --- timers --- */

static enum ktap_result kt_timer_oneshot(void *arg)
{
	struct kgo_chan_info info;
	unsigned long long when = 0;
	long long start;
	int t;

	(void)arg;
	KT_NEED_DEV();
	start = kt_now_ns();
	t = kgo_timer_new(kt_dev, 2 * KT_MS, KGO_FD_CLOEXEC);
	KT_ASSERT(t >= 0, "kgo_timer_new: %s", kgo_strerror(t));
	KT_CHECK("info", kgo_chan_info(t, &info), 0);
	KT_ASSERT(info.is_timer == 1 && info.elem_size == 8,
		  "is_timer %u elem_size %u", info.is_timer, info.elem_size);
	KT_CHECK("recv", kgo_chan_recv_timeout(t, &when, KT_HANG_NS), 1);
	KT_ASSERT((long long)when >= start + 2 * KT_MS,
		  "fired at %llu, created at %lld", when, start);
	KT_ASSERT((long long)when <= kt_now_ns(), "fired in the future");
	/* One-shot: nothing more. */
	KT_CHECK("tryrecv", kgo_chan_tryrecv(t, &when), -EAGAIN);
	/* A timer cannot be closed or sent to. */
	KT_CHECK("close a timer", kgo_chan_close(t), -EINVAL);
	KT_ASSERT(kgo_chan_trysend(t, &when) < 0, "send to a timer succeeded");
	close(t);
	return KTAP_PASS;
}

static enum ktap_result kt_ticker(void *arg)
{
	unsigned long long prev = 0, when;
	int t, i;

	(void)arg;
	KT_NEED_DEV();
	t = kgo_ticker_new(kt_dev, KT_MS, KGO_FD_CLOEXEC);
	KT_ASSERT(t >= 0, "kgo_ticker_new: %s", kgo_strerror(t));
	for (i = 0; i < 5; i++) {
		KT_CHECK("tick", kgo_chan_recv_timeout(t, &when, KT_HANG_NS), 1);
		KT_ASSERT(when > prev, "tick %d at %llu after %llu", i, when,
			  prev);
		prev = when;
	}
	KT_CHECK("stop a running ticker", kgo_timer_stop(t), 1);
	KT_CHECK("tryrecv after stop", kgo_chan_tryrecv(t, &when), -EAGAIN);
	close(t);
	KT_CHECK("ticker with period 0", kgo_ticker_new(kt_dev, 0, 0), -EINVAL);
	return KTAP_PASS;
}

static enum ktap_result kt_timer_stop(void *arg)
{
	unsigned long long when;
	int t;

	(void)arg;
	KT_NEED_DEV();
	t = kgo_timer_new(kt_dev, 5 * KT_MS, KGO_FD_CLOEXEC);
	KT_ASSERT(t >= 0, "kgo_timer_new: %s", kgo_strerror(t));
	/* Pending, or fired but unread: either way 1, and no value later. */
	KT_CHECK("stop", kgo_timer_stop(t), 1);
	kt_sleep_ms(30);
	KT_CHECK("tryrecv after stop", kgo_chan_tryrecv(t, &when), -EAGAIN);
	KT_CHECK("len after stop", kgo_chan_len(t), 0);
	KT_CHECK("stop again", kgo_timer_stop(t), 0);
	/* Reset re-arms a stopped timer. */
	KT_CHECK("reset", kgo_timer_reset(t, KT_MS), 0);
	KT_CHECK("recv after reset",
		 kgo_chan_recv_timeout(t, &when, KT_HANG_NS), 1);
	/* A fired but unread timer: stop says 1 and drops the value. */
	KT_CHECK("reset", kgo_timer_reset(t, KT_MS), 0);
	kt_sleep_ms(20);
	KT_CHECK("stop fired unread", kgo_timer_stop(t), 1);
	KT_CHECK("tryrecv", kgo_chan_tryrecv(t, &when), -EAGAIN);
	/* Reset of a pending timer: 1, and the new deadline counts. */
	KT_CHECK("reset", kgo_timer_reset(t, KT_HANG_NS), 0);
	KT_CHECK("reset pending", kgo_timer_reset(t, KT_MS), 1);
	KT_CHECK("recv", kgo_chan_recv_timeout(t, &when, KT_HANG_NS), 1);
	close(t);
	return KTAP_PASS;
}

static enum ktap_result kt_timer_bad_args(void *arg)
{
	struct kgo_timer_create tc;
	struct kgo_timer_reset tr;
	int t;

	(void)arg;
	KT_NEED_DEV();
	memset(&tc, 0, sizeof(tc));
	tc.size = sizeof(tc);
	tc.after_ns = KT_MS;
	tc.flags = 1U << 5;
	KT_CHECK("unknown flag", kt_ioctl(kt_dev, KGO_IOC_TIMER_CREATE, &tc),
		 -EINVAL);
	tc.flags = 0;
	tc.reserved = 1;
	KT_CHECK("reserved 1", kt_ioctl(kt_dev, KGO_IOC_TIMER_CREATE, &tc),
		 -EINVAL);
	tc.reserved = 0;
	tc.size = KGO_TIMER_CREATE_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(kt_dev, KGO_IOC_TIMER_CREATE, &tc),
		 -EINVAL);
	t = kgo_timer_new(kt_dev, KT_HANG_NS, KGO_FD_CLOEXEC | KGO_FD_NONBLOCK);
	KT_ASSERT(t >= 0, "kgo_timer_new: %s", kgo_strerror(t));
	KT_ASSERT(fcntl(t, F_GETFL) & O_NONBLOCK, "O_NONBLOCK missing");
	KT_CHECK("blocking recv, O_NONBLOCK", kgo_chan_recv(t, NULL), -EAGAIN);
	memset(&tr, 0, sizeof(tr));
	tr.size = sizeof(tr);
	tr.ns = KT_MS;
	tr.flags = 1;
	KT_CHECK("reset flags 1", kt_ioctl(t, KGO_IOC_TIMER_RESET, &tr),
		 -EINVAL);
	tr.flags = 0;
	tr.size = KGO_TIMER_RESET_SIZE_VER0 - 1;
	KT_CHECK("reset size VER0 - 1", kt_ioctl(t, KGO_IOC_TIMER_RESET, &tr),
		 -EINVAL);
	KT_CHECK("reset NULL", kt_ioctl(t, KGO_IOC_TIMER_RESET, NULL), -EFAULT);
	close(t);
	return KTAP_PASS;
}

/* A timer beside other channels: it wins when they are never ready. */
static enum ktap_result kt_timer_in_select(void *arg)
{
	unsigned long long v = 1, when = 0;
	struct kgo_select_ucase c[3];
	int a, b, t;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);
	b = kt_chan(8, 0);
	t = kgo_after(kt_dev, KT_MS);
	KT_ASSERT(a >= 0 && b >= 0 && t >= 0, "no channel");
	c[0] = kgo_case_recv(a, &v);
	c[1] = kgo_case_send(b, &v);
	c[2] = kgo_case_recv(t, &when);
	KT_CHECK("index", kgo_select(kt_dev, c, 3, KT_HANG_NS), 2);
	KT_CHECK("ok", c[2].ok, 1);
	KT_ASSERT(when > 0, "no expiry time");
	close(t);
	/* A ready channel beside a far timer: the channel. */
	t = kgo_after(kt_dev, KT_HANG_NS);
	KT_ASSERT(t >= 0, "kgo_after: %s", kgo_strerror(t));
	close(b);
	b = kt_chan(8, 1);
	KT_ASSERT(b >= 0, "no channel");
	c[1] = kgo_case_send(b, &v);
	c[2] = kgo_case_recv(t, &when);
	KT_CHECK("index", kgo_select(kt_dev, c, 3, KT_HANG_NS), 1);
	close(a);
	close(b);
	close(t);
	return KTAP_PASS;
}

static const struct ktap_case kt_cases[] = {
	{ "select_default_and_timeout", kt_default_case },
	{ "select_recv_case", kt_recv_case },
	{ "select_send_case", kt_send_case },
	{ "select_closed_cases", kt_closed_cases },
	{ "select_nil_and_zero_cases", kt_nil_cases },
	{ "select_fairness", kt_fairness },
	{ "select_reuse_case_array", kt_reuse_cases },
	{ "select_blocking_wakeup", kt_blocking_wakeup },
	{ "select_bad_args", kt_bad_args },
	{ "select_same_chan_cases", kt_same_chan_cases },
	{ "select_efault_results_keeps_value", kt_efault_results },
	{ "timer_oneshot", kt_timer_oneshot },
	{ "timer_ticker", kt_ticker },
	{ "timer_stop_reset", kt_timer_stop },
	{ "timer_bad_args", kt_timer_bad_args },
	{ "timer_in_select", kt_timer_in_select },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
