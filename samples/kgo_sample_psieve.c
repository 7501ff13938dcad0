// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Go's concurrent prime sieve (go.dev/doc/play/sieve.go) with parked Gs
 * (<kgo/async.h>): a generator G sends 2, 3, 4, ... down an unbuffered
 * channel, and each prime found gets a filter G that passes on what the
 * prime does not divide. Every G waits parked, without a thread: the
 * 10,000 filters of the default cost 10,000 frames (kmalloc-192) and
 * 10,000 G descriptors of 64 bytes, not 10,000 kthreads. The module's init, a
 * user process, receives the primes with the thread-blocking
 * kgo_chan_recv(): the two forms mix on one channel.
 *
 * Loading the module prints the count, the last prime and the time taken,
 * checks the primes against a sieve of Eratosthenes, and fails to load on
 * a mismatch.
 *
 * Cleanup, which Go's demo leaves to the process exit: init closes the
 * first and the last channel; a G that ends closes both of its channels,
 * which wakes its neighbours in turn (each waits on one of them), and a
 * WaitGroup tells init when the last G has let go of its channels.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "sample.h"

static unsigned int nprimes = 10000;
module_param(nprimes, uint, 0444);
MODULE_PARM_DESC(nprimes, "How many primes to find (1-100000)");

/*
 * One G's frame: everything that lives across a wait. The channels are
 * the G's own references.
 */
struct psieve_stage {
	struct kgo_task t;
	struct kgo_wg *wg;
	struct kgo_chan *in;
	struct kgo_chan *out;
	u32 prime;
	u32 v;
};

/* End a G: wake both neighbours, let go of everything. */
static void psieve_stage_end(struct psieve_stage *st)
{
	struct kgo_wg *wg = st->wg;

	if (st->in) {
		kgo_chan_close(st->in);	/* -EPIPE when closed already */
		kgo_chan_put(st->in);
	}
	kgo_chan_close(st->out);
	kgo_chan_put(st->out);
	kfree(st);
	kgo_wg_done(wg);
}

/* for i := 2; ; i++ { ch <- i } */
static int psieve_generate(struct kgo_task *t)
{
	struct psieve_stage *st = container_of(t, struct psieve_stage, t);

	KGO_BEGIN(t);
	for (st->v = 2;; st->v++) {
		KGO_AWAIT(t, kgo_chan_send_async(t, st->out, &st->v));
		if (t->err)
			break;
	}
	psieve_stage_end(st);
	KGO_END(t);
}

KGO_STEP_FUNC(psieve_generate);

/* for { i := <-in; if i%prime != 0 { out <- i } } */
static int psieve_filter(struct kgo_task *t)
{
	struct psieve_stage *st = container_of(t, struct psieve_stage, t);

	KGO_BEGIN(t);
	for (;;) {
		KGO_AWAIT(t, kgo_chan_recv_async(t, st->in, &st->v));
		if (!t->ok)
			break;
		if (st->v % st->prime == 0)
			continue;
		KGO_AWAIT(t, kgo_chan_send_async(t, st->out, &st->v));
		if (t->err)
			break;
	}
	psieve_stage_end(st);
	KGO_END(t);
}

KGO_STEP_FUNC(psieve_filter);

static int psieve_start(struct kgo_wg *wg, kgo_step_t step,
			struct kgo_chan *in, struct kgo_chan *out, u32 prime)
{
	struct psieve_stage *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int err;

	if (!st)
		return -ENOMEM;
	st->wg = wg;
	st->in = in ? kgo_chan_get(in) : NULL;
	st->out = kgo_chan_get(out);
	st->prime = prime;
	kgo_wg_add(wg, 1);
	err = kgo_go_async_gfp(step, &st->t, GFP_KERNEL);
	if (err)
		psieve_stage_end(st);
	return err;
}

static int __init kgo_sample_psieve_init(void)
{
	struct kgo_chan *first, *ch, *next;
	struct kgo_wg wg;
	unsigned int i;
	u32 *primes;
	u64 start;
	int err;

	if (!nprimes || nprimes > 100000)
		return -EINVAL;
	primes = kvcalloc(nprimes, sizeof(*primes), GFP_KERNEL);
	if (!primes)
		return -ENOMEM;
	kgo_wg_init(&wg);
	start = ktime_get_ns();

	/* ch := make(chan int); go generate(ch) */
	first = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
	if (IS_ERR(first)) {
		kvfree(primes);
		return PTR_ERR(first);
	}
	ch = kgo_chan_get(first);
	err = psieve_start(&wg, psieve_generate, NULL, ch, 0);
	for (i = 0; !err && i < nprimes; i++) {
		bool ok;

		/* prime := <-ch; ch1 := make(chan int); go filter(ch, ch1, prime) */
		err = kgo_chan_recv(ch, &primes[i], &ok);
		if (!err && !ok)
			err = -EPIPE;
		if (err)
			break;
		next = kgo_chan_make(sizeof(u32), 0, GFP_KERNEL);
		err = PTR_ERR_OR_ZERO(next);
		if (err)
			break;
		err = psieve_start(&wg, psieve_filter, ch, next, primes[i]);
		kgo_chan_put(ch);
		ch = next;
	}

	/* Stop the chain from both ends; wait for every G to let go. */
	kgo_chan_close(first);
	kgo_chan_close(ch);
	kgo_wg_wait(&wg);
	kgo_chan_put(first);
	kgo_chan_put(ch);
	sample_wait_unpinned(THIS_MODULE);

	if (!err && !sample_sieve_check(primes, nprimes)) {
		pr_err("the sieve's primes differ from Eratosthenes'\n");
		err = -EIO;
	}
	if (err) {
		pr_err("failed after %u primes: %d\n", i, err);
		kvfree(primes);
		return err;
	}
	pr_info("%u primes by %u parked Gs in %llu ms, the last %u\n", nprimes,
		nprimes + 1, div_u64(ktime_get_ns() - start, NSEC_PER_MSEC),
		primes[nprimes - 1]);
	pr_info("first %u primes ok\n", nprimes);
	kvfree(primes);
	return 0;
}

static void __exit kgo_sample_psieve_exit(void)
{
}

module_init(kgo_sample_psieve_init);
module_exit(kgo_sample_psieve_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgo sample: Go's concurrent prime sieve with parked Gs");
MODULE_AUTHOR("kgo developers");
