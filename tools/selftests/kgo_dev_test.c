// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_dev_test: /dev/kgo and KGO_IOC_VERSION seen from userspace, including
 * every errno rule of the extensible-struct ABI. Prints KTAP version 1 and
 * exits 0 iff no case failed.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <kgo/kgo.h>

#include "libkgo.h"
#include "ktap.h"

/* kgo_version_info as a caller with a newer, larger header sees it. */
struct kgo_test_big_info {
	struct kgo_version_info info;
	unsigned char tail[64];
};

#define KGO_TEST_IOC_BIG	_IOWR(KGO_IOC_MAGIC, 0x00, struct kgo_test_big_info)
#define KGO_TEST_IOC_OTHER_MAGIC \
	_IOWR(KGO_IOC_MAGIC + 1, 0x00, struct kgo_version_info)
#define KGO_TEST_IOC_UNUSED_NR	_IO(KGO_IOC_MAGIC, 0xff)
#define KGO_TEST_IOC_WRONG_DIR	_IO(KGO_IOC_MAGIC, 0x00)

/* Largest size the kernel accepts in an extensible struct (see the UAPI). */
#define KGO_TEST_SIZE_MAX	4096

struct kgo_test_ctx {
	int fd;		/* /dev/kgo, or -1 */
};

/* 0 or -errno, like libkgo. */
static int kgo_test_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Compare a 0-or-negative-errno result with the one the ABI promises. */
static enum ktap_result kgo_test_expect(const char *what, int got, int want)
{
	if (got == want)
		return KTAP_PASS;
	ktap_diag("%s: got %d (%s), want %d (%s)", what, got,
		  got ? strerror(-got) : "success", want,
		  want ? strerror(-want) : "success");
	return KTAP_FAIL;
}

/* A KGO_IOC_VERSION argument that the kernel accepts. */
static void kgo_test_init_info(struct kgo_version_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
}

/* For the cases that need the descriptor the first case opened. */
static enum ktap_result kgo_test_no_fd(void)
{
	return ktap_skip("%s did not open", KGO_DEVICE_PATH);
}

/* One ioctl on the device, and the 0 or -errno the ABI promises for it. */
static enum ktap_result kgo_test_expect_ioctl(struct kgo_test_ctx *ctx,
					      const char *what,
					      unsigned long cmd, void *arg,
					      int want)
{
	if (ctx->fd < 0)
		return kgo_test_no_fd();
	return kgo_test_expect(what, kgo_test_ioctl(ctx->fd, cmd, arg), want);
}

static enum ktap_result kgo_test_open(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct stat st;
	int fd;

	if (stat(KGO_DEVICE_PATH, &st) < 0) {
		ktap_diag("stat %s: %s (is kgo.ko loaded?)", KGO_DEVICE_PATH,
			  strerror(errno));
		return KTAP_FAIL;
	}
	if (!S_ISCHR(st.st_mode)) {
		ktap_diag("%s is not a character device", KGO_DEVICE_PATH);
		return KTAP_FAIL;
	}
	fd = kgo_open();
	if (fd < 0) {
		ktap_diag("kgo_open: %s", kgo_strerror(fd));
		return KTAP_FAIL;
	}
	ctx->fd = fd;
	return KTAP_PASS;
}

static enum ktap_result kgo_test_cloexec(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	int flags;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	flags = fcntl(ctx->fd, F_GETFD);
	if (flags < 0 || !(flags & FD_CLOEXEC)) {
		ktap_diag("F_GETFD: %d, FD_CLOEXEC missing", flags);
		return KTAP_FAIL;
	}
	return KTAP_PASS;
}

static enum ktap_result kgo_test_version_abi(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct kgo_version_info info;
	int ret;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	ret = kgo_version(ctx->fd, &info);
	if (ret)
		return kgo_test_expect("kgo_version", ret, 0);
	if (info.abi_major != KGO_ABI_VERSION_MAJOR ||
	    info.abi_minor != KGO_ABI_VERSION_MINOR) {
		ktap_diag("ABI %u.%u, want %u.%u", info.abi_major,
			  info.abi_minor, KGO_ABI_VERSION_MAJOR,
			  KGO_ABI_VERSION_MINOR);
		return KTAP_FAIL;
	}
	if (info.size != sizeof(info)) {
		ktap_diag("size %u, want %zu", info.size, sizeof(info));
		return KTAP_FAIL;
	}
	return KTAP_PASS;
}

