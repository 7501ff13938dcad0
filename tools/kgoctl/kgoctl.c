// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgoctl: inspect and drive the kgo runtime from the command line.
 *
 * Each subcommand is a row of kgoctl_cmds[]; adding one adds a row and a
 * function. Exit status: 0 success, 1 failure, 2 usage.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <kgo/kgo.h>

#include "libkgo.h"

#define KGOCTL_NAME	"kgoctl"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum {
	KGOCTL_OK = 0,
	KGOCTL_FAIL = 1,
	KGOCTL_USAGE = 2,
};

struct kgoctl_cmd {
	const char *name;
	const char *args;
	const char *summary;
	/* argv[0] is the subcommand's name. */
	int (*run)(int argc, char *argv[]);
};

static int kgoctl_version(int argc, char *argv[]);
static int kgoctl_stats(int argc, char *argv[]);
static int kgoctl_bench(int argc, char *argv[]);
static int kgoctl_pingpong(int argc, char *argv[]);
static int kgoctl_help(int argc, char *argv[]);

static const struct kgoctl_cmd kgoctl_cmds[] = {
	{ "version", "", "show the ABI and release of libkgo and kgo.ko",
	  kgoctl_version },
	{ "stats", "[--json] [--watch [SECS]]",
	  "show the scheduler's counters: one row per P, then totals",
	  kgoctl_stats },
	{ "bench",
	  "[--runs N] [--rounds N] [--msgs N] [--cap N] [--spawn N] [--raw]",
	  "compare kgo channels with pipes and eventfds (medians, ratios)",
	  kgoctl_bench },
	{ "pingpong", "[N]",
	  "bounce a counter N times between two processes over two channels",
	  kgoctl_pingpong },
	{ "help", "[COMMAND]", "show this help, or a command's", kgoctl_help },
	{ }
};

static void kgoctl_usage(FILE *out)
{
	const struct kgoctl_cmd *cmd;

	fprintf(out, "usage: %s <command> [options]\n\ncommands:\n",
		KGOCTL_NAME);
	for (cmd = kgoctl_cmds; cmd->name; cmd++)
		fprintf(out, "  %s%s%s\n      %s\n", cmd->name,
			*cmd->args ? " " : "", cmd->args, cmd->summary);
}

/* "kgoctl CMD: ..." on stderr. */
#define kgoctl_err(cmd, fmt, ...)					\
	fprintf(stderr, "%s %s: " fmt "\n", KGOCTL_NAME, cmd, ##__VA_ARGS__)

/* Parse a positive number no larger than @max; 0 on success. */
static int kgoctl_number(const char *cmd, const char *what, const char *s,
			 unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s) {
		kgoctl_err(cmd, "%s needs a value", what);
		return KGOCTL_USAGE;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > max) {
		kgoctl_err(cmd, "%s: '%s' is not a number from 1 to %lu", what,
			   s, max);
		return KGOCTL_USAGE;
	}
	*out = v;
	return KGOCTL_OK;
}

/* Subcommands without arguments reject any they are given. */
static int kgoctl_no_args(int argc, char *argv[])
{
	if (argc <= 1)
		return KGOCTL_OK;
	fprintf(stderr, "%s %s: unexpected argument '%s'\n", KGOCTL_NAME,
		argv[0], argv[1]);
	return KGOCTL_USAGE;
}

/* Why an open of /dev/kgo may have failed, in the user's terms. */
static const char *kgoctl_open_hint(int err)
{
	switch (-err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return " (is kgo.ko loaded?)";
	case EACCES:
	case EPERM:
		return " (check the permissions of " KGO_DEVICE_PATH ")";
	default:
		return "";
	}
}

static int kgoctl_open(void)
{
	int fd = kgo_open();

	if (fd < 0)
		fprintf(stderr, "%s: cannot open %s: %s%s\n", KGOCTL_NAME,
			KGO_DEVICE_PATH, kgo_strerror(fd),
			kgoctl_open_hint(fd));
	return fd;
}

