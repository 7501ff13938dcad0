// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_fuzz_test: a bounded random ioctl fuzzer for /dev/kgo and channel
 * descriptors. Random commands around kgo's magic ('J' - 1 to 'J' + 1, any
 * direction, size and number, biased towards the real ones), random struct
 * contents with plausible sizes, flags, timeouts and fds (the device,
 * channels, timers, a pipe, /dev/null, closed and invalid numbers), and
 * user pointers that are valid scratch memory, NULL, unmapped, read-only
 * or kernel addresses; mixed with read(2), write(2), poll(2), Go closes and
 * close(2). A periodic signal interrupts whatever blocks.
 *
 * Tickers never get a period below 100us (a tighter one only measures
 * how fast the machine takes timer interrupts).
 *
 * It passes if the fuzzing process survives, the module still works
 * afterwards, and every channel and timer it made is freed. Prints
 * "# fuzz calls: N". Usage: kgo_fuzz_test [calls [seed]]; KGO_FUZZ_CALLS
 * and KGO_FUZZ_SEED in the environment do the same.
 */

#include <poll.h>
#include <stdio.h>
#include <sys/mman.h>

#include "kgo_selftest.h"

#define KF_DEFAULT_CALLS	200000UL
/* Stop early (still a pass) on a machine this slow. */
#define KF_MAX_SECONDS		500
#define KF_POOL			24
#define KF_SCRATCH		(256 * 1024)

static unsigned long kf_calls = KF_DEFAULT_CALLS;
static unsigned long long kf_seed;

static unsigned long long kf_state;

static unsigned long long kf_rand(void)
{
	/* xorshift64* */
	kf_state ^= kf_state >> 12;
	kf_state ^= kf_state << 25;
	kf_state ^= kf_state >> 27;
	return kf_state * 2685821657736338717ULL;
}

static unsigned int kf_below(unsigned int n)
{
	return (unsigned int)(kf_rand() % n);
}

static int kf_chance(unsigned int percent)
{
	return kf_below(100) < percent;
}

struct kf {
	int dev;
	int pool[KF_POOL];	/* channels and timers, or -1 */
	int pipe[2];
	int null;
	int dead;		/* a closed descriptor number */
	unsigned char *scratch;	/* read-write */
	unsigned char *ro;	/* a read-only page */
	unsigned char *unmapped;
	unsigned long calls;
	unsigned long ok, fail;
};

static const unsigned long kf_cmds[] = {
	KGO_IOC_VERSION, KGO_IOC_CHAN_CREATE, KGO_IOC_TIMER_CREATE,
	KGO_IOC_SELECT, KGO_IOC_STATS, KGO_IOC_BENCH_SPAWN,
	KGO_IOC_CHAN_SEND, KGO_IOC_CHAN_RECV, KGO_IOC_CHAN_CLOSE,
	KGO_IOC_CHAN_INFO, KGO_IOC_TIMER_STOP, KGO_IOC_TIMER_RESET,
};

static const unsigned int kf_sizes[] = {
	sizeof(struct kgo_version_info), sizeof(struct kgo_chan_create),
	sizeof(struct kgo_timer_create), sizeof(struct kgo_select_args),
	sizeof(struct kgo_stats), sizeof(struct kgo_bench_spawn),
	sizeof(struct kgo_chan_op), sizeof(struct kgo_chan_op), 0,
	sizeof(struct kgo_chan_info), 0, sizeof(struct kgo_timer_reset),
};

static void kf_sig(int sig)
{
	(void)sig;
}

static int kf_fd(struct kf *f)
{
	switch (kf_below(16)) {
	case 0:
		return f->dev;
	case 1:
		return f->pipe[kf_below(2)];
	case 2:
		return f->null;
	case 3:
		return f->dead;
	case 4:
		return kf_chance(50) ? -1 : (int)kf_rand();
	default:
		return f->pool[kf_below(KF_POOL)];
	}
}

/* A user pointer that can be nothing of ours but the scratch area. */
static unsigned long long kf_ptr(struct kf *f, unsigned int len)
{
	unsigned int off;

	switch (kf_below(12)) {
	case 0:
		return 0;
	case 1:
		return (unsigned long)f->ro;
	case 2:
		return (unsigned long)f->unmapped + kf_below(4096);
	case 3:
		/* Straddling the end of the scratch area into unmapped. */
		return (unsigned long)f->unmapped - kf_below(64) - 1;
	case 4:
		return 0xffffffffff600000ULL + kf_below(4096);
	case 5:
		return (kf_rand() | (1ULL << 63)) & ~0xfULL;
	case 6:
		return kf_below(65536);
	default:
		if (len > KF_SCRATCH)
			len = KF_SCRATCH;
		off = kf_below(KF_SCRATCH - len + 1);
		return (unsigned long)f->scratch + off;
	}
}

