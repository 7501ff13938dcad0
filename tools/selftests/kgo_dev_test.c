// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_dev_test: /dev/kgo and KGO_IOC_VERSION seen from userspace, including
 * every errno rule of the extensible-struct ABI. Prints KTAP version 1 and
 * exits 0 iff no case failed.
 */

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "kgo_selftest.h"

/* kgo_version_info as a caller with a newer, larger header sees it. */
struct kt_big_info {
	struct kgo_version_info info;
	unsigned char tail[64];
};

#define KT_IOC_BIG		_IOWR(KGO_IOC_MAGIC, 0x00, struct kt_big_info)
#define KT_IOC_OTHER_MAGIC	_IOWR(KGO_IOC_MAGIC + 1, 0x00, struct kgo_version_info)
#define KT_IOC_UNUSED_NR	_IO(KGO_IOC_MAGIC, 0xff)
#define KT_IOC_WRONG_DIR	_IO(KGO_IOC_MAGIC, 0x00)

/* Largest size the kernel accepts in an extensible struct (see the UAPI). */
#define KT_SIZE_MAX		4096

/* A KGO_IOC_VERSION argument that the kernel accepts. */
static void kt_init_info(struct kgo_version_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
}

/* One ioctl on the device, and the 0 or -errno the ABI promises for it. */
static enum ktap_result kt_expect_ioctl(const char *what, unsigned long cmd,
					void *arg, int want)
{
	KT_NEED_DEV();
	KT_CHECK(what, kt_ioctl(kt_dev, cmd, arg), want);
	return KTAP_PASS;
}

/* The device node, and the descriptor kt_main() opened on it. */
static enum ktap_result kt_open(void *arg)
{
	struct stat st;

	(void)arg;
	KT_NEED_DEV();
	KT_ASSERT(stat(KGO_DEVICE_PATH, &st) == 0, "stat %s: %s",
		  KGO_DEVICE_PATH, strerror(errno));
	KT_ASSERT(S_ISCHR(st.st_mode), "%s is not a character device",
		  KGO_DEVICE_PATH);
	return KTAP_PASS;
}

static enum ktap_result kt_cloexec(void *arg)
{
	int flags;

	(void)arg;
	KT_NEED_DEV();
	flags = fcntl(kt_dev, F_GETFD);
	KT_ASSERT(flags >= 0 && (flags & FD_CLOEXEC),
		  "F_GETFD: %d, FD_CLOEXEC missing", flags);
	return KTAP_PASS;
}

static enum ktap_result kt_version_abi(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("kgo_version", kgo_version(kt_dev, &info), 0);
	KT_ASSERT(info.abi_major == KGO_ABI_VERSION_MAJOR &&
		  info.abi_minor == KGO_ABI_VERSION_MINOR,
		  "ABI %u.%u, want %u.%u", info.abi_major, info.abi_minor,
		  KGO_ABI_VERSION_MAJOR, KGO_ABI_VERSION_MINOR);
	KT_CHECK("size", info.size, sizeof(info));
	return KTAP_PASS;
}

static enum ktap_result kt_version_release(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	KT_NEED_DEV();
	/* Poison: a release the kernel did not terminate stays unterminated. */
	memset(info.release, 'x', sizeof(info.release));
	info.size = sizeof(info);
	info.flags = 0;
	info.reserved = 0;
	KT_CHECK("KGO_IOC_VERSION", kt_ioctl(kt_dev, KGO_IOC_VERSION, &info), 0);
	KT_ASSERT(memchr(info.release, '\0', sizeof(info.release)),
		  "release is not NUL-terminated");
	KT_ASSERT(info.release[0], "release is empty");
	ktap_diag("release %s", info.release);
	return KTAP_PASS;
}

static enum ktap_result kt_version_nprocs(void *arg)
{
	struct kgo_version_info info;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("kgo_version", kgo_version(kt_dev, &info), 0);
	KT_ASSERT(info.nprocs && (online <= 0 || (long)info.nprocs <= online),
		  "nprocs %u, online CPUs %ld", info.nprocs, online);
	return KTAP_PASS;
}

static enum ktap_result kt_size_too_small(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	KT_NEED_DEV();
	kt_init_info(&info);
	info.size = KGO_VERSION_INFO_SIZE_VER0 - 1;
	KT_CHECK("size VER0 - 1", kt_ioctl(kt_dev, KGO_IOC_VERSION, &info),
		 -EINVAL);
	info.size = 0;
	KT_CHECK("size 0", kt_ioctl(kt_dev, KGO_IOC_VERSION, &info), -EINVAL);
	return KTAP_PASS;
}

static enum ktap_result kt_size_larger_zero_tail(void *arg)
{
	struct kt_big_info big;
	size_t i;

	(void)arg;
	KT_NEED_DEV();
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	KT_CHECK("larger size, zero tail",
		 kt_ioctl(kt_dev, KGO_IOC_VERSION, &big), 0);
	/* The kernel fills in what it knows and says how much that was. */
	KT_CHECK("size written back", big.info.size, sizeof(big.info));
	for (i = 0; i < sizeof(big.tail); i++)
		KT_ASSERT(!big.tail[i], "kernel wrote tail byte %zu", i);
	return KTAP_PASS;
}

static enum ktap_result kt_size_larger_nonzero_tail(void *arg)
{
	struct kt_big_info big;

	(void)arg;
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	/* A field this kernel does not know, set by a newer caller. */
	big.tail[sizeof(big.tail) - 1] = 1;
	return kt_expect_ioctl("larger size, non-zero tail", KGO_IOC_VERSION,
			       &big, -E2BIG);
}