static enum ktap_result kgo_test_version_release(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct kgo_version_info info;
	int ret;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	/* Poison: a release the kernel did not terminate stays unterminated. */
	memset(info.release, 'x', sizeof(info.release));
	info.size = sizeof(info);
	info.flags = 0;
	info.reserved = 0;
	ret = kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, &info);
	if (ret)
		return kgo_test_expect("KGO_IOC_VERSION", ret, 0);
	if (!memchr(info.release, '\0', sizeof(info.release))) {
		ktap_diag("release is not NUL-terminated");
		return KTAP_FAIL;
	}
	if (!info.release[0]) {
		ktap_diag("release is empty");
		return KTAP_FAIL;
	}
	ktap_diag("release %s", info.release);
	return KTAP_PASS;
}

static enum ktap_result kgo_test_version_nprocs(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct kgo_version_info info;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	ret = kgo_version(ctx->fd, &info);
	if (ret)
		return kgo_test_expect("kgo_version", ret, 0);
	if (info.nprocs == 0 || (online > 0 && (long)info.nprocs > online)) {
		ktap_diag("nprocs %u, online CPUs %ld", info.nprocs, online);
		return KTAP_FAIL;
	}
	return KTAP_PASS;
}

static enum ktap_result kgo_test_size_too_small(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct kgo_version_info info;
	enum ktap_result res;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	kgo_test_init_info(&info);
	info.size = KGO_VERSION_INFO_SIZE_VER0 - 1;
	res = kgo_test_expect("size VER0 - 1",
			      kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, &info),
			      -EINVAL);
	if (res != KTAP_PASS)
		return res;
	info.size = 0;
	return kgo_test_expect("size 0",
			       kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, &info),
			       -EINVAL);
}

static enum ktap_result kgo_test_size_larger_zero_tail(void *arg)
{
	struct kgo_test_ctx *ctx = arg;
	struct kgo_test_big_info big;
	size_t i;
	int ret;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	ret = kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, &big);
	if (ret)
		return kgo_test_expect("larger size, zero tail", ret, 0);
	/* The kernel fills in what it knows and says how much that was. */
	if (big.info.size != sizeof(big.info)) {
		ktap_diag("size written back %u, want %zu", big.info.size,
			  sizeof(big.info));
		return KTAP_FAIL;
	}
	for (i = 0; i < sizeof(big.tail); i++) {
		if (big.tail[i]) {
			ktap_diag("kernel wrote tail byte %zu", i);
			return KTAP_FAIL;
		}
	}
	return KTAP_PASS;
}

static enum ktap_result kgo_test_size_larger_nonzero_tail(void *arg)
{
	struct kgo_test_big_info big;

	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	/* A field this kernel does not know, set by a newer caller. */
	big.tail[sizeof(big.tail) - 1] = 1;
	return kgo_test_expect_ioctl(arg, "larger size, non-zero tail",
				     KGO_IOC_VERSION, &big, -E2BIG);
}

static enum ktap_result kgo_test_size_over_limit(void *arg)
{
	static struct {
		struct kgo_version_info info;
		unsigned char tail[KGO_TEST_SIZE_MAX];
	} huge;
	struct kgo_test_ctx *ctx = arg;
	struct kgo_version_info *info = &huge.info;
	enum ktap_result res;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	memset(&huge, 0, sizeof(huge));
	info->size = sizeof(huge);
	res = kgo_test_expect("size over the limit, zero tail",
			      kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, info),
			      -E2BIG);
	if (res != KTAP_PASS)
		return res;
	/* Refused from the size alone: the buffer is not that large. */
	info->size = 0xffffffff;
	return kgo_test_expect("size 0xffffffff",
			       kgo_test_ioctl(ctx->fd, KGO_IOC_VERSION, info),
			       -E2BIG);
}

static enum ktap_result kgo_test_size_bits_ignored(void *arg)
{
	struct kgo_test_big_info big;

	/* What a binary built against a newer, larger header would send. */
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	return kgo_test_expect_ioctl(arg, "ioctl number with a larger size",
				     KGO_TEST_IOC_BIG, &big, 0);
}

static enum ktap_result kgo_test_flags_nonzero(void *arg)
{
	struct kgo_version_info info;

	kgo_test_init_info(&info);
	info.flags = 1;
	return kgo_test_expect_ioctl(arg, "flags 1", KGO_IOC_VERSION, &info,
				     -EINVAL);
}

static enum ktap_result kgo_test_reserved_nonzero(void *arg)
{
	struct kgo_version_info info;

	kgo_test_init_info(&info);
	info.reserved = 1;
	return kgo_test_expect_ioctl(arg, "reserved 1", KGO_IOC_VERSION, &info,
				     -EINVAL);
}