static long long kf_timeout(void)
{
	switch (kf_below(20)) {
	case 0: case 1:
		return KGO_TIMEOUT_FOREVER;	/* the periodic signal ends it */
	case 2: case 3:
		return kf_below(100000);
	case 4:
		return (long long)kf_rand();
	case 5:
		return -2 - kf_below(1000);
	default:
		return KGO_TIMEOUT_NOWAIT;
	}
}

static unsigned int kf_flags(void)
{
	if (kf_chance(75))
		return 0;
	if (kf_chance(60))
		return kf_below(4);
	return (unsigned int)kf_rand();
}

static unsigned int kf_size_field(unsigned int real)
{
	switch (kf_below(12)) {
	case 0:
		return 0;
	case 1:
		return real ? real - 1 : 1;
	case 2:
		return real + 8 * (1 + kf_below(8));
	case 3:
		return 4096 + kf_below(3);
	case 4:
		return (unsigned int)kf_rand();
	default:
		return real;
	}
}

/* A period for timers: never a sub-100us ticker (that is a busy loop). */
static long long kf_period(void)
{
	if (kf_chance(60))
		return 0;
	if (kf_chance(80))
		return 100000 + kf_below(10000000);
	return -(long long)kf_below(1000) - 1;
}

/* Fill the argument of @cmd at @p (room: @room bytes of scratch). */
static void kf_fill(struct kf *f, unsigned long cmd, unsigned char *p,
		    size_t room)
{
	unsigned int nr = _IOC_NR(cmd), i, n;
	size_t len = kf_below(512);

	for (i = 0; i < len && i < room; i += 8) {
		unsigned long long r = kf_chance(50) ? 0 : kf_rand();

		memcpy(p + i, &r, len - i < 8 ? len - i : 8);
	}
	if (kf_chance(15) || _IOC_TYPE(cmd) != KGO_IOC_MAGIC)
		return;		/* pure noise */

	switch (nr) {
	case 0x00: {
		struct kgo_version_info *v = (void *)p;

		v->size = kf_size_field(sizeof(*v));
		v->flags = kf_flags();
		v->reserved = kf_chance(80) ? 0 : kf_rand();
		break;
	}
	case 0x01: {
		struct kgo_chan_create *c = (void *)p;

		c->size = kf_size_field(sizeof(*c));
		c->flags = kf_flags();
		c->elem_size = kf_chance(80) ? kf_below(80) :
			       (unsigned int)kf_rand();
		c->cap = kf_chance(80) ? kf_below(8) : (unsigned int)kf_rand();
		c->reserved = kf_chance(90) ? 0 : kf_rand();
		break;
	}
	case 0x02: {
		struct kgo_timer_create *t = (void *)p;

		t->size = kf_size_field(sizeof(*t));
		t->flags = kf_flags();
		t->after_ns = kf_chance(80) ? kf_below(2000000) :
			      (long long)kf_rand();
		t->period_ns = kf_period();
		t->reserved = kf_chance(90) ? 0 : kf_rand();
		break;
	}
	case 0x03: {
		struct kgo_select_args *a = (void *)p;
		struct kgo_select_ucase *c;

		n = kf_chance(90) ? kf_below(8) : kf_below(140);
		a->size = kf_size_field(sizeof(*a));
		a->flags = kf_chance(90) ? 0 : kf_flags();
		a->ncases = kf_chance(95) ? n : (unsigned int)kf_rand();
		a->timeout_ns = kf_timeout();
		if (kf_chance(90) && room >= 64 + 140 * sizeof(*c)) {
			c = (void *)(p + 64);
			a->cases = (unsigned long)c;
			for (i = 0; i < n; i++) {
				c[i].fd = kf_fd(f);
				c[i].dir = kf_chance(90) ? 1 + kf_below(2) :
					   kf_below(5);
				c[i].elem = kf_ptr(f, 128);
				c[i].ok = kf_rand();
				c[i].err = kf_rand();
			}
		} else {
			a->cases = kf_ptr(f, n * sizeof(*c));
		}
		break;
	}
	case 0x04: {
		struct kgo_stats *s = (void *)p;

		s->size = kf_size_field(sizeof(*s));
		s->flags = kf_chance(90) ? 0 : kf_flags();
		s->nprocs_room = kf_chance(80) ? kf_below(600) :
				 (unsigned int)kf_rand();
		s->procs = kf_ptr(f, s->nprocs_room *
				     sizeof(struct kgo_stats_proc));
		s->reserved = kf_chance(90) ? 0 : kf_rand();
		break;
	}
	case 0x10: case 0x11: {
		struct kgo_chan_op *o = (void *)p;

		o->size = kf_size_field(sizeof(*o));
		o->flags = kf_chance(80) ? 0 : kf_flags();
		o->elem = kf_ptr(f, 65536);
		o->timeout_ns = kf_timeout();
		o->reserved = kf_chance(90) ? 0 : kf_rand();
		break;
	}
	case 0x13: {
		struct kgo_chan_info *ci = (void *)p;

		ci->size = kf_size_field(sizeof(*ci));
		ci->flags = kf_chance(90) ? 0 : kf_flags();
		ci->reserved = kf_chance(90) ? 0 : kf_rand();
		break;
	}
	case 0x15: {
		struct kgo_timer_reset *r = (void *)p;

		r->size = kf_size_field(sizeof(*r));
		r->flags = kf_chance(90) ? 0 : kf_flags();
		/* Also a ticker's new period: never below 100us. */
		r->ns = kf_chance(50) ? 100000 + kf_below(2000000) :
			kf_period();
		break;
	}
	default:
		break;
	}
}

