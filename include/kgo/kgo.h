/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The public in-kernel API of kgo: what other kernel modules include to use
 * the runtime. Every call here is exported with EXPORT_SYMBOL_GPL.
 *
 * For now it only identifies the loaded module. Later milestones add the
 * goroutine (G), channel and select calls to this header.
 */
#ifndef _KGO_KGO_H
#define _KGO_KGO_H

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

#endif /* _KGO_KGO_H */
