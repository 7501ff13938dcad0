// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_proc_test: channels between processes and signals: ping-pong over
 * fork, channel fds passed with SCM_RIGHTS between unrelated processes,
 * EINTR and SA_RESTART, SIGKILL of many blocked processes without losing
 * or duplicating a value (checked against a MAP_SHARED log), an
 * unprivileged user, and channel memory charged to the creator's memory
 * cgroup. Prints KTAP.
 */

#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "kgo_selftest.h"

/* --- ping-pong over fork --- */

struct kt_pair {
	int ping, pong;
	unsigned int rounds;
};

static int kt_child_echo(void *arg)
{
	struct kt_pair *p = arg;
	unsigned long long v;
	unsigned int i;

	for (i = 0; i < p->rounds; i++) {
		if (kgo_chan_recv_timeout(p->ping, &v, KT_HANG_NS) != 1)
			return 10;
		v++;
		if (kgo_chan_send_timeout(p->pong, &v, KT_HANG_NS))
			return 11;
	}
	return 0;
}

static enum ktap_result kt_fork_pingpong(void *arg)
{
	struct kt_pair p = { .rounds = 2000 };
	unsigned long long v;
	unsigned int i;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	p.ping = kt_chan(8, 0);
	p.pong = kt_chan(8, 0);
	KT_ASSERT(p.ping >= 0 && p.pong >= 0, "no channel");
	pid = kt_spawn(kt_child_echo, &p);
	KT_ASSERT(pid > 0, "fork");
	for (i = 0; i < p.rounds; i++) {
		v = i * 3ULL;
		KT_CHECK("ping", kgo_chan_send_timeout(p.ping, &v, KT_HANG_NS), 0);
		KT_CHECK("pong", kgo_chan_recv_timeout(p.pong, &v, KT_HANG_NS), 1);
		KT_CHECK("echoed value", v, i * 3ULL + 1);
	}
	KT_CHECK("child's status", kt_wait(pid), 0);
	close(p.ping);
	close(p.pong);
	return KTAP_PASS;
}

/* --- SCM_RIGHTS between unrelated processes --- */

static char kt_sock_name[64];

static void kt_sock_addr(struct sockaddr_un *a, socklen_t *len)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	/* Abstract namespace: a leading NUL, no file to clean up. */
	memcpy(a->sun_path + 1, kt_sock_name, strlen(kt_sock_name));
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(kt_sock_name);
}

static int kt_send_fds(int sock, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	char byte = 'k';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(sizeof(int) * n),
	};
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int kt_recv_fds(int sock, int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int) * n))
		return -1;
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * n);
	return 0;
}

#define KT_SCM_VALUES	500

/*
 * The creator: makes a channel and a reply channel, passes both to the
 * peer, buffers three values, closes its own descriptor of the buffered
 * one... then streams 1..KT_SCM_VALUES over the unbuffered one, closes it
 * (Go's close) and waits for the peer's sum.
 */
static int kt_scm_creator(void *arg)
{
	struct sockaddr_un a;
	unsigned long long v, sum;
	int sock, fds[3], dev, i, c;
	socklen_t len;

	(void)arg;
	dev = kgo_open();
	if (dev < 0)
		return 20;
	fds[0] = kgo_chan_make(dev, 8, 0, KGO_FD_CLOEXEC);
	fds[1] = kgo_chan_make(dev, 8, 0, KGO_FD_CLOEXEC);
	fds[2] = kgo_chan_make(dev, 8, 4, KGO_FD_CLOEXEC);
	close(dev);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		return 21;
	for (v = 100; v < 103; v++)
		if (kgo_chan_send(fds[2], &v))
			return 22;
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	kt_sock_addr(&a, &len);
	for (i = 0; ; i++) {
		if (connect(sock, (struct sockaddr *)&a, len) == 0)
			break;
		if (i > 20000)
			return 23;
		kt_sleep_ms(1);
	}
	if (kt_send_fds(sock, fds, 3))
		return 24;
	/* The peer's copy keeps the buffered channel alive. */
	close(fds[2]);
	for (v = 1; v <= KT_SCM_VALUES; v++)
		if (kgo_chan_send_timeout(fds[0], &v, KT_HANG_NS))
			return 25;
	if (kgo_chan_close(fds[0]))
		return 26;
	c = kgo_chan_recv_timeout(fds[1], &sum, KT_HANG_NS);
	if (c != 1)
		return 27;
	close(sock);
	return sum == KT_SCM_VALUES * (KT_SCM_VALUES + 1ULL) / 2 + 303 ? 0 : 28;
}