static unsigned long kf_cmd(void)
{
	unsigned int i = kf_below(ARRAY_SIZE(kf_cmds));

	switch (kf_below(10)) {
	case 0: case 1:
		/* A real number with another direction or size. */
		return _IOC(kf_below(4), KGO_IOC_MAGIC, _IOC_NR(kf_cmds[i]),
			    kf_chance(50) ? kf_sizes[i] : kf_below(1 << 14));
	case 2: case 3:
		return _IOC(kf_below(4), KGO_IOC_MAGIC - 1 + kf_below(3),
			    kf_below(256), kf_below(1 << 14));
	default:
		return kf_cmds[i];
	}
}

/* Keep a new descriptor in the pool (closing what it replaces), or close it. */
static void kf_adopt(struct kf *f, int fd)
{
	int i;

	if (fd <= 2)
		return;
	for (i = 0; i < KF_POOL; i++)
		if (f->pool[i] == fd)
			return;
	if (fd == f->dev || fd == f->null || fd == f->pipe[0] ||
	    fd == f->pipe[1])
		return;
	if (kf_chance(30)) {
		i = kf_below(KF_POOL);
		if (f->pool[i] >= 0)
			close(f->pool[i]);
		f->pool[i] = fd;
	} else {
		close(fd);
	}
}

static void kf_ioctl(struct kf *f)
{
	unsigned long cmd = kf_cmd();
	unsigned char *p = f->scratch + kf_below(1024) * 8;
	size_t room = KF_SCRATCH - (p - f->scratch);
	unsigned long long argp;
	int fd, ret;

	kf_fill(f, cmd, p, room);
	/* Spawning millions of Gs would only make the run slow. */
	if (_IOC_TYPE(cmd) == KGO_IOC_MAGIC && _IOC_NR(cmd) == 0x05) {
		unsigned int count = kf_below(64);

		memcpy(p + 8, &count, sizeof(count));
	}
	switch (kf_below(20)) {
	case 0:
		argp = kf_ptr(f, 64);
		break;
	case 1:
		argp = kf_rand() & 0xffff;	/* an integer argument */
		break;
	default:
		argp = (unsigned long)p;
	}
	fd = kf_chance(25) ? f->dev : kf_fd(f);
	f->calls++;
	ret = ioctl(fd, cmd, (unsigned long)argp);
	if (ret < 0) {
		f->fail++;
		return;
	}
	f->ok++;
	if (_IOC_TYPE(cmd) == KGO_IOC_MAGIC &&
	    (_IOC_NR(cmd) == 0x01 || _IOC_NR(cmd) == 0x02) && ret > 2)
		kf_adopt(f, ret);
}

