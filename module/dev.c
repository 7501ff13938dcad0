// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The /dev/kgo misc device, its ioctls and the ioctl dispatch that channel
 * fds share.
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

#include <kgo/chan.h>
#include <kgo/kgo.h>

#include "compat.h"
#include "chan.h"
#include "chanfd.h"
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

/**
 * kgo_copy_struct_in() - read an extensible struct from userspace
 * @dst: the kernel's struct
 * @ksize: sizeof(*@dst)
 * @src: the user's struct, whose first member is its u32 size
 * @size_ver0: the first published size of the struct
 *
 * The rules at the top of include/uapi/kgo/kgo.h: sizes below @size_ver0
 * are -EINVAL, above %KGO_STRUCT_SIZE_MAX -E2BIG; a newer caller's unknown
 * tail must be zero (-E2BIG), an older caller's missing tail reads as zero.
 *
 * Context: process.
 * Return: 0, -EFAULT, -EINVAL or -E2BIG.
 */
int kgo_copy_struct_in(void *dst, size_t ksize, void __user *src,
		       u32 size_ver0)
{
	u32 usize;
	int ret;

	/* The caller's idea of the struct size decides how much we touch. */
	if (get_user(usize, (u32 __user *)src))
		return -EFAULT;
	if (usize < size_ver0)
		return -EINVAL;
	if (usize > KGO_STRUCT_SIZE_MAX)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, src, usize);
	if (ret)
		return ret;
	/* Remember what the caller knows: the answer is cut to it. */
	*(u32 *)dst = min_t(u32, usize, ksize);
	return 0;
}

/**
 * kgo_copy_struct_out() - write an extensible struct back to userspace
 * @dst: the user's struct
 * @src: the kernel's, its size field set by kgo_copy_struct_in()
 * @ksize: sizeof(*@src)
 *
 * Writes min(caller's size, @ksize) bytes, the size field saying so.
 *
 * Context: process.
 * Return: 0 or -EFAULT.
 */
int kgo_copy_struct_out(void __user *dst, void *src, size_t ksize)
{
	u32 size = min_t(u32, *(u32 *)src, ksize);

	return copy_to_user(dst, src, size) ? -EFAULT : 0;
}

static long kgo_ioctl_version(struct file *file, void __user *arg)
{
	struct kgo_version_info info;
	u32 size;
	int ret;

	ret = kgo_copy_struct_in(&info, sizeof(info), arg,
				 KGO_VERSION_INFO_SIZE_VER0);
	if (ret)
		return ret;
	/* Rejecting them now lets a later ABI give them a meaning. */
	if (info.flags || info.reserved)
		return -EINVAL;
	size = info.size;
	kgo_dev_fill_version(&info);
	info.size = size;
	return kgo_copy_struct_out(arg, &info, sizeof(info));
}

static long kgo_ioctl_chan_create(struct file *file, void __user *arg)
{
	struct kgo_chan_create cc;
	struct kgo_chanfd *cf;
	struct kgo_chan *c;
	size_t bytes;
	int ret;

	ret = kgo_copy_struct_in(&cc, sizeof(cc), arg,
				 KGO_CHAN_CREATE_SIZE_VER0);
	if (ret)
		return ret;
	if ((cc.flags & ~(KGO_FD_CLOEXEC | KGO_FD_NONBLOCK)) || cc.reserved ||
	    kgo_chan_buf_bytes(cc.elem_size, cc.cap, &bytes))
		return -EINVAL;
	/* Charged to the caller's limits, then to its memory cgroup. */
	cf = kgo_chanfd_prepare(bytes);
	if (IS_ERR(cf))
		return PTR_ERR(cf);
	c = kgo_chan_make(cc.elem_size, cc.cap, GFP_KERNEL_ACCOUNT);
	return kgo_chanfd_install(cf, c, cc.flags);
}

