/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Helpers shared by the channel selftests (header-only, like ktap.h): the
 * /dev/kgo descriptor, result checks that print a KTAP diagnostic, child
 * processes and a hang detector.
 *
 * No check depends on timing: timeouts (KT_HANG_NS, the alarm in
 * kt_main()) only turn a hang into a failure.
 */
#ifndef _KGO_SELFTEST_H
#define _KGO_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <kgo/kgo.h>

#include "libkgo.h"
#include "ktap.h"

/*
 * A wait that should end long before this has hung. Generous: a debug
 * kernel (KASAN, lockdep) under QEMU TCG is slow.
 */
#define KT_HANG_S	300
#define KT_HANG_NS	(KT_HANG_S * 1000LL * 1000 * 1000)
#define KT_HANG_MS	(KT_HANG_S * 1000)
/* The whole binary: a hang anywhere ends in SIGALRM, an incomplete KTAP. */
#define KT_ALARM_S	1800

#define KT_MS		(1000LL * 1000)

/*
 * /dev/kgo, opened by kt_main() before the cases run; -errno if that
 * failed (-ENODEV before kt_main() ran).
 */
static int kt_dev = -ENODEV;

/* 0 or -errno of a raw ioctl (its non-negative result is kept). */
static inline int kt_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static inline const char *kt_err(int err)
{
	return err ? strerror(err < 0 ? -err : err) : "success";
}

/* Is @got @want? If not, say so in a diagnostic. */
#define KT_EXPECT(what, got, want)					\
	({								\
		long long __g = (got), __w = (want);			\
		if (__g != __w)						\
			ktap_diag("%s:%d: %s: got %lld (%s), want %lld (%s)", \
				  __func__, __LINE__, what, __g,	\
				  __g < 0 ? kt_err((int)__g) : "",	\
				  __w, __w < 0 ? kt_err((int)__w) : ""); \
		__g == __w;						\
	})

/* Fail the case unless @got is @want. */
#define KT_CHECK(what, got, want)					\
	do {								\
		if (!KT_EXPECT(what, got, want))			\
			return KTAP_FAIL;				\
	} while (0)

/* Fail the case unless @cond holds. */
#define KT_ASSERT(cond, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			ktap_diag("%s:%d: " fmt, __func__, __LINE__,	\
				  ##__VA_ARGS__);			\
			return KTAP_FAIL;				\
		}							\
	} while (0)

/* Same, for code that must release something before it returns. */
#define KT_TRY(cond, fmt, ...)						\
	do {								\
		if (!(cond)) {						\
			ktap_diag("%s:%d: " fmt, __func__, __LINE__,	\
				  ##__VA_ARGS__);			\
			res = KTAP_FAIL;				\
			goto out;					\
		}							\
	} while (0)

/*
 * A case that needs /dev/kgo fails without it: where the selftests run
 * (make check), a missing device is kgo's failure, not a reason to skip.
 * Only KGO_SELFTEST_NO_DEV=skip in the environment, set on purpose to run
 * a selftest where kgo is not loaded, turns those failures into skips.
 */
static inline enum ktap_result kt_no_dev(void)
{
	const char *e = getenv("KGO_SELFTEST_NO_DEV");

	if (e && !strcmp(e, "skip"))
		return ktap_skip("%s did not open (KGO_SELFTEST_NO_DEV=skip)",
				 KGO_DEVICE_PATH);
	ktap_diag("%s did not open: %s (is kgo.ko loaded?)", KGO_DEVICE_PATH,
		  kgo_strerror(kt_dev));
	return KTAP_FAIL;
}

/* Fail the case (or skip it, see kt_no_dev()) unless /dev/kgo is open. */
#define KT_NEED_DEV()							\
	do {								\
		if (kt_dev < 0)						\
			return kt_no_dev();				\
	} while (0)

static inline long long kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void kt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A channel with the defaults of most cases (close-on-exec). */
static inline int kt_chan(unsigned int elem_size, unsigned int cap)
{
	int fd = kgo_chan_make(kt_dev, elem_size, cap, KGO_FD_CLOEXEC);

	if (fd < 0)
		ktap_diag("kgo_chan_make(%u, %u): %s", elem_size, cap,
			  kgo_strerror(fd));
	return fd;
}

/*
 * Wait for a child; its exit status, or 128 + the signal that killed it.
 * A child still running after @secs is killed and reported as 255.
 */
static inline int kt_wait_for(pid_t pid, long long secs)
{
	long long end = kt_now_ns() + secs * 1000000000LL;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return 254;
		if (kt_now_ns() > end) {
			ktap_diag("child %d still running after %lld s; killing it",
				  (int)pid, secs);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 255;
		}
		kt_sleep_ms(2);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static inline int kt_wait(pid_t pid)
{
	return kt_wait_for(pid, KT_HANG_S);
}

/* Fork; the child runs fn(arg) and exits with its result. */
static inline pid_t kt_spawn(int (*fn)(void *arg), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0)
		ktap_diag("fork: %s", strerror(errno));
	return pid;
}

/* Run the cases with /dev/kgo open and a hang detector armed. */
static inline int kt_main(const struct ktap_case *cases, size_t n)
{
	int ret;

	/* Children report through exit codes: no SIGPIPE surprises. */
	signal(SIGPIPE, SIG_IGN);
	alarm(KT_ALARM_S);
	kt_dev = kgo_open();
	ret = ktap_run(cases, n, NULL);
	if (kt_dev >= 0)
		close(kt_dev);
	return ret;
}

#endif /* _KGO_SELFTEST_H */
