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

/* A new suite adds one entry here and one declaration in tests.h. */
kunit_test_suites(&kgo_smoke_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kgo");
MODULE_AUTHOR("kgo developers");
KGO_IMPORT_INTERNAL_NS();