static void kf_rw(struct kf *f)
{
	size_t len = kf_chance(70) ? 8 * kf_below(9) : kf_below(300);
	unsigned long long buf = kf_ptr(f, len);
	int fd = kf_chance(80) ? f->pool[kf_below(KF_POOL)] : kf_fd(f);
	ssize_t r;

	if (fd == f->pipe[1] || fd == f->pipe[0])
		fd = f->pool[0];	/* a full pipe would only block */
	f->calls++;
	if (kf_chance(50))
		r = read(fd, (void *)(unsigned long)buf, len);
	else
		r = write(fd, (void *)(unsigned long)buf, len);
	if (r < 0)
		f->fail++;
	else
		f->ok++;
}

static void kf_poll(struct kf *f)
{
	struct pollfd p[4];
	int i;

	for (i = 0; i < 4; i++) {
		p[i].fd = kf_fd(f);
		p[i].events = (short)kf_rand();
	}
	f->calls++;
	if (poll(p, 4, kf_chance(90) ? 0 : 1) < 0)
		f->fail++;
	else
		f->ok++;
}

static int kf_timer(struct kf *f)
{
	struct kgo_timer_create t = {
		.size = sizeof(t),
		.flags = kf_below(4),
		.after_ns = kf_below(3000000),
		.period_ns = kf_period(),
	};

	return kt_ioctl(f->dev, KGO_IOC_TIMER_CREATE, &t);
}

static void kf_make(struct kf *f)
{
	int i = kf_below(KF_POOL), fd;

	if (f->pool[i] >= 0)
		close(f->pool[i]);
	f->calls++;
	if (kf_chance(20))
		fd = kf_timer(f);
	else
		fd = kgo_chan_make(f->dev, kf_below(4) ? 8 : kf_below(70),
				   kf_below(5), kf_below(4) & KGO_FD_NONBLOCK);
	f->pool[i] = fd >= 0 ? fd : -1;
}

static int kf_run(struct kf *f)
{
	long long end = kt_now_ns() + KF_MAX_SECONDS * 1000000000LL;
	unsigned int r;
	int i;

	while (f->calls < kf_calls) {
		if ((f->calls & 1023) == 0 && kt_now_ns() > end) {
			printf("# fuzz: stopping early after %d s\n",
			       KF_MAX_SECONDS);
			break;
		}
		r = kf_below(100);
		if (r < 72) {
			kf_ioctl(f);
		} else if (r < 82) {
			kf_rw(f);
		} else if (r < 86) {
			kf_poll(f);
		} else if (r < 93) {
			kf_make(f);
		} else if (r < 96) {
			f->calls++;
			kgo_chan_close(f->pool[kf_below(KF_POOL)]);
		} else if (r < 98) {
			int fd = f->pool[kf_below(KF_POOL)];

			f->calls++;
			if (fd >= 0)
				fcntl(fd, F_SETFL, kf_chance(50) ? O_NONBLOCK : 0);
		} else {
			int fd = f->pool[kf_below(KF_POOL)];

			f->calls++;
			if (fd >= 0) {
				fd = dup(fd);
				if (fd >= 0)
					kf_adopt(f, fd);
			}
		}
	}
	printf("# fuzz calls: %lu (%lu succeeded, %lu failed)\n", f->calls,
	       f->ok, f->fail);
	for (i = 0; i < KF_POOL; i++)
		if (f->pool[i] >= 0)
			close(f->pool[i]);
	return 0;
}

