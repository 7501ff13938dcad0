// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The concurrent prime sieve, Go's classic demo (go.dev/doc/play/sieve.go):
 * a generator G sends 2, 3, 4, ... down a channel; each prime found gets a
 * filter G that passes on the numbers it does not divide, so the channels
 * form a daisy chain with one filter per prime. Loading the module prints
 * the first @nprimes primes, checks them against a plain sieve of
 * Eratosthenes and fails to load on a mismatch.
 *
 * Cleanup, which Go's demo leaves to the process exit: every G watches a
 * context; cancelling it ends the chain, and a WaitGroup tells when the
 * last G has let go of its channels. Everything is gone when init returns.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include <kgo/chan.h>
#include <kgo/context.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "sample.h"

static unsigned int nprimes = 100;
module_param(nprimes, uint, 0444);
MODULE_PARM_DESC(nprimes, "How many primes to find (1-10000)");

/* What every G of the chain shares. */
struct sieve {
	struct kgo_ctx *ctx;
	struct kgo_wg wg;
};

/* One G: its input and output channels (its own references) and prime. */
struct sieve_stage {
	struct sieve *s;
	struct kgo_chan *in;
	struct kgo_chan *out;
	u32 prime;
};

static void sieve_stage_end(struct sieve_stage *st)
{
	struct sieve *s = st->s;

	kgo_chan_put(st->in);
	kgo_chan_put(st->out);
	kfree(st);
	kgo_wg_done(&s->wg);
}

/* Send 2, 3, 4, ... until cancelled. */
static void sieve_generate(void *arg)
{
	struct sieve_stage *st = arg;
	u32 i;

	for (i = 2; !kgo_chan_send_ctx(st->s->ctx, st->out, &i); i++)
		;
	sieve_stage_end(st);
}

/* Pass on what @prime does not divide, until cancelled. */
static void sieve_filter(void *arg)
{
	struct sieve_stage *st = arg;
	u32 i;

	while (!kgo_chan_recv_ctx(st->s->ctx, st->in, &i, NULL))
		if (i % st->prime && kgo_chan_send_ctx(st->s->ctx, st->out, &i))
			break;
	sieve_stage_end(st);
}

static int sieve_start(struct sieve *s, kgo_func_t fn, struct kgo_chan *in,
		       struct kgo_chan *out, u32 prime)
{
	struct sieve_stage *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int err;

	if (!st)
		return -ENOMEM;
	st->s = s;
	st->in = in ? kgo_chan_get(in) : NULL;
	st->out = kgo_chan_get(out);
	st->prime = prime;
	kgo_wg_add(&s->wg, 1);
	err = kgo_go_gfp(fn, st, GFP_KERNEL);
	if (err)
		sieve_stage_end(st);
	return err;
}

static int __init kgo_sample_sieve_init(void)
{
	struct kgo_chan *ch = NULL, *next;
	struct sieve s;
	u32 *primes;
	char line[128];
	unsigned int i, len = 0;
	int err;

	if (!nprimes || nprimes > 10000)
		return -EINVAL;
	primes = kvcalloc(nprimes, sizeof(*primes), GFP_KERNEL);
	if (!primes)
		return -ENOMEM;
	kgo_wg_init(&s.wg);
	s.ctx = kgo_ctx_with_cancel(NULL, GFP_KERNEL);
	if (IS_ERR(s.ctx)) {
		kvfree(primes);
		return PTR_ERR(s.ctx);
	}

	/* ch := make(chan int); go generate(ch) */
	ch = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	err = PTR_ERR_OR_ZERO(ch);
	if (!err)
		err = sieve_start(&s, sieve_generate, NULL, ch, 0);
	for (i = 0; !err && i < nprimes; i++) {
		/* prime := <-ch; ch1 := make(chan int); go filter(ch, ch1, prime) */
		err = kgo_chan_recv_ctx(s.ctx, ch, &primes[i], NULL);
		if (err)
			break;
		len += scnprintf(line + len, sizeof(line) - len, " %u", primes[i]);
		if (i % 10 == 9 || i == nprimes - 1) {
			pr_info("primes %u-%u:%s\n", i - i % 10 + 1, i + 1, line);
			len = 0;
		}
		next = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
		err = PTR_ERR_OR_ZERO(next);
		if (err)
			break;
		err = sieve_start(&s, sieve_filter, ch, next, primes[i]);
		kgo_chan_put(ch);
		ch = next;
	}

	/* Stop the chain and wait until every G has let go of its channels. */
	kgo_ctx_cancel(s.ctx);
	kgo_wg_wait(&s.wg);
	if (!IS_ERR_OR_NULL(ch))
		kgo_chan_put(ch);
	kgo_ctx_put(s.ctx);
	sample_wait_unpinned(THIS_MODULE);

	if (!err && !sample_sieve_check(primes, nprimes)) {
		pr_err("the sieve's primes differ from Eratosthenes'\n");
		err = -EIO;
	}
	kvfree(primes);
	if (err) {
		pr_err("failed: %d\n", err);
		return err;
	}
	pr_info("first %u primes ok\n", nprimes);
	return 0;
}

static void __exit kgo_sample_sieve_exit(void)
{
}

module_init(kgo_sample_sieve_init);
module_exit(kgo_sample_sieve_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgo sample: Go's concurrent prime sieve");
MODULE_AUTHOR("kgo developers");
