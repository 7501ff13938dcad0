/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The public in-kernel API of kgo: what other kernel modules include to use
 * the runtime. Every call here is exported with EXPORT_SYMBOL_GPL.
 *
 * Gs (goroutines) and the module's identity; channels, select and timers
 * are in <kgo/chan.h>.
 */
#ifndef _KGO_KGO_H
#define _KGO_KGO_H

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/types.h>
#include <uapi/kgo/kgo.h>

/**
 * kgo_version() - release string of the loaded kgo module
 *
 * The same string as the module's MODULE_VERSION and as the release that
 * %KGO_IOC_VERSION reports to userspace.
 *
 * Context: Any context.
 * Return: a static NUL-terminated string, valid while kgo is loaded.
 */
const char *kgo_version(void);

/**
 * kgo_abi_version() - ABI version implemented by the loaded kgo module
 * @major: where to store the major number, never NULL
 * @minor: where to store the minor number, never NULL
 *
 * A caller built against this header should refuse to work with a module
 * whose @major differs from %KGO_ABI_VERSION_MAJOR; a larger @minor only
 * adds features.
 *
 * Context: Any context.
 */
void kgo_abi_version(u32 *major, u32 *minor);

struct module;

/**
 * typedef kgo_func_t - the function a G runs
 * @arg: the argument given to kgo_go()
 */
typedef void (*kgo_func_t)(void *arg);

int __kgo_go(struct module *owner, kgo_func_t fn, void *arg, gfp_t gfp);

/**
 * kgo_go() - spawn a G running @fn(@arg) (Go's ``go fn(arg)``)
 * @fn: the function
 * @arg: its argument
 *
 * The calling module is pinned until @fn has returned. The G descriptor is
 * allocated with GFP_ATOMIC, so this works in any context, like
 * queue_work(); see __kgo_go() for the errors.
 */
#define kgo_go(fn, arg)		__kgo_go(THIS_MODULE, (fn), (arg), GFP_ATOMIC)

/**
 * kgo_go_gfp() - kgo_go() with an explicit allocation mode
 * @fn: the function
 * @arg: its argument
 * @gfp: GFP_KERNEL from process context, GFP_ATOMIC or GFP_NOWAIT elsewhere
 */
#define kgo_go_gfp(fn, arg, gfp)	__kgo_go(THIS_MODULE, (fn), (arg), (gfp))

void kgo_sleep(u64 ns);
void kgo_yield(void);
bool kgo_should_yield(void);
long kgo_live_gs(void);
unsigned int kgo_nprocs(void);

#endif /* _KGO_KGO_H */
