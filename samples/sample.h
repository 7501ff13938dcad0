/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * What the samples share and what is not part of the examples themselves:
 * the primes the two sieves (thread-blocking and parked Gs) are checked
 * against, and the wait for a sample's last G to unpin its module.
 */
#ifndef _KGO_SAMPLE_H
#define _KGO_SAMPLE_H

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/types.h>

/* The first @n primes by a sieve of Eratosthenes, to check against. */
static inline bool sample_sieve_check(const u32 *primes, unsigned int n)
{
	unsigned int limit = 16, i, j, k = 0;
	bool ok = true;
	u8 *composite;

	while (limit / 2 < n * 8 + 16)	/* p(n) < n * (ln(n) + ln(ln(n))) */
		limit *= 2;
	composite = kvcalloc(limit, 1, GFP_KERNEL);
	if (!composite)
		return false;
	for (i = 2; i < limit && k < n; i++) {
		if (composite[i])
			continue;
		if (primes[k++] != i)
			ok = false;
		for (j = i * 2; j < limit; j += i)
			composite[j] = 1;
	}
	kvfree(composite);
	return ok && k == n;
}

/*
 * A G pins its module until its function (or step) has returned, a
 * moment after it said it was done: wait for that too, so that rmmod
 * right after insmod does not find the module busy.
 */
static inline void sample_wait_unpinned(struct module *mod)
{
	int i;

	for (i = 0; i < 10000 && module_refcount(mod) > 0; i++)
		usleep_range(100, 200);
}

#endif /* _KGO_SAMPLE_H */