/* The fuzzing process: set up, run, report through the exit status. */
static int kf_child(void *arg)
{
	struct sigevent sev = { 0 };
	struct itimerspec its = { { 0, 2000000 }, { 0, 2000000 } };
	struct sigaction sa;
	struct kf f;
	timer_t tid;
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *m;
	int i, unpriv = !!arg;

	if (unpriv && (setgid(65534) < 0 || setuid(65534) < 0))
		return 90;
	memset(&f, 0, sizeof(f));
	kf_state = kf_seed + unpriv;
	f.dev = kgo_open();
	if (f.dev < 0) {
		printf("# fuzz: open %s as uid %d: %s\n", KGO_DEVICE_PATH,
		       (int)getuid(), kgo_strerror(f.dev));
		return 91;
	}
	m = mmap(NULL, KF_SCRATCH + 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 92;
	/* [ro page][scratch][unmapped page] */
	f.ro = m;
	f.scratch = m + pg;
	f.unmapped = m + pg + KF_SCRATCH;
	mprotect(f.ro, pg, PROT_READ);
	munmap(f.unmapped, pg);
	if (pipe2(f.pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return 93;
	f.null = open("/dev/null", O_RDWR | O_CLOEXEC);
	f.dead = open("/dev/null", O_RDONLY);
	close(f.dead);
	for (i = 0; i < KF_POOL; i++)
		f.pool[i] = -1;
	for (i = 0; i < KF_POOL; i++)
		kf_make(&f);

	/* A signal every 2 ms, without SA_RESTART: nothing blocks for long. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kf_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tid) < 0 ||
	    timer_settime(tid, 0, &its, NULL) < 0)
		return 94;
	if (unpriv)
		kf_calls /= 10;
	kf_run(&f);
	timer_delete(tid);
	fflush(stdout);
	return 0;
}

static int kf_wait(pid_t pid)
{
	long long end = kt_now_ns() + (KF_MAX_SECONDS + 120) * 1000000000LL;
	int status;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (kt_now_ns() > end) {
			ktap_diag("fuzzer hung; killing it");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 255;
		}
		kt_sleep_ms(10);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	ktap_diag("fuzzer killed by signal %d", WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

static struct kgo_stats kf_before;

static enum ktap_result kf_fuzz(void *arg)
{
	pid_t pid;

	KT_NEED_DEV();
	if (arg && geteuid() != 0)
		return ktap_skip("needs root to setuid(65534)");
	if (!arg)
		KT_ASSERT(kgo_stats(kt_dev, &kf_before, NULL, 0) >= 0, "stats");
	ktap_diag("seed %llu, %lu calls", kf_seed + !!arg,
		  arg ? kf_calls / 10 : kf_calls);
	pid = kt_spawn(kf_child, arg);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("fuzzer's status", kf_wait(pid), 0);
	return KTAP_PASS;
}

static enum ktap_result kf_fuzz_root(void *arg)
{
	(void)arg;
	return kf_fuzz(NULL);
}

static enum ktap_result kf_fuzz_nobody(void *arg)
{
	(void)arg;
	return kf_fuzz((void *)1);
}

static enum ktap_result kf_still_works(void *arg)
{
	struct kgo_version_info v;
	unsigned long long x = 1234;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("version", kgo_version(kt_dev, &v), 0);
	fd = kt_chan(8, 1);
	KT_ASSERT(fd >= 0, "no channel");
	KT_CHECK("send", kgo_chan_send(fd, &x), 0);
	x = 0;
	KT_CHECK("recv", kgo_chan_recv(fd, &x), 1);
	KT_CHECK("value", x, 1234);
	close(fd);
	fd = kgo_after(kt_dev, KT_MS);
	KT_ASSERT(fd >= 0, "kgo_after: %s", kgo_strerror(fd));
	KT_CHECK("timer", kgo_chan_recv_timeout(fd, &x, KT_HANG_NS), 1);
	close(fd);
	return KTAP_PASS;
}

/* Every channel and timer the fuzzers made is gone once they are. */
static enum ktap_result kf_no_leaks(void *arg)
{
	struct kgo_stats now;
	long long end = kt_now_ns() + KT_HANG_NS;

	(void)arg;
	KT_NEED_DEV();
	for (;;) {
		KT_ASSERT(kgo_stats(kt_dev, &now, NULL, 0) >= 0, "stats");
		if (now.live_chans <= kf_before.live_chans &&
		    now.live_timers <= kf_before.live_timers)
			return KTAP_PASS;
		if (kt_now_ns() > end)
			break;
		kt_sleep_ms(10);
	}
	ktap_diag("live_chans %llu (before %llu), live_timers %llu (before %llu)",
		  (unsigned long long)now.live_chans,
		  (unsigned long long)kf_before.live_chans,
		  (unsigned long long)now.live_timers,
		  (unsigned long long)kf_before.live_timers);
	return KTAP_FAIL;
}

static const struct ktap_case kf_cases[] = {
	{ "fuzz_as_root", kf_fuzz_root },
	{ "fuzz_as_nobody", kf_fuzz_nobody },
	{ "module_works_after_fuzzing", kf_still_works },
	{ "no_leaked_channels_or_timers", kf_no_leaks },
};

int main(int argc, char *argv[])
{
	const char *e;

	e = argc > 1 ? argv[1] : getenv("KGO_FUZZ_CALLS");
	if (e && strtoul(e, NULL, 0))
		kf_calls = strtoul(e, NULL, 0);
	e = argc > 2 ? argv[2] : getenv("KGO_FUZZ_SEED");
	kf_seed = e ? strtoull(e, NULL, 0) : (unsigned long long)kt_now_ns();
	if (!kf_seed)
		kf_seed = 1;
	return kt_main(kf_cases, ARRAY_SIZE(kf_cases));
}
