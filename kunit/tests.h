/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The KUnit suites of kgo_test.ko, one per *_test.c file, registered
 * together in main.c.
 */
#ifndef _KGO_TESTS_H
#define _KGO_TESTS_H

#include <linux/delay.h>

#include <kunit/test.h>

/* quick=1: the slow stress cases skip themselves (see kgo_test_skip_slow()). */
extern bool kgo_test_quick;

static inline void kgo_test_skip_slow(struct kunit *test)
{
	if (kgo_test_quick)
		kunit_skip(test, "slow stress case; quick=1");
}

/*
 * Poll @cond: every 10-20 us for the first 2000 looks (a G readied a
 * moment ago), then every 20 ms, for up to 240 s in all; true when it
 * came true. For a test thread waiting for Gs it cannot join.
 */
#define KGO_TEST_WAIT(cond)					\
	({							\
		int __i = 0;					\
		while (!(cond) && __i++ < 14000) {		\
			if (__i <= 2000)			\
				usleep_range(10, 20);		\
			else					\
				msleep(20);			\
		}						\
		__i <= 14000;					\
	})

extern struct kunit_suite kgo_smoke_suite;
extern struct kunit_suite kgo_runq_suite;
extern struct kunit_suite kgo_sched_suite;
extern struct kunit_suite kgo_chan_suite;
extern struct kunit_suite kgo_select_suite;
extern struct kunit_suite kgo_timer_suite;
extern struct kunit_suite kgo_ctx_suite;
extern struct kunit_suite kgo_sync_suite;
extern struct kunit_suite kgo_errgroup_suite;
extern struct kunit_suite kgo_leak_suite;
extern struct kunit_suite kgo_park_suite;
extern struct kunit_suite kgo_park_sync_suite;

#endif /* _KGO_TESTS_H */
