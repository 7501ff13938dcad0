// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_test.ko: every kgo KUnit suite, run when the module loads.
 */

#include <linux/module.h>
#include <kunit/test.h>

#include "compat.h"
#include "tests.h"

bool kgo_test_quick;
module_param_named(quick, kgo_test_quick, bool, 0444);
MODULE_PARM_DESC(quick, "Skip the slow stress cases (a second run, e.g. with nprocs=1)");

/* A new suite adds one entry here and one declaration in tests.h. */
kunit_test_suites(&kgo_smoke_suite, &kgo_runq_suite, &kgo_sched_suite,
		  &kgo_chan_suite, &kgo_select_suite, &kgo_timer_suite,
		  &kgo_ctx_suite, &kgo_sync_suite, &kgo_errgroup_suite,
		  &kgo_leak_suite, &kgo_park_suite,
		  &kgo_park_sync_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kgo");
MODULE_AUTHOR("kgo developers");
KGO_IMPORT_INTERNAL_NS();
