// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_trust_test: /dev/kgo as a careless or hostile process uses it.
 *
 *  - A value taken is reported: a receive or select whose result fields,
 *    or whose buffer, become unwritable while it waits (mprotect, munmap
 *    by another thread) still succeeds with its value and result; -EFAULT
 *    means that nothing moved.
 *  - A receiver cannot peek at a value it did not take, and a non-blocking
 *    receive that would block does not look at its buffer.
 *  - Unprivileged users are bounded: channel buffer bytes per user (soft
 *    and hard limits, not multiplied by user namespaces), pinned pages
 *    against RLIMIT_MEMLOCK, module parameters checked when set.
 *
 * Each case would have caught the bug it is named after (issue 12).
 */

#include <pthread.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "kgo_selftest.h"

#define KT_PAGE		4096UL

/* Two fresh pages: the first read-write, the second per @second_prot. */
static unsigned char *kt_pages(int second_prot)
{
	unsigned char *p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + KT_PAGE, KT_PAGE, second_prot) < 0) {
		munmap(p, 2 * KT_PAGE);
		return NULL;
	}
	return p;
}

/* Wait until a receiver is blocked on unbuffered @fd (EPOLLOUT). */
static int kt_wait_receiver(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return poll(&p, 1, KT_HANG_MS) == 1 ? 0 : -1;
}

