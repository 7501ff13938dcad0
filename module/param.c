// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Range-checked module parameters (param.h).
 */

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include "param.h"

static int kgo_param_range_set(const char *buf, const struct kernel_param *kp)
{
	const struct kgo_param_range *r = kp->arg;
	unsigned long v;
	int ret;

	ret = kstrtoul(buf, 0, &v);
	if (ret)
		return ret;
	if (v < r->min || v > r->max)
		return -EINVAL;
	WRITE_ONCE(*r->val, v);
	return 0;
}

static int kgo_param_range_get(char *buf, const struct kernel_param *kp)
{
	const struct kgo_param_range *r = kp->arg;

	return sysfs_emit(buf, "%lu\n", READ_ONCE(*r->val));
}

const struct kernel_param_ops kgo_param_range_ops = {
	.set = kgo_param_range_set,
	.get = kgo_param_range_get,
};
