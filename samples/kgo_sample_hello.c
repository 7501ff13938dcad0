// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The smallest client of kgo's in-kernel API: loading it proves that a
 * module links against kgo's exports and agrees with it on the ABI.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <kgo/kgo.h>

static int __init kgo_sample_hello_init(void)
{
	u32 major, minor;

	kgo_abi_version(&major, &minor);
	pr_info("kgo %s, ABI %u.%u (built against %u.%u)\n", kgo_version(),
		major, minor, KGO_ABI_VERSION_MAJOR, KGO_ABI_VERSION_MINOR);

	/* A different major means the calls we were built against changed. */
	if (major != KGO_ABI_VERSION_MAJOR) {
		pr_err("kgo ABI major %u, expected %u: refusing to load\n",
		       major, KGO_ABI_VERSION_MAJOR);
		return -EINVAL;
	}
	return 0;
}

static void __exit kgo_sample_hello_exit(void)
{
}

module_init(kgo_sample_hello_init);
module_exit(kgo_sample_hello_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgo sample: print the version of the loaded kgo module");
MODULE_AUTHOR("kgo developers");