/* A module parameter: read it, write it (0 or -errno). */
static unsigned long kt_param_get(const char *name)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kgo/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static int kt_param_set(const char *name, unsigned long v)
{
	char path[128], buf[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "/sys/module/kgo/parameters/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%lu", v);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/* Drop to uid/gid 65534: no capabilities left. */
static int kt_become_nobody(void)
{
	return setgid(65534) < 0 || setuid(65534) < 0 ? -1 : 0;
}

/* --- a value taken is reported --- */

enum kt_sabotage { KT_MPROTECT, KT_MUNMAP };

struct kt_blocked {
	int ch;
	void *op;		/* a kgo_chan_op or kgo_select_args */
	unsigned long cmd;
	int ret;
};

static void *kt_blocked_ioctl(void *arg)
{
	struct kt_blocked *b = arg;

	b->ret = kt_ioctl(b->ch, b->cmd, b->op);
	return NULL;
}

static void kt_sabotage(void *page, enum kt_sabotage how)
{
	if (how == KT_MPROTECT)
		mprotect(page, KT_PAGE, PROT_READ);
	else
		munmap(page, KT_PAGE);
}

/*
 * A receive blocks with its op struct alone on a page; another thread
 * makes that page read-only or unmaps it; a value is then sent. The
 * receive must succeed with the value, and the value must not stay in
 * the channel (nor be lost: it is in the receiver's buffer).
 */
static enum ktap_result kt_recv_result_sabotaged(enum kt_sabotage how)
{
	enum ktap_result res = KTAP_PASS;
	unsigned char *opage = kt_pages(PROT_READ | PROT_WRITE);
	struct kgo_chan_op *op = (struct kgo_chan_op *)opage;
	unsigned long long got = 0, v = 0x1234567890abcdefULL;
	struct kt_blocked b = { .cmd = KGO_IOC_CHAN_RECV };
	pthread_t t;
	int ch;

	KT_NEED_DEV();
	KT_ASSERT(opage, "mmap");
	ch = kt_chan(8, 0);
	KT_ASSERT(ch >= 0, "chan");
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->elem = (uintptr_t)&got;
	op->timeout_ns = KGO_TIMEOUT_FOREVER;
	b.ch = ch;
	b.op = op;
	KT_TRY(!pthread_create(&t, NULL, kt_blocked_ioctl, &b), "thread");
	KT_TRY(!kt_wait_receiver(ch), "the receiver never blocked");
	kt_sabotage(opage, how);
	KT_TRY(kgo_chan_trysend(ch, &v) == 0, "send to the blocked receiver");
	pthread_join(t, NULL);
	KT_TRY(KT_EXPECT("blocked receive's result", b.ret, 0),
	       "a value taken must be reported");
	KT_TRY(got == v, "value %#llx, want %#llx", got, v);
	if (how == KT_MPROTECT)
		KT_TRY(op->ok == 1, "ok %u, want 1", op->ok);
	KT_TRY(kgo_chan_tryrecv(ch, &got) == -EAGAIN, "value delivered twice");
out:
	close(ch);
	munmap(opage, 2 * KT_PAGE);
	return res;
}

static enum ktap_result kt_recv_result_readonly(void *arg)
{
	(void)arg;
	return kt_recv_result_sabotaged(KT_MPROTECT);
}

static enum ktap_result kt_recv_result_unmapped(void *arg)
{
	(void)arg;
	return kt_recv_result_sabotaged(KT_MUNMAP);
}

/* The same for a select: its case array becomes unwritable while it waits. */
static enum ktap_result kt_select_result_sabotaged(enum kt_sabotage how)
{
	enum ktap_result res = KTAP_PASS;
	unsigned char *cpage = kt_pages(PROT_READ | PROT_WRITE);
	struct kgo_select_ucase *cases = (struct kgo_select_ucase *)cpage;
	unsigned long long got = 0, v = 0xfeedULL;
	struct kgo_select_args args = {
		.size = sizeof(args), .ncases = 2,
		.timeout_ns = KGO_TIMEOUT_FOREVER,
	};
	struct kt_blocked b = { .cmd = KGO_IOC_SELECT };
	int ch, other;
	pthread_t t;

	KT_NEED_DEV();
	KT_ASSERT(cpage, "mmap");
	ch = kt_chan(8, 0);
	other = kt_chan(8, 0);
	KT_ASSERT(ch >= 0 && other >= 0, "chan");
	cases[0] = kgo_case_recv(other, &got);
	cases[1] = kgo_case_recv(ch, &got);
	args.cases = (uintptr_t)cases;
	b.ch = kt_dev;
	b.op = &args;
	KT_TRY(!pthread_create(&t, NULL, kt_blocked_ioctl, &b), "thread");
	KT_TRY(!kt_wait_receiver(ch), "the select never blocked");
	kt_sabotage(cpage, how);
	KT_TRY(kgo_chan_trysend(ch, &v) == 0, "send to the blocked select");
	pthread_join(t, NULL);
	KT_TRY(KT_EXPECT("blocked select's result", b.ret, 1),
	       "a value taken must be reported");
	KT_TRY(got == v, "value %#llx, want %#llx", got, v);
	if (how == KT_MPROTECT)
		KT_TRY(cases[1].ok == 1 && cases[1].err == 0,
		       "case results ok %u err %d", cases[1].ok, cases[1].err);
	KT_TRY(kgo_chan_tryrecv(ch, &got) == -EAGAIN, "value delivered twice");
out:
	close(ch);
	close(other);
	munmap(cpage, 2 * KT_PAGE);
	return res;
}

static enum ktap_result kt_select_result_readonly(void *arg)
{
	(void)arg;
	return kt_select_result_sabotaged(KT_MPROTECT);
}

static enum ktap_result kt_select_result_unmapped(void *arg)
{
	(void)arg;
	return kt_select_result_sabotaged(KT_MUNMAP);
}

struct kt_blocked_read {
	int ch;
	void *buf;
	ssize_t ret;
};

static void *kt_blocked_read(void *arg)
{
	struct kt_blocked_read *b = arg;

	b->ret = read(b->ch, b->buf, 8);
	if (b->ret < 0)
		b->ret = -errno;
	return NULL;
}

/* read(2) whose buffer turns read-only while it waits: the value lands. */
static enum ktap_result kt_read_buffer_readonly(void *arg)
{
	enum ktap_result res = KTAP_PASS;
	unsigned char *page = kt_pages(PROT_READ | PROT_WRITE);
	unsigned long long v = 0xabcdef, got;
	struct kt_blocked_read b;
	pthread_t t;
	int ch;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(page, "mmap");
	ch = kt_chan(8, 0);
	KT_ASSERT(ch >= 0, "chan");
	b.ch = ch;
	b.buf = page;
	KT_TRY(!pthread_create(&t, NULL, kt_blocked_read, &b), "thread");
	KT_TRY(!kt_wait_receiver(ch), "the reader never blocked");
	mprotect(page, KT_PAGE, PROT_READ);
	KT_TRY(kgo_chan_trysend(ch, &v) == 0, "send to the blocked reader");
	pthread_join(t, NULL);
	KT_TRY(KT_EXPECT("read", b.ret, 8), "a value taken must be reported");
	memcpy(&got, page, sizeof(got));
	KT_TRY(got == v, "value %#llx, want %#llx", got, v);
out:
	close(ch);
	munmap(page, 2 * KT_PAGE);
	return res;
}

/*
 * A buffered value whose destination straddles into an unmapped page: the
 * receive fails, the mapped half must not show the value, and the next
 * receiver gets it whole.
 */
static enum ktap_result kt_no_peek(void *arg)
{
	enum ktap_result res = KTAP_PASS;
	unsigned char *p = kt_pages(PROT_NONE), v[64], got[64];
	unsigned char *dst;
	size_t i;
	int ch;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(p, "mmap");
	ch = kt_chan(sizeof(v), 4);
	KT_ASSERT(ch >= 0, "chan");
	memset(v, 0x5a, sizeof(v));
	KT_TRY(kgo_chan_send(ch, v) == 0, "send");
	dst = p + KT_PAGE - 32;
	memset(dst, 0xee, 32);
	KT_TRY(KT_EXPECT("receive into a half-mapped buffer",
			 kgo_chan_tryrecv(ch, dst), -EFAULT), "EFAULT");
	for (i = 0; i < 32; i++)
		KT_TRY(dst[i] != 0x5a, "byte %zu of a value not taken is visible", i);
	KT_TRY(kgo_chan_len(ch) == 1, "the value left the channel");
	KT_TRY(kgo_chan_recv(ch, got) == 1 && !memcmp(got, v, sizeof(v)),
	       "the next receiver did not get the value whole");
out:
	close(ch);
	munmap(p, 2 * KT_PAGE);
	return res;
}

/*
 * A non-blocking receive that would block says EAGAIN without looking at
 * its buffer: a kernel address, an unmapped page, any element size, any
 * channel kind, ioctl or read(2).
 */
static enum ktap_result kt_nonblock_bad_buffer(void *arg)
{
	static const struct { unsigned int size, cap; } kinds[] = {
		{ 8, 0 }, { 8, 4 }, { 1024, 0 }, { 1024, 4 },
	};
	unsigned char *p = kt_pages(PROT_NONE);
	void *bad[] = { (void *)0xffffffff81000000UL, NULL };
	enum ktap_result res = KTAP_PASS;
	size_t k, b;
	int ch;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(p, "mmap");
	bad[1] = p + KT_PAGE;
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		ch = kgo_chan_make(kt_dev, kinds[k].size, kinds[k].cap,
				   KGO_FD_CLOEXEC | KGO_FD_NONBLOCK);
		KT_TRY(ch >= 0, "chan");
		for (b = 0; b < ARRAY_SIZE(bad); b++) {
			int r = kgo_chan_recv_op(ch, bad[b], KGO_TIMEOUT_NOWAIT,
						 0);
			/* read(2) of a kernel address is the VFS's EFAULT. */
			ssize_t n = b ? read(ch, bad[b], kinds[k].size) : -1;

			if (!b)
				errno = EAGAIN;
			if (!KT_EXPECT("non-blocking receive", r, -EAGAIN) ||
			    !KT_EXPECT("O_NONBLOCK read", n < 0 ? -errno : n,
				       -EAGAIN)) {
				ktap_diag("elem %u cap %u buffer %p",
					  kinds[k].size, kinds[k].cap, bad[b]);
				res = KTAP_FAIL;
			}
		}
		close(ch);
	}
out:
	munmap(p, 2 * KT_PAGE);
	return res;
}