static int kgoctl_version(int argc, char *argv[])
{
	struct kgo_version_info info;
	int fd, ret;

	ret = kgoctl_no_args(argc, argv);
	if (ret)
		return ret;

	/* What this binary speaks, even when the module is not there. */
	printf("library ABI:    %u.%u\n", KGO_ABI_VERSION_MAJOR,
	       KGO_ABI_VERSION_MINOR);
	fflush(stdout);

	fd = kgoctl_open();
	if (fd < 0)
		return KGOCTL_FAIL;
	ret = kgo_version(fd, &info);
	close(fd);
	if (ret) {
		fprintf(stderr, "%s: KGO_IOC_VERSION: %s\n", KGOCTL_NAME,
			kgo_strerror(ret));
		return KGOCTL_FAIL;
	}

	printf("module ABI:     %u.%u\n", info.abi_major, info.abi_minor);
	printf("module release: %.*s\n", (int)sizeof(info.release),
	       info.release);
	printf("nprocs:         %u\n", info.nprocs);

	if (info.abi_major != KGO_ABI_VERSION_MAJOR) {
		fprintf(stderr, "%s: module ABI %u.x is incompatible with library ABI %u.%u\n",
			KGOCTL_NAME, info.abi_major, KGO_ABI_VERSION_MAJOR,
			KGO_ABI_VERSION_MINOR);
		return KGOCTL_FAIL;
	}
	return KGOCTL_OK;
}

/* --- stats --- */

#define KGOCTL_MAX_PROCS	4096

static sig_atomic_t kgoctl_stop;

static void kgoctl_on_int(int sig)
{
	(void)sig;
	kgoctl_stop = 1;
}

static const char *kgoctl_proc_status(unsigned int st)
{
	static const char *const names[] = {
		[KGO_PROC_IDLE] = "idle",
		[KGO_PROC_SCHED] = "sched",
		[KGO_PROC_RUNNING] = "running",
		[KGO_PROC_OWNER_OP] = "owner-op",
		[KGO_PROC_RETAKEN] = "retaken",
		[KGO_PROC_OFFLINE] = "offline",
		[KGO_PROC_BLOCKED] = "blocked",
	};

	return st < ARRAY_SIZE(names) ? names[st] : "?";
}

/* The per-P counters, in the order of the table's columns. */
struct kgoctl_counter {
	const char *name;
	size_t off;
	int width;
};