static enum ktap_result kt_size_over_limit(void *arg)
{
	static struct {
		struct kgo_version_info info;
		unsigned char tail[KT_SIZE_MAX];
	} huge;
	struct kgo_version_info *info = &huge.info;

	(void)arg;
	KT_NEED_DEV();
	memset(&huge, 0, sizeof(huge));
	info->size = sizeof(huge);
	KT_CHECK("size over the limit, zero tail",
		 kt_ioctl(kt_dev, KGO_IOC_VERSION, info), -E2BIG);
	/* Refused from the size alone: the buffer is not that large. */
	info->size = 0xffffffff;
	KT_CHECK("size 0xffffffff", kt_ioctl(kt_dev, KGO_IOC_VERSION, info),
		 -E2BIG);
	return KTAP_PASS;
}

static enum ktap_result kt_size_bits_ignored(void *arg)
{
	struct kt_big_info big;

	(void)arg;
	/* What a binary built against a newer, larger header would send. */
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	return kt_expect_ioctl("ioctl number with a larger size", KT_IOC_BIG,
			       &big, 0);
}

static enum ktap_result kt_flags_nonzero(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	kt_init_info(&info);
	info.flags = 1;
	return kt_expect_ioctl("flags 1", KGO_IOC_VERSION, &info, -EINVAL);
}

static enum ktap_result kt_reserved_nonzero(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	kt_init_info(&info);
	info.reserved = 1;
	return kt_expect_ioctl("reserved 1", KGO_IOC_VERSION, &info, -EINVAL);
}

static enum ktap_result kt_null_pointer(void *arg)
{
	(void)arg;
	return kt_expect_ioctl("NULL argument", KGO_IOC_VERSION, NULL, -EFAULT);
}

static enum ktap_result kt_unknown_magic(void *arg)
{
	struct kgo_version_info info;

	(void)arg;
	kt_init_info(&info);
	return kt_expect_ioctl("KGO_IOC_VERSION with another magic",
			       KT_IOC_OTHER_MAGIC, &info, -ENOTTY);
}

static enum ktap_result kt_unknown_nr(void *arg)
{
	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("kgo magic, unused nr",
		 kt_ioctl(kt_dev, KT_IOC_UNUSED_NR, NULL), -ENOTTY);
	KT_CHECK("KGO_IOC_VERSION's nr, wrong direction",
		 kt_ioctl(kt_dev, KT_IOC_WRONG_DIR, NULL), -ENOTTY);
	return KTAP_PASS;
}

/* The device moves no data: read(2) or write(2) of a byte fails. */
static enum ktap_result kt_io_fails(bool is_write)
{
	const char *what = is_write ? "write(2)" : "read(2)";
	char c = 0;
	ssize_t n;

	KT_NEED_DEV();
	n = is_write ? write(kt_dev, &c, 1) : read(kt_dev, &c, 1);
	KT_ASSERT(n < 0, "%s succeeded", what);
	ktap_diag("%s: %s", what, strerror(errno));
	return KTAP_PASS;
}

static enum ktap_result kt_read_fails(void *arg)
{
	(void)arg;
	return kt_io_fails(false);
}

static enum ktap_result kt_write_fails(void *arg)
{
	(void)arg;
	return kt_io_fails(true);
}

static enum ktap_result kt_lseek_fails(void *arg)
{
	(void)arg;
	KT_NEED_DEV();
	KT_CHECK("lseek(2)", lseek(kt_dev, 0, SEEK_SET) < 0 ? -errno : 0,
		 -ESPIPE);
	return KTAP_PASS;
}

/* libkgo's own error paths; they need no kgo device. */
static enum ktap_result kt_lib_errors(void *arg)
{
	struct kgo_version_info info;
	bool ok;
	int fd;

	(void)arg;
	KT_CHECK("kgo_version(-1, NULL)", kgo_version(-1, NULL), -EINVAL);
	KT_CHECK("kgo_version(-1, &info)", kgo_version(-1, &info), -EBADF);

	/* Not a kgo device: the ioctl is not understood. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ktap_skip("/dev/null: %s", strerror(errno));
	ok = KT_EXPECT("kgo_version on /dev/null", kgo_version(fd, &info),
		       -ENOTTY);
	close(fd);
	return ok ? KTAP_PASS : KTAP_FAIL;
}

static const struct ktap_case kt_cases[] = {
	{ "dev_open", kt_open },
	{ "dev_cloexec", kt_cloexec },
	{ "version_abi", kt_version_abi },
	{ "version_release", kt_version_release },
	{ "version_nprocs", kt_version_nprocs },
	{ "size_too_small", kt_size_too_small },
	{ "size_larger_zero_tail", kt_size_larger_zero_tail },
	{ "size_larger_nonzero_tail", kt_size_larger_nonzero_tail },
	{ "size_over_limit", kt_size_over_limit },
	{ "size_bits_ignored", kt_size_bits_ignored },
	{ "flags_nonzero", kt_flags_nonzero },
	{ "reserved_nonzero", kt_reserved_nonzero },
	{ "null_pointer", kt_null_pointer },
	{ "unknown_magic", kt_unknown_magic },
	{ "unknown_nr", kt_unknown_nr },
	{ "read_fails", kt_read_fails },
	{ "write_fails", kt_write_fails },
	{ "lseek_fails", kt_lseek_fails },
	{ "lib_errors", kt_lib_errors },
};

int main(void)
{
	return kt_main(kt_cases, ARRAY_SIZE(kt_cases));
}