/* KGO_IOC_CHAN_RECV writes back the size it understood, as the rule says. */
static enum ktap_result kt_recv_size_written_back(void *arg)
{
	struct {
		struct kgo_chan_op op;
		unsigned char tail[8];
	} big;
	/* 8 bytes: the buffered fast path; 512: the pinned path. */
	static const unsigned int sizes[] = { 8, 512 };
	unsigned char v[512] = { 7 }, got[512];
	unsigned int i;
	int ch;

	(void)arg;
	KT_NEED_DEV();
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ch = kt_chan(sizes[i], 2);
		KT_ASSERT(ch >= 0, "chan");
		KT_ASSERT(kgo_chan_send(ch, v) == 0, "send");
		memset(&big, 0, sizeof(big));
		big.op.size = sizeof(big);
		big.op.elem = (uintptr_t)got;
		big.op.timeout_ns = KGO_TIMEOUT_FOREVER;
		KT_CHECK("receive with a longer struct",
			 kt_ioctl(ch, KGO_IOC_CHAN_RECV, &big), 0);
		KT_CHECK("size written back", big.op.size,
			 KGO_CHAN_OP_SIZE_VER0);
		KT_CHECK("ok", big.op.ok, 1);
		KT_CHECK("value", got[0], 7);
		close(ch);
	}
	return KTAP_PASS;
}

/* --- unprivileged users are bounded --- */

