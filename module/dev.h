/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The /dev/kgo misc device: userspace's way into the runtime, and the
 * ioctl plumbing it shares with channel fds (chanfd.c).
 */
#ifndef _KGO_DEV_H
#define _KGO_DEV_H

#include <linux/types.h>
#include <uapi/kgo/kgo.h>

struct file;

int kgo_dev_init(void);
void kgo_dev_exit(void);

/* Test hook, exported to the KGO_INTERNAL namespace. */
void kgo_dev_fill_version(struct kgo_version_info *info);

/*
 * An ioctl table, in the style of io_uring's opdef: one row per ioctl,
 * indexed by its _IOC_NR. A new ioctl adds a row and a handler, never a
 * switch case.
 */
struct kgo_ioctl_def {
	unsigned int cmd;	/* I: the ioctl number */
	long (*handler)(struct file *file, void __user *arg);	/* I */
};

/* A row of an ioctl table: KGO_IOCTL(KGO_IOC_FOO, kgo_ioctl_foo). */
#define KGO_IOCTL(ioc, fn) \
	[_IOC_NR(ioc)] = { .cmd = (ioc), .handler = (fn) }

long kgo_ioctl_dispatch(const struct kgo_ioctl_def *defs, unsigned int ndefs,
			struct file *file, unsigned int cmd, unsigned long arg);
int kgo_copy_struct_in(void *dst, size_t ksize, void __user *src,
		       u32 size_ver0);
int kgo_copy_struct_out(void __user *dst, void *src, size_t ksize);

/* uselect.c */
long kgo_ioctl_select(struct file *file, void __user *arg);

/* stats.c */
long kgo_ioctl_stats(struct file *file, void __user *arg);
long kgo_ioctl_bench_spawn(struct file *file, void __user *arg);

#endif /* _KGO_DEV_H */
