// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_smoke: the module's identity calls, the /dev/kgo ioctl dispatch, and
 * one pass over each channel call (the kgo_chan, kgo_select and kgo_timer
 * suites test them in depth).
 */

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <kunit/test.h>

#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "dev.h"
#include "main.h"
#include "tests.h"

#define KGO_TEST_DEV_PATH	"/dev/" KGO_DEVICE_NAME

/* KGO_IOC_VERSION in all but the magic. */
#define KGO_TEST_IOC_OTHER_MAGIC \
	_IOWR(KGO_IOC_MAGIC + 1, 0x00, struct kgo_version_info)
/* kgo's magic, with a number no ioctl uses. */
#define KGO_TEST_IOC_UNUSED_NR	_IO(KGO_IOC_MAGIC, 0xff)
/* KGO_IOC_VERSION's number with the wrong direction. */
#define KGO_TEST_IOC_WRONG_DIR	_IO(KGO_IOC_MAGIC, 0x00)

static void kgo_smoke_version_test(struct kunit *test)
{
	const char *version = kgo_version();

	KUNIT_ASSERT_NOT_NULL(test, version);
	KUNIT_EXPECT_STREQ(test, version, KGO_RELEASE);
	/* It must fit the release field of KGO_IOC_VERSION uncut. */
	KUNIT_EXPECT_GT(test, strlen(version), 0);
	KUNIT_EXPECT_LT(test, strlen(version), KGO_RELEASE_LEN);
}

static void kgo_smoke_abi_version_test(struct kunit *test)
{
	/* Poisoned, so a call that stores nothing fails. */
	u32 major = U32_MAX, minor = U32_MAX;

	kgo_abi_version(&major, &minor);
	KUNIT_EXPECT_EQ(test, major, KGO_ABI_VERSION_MAJOR);
	KUNIT_EXPECT_EQ(test, minor, KGO_ABI_VERSION_MINOR);
}

static void kgo_smoke_fill_version_test(struct kunit *test)
{
	struct kgo_version_info info;
	size_t len;

	/* Poisoned, so any byte left unwritten (a leak to userspace) shows. */
	memset(&info, 0xa5, sizeof(info));
	kgo_dev_fill_version(&info);

	KUNIT_EXPECT_EQ(test, info.size, sizeof(info));
	KUNIT_EXPECT_EQ(test, info.abi_major, KGO_ABI_VERSION_MAJOR);
	KUNIT_EXPECT_EQ(test, info.abi_minor, KGO_ABI_VERSION_MINOR);
	KUNIT_EXPECT_EQ(test, info.flags, 0);
	KUNIT_EXPECT_EQ(test, info.reserved, 0);
	KUNIT_EXPECT_GT(test, info.nprocs, 0);
	KUNIT_EXPECT_EQ(test, info.nprocs, kgo_nprocs());
	KUNIT_EXPECT_LE(test, info.nprocs, num_online_cpus());

	len = strnlen(info.release, sizeof(info.release));
	KUNIT_ASSERT_LT(test, len, sizeof(info.release));
	KUNIT_EXPECT_STREQ(test, info.release, kgo_version());
	KUNIT_EXPECT_NULL(test, memchr_inv(info.release + len, 0,
					   sizeof(info.release) - len));
}

/* Calls the device's ioctl directly, as the VFS would, with a NULL arg. */
static void kgo_smoke_expect_ioctl(struct kunit *test, struct file *file,
				   unsigned int cmd, long expected)
{
	long ret = file->f_op->unlocked_ioctl(file, cmd, 0);

	KUNIT_EXPECT_EQ_MSG(test, ret, expected, "ioctl cmd %#x", cmd);
}