#define KGOCTL_COUNTER(field, w) \
	{ #field, offsetof(struct kgo_stats_proc, field), w }

static const struct kgoctl_counter kgoctl_counters[] = {
	KGOCTL_COUNTER(spawned, 10),
	KGOCTL_COUNTER(ran, 10),
	KGOCTL_COUNTER(stolen_in, 9),
	KGOCTL_COUNTER(stolen_out, 10),
	KGOCTL_COUNTER(steals, 8),
	KGOCTL_COUNTER(spilled, 8),
	KGOCTL_COUNTER(global_taken, 12),
	KGOCTL_COUNTER(handoffs, 8),
	KGOCTL_COUNTER(parks, 8),
	KGOCTL_COUNTER(spins, 8),
	KGOCTL_COUNTER(retakes, 7),
	KGOCTL_COUNTER(yields, 8),
};

static unsigned long long kgoctl_counter(const struct kgo_stats_proc *p,
					 const struct kgoctl_counter *c)
{
	__u64 v;

	memcpy(&v, (const char *)p + c->off, sizeof(v));
	return v;
}

static void kgoctl_stats_table(const struct kgo_stats *st,
			       const struct kgo_stats_proc *p, unsigned int n)
{
	unsigned int i, j;

	printf("%3s %4s %-8s %5s", "P", "cpu", "status", "runq");
	for (j = 0; j < ARRAY_SIZE(kgoctl_counters); j++)
		printf(" %*s", kgoctl_counters[j].width, kgoctl_counters[j].name);
	printf("\n");
	for (i = 0; i < n; i++) {
		printf("%3u %4u %-8s %5u", i, p[i].cpu,
		       kgoctl_proc_status(p[i].status), p[i].runq);
		for (j = 0; j < ARRAY_SIZE(kgoctl_counters); j++)
			printf(" %*llu", kgoctl_counters[j].width,
			       kgoctl_counter(&p[i], &kgoctl_counters[j]));
		printf("\n");
	}
	if (n < st->nprocs)
		printf("(%u more Ps not shown)\n", st->nprocs - n);
	printf("\nlive Gs:     %llu\n", (unsigned long long)st->live_gs);
	printf("channels:    %llu\n", (unsigned long long)st->live_chans);
	printf("timers:      %llu\n", (unsigned long long)st->live_timers);
	printf("threads:     %u (idle %u, spinning %u, limit %u, ",
	       st->threads, st->idle_threads, st->spinning_threads,
	       st->max_threads);
	printf("limit hits %llu)\n", (unsigned long long)st->m_limit_hits);
	printf("global runq: %u\n", st->global_runq);
	/* An older kernel fills in less (its size): it has no such counts. */
	if (st->size >= KGO_STATS_SIZE_VER1)
		printf("stranded Gs: %llu (peak %llu, episodes %llu)\n",
		       (unsigned long long)st->stranded,
		       (unsigned long long)st->stranded_peak,
		       (unsigned long long)st->stranded_episodes);
}

static void kgoctl_stats_json(const struct kgo_stats *st,
			      const struct kgo_stats_proc *p, unsigned int n)
{
	unsigned int i, j;

	printf("{\"nprocs\":%u", st->nprocs);
	printf(",\"live_gs\":%llu", (unsigned long long)st->live_gs);
	printf(",\"live_chans\":%llu", (unsigned long long)st->live_chans);
	printf(",\"live_timers\":%llu", (unsigned long long)st->live_timers);
	printf(",\"threads\":%u", st->threads);
	printf(",\"idle_threads\":%u", st->idle_threads);
	printf(",\"spinning_threads\":%u", st->spinning_threads);
	printf(",\"global_runq\":%u", st->global_runq);
	printf(",\"m_limit_hits\":%llu", (unsigned long long)st->m_limit_hits);
	printf(",\"max_threads\":%u", st->max_threads);
	if (st->size >= KGO_STATS_SIZE_VER1) {
		printf(",\"stranded\":%llu", (unsigned long long)st->stranded);
		printf(",\"stranded_peak\":%llu",
		       (unsigned long long)st->stranded_peak);
		printf(",\"stranded_episodes\":%llu",
		       (unsigned long long)st->stranded_episodes);
	}
	printf(",\"procs\":[");
	for (i = 0; i < n; i++) {
		printf("%s{\"p\":%u,\"cpu\":%u,\"status\":\"%s\",\"runq\":%u",
		       i ? "," : "", i, p[i].cpu,
		       kgoctl_proc_status(p[i].status), p[i].runq);
		for (j = 0; j < ARRAY_SIZE(kgoctl_counters); j++)
			printf(",\"%s\":%llu", kgoctl_counters[j].name,
			       kgoctl_counter(&p[i], &kgoctl_counters[j]));
		printf("}");
	}
	printf("]}\n");
}

static int kgoctl_stats(int argc, char *argv[])
{
	static struct kgo_stats_proc procs[KGOCTL_MAX_PROCS];
	unsigned long secs = 0;
	struct kgo_stats st;
	int json = 0, fd, n, i, ret, tty = isatty(STDOUT_FILENO);

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--watch")) {
			secs = 1;
			if (i + 1 < argc && argv[i + 1][0] != '-') {
				ret = kgoctl_number(argv[0], "--watch",
						    argv[++i], 86400, &secs);
				if (ret)
					return ret;
			}
		} else {
			kgoctl_err(argv[0], "unknown option '%s'", argv[i]);
			return KGOCTL_USAGE;
		}
	}

	fd = kgoctl_open();
	if (fd < 0)
		return KGOCTL_FAIL;
	if (secs) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = kgoctl_on_int;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	for (;;) {
		n = kgo_stats(fd, &st, procs, KGOCTL_MAX_PROCS);
		if (n < 0) {
			kgoctl_err(argv[0], "KGO_IOC_STATS: %s%s", kgo_strerror(n),
				   n == -ENOTTY ? " (kgo.ko older than ABI 1.1?)"
						: "");
			close(fd);
			return KGOCTL_FAIL;
		}
		if (json) {
			kgoctl_stats_json(&st, procs, st.nprocs_room);
		} else {
			if (secs && tty)
				printf("\033[H\033[2J");
			kgoctl_stats_table(&st, procs, st.nprocs_room);
			if (secs)
				printf("\n(every %lu s; interrupt to stop)\n",
				       secs);
		}
		fflush(stdout);
		if (!secs || kgoctl_stop)
			break;
		sleep(secs);	/* a signal ends it early */
		if (kgoctl_stop)
			break;
		if (!json)
			printf("\n");
	}
	close(fd);
	return KGOCTL_OK;
}

