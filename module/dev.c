// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The /dev/kgo misc device and its ioctl dispatch.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <kgo/kgo.h>

#include "compat.h"
#include "dev.h"
#include "main.h"

/*
 * Largest size an extensible struct may claim. Bounds the zero check of a
 * newer caller's tail and keeps the ABI independent of PAGE_SIZE.
 */
#define KGO_STRUCT_SIZE_MAX	4096

/**
 * kgo_dev_fill_version() - fill in the answer to %KGO_IOC_VERSION
 * @info: filled in completely; @info->size is set to the kernel's size
 *
 * Every byte of @info is written, so it can be copied to userspace as is.
 * Exported to the KGO_INTERNAL namespace for the KUnit tests only.
 *
 * Context: Any context.
 */
void kgo_dev_fill_version(struct kgo_version_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->abi_major = KGO_ABI_VERSION_MAJOR;
	info->abi_minor = KGO_ABI_VERSION_MINOR;
	info->nprocs = kgo_nprocs();
	strscpy(info->release, kgo_version(), sizeof(info->release));
}
EXPORT_SYMBOL_NS_GPL(kgo_dev_fill_version, KGO_INTERNAL_NS);

static long kgo_ioctl_version(struct file *file, void __user *arg)
{
	struct kgo_version_info __user *uinfo = arg;
	struct kgo_version_info info;
	u32 usize;
	int ret;

	/* The caller's idea of the struct size decides how much we touch. */
	if (get_user(usize, &uinfo->size))
		return -EFAULT;
	if (usize < KGO_VERSION_INFO_SIZE_VER0)
		return -EINVAL;
	if (usize > KGO_STRUCT_SIZE_MAX)
		return -E2BIG;

	/* Fails with -E2BIG if a newer caller set fields we do not know. */
	ret = copy_struct_from_user(&info, sizeof(info), uinfo, usize);
	if (ret)
		return ret;
	/* Rejecting them now lets a later ABI give them a meaning. */
	if (info.flags || info.reserved)
		return -EINVAL;

	kgo_dev_fill_version(&info);
	info.size = min_t(u32, usize, sizeof(info));
	if (copy_to_user(uinfo, &info, info.size))
		return -EFAULT;
	return 0;
}

/*
 * The ioctl table, in the style of io_uring's opdef: one row per ioctl,
 * indexed by its _IOC_NR. A new ioctl adds a row and a handler here, never a
 * switch case.
 */
struct kgo_ioctl_def {
	unsigned int cmd;
	long (*handler)(struct file *file, void __user *arg);
};

static const struct kgo_ioctl_def kgo_ioctl_defs[] = {
	[_IOC_NR(KGO_IOC_VERSION)] = {
		.cmd		= KGO_IOC_VERSION,
		.handler	= kgo_ioctl_version,
	},
};

/*
 * The argument size encoded in an ioctl number is ignored: extensible
 * structs carry their own size, and a caller built against a newer header
 * (larger struct, so a different number) must still reach the handler.
 */
static unsigned int kgo_ioc_nosize(unsigned int cmd)
{
	return cmd & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT);
}

static const struct kgo_ioctl_def *kgo_ioctl_lookup(unsigned int cmd)
{
	const struct kgo_ioctl_def *def;
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != KGO_IOC_MAGIC || nr >= ARRAY_SIZE(kgo_ioctl_defs))
		return NULL;
	/* nr indexes a table of function pointers: no speculating past it. */
	nr = array_index_nospec(nr, ARRAY_SIZE(kgo_ioctl_defs));
	def = &kgo_ioctl_defs[nr];
	/* Holes in the table, and a known nr with the wrong direction. */
	if (!def->handler || kgo_ioc_nosize(def->cmd) != kgo_ioc_nosize(cmd))
		return NULL;
	return def;
}

static long kgo_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	const struct kgo_ioctl_def *def = kgo_ioctl_lookup(cmd);

	if (!def)
		return -ENOTTY;
	return def->handler(file, (void __user *)arg);
}

/*
 * read, write and llseek are left unset: the VFS then fails read(2) and
 * write(2) with -EINVAL, and nonseekable_open() makes lseek(2) -ESPIPE.
 */
static const struct file_operations kgo_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= kgo_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice kgo_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KGO_DEVICE_NAME,
	.fops	= &kgo_dev_fops,
	/* Any user may run goroutines, as any user may create threads. */
	.mode	= 0666,
};

int kgo_dev_init(void)
{
	int ret;

	/*
	 * A published layout never changes. When the struct grows, compare
	 * against the newest KGO_VERSION_INFO_SIZE_VERn instead.
	 */
	BUILD_BUG_ON(sizeof(struct kgo_version_info) !=
		     KGO_VERSION_INFO_SIZE_VER0);
	/* Same layout for 32-bit and 64-bit callers: no tail padding. */
	BUILD_BUG_ON(sizeof(struct kgo_version_info) % 8);
	BUILD_BUG_ON(offsetof(struct kgo_version_info, release) != 24);

	ret = misc_register(&kgo_miscdev);
	if (ret)
		pr_err("cannot register /dev/%s: %d\n", KGO_DEVICE_NAME, ret);
	return ret;
}

void kgo_dev_exit(void)
{
	misc_deregister(&kgo_miscdev);
}