static void kgo_smoke_dev_ioctl_test(struct kunit *test)
{
	struct file *file;

	/* The test VM mounts devtmpfs on /dev, and kgo.ko is loaded. */
	file = filp_open(KGO_TEST_DEV_PATH, O_RDWR, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "filp_open(%s): %ld",
			       KGO_TEST_DEV_PATH, PTR_ERR(file));
	KUNIT_ASSERT_NOT_NULL(test, file->f_op->unlocked_ioctl);

	kgo_smoke_expect_ioctl(test, file, KGO_TEST_IOC_OTHER_MAGIC, -ENOTTY);
	kgo_smoke_expect_ioctl(test, file, KGO_TEST_IOC_UNUSED_NR, -ENOTTY);
	kgo_smoke_expect_ioctl(test, file, KGO_TEST_IOC_WRONG_DIR, -ENOTTY);
	/* A known ioctl reaches its handler, which faults on the NULL arg. */
	kgo_smoke_expect_ioctl(test, file, KGO_IOC_VERSION, -EFAULT);

	filp_close(file, NULL);
}

/* A G echoes one value back over an unbuffered channel pair. */
struct smoke_echo {
	struct kgo_chan *in, *out;
};

static void smoke_echo_fn(void *arg)
{
	struct smoke_echo *e = arg;
	u64 v;
	bool ok;

	if (!kgo_chan_recv(e->in, &v, &ok) && ok)
		kgo_chan_send(e->out, &v);
}

static void kgo_smoke_chan_test(struct kunit *test)
{
	long chans = kgo_chan_live(), timers = kgo_timer_live();
	struct kgo_select_case cases[2];
	struct smoke_echo e;
	struct kgo_chan *t;
	u64 v = 42, w = 0;
	bool ok = false;

	e.in = kgo_chan_make(sizeof(u64), 0, GFP_KERNEL);
	e.out = kgo_chan_make(sizeof(u64), 1, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e.in) || IS_ERR(e.out));
	KUNIT_EXPECT_EQ(test, kgo_chan_trysend(e.in, &v), -EAGAIN);
	KUNIT_ASSERT_EQ(test, kgo_go(smoke_echo_fn, &e), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_send(e.in, &v), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv(e.out, &w, &ok), 0);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, w, 42);

	/* A select with one ready case picks it. */
	KUNIT_EXPECT_EQ(test, kgo_chan_send(e.out, &v), 0);
	cases[0] = (struct kgo_select_case){ .chan = e.in,
		.dir = KGO_SELECT_RECV, .elem = &w };
	cases[1] = (struct kgo_select_case){ .chan = e.out,
		.dir = KGO_SELECT_RECV, .elem = &w };
	KUNIT_EXPECT_EQ(test, kgo_select(cases, 2, KGO_FOREVER), 1);
	KUNIT_EXPECT_TRUE(test, cases[1].ok);
	KUNIT_EXPECT_EQ(test, kgo_select(cases, 2, 1000000), -ETIMEDOUT);

	/* Closed: receives drain, then report !ok; sends fail. */
	KUNIT_EXPECT_EQ(test, kgo_chan_close(e.out), 0);
	KUNIT_EXPECT_EQ(test, kgo_chan_close(e.out), -EPIPE);
	KUNIT_EXPECT_EQ(test, kgo_chan_send(e.out, &v), -EPIPE);
	KUNIT_EXPECT_EQ(test, kgo_chan_recv(e.out, &w, &ok), 0);
	KUNIT_EXPECT_FALSE(test, ok);

	t = kgo_timer_new(1000000, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_EXPECT_EQ(test, kgo_chan_recv(t, &w, &ok), 0);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, kgo_timer_stop(t), 0);
	kgo_chan_put(t);

	kgo_chan_put(e.in);
	kgo_chan_put(e.out);
	KUNIT_EXPECT_EQ(test, kgo_chan_live(), chans);
	KUNIT_EXPECT_EQ(test, kgo_timer_live(), timers);
}

static struct kunit_case kgo_smoke_cases[] = {
	KUNIT_CASE(kgo_smoke_version_test),
	KUNIT_CASE(kgo_smoke_abi_version_test),
	KUNIT_CASE(kgo_smoke_fill_version_test),
	KUNIT_CASE(kgo_smoke_dev_ioctl_test),
	KUNIT_CASE(kgo_smoke_chan_test),
	{}
};

struct kunit_suite kgo_smoke_suite = {
	.name = "kgo_smoke",
	.test_cases = kgo_smoke_cases,
};