/* --- bench --- */

static long long kgoctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int kgoctl_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double kgoctl_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), kgoctl_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Two one-way links between the bench and its child, by transport. */
enum kgoctl_link {
	KGOCTL_KGO_IOCTL,	/* kgo channels, KGO_IOC_CHAN_SEND/RECV */
	KGOCTL_KGO_RW,		/* kgo channels, write(2)/read(2) */
	KGOCTL_PIPE,
	KGOCTL_EVENTFD,
};

static const char *const kgoctl_link_name[] = {
	[KGOCTL_KGO_IOCTL] = "kgo chan (ioctl)",
	[KGOCTL_KGO_RW] = "kgo chan (read/write)",
	[KGOCTL_PIPE] = "pipe",
	[KGOCTL_EVENTFD] = "eventfd",
};

/* Write or send one 8-byte value; 0 or a negative errno. */
static int kgoctl_put(enum kgoctl_link l, int fd, unsigned long long v)
{
	switch (l) {
	case KGOCTL_KGO_IOCTL:
		return kgo_chan_send(fd, &v);
	default:
		return write(fd, &v, 8) == 8 ? 0 : -(errno ? errno : EIO);
	}
}

/* Read or receive one 8-byte value; 1, 0 at the end, or a negative errno. */
static int kgoctl_get(enum kgoctl_link l, int fd, unsigned long long *v)
{
	ssize_t n;

	switch (l) {
	case KGOCTL_KGO_IOCTL:
		return kgo_chan_recv(fd, v);
	default:
		n = read(fd, v, 8);
		return n == 8 ? 1 : n == 0 ? 0 : -(errno ? errno : EIO);
	}
}

/* Make the two links: fds[0] bench -> child, fds[1] child -> bench. */
static int kgoctl_links(enum kgoctl_link l, int dev, unsigned int cap,
			int rd[2], int wr[2])
{
	int p[2], i;

	for (i = 0; i < 2; i++) {
		switch (l) {
		case KGOCTL_KGO_IOCTL:
		case KGOCTL_KGO_RW:
			rd[i] = kgo_chan_make(dev, 8, cap, KGO_FD_CLOEXEC);
			if (rd[i] < 0)
				return rd[i];
			wr[i] = dup(rd[i]);
			break;
		case KGOCTL_PIPE:
			if (pipe2(p, O_CLOEXEC) < 0)
				return -errno;
			rd[i] = p[0];
			wr[i] = p[1];
			break;
		case KGOCTL_EVENTFD:
			/* A semaphore: each read takes what one write put. */
			rd[i] = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
			if (rd[i] < 0)
				return -errno;
			wr[i] = dup(rd[i]);
			break;
		}
	}
	return 0;
}

static void kgoctl_close_links(int rd[2], int wr[2])
{
	int i;

	for (i = 0; i < 2; i++) {
		if (rd[i] >= 0)
			close(rd[i]);
		if (wr[i] >= 0)
			close(wr[i]);
		rd[i] = -1;
		wr[i] = -1;
	}
}

/* The child's end of the end: tell the other side there is no more. */
static void kgoctl_link_eof(enum kgoctl_link l, int wr)
{
	if (l == KGOCTL_KGO_IOCTL || l == KGOCTL_KGO_RW)
		kgo_chan_close(wr);
	close(wr);
}

static int kgoctl_wait_child(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -ECHILD;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
}

/*
 * Make the two links and fork: 0 in the child, the child's pid in the
 * parent, or a negative errno with no descriptor left open.
 */
static pid_t kgoctl_links_fork(enum kgoctl_link l, int dev, unsigned int cap,
			       int rd[2], int wr[2])
{
	int ret = kgoctl_links(l, dev, cap, rd, wr);
	pid_t pid = ret;

	if (!ret) {
		pid = fork();
		if (pid < 0)
			pid = -errno;
	}
	if (pid < 0)
		kgoctl_close_links(rd, wr);
	return pid;
}

/*
 * One run of the round-trip bench: ns per round trip, or a negative errno.
 * The child echoes each value back; eventfds carry a count, so for them
 * every value is 1.
 */
