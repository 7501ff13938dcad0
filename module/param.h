/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Module parameters that are checked when they are set. A value outside
 * its range is refused with -EINVAL (insmod fails, a write to
 * /sys/module/kgo/parameters/NAME fails), so no code that reads a
 * parameter ever sees a value it cannot honour: a buffer kvmalloc() would
 * warn about, an element no receive can take.
 */
#ifndef _KGO_PARAM_H
#define _KGO_PARAM_H

#include <linux/moduleparam.h>

/**
 * struct kgo_param_range - the inclusive range of an unsigned long parameter
 * @val: the parameter's variable; read it with READ_ONCE()
 * @min: smallest value accepted
 * @max: largest value accepted
 */
struct kgo_param_range {
	unsigned long *val;
	unsigned long min;
	unsigned long max;
};

extern const struct kernel_param_ops kgo_param_range_ops;

/*
 * KGO_PARAM_RANGE(name, var, min, max, desc): a 0644 parameter @name
 * backed by the unsigned long @var, refusing values outside [@min, @max].
 */
#define KGO_PARAM_RANGE(name, var, lo, hi, desc)			\
	static const struct kgo_param_range kgo_param_range_##name = {	\
		.val = &(var), .min = (lo), .max = (hi),		\
	};								\
	module_param_cb(name, &kgo_param_range_ops,			\
			(void *)&kgo_param_range_##name, 0644);		\
	MODULE_PARM_DESC(name, desc " [" #lo ".." #hi "]")

#endif /* _KGO_PARAM_H */
