/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The single home of every difference between the kernels kgo builds
 * against (6.1 and 6.12 today). Code elsewhere uses the names defined here
 * and never tests LINUX_VERSION_CODE itself, so supporting a new kernel means
 * editing this file only.
 */
#ifndef _KGO_COMPAT_H
#define _KGO_COMPAT_H

#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/version.h>

/*
 * kgo's test hooks are exported to the KGO_INTERNAL symbol namespace, so
 * that only modules which import it (the KUnit module) can link against
 * them: EXPORT_SYMBOL_NS_GPL(sym, KGO_INTERNAL_NS) and
 * KGO_IMPORT_INTERNAL_NS().
 *
 * Linux 6.13 (commit cdd30ebb1b9f, "module: Convert symbol namespace to
 * string literal") made EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() take
 * the namespace as a string literal. Older kernels stringify the argument
 * after expanding it, so there the name must stay a bare identifier.
 */
#define KGO_LINUX_6_13		KERNEL_VERSION(6, 13, 0)
#if LINUX_VERSION_CODE >= KGO_LINUX_6_13
#define KGO_INTERNAL_NS		"KGO_INTERNAL"
#else
#define KGO_INTERNAL_NS		KGO_INTERNAL
#endif

#define KGO_IMPORT_INTERNAL_NS()	MODULE_IMPORT_NS(KGO_INTERNAL_NS)

/*
 * kgo_random_below() - a random u32 in [0, @ceil). get_random_u32_below()
 * arrived in 6.2 and replaced prandom_u32_max(), which 6.1 still has.
 */
#define KGO_LINUX_6_2		KERNEL_VERSION(6, 2, 0)
#if LINUX_VERSION_CODE >= KGO_LINUX_6_2
#define kgo_random_below(ceil)	get_random_u32_below(ceil)
#else
#define kgo_random_below(ceil)	prandom_u32_max(ceil)
#endif

/*
 * kgo_hrtimer_setup() - initialise an hrtimer with its callback. 6.13 added
 * hrtimer_setup() and began retiring hrtimer_init() plus the assignment.
 */
static inline void kgo_hrtimer_setup(struct hrtimer *timer,
				     enum hrtimer_restart (*fn)(struct hrtimer *),
				     clockid_t clock, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KGO_LINUX_6_13
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

#endif /* _KGO_COMPAT_H */