static double kgoctl_roundtrip(enum kgoctl_link l, int dev,
			       unsigned long rounds)
{
	int rd[2] = { -1, -1 }, wr[2] = { -1, -1 }, ret = 0;
	unsigned long long v;
	unsigned long i;
	long long t0, t1;
	pid_t pid;

	pid = kgoctl_links_fork(l, dev, 0, rd, wr);
	if (pid < 0)
		return pid;
	if (pid == 0) {
		/* Only our ends stay open, or a pipe never sees EOF. */
		close(wr[0]);
		close(rd[1]);
		while ((ret = kgoctl_get(l, rd[0], &v)) == 1)
			if (kgoctl_put(l, wr[1], v))
				_exit(1);
		_exit(ret == 0 ? 0 : 1);
	}
	close(rd[0]);
	close(wr[1]);
	rd[0] = -1;
	wr[1] = -1;
	t0 = kgoctl_now();
	for (i = 0; i < rounds; i++) {
		if (kgoctl_put(l, wr[0], 1) || kgoctl_get(l, rd[1], &v) != 1) {
			ret = -EIO;
			break;
		}
	}
	t1 = kgoctl_now();
	if (l == KGOCTL_EVENTFD) {
		/* An eventfd has no EOF: kill the echo. */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	} else {
		kgoctl_link_eof(l, wr[0]);
		wr[0] = -1;
		if (!ret)
			ret = kgoctl_wait_child(pid);
	}
	kgoctl_close_links(rd, wr);
	return ret ? ret : (double)(t1 - t0) / rounds;
}

/* One run of the throughput bench: values per second, or -errno. */
static double kgoctl_stream(enum kgoctl_link l, int dev, unsigned long msgs,
			    unsigned int cap)
{
	int rd[2] = { -1, -1 }, wr[2] = { -1, -1 }, ret = 0;
	unsigned long long v;
	unsigned long i;
	long long t0, t1;
	pid_t pid;

	pid = kgoctl_links_fork(l, dev, cap, rd, wr);
	if (pid < 0)
		return pid;
	if (pid == 0) {
		close(rd[0]);
		for (i = 0; i < msgs; i++)
			if (kgoctl_put(l, wr[0], i + 1))
				_exit(1);
		kgoctl_link_eof(l, wr[0]);
		_exit(0);
	}
	close(wr[0]);
	wr[0] = -1;
	t0 = kgoctl_now();
	for (i = 0; i < msgs; i++) {
		if (kgoctl_get(l, rd[0], &v) != 1 || v != i + 1) {
			ret = -EIO;
			break;
		}
	}
	t1 = kgoctl_now();
	if (ret)
		kill(pid, SIGKILL);
	if (kgoctl_wait_child(pid) && !ret)
		ret = -EIO;
	kgoctl_close_links(rd, wr);
	return ret ? ret : msgs / ((double)(t1 - t0) / 1e9);
}

struct kgoctl_bench_opts {
	unsigned long runs, rounds, msgs, spawn, cap;
	bool raw;	/* one "kgo-bench:" line per run, for make bench */
};

/* Short names of the transports in --raw lines. */
static const char *const kgoctl_link_key[] = {
	[KGOCTL_KGO_IOCTL] = "kgo_ioctl",
	[KGOCTL_KGO_RW] = "kgo_rw",
	[KGOCTL_PIPE] = "pipe",
	[KGOCTL_EVENTFD] = "eventfd",
};

/* Print one table: median per row, and its ratio to the first row. */
static int kgoctl_bench_table(const char *title, const char *unit,
			      const enum kgoctl_link *links, unsigned int n,
			      const struct kgoctl_bench_opts *o, int dev,
			      int roundtrip)
{
	double med[4], runs[64], base = 0;
	unsigned int i, r;

	printf("%s\n", title);
	printf("  %-24s %14s %14s %14s %8s\n", "transport", unit, "min", "max",
	       "vs kgo");
	for (i = 0; i < n; i++) {
		for (r = 0; r < o->runs; r++) {
			runs[r] = roundtrip ?
				  kgoctl_roundtrip(links[i], dev, o->rounds) :
				  kgoctl_stream(links[i], dev, o->msgs, o->cap);
			if (runs[r] < 0) {
				kgoctl_err("bench", "%s: %s",
					   kgoctl_link_name[links[i]],
					   kgo_strerror((int)runs[r]));
				return KGOCTL_FAIL;
			}
			if (o->raw)
				printf("kgo-bench: uchan test=%s impl=%s rep=%u value=%.1f\n",
				       roundtrip ? "roundtrip" : "stream",
				       kgoctl_link_key[links[i]], r + 1, runs[r]);
		}
		med[i] = kgoctl_median(runs, o->runs);
		if (i == 0)
			base = med[i];
		/* Lower is better for a time, higher for a rate: ratio >1 = kgo wins. */
		printf("  %-24s %14.0f %14.0f %14.0f %7.2fx\n",
		       kgoctl_link_name[links[i]], med[i], runs[0],
		       runs[o->runs - 1],
		       roundtrip ? med[i] / base : base / med[i]);
		fflush(stdout);
	}
	printf("\n");
	return KGOCTL_OK;
}