/* VmPin of this process, in kB; -1 if unknown. */
static long kt_vmpin_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

struct kt_pinner {
	int ch;
	void *buf;
	int ret;
};

static void *kt_pinned_recv(void *arg)
{
	struct kt_pinner *p = arg;

	p->ret = kgo_chan_recv(p->ch, p->buf);
	return NULL;
}

/*
 * As uid 65534 with RLIMIT_MEMLOCK 64 KiB: a blocked receive shows in
 * VmPin, pins past the limit fail with ENOMEM, and all is unpinned after.
 */
static int kt_child_memlock(void *arg)
{
	struct rlimit rl = { 64 << 10, 64 << 10 };
	unsigned char *big = mmap(NULL, 2 * 65536, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *page = kt_pages(PROT_READ | PROT_WRITE);
	struct kt_pinner p;
	unsigned long long v = 99;
	pthread_t t;
	long kb;
	int big_ch, ch;

	(void)arg;
	if (big == MAP_FAILED || !page)
		return 70;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0 || kt_become_nobody())
		return 71;
	/* 64 KiB element, not page aligned: 17 pages, past the limit. */
	big_ch = kgo_chan_make(kt_dev, 65536, 0, KGO_FD_CLOEXEC);
	if (big_ch < 0)
		return 72;
	if (kgo_chan_recv_timeout(big_ch, big + 8, 1000000) != -ENOMEM)
		return 73;
	ch = kgo_chan_make(kt_dev, 8, 0, KGO_FD_CLOEXEC);
	if (ch < 0)
		return 74;
	p.ch = ch;
	p.buf = page;
	if (pthread_create(&t, NULL, kt_pinned_recv, &p))
		return 75;
	if (kt_wait_receiver(ch))
		return 76;
	kb = kt_vmpin_kb();
	printf("# blocked receive of 8 bytes: VmPin %ld kB\n", kb);
	if (kb < 4)
		return 77;
	if (kgo_chan_send(ch, &v) != 0)
		return 78;
	pthread_join(t, NULL);
	if (p.ret != 1 || memcmp(page, &v, sizeof(v)))
		return 79;
	kb = kt_vmpin_kb();
	if (kb != 0) {
		printf("# VmPin %ld kB after the receive\n", kb);
		return 80;
	}
	fflush(stdout);
	return 0;
}

static enum ktap_result kt_pins_memlock(void *arg)
{
	pid_t pid;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to setuid(65534)");
	pid = kt_spawn(kt_child_memlock, NULL);
	KT_ASSERT(pid > 0, "fork");
	KT_CHECK("child's status (see kt_child_memlock)", kt_wait(pid), 0);
	return KTAP_PASS;
}

#define KT_SOFT		(1024UL * 1024)
#define KT_HARD		(2048UL * 1024)
#define KT_MAX_FDS	2048

/*
 * Make 512 KiB channels, then one-page ones, until the limits refuse;
 * return the buffer bytes obtained, or -1 on an unexpected error. The fds
 * stay open (the caller exits).
 */
static long kt_fill_budget(int *big_refused)
{
	long bytes = 0;
	int fd, n;

	*big_refused = 0;
	for (n = 0; n < KT_MAX_FDS; n++) {
		fd = kgo_chan_make(kt_dev, 65536, 8, KGO_FD_CLOEXEC);
		if (fd == -ENOBUFS) {
			*big_refused = 1;
			break;
		}
		if (fd < 0)
			return -1;
		bytes += 65536 * 8;
	}
	for (; n < KT_MAX_FDS; n++) {
		fd = kgo_chan_make(kt_dev, 1024, 4, KGO_FD_CLOEXEC);
		if (fd == -ENOBUFS)
			return bytes;
		if (fd < 0)
			return -1;
		bytes += 4096;
	}
	return -1;
}

static int kt_child_budget(void *arg)
{
	int big_refused;
	long bytes;

	(void)arg;
	if (kt_become_nobody())
		return 81;
	bytes = kt_fill_budget(&big_refused);
	printf("# uid 65534: %ld buffer bytes, big channel refused: %d\n",
	       bytes, big_refused);
	fflush(stdout);
	/* Two 512 KiB channels reach the soft limit; pages to the hard. */
	if (bytes < 0 || !big_refused || bytes > (long)KT_HARD ||
	    bytes < (long)KT_HARD - 4096)
		return 82;
	return 0;
}

struct kt_params {
	unsigned long soft, hard;
};