static long kgo_ioctl_timer_create(struct file *file, void __user *arg)
{
	struct kgo_timer_create tc;
	struct kgo_chanfd *cf;
	struct kgo_chan *c;
	int ret;

	ret = kgo_copy_struct_in(&tc, sizeof(tc), arg,
				 KGO_TIMER_CREATE_SIZE_VER0);
	if (ret)
		return ret;
	if ((tc.flags & ~(KGO_FD_CLOEXEC | KGO_FD_NONBLOCK)) || tc.reserved ||
	    tc.period_ns < 0)
		return -EINVAL;
	/* Its buffer: one u64, the time of an expiry. */
	cf = kgo_chanfd_prepare(sizeof(u64));
	if (IS_ERR(cf))
		return PTR_ERR(cf);
	/* A ticker's first tick comes after_ns from now, if given. */
	c = kgo_timer_create(tc.period_ns && tc.after_ns <= 0 ? tc.period_ns :
			     tc.after_ns, tc.period_ns, GFP_KERNEL_ACCOUNT);
	return kgo_chanfd_install(cf, c, tc.flags);
}

static const struct kgo_ioctl_def kgo_ioctl_defs[] = {
	KGO_IOCTL(KGO_IOC_VERSION, kgo_ioctl_version),
	KGO_IOCTL(KGO_IOC_CHAN_CREATE, kgo_ioctl_chan_create),
	KGO_IOCTL(KGO_IOC_TIMER_CREATE, kgo_ioctl_timer_create),
	KGO_IOCTL(KGO_IOC_SELECT, kgo_ioctl_select),
	KGO_IOCTL(KGO_IOC_STATS, kgo_ioctl_stats),
	KGO_IOCTL(KGO_IOC_BENCH_SPAWN, kgo_ioctl_bench_spawn),
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

/**
 * kgo_ioctl_dispatch() - run the handler of @cmd from an ioctl table
 * @defs: the table, indexed by _IOC_NR
 * @ndefs: its length
 * @file: the file the ioctl is on
 * @cmd: the ioctl number
 * @arg: its argument, a user pointer
 *
 * Context: process.
 * Return: the handler's result, or -ENOTTY for an ioctl not in @defs (a
 * hole, another magic, or a known number with the wrong direction).
 */
long kgo_ioctl_dispatch(const struct kgo_ioctl_def *defs, unsigned int ndefs,
			struct file *file, unsigned int cmd, unsigned long arg)
{
	const struct kgo_ioctl_def *def;
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != KGO_IOC_MAGIC || nr >= ndefs)
		return -ENOTTY;
	/* nr indexes a table of function pointers: no speculating past it. */
	nr = array_index_nospec(nr, ndefs);
	def = &defs[nr];
	if (!def->handler || kgo_ioc_nosize(def->cmd) != kgo_ioc_nosize(cmd))
		return -ENOTTY;
	return def->handler(file, (void __user *)arg);
}

static long kgo_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return kgo_ioctl_dispatch(kgo_ioctl_defs, ARRAY_SIZE(kgo_ioctl_defs),
				  file, cmd, arg);
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
	/* ABI 1.1: the same rules for every struct. */
	BUILD_BUG_ON(sizeof(struct kgo_chan_create) != KGO_CHAN_CREATE_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_timer_create) != KGO_TIMER_CREATE_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_chan_op) != KGO_CHAN_OP_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_chan_info) != KGO_CHAN_INFO_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_timer_reset) != KGO_TIMER_RESET_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_select_args) != KGO_SELECT_ARGS_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct kgo_select_ucase) != 24);
	BUILD_BUG_ON(sizeof(struct kgo_stats_proc) % 8);
	BUILD_BUG_ON(sizeof(struct kgo_bench_spawn) != KGO_BENCH_SPAWN_SIZE_VER0);
	BUILD_BUG_ON(KGO_SELECT_UCASES_MAX > KGO_SELECT_MAX_CASES);

	ret = misc_register(&kgo_miscdev);
	if (ret)
		pr_err("cannot register /dev/%s: %d\n", KGO_DEVICE_NAME, ret);
	return ret;
}

void kgo_dev_exit(void)
{
	misc_deregister(&kgo_miscdev);
}
