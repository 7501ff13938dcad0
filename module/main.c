// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Module entry points and the identity calls of the public in-kernel API.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <kgo/kgo.h>

#include "dev.h"
#include "main.h"
#include "sched.h"

const char *kgo_version(void)
{
	return KGO_RELEASE;
}
EXPORT_SYMBOL_GPL(kgo_version);

void kgo_abi_version(u32 *major, u32 *minor)
{
	*major = KGO_ABI_VERSION_MAJOR;
	*minor = KGO_ABI_VERSION_MINOR;
}
EXPORT_SYMBOL_GPL(kgo_abi_version);

static int __init kgo_init(void)
{
	int ret;

	ret = kgo_g_cache_init();
	if (ret)
		return ret;
	ret = kgo_sched_init();
	if (ret)
		goto err_cache;
	kgo_debugfs_init();
	ret = kgo_dev_init();
	if (ret)
		goto err_debugfs;

	pr_info("version %s loaded, ABI %u.%u, nprocs %u\n", KGO_RELEASE,
		KGO_ABI_VERSION_MAJOR, KGO_ABI_VERSION_MINOR, kgo_nprocs());
	return 0;

err_debugfs:
	kgo_debugfs_exit();
	kgo_sched_exit();
err_cache:
	kgo_g_cache_exit();
	return ret;
}

static void __exit kgo_exit(void)
{
	kgo_dev_exit();
	kgo_debugfs_exit();
	kgo_sched_exit();
	kgo_g_cache_exit();
}

module_init(kgo_init);
module_exit(kgo_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(KGO_RELEASE);
MODULE_DESCRIPTION("Go-style goroutines, channels and select for the kernel");
MODULE_AUTHOR("kgo developers");