static int kt_scm_peer(void *arg)
{
	int lsock = *(int *)arg, sock, fds[3], ret;
	unsigned long long v, sum = 0, n = 0;

	sock = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	if (sock < 0)
		return 30;
	if (kt_recv_fds(sock, fds, 3))
		return 31;
	while ((ret = kgo_chan_recv_timeout(fds[0], &v, KT_HANG_NS)) == 1) {
		if (v != ++n)
			return 32;
		sum += v;
	}
	if (ret != 0 || n != KT_SCM_VALUES)
		return 33;
	for (n = 0; n < 3; n++) {
		if (kgo_chan_tryrecv(fds[2], &v) != 1)
			return 34;
		sum += v;
	}
	if (kgo_chan_send_timeout(fds[1], &sum, KT_HANG_NS))
		return 35;
	close(sock);
	return 0;
}

static enum ktap_result kt_scm_rights(void *arg)
{
	struct sockaddr_un a;
	socklen_t len;
	pid_t c, p;
	int lsock;

	(void)arg;
	KT_NEED_DEV();
	snprintf(kt_sock_name, sizeof(kt_sock_name), "kgo-selftest-%d",
		 (int)getpid());
	lsock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	KT_ASSERT(lsock >= 0, "socket: %s", strerror(errno));
	kt_sock_addr(&a, &len);
	KT_ASSERT(bind(lsock, (struct sockaddr *)&a, len) == 0 &&
		  listen(lsock, 1) == 0, "bind/listen: %s", strerror(errno));
	/* Neither child inherits a channel: the creator makes them. */
	p = kt_spawn(kt_scm_peer, &lsock);
	c = kt_spawn(kt_scm_creator, NULL);
	close(lsock);
	KT_ASSERT(p > 0 && c > 0, "fork");
	KT_CHECK("creator's status", kt_wait(c), 0);
	KT_CHECK("peer's status", kt_wait(p), 0);
	return KTAP_PASS;
}

/* --- signals --- */

static atomic_int kt_sigs;

static void kt_on_sig(int sig)
{
	(void)sig;
	kt_sigs++;
}