static enum ktap_result kgo_test_null_pointer(void *arg)
{
	return kgo_test_expect_ioctl(arg, "NULL argument", KGO_IOC_VERSION,
				     NULL, -EFAULT);
}

static enum ktap_result kgo_test_unknown_magic(void *arg)
{
	struct kgo_version_info info;

	kgo_test_init_info(&info);
	return kgo_test_expect_ioctl(arg, "KGO_IOC_VERSION with another magic",
				     KGO_TEST_IOC_OTHER_MAGIC, &info, -ENOTTY);
}

static enum ktap_result kgo_test_unknown_nr(void *arg)
{
	enum ktap_result res;

	res = kgo_test_expect_ioctl(arg, "kgo magic, unused nr",
				    KGO_TEST_IOC_UNUSED_NR, NULL, -ENOTTY);
	if (res != KTAP_PASS)
		return res;
	return kgo_test_expect_ioctl(arg, "KGO_IOC_VERSION's nr, wrong direction",
				     KGO_TEST_IOC_WRONG_DIR, NULL, -ENOTTY);
}

/* The device moves no data: read(2) or write(2) of a byte fails. */
static enum ktap_result kgo_test_io_fails(struct kgo_test_ctx *ctx,
					  bool is_write)
{
	const char *what = is_write ? "write(2)" : "read(2)";
	char c = 0;
	ssize_t n;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	n = is_write ? write(ctx->fd, &c, 1) : read(ctx->fd, &c, 1);
	if (n >= 0) {
		ktap_diag("%s succeeded", what);
		return KTAP_FAIL;
	}
	ktap_diag("%s: %s", what, strerror(errno));
	return KTAP_PASS;
}

static enum ktap_result kgo_test_read_fails(void *arg)
{
	return kgo_test_io_fails(arg, false);
}

static enum ktap_result kgo_test_write_fails(void *arg)
{
	return kgo_test_io_fails(arg, true);
}

static enum ktap_result kgo_test_lseek_fails(void *arg)
{
	struct kgo_test_ctx *ctx = arg;

	if (ctx->fd < 0)
		return kgo_test_no_fd();
	if (lseek(ctx->fd, 0, SEEK_SET) >= 0)
		return kgo_test_expect("lseek(2)", 0, -ESPIPE);
	return kgo_test_expect("lseek(2)", -errno, -ESPIPE);
}

/* libkgo's own error paths; they need no kgo device. */
static enum ktap_result kgo_test_lib_errors(void *arg)
{
	struct kgo_version_info info;
	enum ktap_result res;
	int fd;

	(void)arg;
	res = kgo_test_expect("kgo_version(-1, NULL)", kgo_version(-1, NULL),
			      -EINVAL);
	if (res != KTAP_PASS)
		return res;
	res = kgo_test_expect("kgo_version(-1, &info)",
			      kgo_version(-1, &info), -EBADF);
	if (res != KTAP_PASS)
		return res;

	/* Not a kgo device: the ioctl is not understood. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ktap_skip("/dev/null: %s", strerror(errno));
	res = kgo_test_expect("kgo_version on /dev/null",
			      kgo_version(fd, &info), -ENOTTY);
	close(fd);
	return res;
}

static const struct ktap_case kgo_test_cases[] = {
	{ "dev_open", kgo_test_open },
	{ "dev_cloexec", kgo_test_cloexec },
	{ "version_abi", kgo_test_version_abi },
	{ "version_release", kgo_test_version_release },
	{ "version_nprocs", kgo_test_version_nprocs },
	{ "size_too_small", kgo_test_size_too_small },
	{ "size_larger_zero_tail", kgo_test_size_larger_zero_tail },
	{ "size_larger_nonzero_tail", kgo_test_size_larger_nonzero_tail },
	{ "size_over_limit", kgo_test_size_over_limit },
	{ "size_bits_ignored", kgo_test_size_bits_ignored },
	{ "flags_nonzero", kgo_test_flags_nonzero },
	{ "reserved_nonzero", kgo_test_reserved_nonzero },
	{ "null_pointer", kgo_test_null_pointer },
	{ "unknown_magic", kgo_test_unknown_magic },
	{ "unknown_nr", kgo_test_unknown_nr },
	{ "read_fails", kgo_test_read_fails },
	{ "write_fails", kgo_test_write_fails },
	{ "lseek_fails", kgo_test_lseek_fails },
	{ "lib_errors", kgo_test_lib_errors },
};

int main(void)
{
	struct kgo_test_ctx ctx = { .fd = -1 };
	int ret;

	ret = ktap_run(kgo_test_cases, ARRAY_SIZE(kgo_test_cases), &ctx);
	if (ctx.fd >= 0)
		close(ctx.fd);
	return ret;
}
