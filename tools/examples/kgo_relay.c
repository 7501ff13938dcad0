// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_relay: two processes talking over kgo channels, the way two
 * goroutines would. The parent hands numbers to a worker process over an
 * unbuffered channel and collects their squares from a buffered one; one
 * select waits on "the worker is ready for more", "a result came", a
 * ticker and an overall deadline at once. Then it closes the work channel
 * (the worker sees ok == false and exits, as a Go range loop ends) and
 * shows a select that times out because nothing is ready.
 *
 *   kgo_relay [N]      relay N numbers (default 8)
 *
 * The Go it mirrors:
 *
 *	for sent, got := 0, 0; got < n; {
 *		select {
 *		case work <- next:	// only while sent < n
 *		case r := <-results:
 *		case <-tick.C:
 *		case <-deadline:
 *		}
 *	}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libkgo.h"

#define SEC	1000000000LL

/* The worker: square what comes on @work, send it on @results, until closed. */
static int relay_worker(int work, int results)
{
	unsigned long long v, sq;
	int ret;

	while ((ret = kgo_chan_recv(work, &v)) == 1) {
		sq = v * v;
		ret = kgo_chan_send(results, &sq);
		if (ret)
			return 1;
	}
	/* 0: closed and drained, Go's "for v := range work" ending. */
	printf("worker (pid %d): work channel closed, exiting\n", getpid());
	fflush(stdout);
	return ret == 0 ? 0 : 1;
}

enum { CASE_WORK, CASE_RESULT, CASE_TICK, CASE_DEADLINE, NCASES };

/* The parent's loop: one select over four channels per event. */
static int relay_parent(int dev, int work, int results, int ticker,
			int deadline, unsigned long long n)
{
	unsigned long long next = 1, r, tick, when, sum = 0, want = 0;
	unsigned long long got = 0;
	struct kgo_select_ucase c[NCASES];
	int i;

	while (got < n) {
		c[CASE_WORK] = kgo_case_send(next <= n ? work : -1, &next);
		c[CASE_RESULT] = kgo_case_recv(results, &r);
		c[CASE_TICK] = kgo_case_recv(ticker, &tick);
		c[CASE_DEADLINE] = kgo_case_recv(deadline, &when);
		i = kgo_select(dev, c, NCASES, KGO_TIMEOUT_FOREVER);
		switch (i) {
		case CASE_WORK:
			printf("parent: sent %llu\n", next);
			want += next * next;
			next++;
			break;
		case CASE_RESULT:
			printf("parent: received %llu\n", r);
			sum += r;
			got++;
			break;
		case CASE_TICK:
			printf("parent: tick (%llu of %llu results so far)\n",
			       got, n);
			break;
		case CASE_DEADLINE:
			fprintf(stderr, "parent: deadline passed with %llu of %llu results\n",
				got, n);
			return 1;
		default:
			fprintf(stderr, "parent: select: %s\n", kgo_strerror(i));
			return 1;
		}
	}
	printf("parent: %llu results, sum of squares %llu (expected %llu)\n",
	       got, sum, want);
	return sum == want ? 0 : 1;
}

/* Nothing is ready: a select with a timeout returns -ETIMEDOUT. */
static int relay_show_timeout(int dev, int results)
{
	struct kgo_select_ucase c[] = { kgo_case_recv(results, NULL) };
	int i = kgo_select(dev, c, 1, SEC / 10);

	printf("parent: select on the empty results channel with a 100 ms timeout: %s\n",
	       i == -ETIMEDOUT ? "timed out, as it should" : kgo_strerror(i));
	return i == -ETIMEDOUT ? 0 : 1;
}

int main(int argc, char *argv[])
{
	int dev, work, results, ticker, deadline, st, ret;
	unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 0) : 8;
	pid_t pid;

	dev = kgo_open();
	if (dev < 0) {
		fprintf(stderr, "kgo_relay: /dev/kgo: %s\n", kgo_strerror(dev));
		return 1;
	}
	work = kgo_chan_make(dev, 8, 0, 0);		/* unbuffered */
	results = kgo_chan_make(dev, 8, 4, 0);		/* buffered, 4 */
	ticker = kgo_ticker_new(dev, SEC / 20, KGO_FD_CLOEXEC);
	deadline = kgo_after(dev, 30 * SEC);
	if (work < 0 || results < 0 || ticker < 0 || deadline < 0) {
		fprintf(stderr, "kgo_relay: cannot make the channels\n");
		return 1;
	}
	printf("parent (pid %d): channels made: work fd %d (unbuffered), results fd %d (cap %d)\n",
	       getpid(), work, results, kgo_chan_cap(results));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)	/* The channel fds are inherited, like any fd. */
		_exit(relay_worker(work, results));

	ret = relay_parent(dev, work, results, ticker, deadline, n);
	kgo_chan_close(work);		/* Go's close(work) */
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		ret = 1;
	ret |= relay_show_timeout(dev, results);
	printf("kgo_relay: %s\n", ret ? "FAILED" : "ok");
	return ret;
}