static int kgoctl_bench(int argc, char *argv[])
{
	static const enum kgoctl_link rt[] = {
		KGOCTL_KGO_IOCTL, KGOCTL_KGO_RW, KGOCTL_PIPE, KGOCTL_EVENTFD,
	};
	static const enum kgoctl_link tp[] = {
		KGOCTL_KGO_IOCTL, KGOCTL_KGO_RW, KGOCTL_PIPE,
	};
	struct kgoctl_bench_opts o = {
		/* 8192 u64s: the 64 KiB a pipe buffers by default. */
		.runs = 5, .rounds = 20000, .msgs = 200000, .spawn = 100000,
		.cap = 8192,
	};
	unsigned long long ns;
	double runs[64];
	int dev, ret, i;
	unsigned int r;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = argv[i + 1];
		unsigned long *dst;
		unsigned long max = 100000000;

		if (!strcmp(opt, "--raw")) {
			o.raw = true;
			continue;
		}
		if (!strcmp(opt, "--runs")) {
			dst = &o.runs;
			max = 63;
		} else if (!strcmp(opt, "--rounds")) {
			dst = &o.rounds;
		} else if (!strcmp(opt, "--msgs")) {
			dst = &o.msgs;
		} else if (!strcmp(opt, "--spawn")) {
			dst = &o.spawn;
			max = 10000000;
		} else if (!strcmp(opt, "--cap")) {
			dst = &o.cap;
			max = 1 << 20;
		} else {
			kgoctl_err(argv[0], "unknown option '%s'", opt);
			return KGOCTL_USAGE;
		}
		ret = kgoctl_number(argv[0], opt, val, max, dst);
		if (ret)
			return ret;
		i++;
	}

	dev = kgoctl_open();
	if (dev < 0)
		return KGOCTL_FAIL;
	/* A child that dies must not kill the bench with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	printf("kgoctl bench: medians of %lu runs; min and max of those runs\n\n",
	       o.runs);
	printf("round trip between two processes over two unbuffered links, ");
	printf("%lu round trips\n", o.rounds);
	ret = kgoctl_bench_table("(lower is better; ratio = time / kgo's time)",
				 "ns/round trip", rt, ARRAY_SIZE(rt), &o, dev, 1);
	if (ret)
		goto out;
	printf("one-way stream of %lu 8-byte values, kgo buffer %lu\n",
	       o.msgs, o.cap);
	ret = kgoctl_bench_table("(higher is better; ratio = kgo's rate / rate)",
				 "values/s", tp, ARRAY_SIZE(tp), &o, dev, 0);
	if (ret)
		goto out;

	printf("kernel G spawn (KGO_IOC_BENCH_SPAWN), %lu Gs per run\n",
	       o.spawn);
	for (r = 0; r < o.runs; r++) {
		ret = kgo_bench_spawn(dev, o.spawn, &ns);
		if (ret == -EPERM) {
			printf("  skipped: needs CAP_SYS_ADMIN\n");
			ret = KGOCTL_OK;
			goto out;
		}
		if (ret) {
			kgoctl_err(argv[0], "KGO_IOC_BENCH_SPAWN: %s",
				   kgo_strerror(ret));
			ret = KGOCTL_FAIL;
			goto out;
		}
		runs[r] = (double)ns / o.spawn;
		if (o.raw)
			printf("kgo-bench: uchan test=spawn impl=kgo rep=%u value=%.1f\n",
			       r + 1, runs[r]);
	}
	{
		double med = kgoctl_median(runs, o.runs);

		printf("  %-24s %14s %14s %14s\n", "", "ns/G", "min", "max");
		printf("  %-24s %14.1f %14.1f %14.1f\n", "spawn + run", med,
		       runs[0], runs[o.runs - 1]);
		printf("  %-24s %14.0f\n", "Gs/s (median)", 1e9 / med);
	}
	ret = KGOCTL_OK;
out:
	close(dev);
	return ret;
}

/* --- pingpong --- */