static void kt_budget_set(struct kt_params *saved)
{
	saved->soft = kt_param_get("user_buf_bytes_soft");
	saved->hard = kt_param_get("user_buf_bytes_hard");
	kt_param_set("user_buf_bytes_soft", KT_SOFT);
	kt_param_set("user_buf_bytes_hard", KT_HARD);
}

static void kt_budget_restore(const struct kt_params *saved)
{
	kt_param_set("user_buf_bytes_soft", saved->soft);
	kt_param_set("user_buf_bytes_hard", saved->hard);
}

/* The per-user buffer budget, with root exempt. */
static enum ktap_result kt_user_budget(void *arg)
{
	enum ktap_result res = KTAP_PASS;
	struct kt_params saved;
	pid_t pid;
	int fd;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to set parameters and setuid");
	kt_budget_set(&saved);
	KT_TRY(kt_param_get("user_buf_bytes_hard") == KT_HARD,
	       "cannot set user_buf_bytes_hard");
	pid = kt_spawn(kt_child_budget, NULL);
	KT_TRY(pid > 0, "fork");
	KT_TRY(KT_EXPECT("child's status (see kt_child_budget)", kt_wait(pid),
			 0), "budget");
	/* Root (CAP_SYS_RESOURCE) is exempt, as with pipes. */
	fd = kgo_chan_make(kt_dev, 65536, 64, KGO_FD_CLOEXEC);
	KT_TRY(KT_EXPECT("root's 4 MiB channel", fd < 0 ? fd : 0, 0), "root");
	close(fd);
out:
	kt_budget_restore(&saved);
	return res;
}

/*
 * A user with a range of uids in a user namespace of their own (as a
 * subuid range gives) shares one budget across them: the owner of the
 * namespace is charged too. Child A: uid 1000, unshares a user namespace;
 * root maps 0-2 in it to 300000-300002; A's children take one uid each and
 * fill the budget: together they get no more than one user's hard limit.
 */
struct kt_member {
	uid_t uid;
	int result;	/* write end: the bytes obtained, as a long */
	int hold;	/* read end: keep the channels until it closes */
	int hold_w;	/* the owner's write end, closed in the member */
};

static int kt_userns_member(void *arg)
{
	struct kt_member *m = arg;
	int big_refused;
	long bytes;
	char c;

	close(m->hold_w);
	if (setresgid(0, 0, 0) < 0 || setresuid(m->uid, m->uid, m->uid) < 0)
		bytes = -2;
	else
		bytes = kt_fill_budget(&big_refused);
	printf("# uid %u in the namespace: %ld buffer bytes\n", m->uid, bytes);
	fflush(stdout);
	if (write(m->result, &bytes, sizeof(bytes)) != sizeof(bytes))
		return 1;
	/* Hold every channel until the owner has heard from all of us. */
	while (read(m->hold, &c, 1) > 0)
		;
	return 0;
}

static int kt_userns_owner(void *arg)
{
	int *sync = arg, result[2], hold[2];
	struct kt_member m;
	pid_t pids[3];
	long total = 0, bytes;
	char c;
	int i;

	close(sync[1]);
	close(sync[2]);
	if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
		return 91;
	if (unshare(CLONE_NEWUSER) < 0)
		return 92;
	/* Tell root to write the maps; wait until it has. */
	if (write(sync[3], "u", 1) != 1 || read(sync[0], &c, 1) != 1)
		return 93;
	if (pipe(result) || pipe(hold))
		return 94;
	for (i = 0; i < 3; i++) {
		m = (struct kt_member){ i, result[1], hold[0], hold[1] };
		pids[i] = kt_spawn(kt_userns_member, &m);
		if (pids[i] < 0 ||
		    read(result[0], &bytes, sizeof(bytes)) != sizeof(bytes) ||
		    bytes < 0)
			return 95;
		total += bytes;
	}
	close(hold[1]);
	for (i = 0; i < 3; i++)
		kt_wait(pids[i]);
	printf("# three uids of one owner: %ld buffer bytes (hard limit %lu)\n",
	       total, KT_HARD);
	fflush(stdout);
	return total > (long)KT_HARD ? 96 : 0;
}

static int kt_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

