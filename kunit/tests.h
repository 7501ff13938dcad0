/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The KUnit suites of kgo_test.ko, one per *_test.c file, registered
 * together in main.c.
 */
#ifndef _KGO_TESTS_H
#define _KGO_TESTS_H

#include <kunit/test.h>

extern struct kunit_suite kgo_smoke_suite;

#endif /* _KGO_TESTS_H */
