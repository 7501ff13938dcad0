/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Facts about the module as a whole that several files (and the KUnit
 * module) report. Not part of the public API: see include/kgo/kgo.h.
 */
#ifndef _KGO_MAIN_H
#define _KGO_MAIN_H

#include <linux/types.h>

/* The release string: MODULE_VERSION, kgo_version() and KGO_IOC_VERSION. */
#define KGO_RELEASE	"0.1.0"

/*
 * Debug builds check invariants (Go's throw()s) with WARN_ONCE: kernels
 * with lockdep, such as the debug kernel of `make check`.
 */
#define KGO_DEBUG	IS_ENABLED(CONFIG_PROVE_LOCKING)

#endif /* _KGO_MAIN_H */
