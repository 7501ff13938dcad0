/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Helpers shared by the context, sync, errgroup and leak suites, on top
 * of chan_util.h: the live-object baseline also counts contexts, and a
 * test waits for states (a G queued on a lock, a counter reached), never
 * for time. The bounds only turn a hang into a failure.
 */
#ifndef _KGO_SYNC_UTIL_H
#define _KGO_SYNC_UTIL_H

#include <linux/delay.h>
#include <kunit/test.h>

#include <kgo/context.h>
#include <kgo/errgroup.h>
#include <kgo/sync.h>

#include "chan_util.h"
#include "syncq.h"

struct syt_base {
	struct cht_base ch;
	long ctxs;
};

static inline void syt_base_take(struct syt_base *b)
{
	cht_base_take(&b->ch);
	b->ctxs = kgo_ctx_live();
}

/* No G, channel, timer or context of the test is left. */
static inline void syt_check_leaks(struct kunit *test, const struct syt_base *b)
{
	cht_check_leaks(test, &b->ch);
	KUNIT_EXPECT_EQ_MSG(test, kgo_ctx_live(), b->ctxs, "contexts leaked");
}

/* Poll @cond every 0.5-1 ms until it holds; false after the hang bound. */
#define syt_wait_for(cond)						\
({									\
	bool __ok = false;						\
	int __i;							\
									\
	for (__i = 0; __i < CHT_POLL_LOOPS * 10; __i++) {		\
		if (cond) {						\
			__ok = true;					\
			break;						\
		}							\
		usleep_range(500, 1000);				\
	}								\
	__ok;								\
})

/* Whether a waiter is queued on @wg now. */
static inline bool syt_wg_waiters(struct kgo_wg *wg)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&wg->lock, flags);
	ret = !list_empty(&wg->waiters);
	spin_unlock_irqrestore(&wg->lock, flags);
	return ret;
}

/* Run @fn(@arg) in a G, failing the test if none can be made. */
static inline void syt_go(struct kunit *test, kgo_func_t fn, void *arg)
{
	KUNIT_ASSERT_EQ(test, kgo_go_gfp(fn, arg, GFP_KERNEL), 0);
}

#endif /* _KGO_SYNC_UTIL_H */