static void kt_handle(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kt_on_sig;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

struct kt_sig_child {
	int fd;
	int flags;		/* SA_RESTART or 0 */
	long long timeout;	/* of the blocked receive */
	int pipe_w;		/* the result goes here */
};

static int kt_child_blocked_recv(void *arg)
{
	struct kt_sig_child *sc = arg;
	unsigned long long v = 0;
	int ret;

	sigset_t set;

	kt_handle(SIGUSR1, sc->flags);
	/* Blocked by the parent until the handler is in place. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ret = kgo_chan_recv_op(sc->fd, &v, sc->timeout, 0);
	if (ret == 1 && v != 55)
		ret = -1000;
	if (write(sc->pipe_w, &ret, sizeof(ret)) != sizeof(ret))
		return 40;
	return kt_sigs > 0 ? 0 : 41;
}

/*
 * Signal the child until it writes its result: a signal that comes before
 * it blocks only runs the handler, the next one finds it blocked.
 */
static int kt_signal_until_result(pid_t pid, int pipe_r, int *result)
{
	int i;

	for (i = 0; i < KT_HANG_MS / 5; i++) {
		kill(pid, SIGUSR1);
		if (read(pipe_r, result, sizeof(*result)) == sizeof(*result))
			return 0;
		kt_sleep_ms(5);
	}
	return -1;
}

static enum ktap_result kt_sig_case(int flags, long long timeout, int want)
{
	struct kt_sig_child sc = { .flags = flags, .timeout = timeout };
	int pfd[2], result = 0, st;
	sigset_t set, old;
	pid_t pid;

	KT_NEED_DEV();
	sc.fd = kt_chan(8, 0);
	KT_ASSERT(sc.fd >= 0, "no channel");
	KT_ASSERT(pipe2(pfd, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2");
	sc.pipe_w = pfd[1];
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = kt_spawn(kt_child_blocked_recv, &sc);
	sigprocmask(SIG_SETMASK, &old, NULL);
	KT_ASSERT(pid > 0, "fork");
	if (want == 1) {
		/* SA_RESTART, no timeout: it keeps waiting through signals. */
		unsigned long long v = 55;
		int i;

		for (i = 0; i < 20; i++) {
			kill(pid, SIGUSR1);
			kt_sleep_ms(5);
		}
		KT_CHECK("no result before a value",
			 read(pfd[0], &result, sizeof(result)), -1);
		KT_CHECK("send", kgo_chan_send_timeout(sc.fd, &v, KT_HANG_NS), 0);
		for (i = 0; i < KT_HANG_MS; i++) {
			if (read(pfd[0], &result, sizeof(result)) ==
			    sizeof(result))
				break;
			kt_sleep_ms(1);
		}
	} else {
		KT_ASSERT(kt_signal_until_result(pid, pfd[0], &result) == 0,
			  "the child never returned");
	}
	st = kt_wait(pid);
	close(pfd[0]);
	close(pfd[1]);
	close(sc.fd);
	KT_CHECK("receive's result", result, want);
	KT_CHECK("child's status (41: no signal handled)", st, 0);
	return KTAP_PASS;
}

static enum ktap_result kt_eintr(void *arg)
{
	(void)arg;
	return kt_sig_case(0, KGO_TIMEOUT_FOREVER, -EINTR);
}

static enum ktap_result kt_sa_restart(void *arg)
{
	(void)arg;
	return kt_sig_case(SA_RESTART, KGO_TIMEOUT_FOREVER, 1);
}

static enum ktap_result kt_eintr_timeout(void *arg)
{
	(void)arg;
	/* A wait with a timeout is not restarted, SA_RESTART or not. */
	return kt_sig_case(SA_RESTART, KT_HANG_NS, -EINTR);
}

/* --- SIGKILL --- */

#define KT_KILL_VALUES		4000
#define KT_KILL_RECEIVERS	6
#define KT_KILL_KILLS		60

struct kt_log {
	atomic_uint next;			/* next free slot */
	atomic_uint done;			/* the sender finished */
	unsigned long long slot[KT_KILL_VALUES * 2];
};

struct kt_kill_ctx {
	struct kt_log *log;
	int fd;
};

/* Receive straight into the shared log: a kill can't lose a copy. */
static int kt_kill_receiver(void *arg)
{
	struct kt_kill_ctx *k = arg;
	unsigned int s;
	int ret;

	for (;;) {
		s = atomic_fetch_add(&k->log->next, 1);
		if (s >= ARRAY_SIZE(k->log->slot))
			return 50;
		ret = kgo_chan_recv(k->fd, &k->log->slot[s]);
		if (ret != 1)
			return ret == 0 ? 0 : 51;
	}
}

static int kt_kill_sender(void *arg)
{
	struct kt_kill_ctx *k = arg;
	unsigned long long v;

	for (v = 1; v <= KT_KILL_VALUES; v++)
		if (kgo_chan_send_timeout(k->fd, &v, KT_HANG_NS))
			return 52;
	return 0;
}

static enum ktap_result kt_sigkill_receivers(void *arg)
{
	struct kt_kill_ctx k;
	pid_t rx[KT_KILL_RECEIVERS], tx;
	unsigned char *seen = NULL;
	unsigned long long v, sum = 0, want, xsum = 0, wxsum = 0;
	unsigned int i, logged = 0, drained = 0, kills = 0;
	enum ktap_result res = KTAP_PASS;
	int ret, st;

	(void)arg;
	KT_NEED_DEV();
	srand(getpid());
	k.log = mmap(NULL, sizeof(*k.log), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(k.log != MAP_FAILED, "mmap");
	seen = calloc(KT_KILL_VALUES + 1, 1);
	k.fd = kt_chan(8, 8);
	KT_TRY(seen && k.fd >= 0, "setup");
	for (i = 0; i < KT_KILL_RECEIVERS; i++)
		rx[i] = kt_spawn(kt_kill_receiver, &k);
	tx = kt_spawn(kt_kill_sender, &k);
	KT_TRY(tx > 0, "fork");
	/* Kill receivers at random moments and start new ones. */
	while (kills < KT_KILL_KILLS) {
		usleep(rand() % 3000);
		i = rand() % KT_KILL_RECEIVERS;
		kill(rx[i], SIGKILL);
		waitpid(rx[i], &st, 0);
		kills++;
		rx[i] = kt_spawn(kt_kill_receiver, &k);
		if (waitpid(tx, &st, WNOHANG) == tx) {
			tx = 0;
			KT_TRY(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			       "sender failed: %#x", st);
			break;
		}
	}
	if (tx)
		KT_TRY(kt_wait(tx) == 0, "sender failed");
	/* Everything sent is in the log or the channel: kill the rest. */
	for (i = 0; i < KT_KILL_RECEIVERS; i++) {
		kill(rx[i], SIGKILL);
		waitpid(rx[i], &st, 0);
	}
	while ((ret = kgo_chan_tryrecv(k.fd, &v)) == 1) {
		KT_TRY(v >= 1 && v <= KT_KILL_VALUES, "drained bad value %llu", v);
		KT_TRY(!seen[v]++, "value %llu twice (channel)", v);
		sum += v;
		xsum ^= v * 0x9e3779b97f4a7c15ULL;
		drained++;
	}
	KT_TRY(ret == -EAGAIN, "drain: %s", kgo_strerror(ret));
	for (i = 0; i < ARRAY_SIZE(k.log->slot); i++) {
		v = k.log->slot[i];
		if (!v)
			continue;	/* reserved by a receiver killed waiting */
		KT_TRY(v <= KT_KILL_VALUES, "logged bad value %llu", v);
		KT_TRY(!seen[v]++, "value %llu twice (log)", v);
		sum += v;
		xsum ^= v * 0x9e3779b97f4a7c15ULL;
		logged++;
	}
	want = KT_KILL_VALUES * (KT_KILL_VALUES + 1ULL) / 2;
	for (v = 1; v <= KT_KILL_VALUES; v++)
		wxsum ^= v * 0x9e3779b97f4a7c15ULL;
	ktap_diag("%u kills; %u values logged, %u left in the channel",
		  kills, logged, drained);
	KT_TRY(sum == want && xsum == wxsum,
	       "sum %llu want %llu, checksum %#llx want %#llx", sum, want,
	       xsum, wxsum);
	for (v = 1; v <= KT_KILL_VALUES; v++)
		KT_TRY(seen[v] == 1, "value %llu lost", v);
out:
	if (k.fd >= 0)
		close(k.fd);
	free(seen);
	munmap(k.log, sizeof(*k.log));
	return res;
}

/*
 * Many processes blocked in a send or a receive on one unbuffered channel
 * are SIGKILLed: they all die, and no dead waiter is left in the channel
 * (a send or receive that does not block finds nobody).
 */
static int kt_block_recv(void *arg)
{
	kgo_chan_recv(*(int *)arg, NULL);
	return 70;
}

static int kt_block_send(void *arg)
{
	unsigned long long v = 1;

	kgo_chan_send(*(int *)arg, &v);
	return 71;
}

static enum ktap_result kt_sigkill_blocked(void *arg)
{
	pid_t pid[32];
	struct kgo_select_ucase c[2];
	unsigned long long v = 1;
	int a, b, i;

	(void)arg;
	KT_NEED_DEV();
	a = kt_chan(8, 0);
	b = kt_chan(8, 0);
	KT_ASSERT(a >= 0 && b >= 0, "no channel");
	for (i = 0; i < 32; i++)
		pid[i] = kt_spawn(i & 1 ? kt_block_send : kt_block_recv,
				  i & 1 ? &b : &a);
	/* Wait until a receiver waits on a and a sender on b. */
	c[0] = kgo_case_send(a, &v);
	c[1] = kgo_case_recv(b, NULL);
	kt_sleep_ms(50);
	for (i = 0; i < 32; i++)
		kill(pid[i], SIGKILL);
	for (i = 0; i < 32; i++)
		KT_CHECK("killed child (128 + SIGKILL)", kt_wait(pid[i]),
			 128 + SIGKILL);
	KT_CHECK("send: no receiver left", kgo_chan_trysend(a, &v), -EAGAIN);
	KT_CHECK("recv: no sender left", kgo_chan_tryrecv(b, &v), -EAGAIN);
	KT_CHECK("select: nothing ready", kgo_select(kt_dev, c, 2,
						     KGO_TIMEOUT_NOWAIT),
		 -EAGAIN);
	close(a);
	close(b);
	return KTAP_PASS;
}

/* --- an unprivileged user --- */

static int kt_unpriv_child(void *arg)
{
	unsigned long long ns, v = 8;
	struct kgo_stats st;
	int dev, fd, ret;

	(void)arg;
	if (setgid(65534) < 0 || setuid(65534) < 0)
		return 80;
	dev = kgo_open();
	if (dev < 0) {
		printf("# uid 65534: open %s: %s\n", KGO_DEVICE_PATH,
		       kgo_strerror(dev));
		return 81;
	}
	ret = kgo_bench_spawn(dev, 10, &ns);
	if (ret != -EPERM) {
		printf("# uid 65534: KGO_IOC_BENCH_SPAWN: %s\n",
		       kgo_strerror(ret));
		return 82;
	}
	fd = kgo_chan_make(dev, 8, 1, KGO_FD_CLOEXEC);
	if (fd < 0)
		return 83;
	if (kgo_chan_send(fd, &v) || kgo_chan_recv(fd, &v) != 1 || v != 8)
		return 84;
	if (kgo_stats(dev, &st, NULL, 0) < 0)
		return 85;
	close(fd);
	close(dev);
	return 0;
}

static enum ktap_result kt_unprivileged(void *arg)
{
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to setuid(65534)");
	pid = kt_spawn(kt_unpriv_child, NULL);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("child's status (81: open, 82: BENCH_SPAWN, 83/84: channels)",
		 kt_wait(pid), 0);
	return KTAP_PASS;
}

/* --- channel memory charged to the creator's memory cgroup --- */

#define KT_MEMCG_CHANS	32
#define KT_MEMCG_CAP	32768		/* u64s: 256 KiB a channel, 8 MiB */
#define KT_MEMCG_BYTES	((long long)KT_MEMCG_CHANS * KT_MEMCG_CAP * 8)

static char kt_memcg_dir[256];

static int kt_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static long long kt_memcg_current(void)
{
	char path[300];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", kt_memcg_dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Where cgroup2 is mounted, mounting it if nobody has. */
static const char *kt_cgroup2_root(void)
{
	static char root[200];
	char dev[64], dir[200], type[32];
	FILE *f = fopen("/proc/mounts", "r");

	while (f && fscanf(f, "%63s %199s %31s %*[^\n]", dev, dir, type) == 3) {
		if (!strcmp(type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", dir);
			fclose(f);
			return root;
		}
	}
	if (f)
		fclose(f);
	snprintf(root, sizeof(root), "%s", "/tmp/kgo-cgroup2");
	mkdir(root, 0755);
	return mount("none", root, "cgroup2", 0, NULL) ? NULL : root;
}

/*
 * In its own memory cgroup: channels with 8 MiB of buffers raise
 * memory.current by about that much, and closing them gives it back.
 * The margins cover memcg's per-CPU charge batches.
 */
static int kt_memcg_child(void *arg)
{
	char procs[300];
	long long before, made, freed = -1;
	int fds[KT_MEMCG_CHANS], i, tries;

	(void)arg;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", kt_memcg_dir);
	if (kt_write_str(procs, "0"))
		return 90;
	before = kt_memcg_current();
	for (i = 0; i < KT_MEMCG_CHANS; i++) {
		fds[i] = kt_chan(8, KT_MEMCG_CAP);
		if (fds[i] < 0)
			return 91;
	}
	made = kt_memcg_current();
	for (i = 0; i < KT_MEMCG_CHANS; i++)
		close(fds[i]);
	/* Freed when the last reference goes: after close(), normally. */
	for (tries = 0; tries < 100; tries++) {
		freed = kt_memcg_current();
		if (freed - before < KT_MEMCG_BYTES / 4)
			break;
		kt_sleep_ms(50);
	}
	printf("# memcg: before %lld, with %d channels %lld (+%lld), closed %lld\n",
	       before, KT_MEMCG_CHANS, made, made - before, freed);
	if (before < 0 || made - before < KT_MEMCG_BYTES * 3 / 4)
		return 92;
	return freed - before < KT_MEMCG_BYTES / 4 ? 0 : 93;
}

static enum ktap_result kt_memcg_charged(void *arg)
{
	const char *root;
	char path[300];
	int status;
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to make a cgroup");
	root = kt_cgroup2_root();
	if (!root)
		return ktap_skip("cannot mount cgroup2");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	if (kt_write_str(path, "+memory"))
		return ktap_skip("no memory controller");
	snprintf(kt_memcg_dir, sizeof(kt_memcg_dir), "%s/kgo-memcg-test", root);
	KT_ASSERT(!mkdir(kt_memcg_dir, 0755) || errno == EEXIST, "mkdir %s: %s",
		  kt_memcg_dir, strerror(errno));
	pid = kt_spawn(kt_memcg_child, NULL);
	KT_ASSERT(pid > 0, "fork");
	status = kt_wait(pid);
	rmdir(kt_memcg_dir);
	KT_CHECK("child's status (90: join, 91: make, 92: not charged, 93: not uncharged)",
		 status, 0);
	return KTAP_PASS;
}

static const struct ktap_case kt_cases[] = {
	{ "fork_pingpong", kt_fork_pingpong },
	{ "scm_rights_unrelated_processes", kt_scm_rights },
	{ "signal_eintr_no_sa_restart", kt_eintr },
	{ "signal_sa_restart_no_timeout", kt_sa_restart },
	{ "signal_eintr_with_timeout", kt_eintr_timeout },
	{ "sigkill_receivers_nothing_lost", kt_sigkill_receivers },
	{ "sigkill_blocked_no_dead_waiters", kt_sigkill_blocked },
	{ "unprivileged_user", kt_unprivileged },
	{ "channel_memory_charged_to_memcg", kt_memcg_charged },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