static enum ktap_result kt_user_budget_userns(void *arg)
{
	enum ktap_result res = KTAP_PASS;
	int sync[4] = { -1, -1, -1, -1 };
	struct kt_params saved;
	char path[64];
	pid_t pid;
	int i;
	char c;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to write uid maps");
	KT_ASSERT(!pipe(sync) && !pipe(sync + 2), "pipe");
	kt_budget_set(&saved);
	pid = kt_spawn(kt_userns_owner, sync);
	KT_TRY(pid > 0, "fork");
	/* The child's ends: a child that dies early then reads as EOF. */
	close(sync[0]);
	close(sync[3]);
	sync[0] = -1;
	sync[3] = -1;
	if (read(sync[2], &c, 1) != 1) {
		/* The child could not unshare: it says why by its status. */
		int st = kt_wait(pid);

		kt_budget_restore(&saved);
		if (st == 92)
			return ktap_skip("no user namespaces here");
		KT_ASSERT(0, "owner child failed early: %d", st);
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	KT_TRY(!kt_write_file(path, "0 300000 3\n"), "uid_map");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	KT_TRY(!kt_write_file(path, "0 300000 3\n"), "gid_map");
	KT_TRY(write(sync[1], "m", 1) == 1, "sync");
	KT_TRY(KT_EXPECT("owner child's status (96: budget multiplied)",
			 kt_wait(pid), 0), "userns budget");
out:
	kt_budget_restore(&saved);
	for (i = 0; i < 4; i++)
		if (sync[i] >= 0)
			close(sync[i]);
	return res;
}

/*
 * Root's knobs are checked when set: no value can make a later channel
 * operation warn or fail, and the largest element allowed is usable.
 */
static enum ktap_result kt_param_ranges(void *arg)
{
	unsigned long elem = kt_param_get("max_elem_size");
	unsigned long bytes = kt_param_get("max_chan_bytes");
	enum ktap_result res = KTAP_PASS;
	unsigned char *v = NULL, *got = NULL;
	int ch = -1;

	(void)arg;
	KT_NEED_DEV();
	if (geteuid() != 0)
		return ktap_skip("needs root to set parameters");
	KT_TRY(KT_EXPECT("max_elem_size 131072",
			 kt_param_set("max_elem_size", 131072), -EINVAL),
	       "refused");
	KT_TRY(KT_EXPECT("max_chan_bytes 4 GiB",
			 kt_param_set("max_chan_bytes", 4UL << 30), -EINVAL),
	       "refused");
	KT_TRY(KT_EXPECT("max_chan_bytes 1 GiB",
			 kt_param_set("max_chan_bytes", 1UL << 30), 0), "set");
	KT_TRY(kt_param_get("max_chan_bytes") == 1UL << 30, "not set");
	KT_TRY(kt_param_get("max_elem_size") == elem, "changed by a refusal");
	/* The largest element goes through every receive path. */
	v = malloc(65536 + 1);
	got = malloc(65536 + 1);
	KT_TRY(v && got, "malloc");
	memset(v, 0x3c, 65536);
	ch = kt_chan(65536, 1);
	KT_TRY(ch >= 0, "a channel of 64 KiB elements");
	KT_TRY(kgo_chan_send(ch, v) == 0, "send");
	KT_TRY(kgo_chan_recv_timeout(ch, got + 1, KT_HANG_NS) == 1 &&
	       !memcmp(got + 1, v, 65536), "receive (pinned, 17 pages)");
	KT_TRY(kgo_chan_send(ch, v) == 0, "send");
	KT_TRY(read(ch, got, 65536) == 65536 && !memcmp(got, v, 65536),
	       "read(2)");
out:
	if (ch >= 0)
		close(ch);
	free(v);
	free(got);
	kt_param_set("max_chan_bytes", bytes);
	kt_param_set("max_elem_size", elem);
	return res;
}

static const struct ktap_case kt_cases[] = {
	{ "recv_result_readonly_while_blocked", kt_recv_result_readonly },
	{ "recv_result_unmapped_while_blocked", kt_recv_result_unmapped },
	{ "select_result_readonly_while_blocked", kt_select_result_readonly },
	{ "select_result_unmapped_while_blocked", kt_select_result_unmapped },
	{ "read_buffer_readonly_while_blocked", kt_read_buffer_readonly },
	{ "no_peek_at_a_value_not_taken", kt_no_peek },
	{ "nonblock_recv_ignores_bad_buffer", kt_nonblock_bad_buffer },
	{ "recv_writes_back_size", kt_recv_size_written_back },
	{ "pins_count_against_memlock", kt_pins_memlock },
	{ "per_user_buffer_budget", kt_user_budget },
	{ "per_user_budget_across_userns", kt_user_budget_userns },
	{ "param_ranges", kt_param_ranges },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