static int kgoctl_pingpong(int argc, char *argv[])
{
	unsigned long n = 1000;
	unsigned long long v = 0;
	int dev, ping, pong, ret;
	long long t0, t1;
	pid_t pid;

	if (argc > 2) {
		kgoctl_err(argv[0], "unexpected argument '%s'", argv[2]);
		return KGOCTL_USAGE;
	}
	if (argc == 2) {
		ret = kgoctl_number(argv[0], "N", argv[1], 100000000, &n);
		if (ret)
			return ret;
	}
	dev = kgoctl_open();
	if (dev < 0)
		return KGOCTL_FAIL;
	ping = kgo_chan_make(dev, sizeof(v), 0, KGO_FD_CLOEXEC);
	pong = kgo_chan_make(dev, sizeof(v), 0, KGO_FD_CLOEXEC);
	close(dev);
	if (ping < 0 || pong < 0) {
		kgoctl_err(argv[0], "cannot make a channel: %s",
			   kgo_strerror(ping < 0 ? ping : pong));
		return KGOCTL_FAIL;
	}
	pid = fork();
	if (pid < 0) {
		kgoctl_err(argv[0], "fork: %s", strerror(errno));
		return KGOCTL_FAIL;
	}
	if (pid == 0) {
		/* for v := range ping { pong <- v + 1 }; close(pong) */
		while ((ret = kgo_chan_recv(ping, &v)) == 1) {
			v++;
			if (kgo_chan_send(pong, &v))
				_exit(1);
		}
		kgo_chan_close(pong);
		_exit(ret == 0 ? 0 : 1);
	}
	t0 = kgoctl_now();
	for (ret = 0; v < 2 * n; ) {
		v++;
		ret = kgo_chan_send(ping, &v);
		if (!ret)
			ret = kgo_chan_recv(pong, &v) == 1 ? 0 : -EIO;
		if (ret)
			break;
	}
	t1 = kgoctl_now();
	kgo_chan_close(ping);
	if (kgoctl_wait_child(pid) && !ret)
		ret = -EIO;
	close(ping);
	close(pong);
	if (ret) {
		kgoctl_err(argv[0], "after %llu hops: %s", v, kgo_strerror(ret));
		return KGOCTL_FAIL;
	}
	printf("%lu round trips (%llu hops) between pid %d and pid %d ",
	       n, v, (int)getpid(), (int)pid);
	printf("in %.3f ms: %.0f ns per round trip\n", (t1 - t0) / 1e6,
	       (double)(t1 - t0) / n);
	return KGOCTL_OK;
}

static const struct kgoctl_cmd *kgoctl_find(const char *name);

static int kgoctl_help(int argc, char *argv[])
{
	const struct kgoctl_cmd *cmd;

	if (argc > 2)
		return kgoctl_no_args(argc - 1, argv + 1);
	if (argc == 2) {
		cmd = kgoctl_find(argv[1]);
		if (!cmd || !strcmp(cmd->name, "help")) {
			if (cmd)
				goto all;
			kgoctl_err(argv[0], "unknown command '%s'", argv[1]);
			return KGOCTL_USAGE;
		}
		printf("usage: %s %s%s%s\n\n%s\n", KGOCTL_NAME, cmd->name,
		       *cmd->args ? " " : "", cmd->args, cmd->summary);
		return KGOCTL_OK;
	}
all:
	kgoctl_usage(stdout);
	return KGOCTL_OK;
}

static const struct kgoctl_cmd *kgoctl_find(const char *name)
{
	const struct kgoctl_cmd *cmd;

	/* The conventional spellings of help reach the help command. */
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	for (cmd = kgoctl_cmds; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

int main(int argc, char *argv[])
{
	const struct kgoctl_cmd *cmd;

	if (argc < 2) {
		kgoctl_usage(stderr);
		return KGOCTL_USAGE;
	}
	cmd = kgoctl_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\nRun '%s help' for usage.\n",
			KGOCTL_NAME, argv[1], KGOCTL_NAME);
		return KGOCTL_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
