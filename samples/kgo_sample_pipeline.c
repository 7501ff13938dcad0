// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * A fan-out/fan-in pipeline with kgo's structured concurrency: an errgroup
 * runs a producer (1..@count into a jobs channel, then close), a number
 * (@workers) of workers (square each job into a results channel) and a closer that
 * closes the results channel once a WaitGroup says every worker is done;
 * module init collects the results. The group's context has a timeout
 * (@timeout_ms): a stuck pipeline ends with -ETIMEDOUT instead of hanging
 * insmod. The first error (@fail_at makes a worker fail on that job)
 * cancels everyone through the same context. Loading checks the sum of
 * squares against n(n+1)(2n+1)/6.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include <kgo/chan.h>
#include <kgo/context.h>
#include <kgo/errgroup.h>
#include <kgo/kgo.h>
#include <kgo/sync.h>

#include "sample.h"

static unsigned int count = 1000;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "Jobs to send through the pipeline (1-100000)");

static unsigned int workers = 4;
module_param(workers, uint, 0444);
MODULE_PARM_DESC(workers, "Worker Gs in the fan-out (1-64)");

static unsigned int timeout_ms = 120000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "Deadline of the whole pipeline in ms");

static unsigned int fail_at;
module_param(fail_at, uint, 0444);
MODULE_PARM_DESC(fail_at, "A worker fails with -EIO on this job (0: never)");

struct pipeline {
	struct kgo_chan *jobs;		/* u64, closed by the producer */
	struct kgo_chan *results;	/* u64, closed by the closer */
	struct kgo_wg workers;
	atomic_t per_worker_max;
};

static int pipeline_produce(struct kgo_ctx *ctx, void *arg)
{
	struct pipeline *p = arg;
	int err = 0;
	u64 i;

	for (i = 1; i <= count && !err; i++)
		err = kgo_chan_send_ctx(ctx, p->jobs, &i);
	kgo_chan_close(p->jobs);	/* Go's defer close(jobs) */
	return err;
}

static int pipeline_work(struct kgo_ctx *ctx, void *arg)
{
	struct pipeline *p = arg;
	bool ok = true;
	int err;
	u64 v;

	for (;;) {
		err = kgo_chan_recv_ctx(ctx, p->jobs, &v, &ok);
		if (err || !ok)
			break;
		if (fail_at && v == fail_at) {
			err = -EIO;
			break;
		}
		v *= v;
		err = kgo_chan_send_ctx(ctx, p->results, &v);
		if (err)
			break;
	}
	kgo_wg_done(&p->workers);
	return err;
}

/* Fan-in: close the results once every worker has returned. */
static int pipeline_close(struct kgo_ctx *ctx, void *arg)
{
	struct pipeline *p = arg;
	int err = kgo_wg_wait_ctx(&p->workers, ctx);

	kgo_chan_close(p->results);
	return err;
}

static int __init kgo_sample_pipeline_init(void)
{
	u64 n = count, want = n * (n + 1) * (2 * n + 1) / 6, sum = 0, v;
	struct kgo_errgroup eg;
	struct pipeline p = {};
	struct kgo_ctx *ctx;
	unsigned int i, got = 0;
	bool ok = true;
	int err, werr;

	if (!count || count > 100000 || !workers || workers > 64)
		return -EINVAL;
	ctx = kgo_ctx_with_timeout(NULL, (s64)timeout_ms * NSEC_PER_MSEC,
				   GFP_KERNEL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = kgo_errgroup_init(&eg, ctx, GFP_KERNEL);
	if (err)
		goto out_ctx;
	p.jobs = kgo_chan_make(sizeof(u64), 16, GFP_KERNEL);
	p.results = kgo_chan_make(sizeof(u64), 16, GFP_KERNEL);
	if (IS_ERR(p.jobs) || IS_ERR(p.results)) {
		err = -ENOMEM;
		goto out_chans;
	}
	kgo_wg_init(&p.workers);

	kgo_wg_add(&p.workers, workers);
	err = kgo_errgroup_go(&eg, pipeline_produce, &p);
	for (i = 0; !err && i < workers; i++)
		err = kgo_errgroup_go(&eg, pipeline_work, &p);
	for (; i < workers; i++)
		kgo_wg_done(&p.workers);	/* never started */
	if (!err)
		err = kgo_errgroup_go(&eg, pipeline_close, &p);

	/* Fan-in: collect until the closer closes the results. */
	while (!err) {
		err = kgo_chan_recv_ctx(kgo_errgroup_ctx(&eg), p.results, &v, &ok);
		if (err || !ok)
			break;
		sum += v;
		got++;
	}
	if (err)
		kgo_ctx_cancel(kgo_errgroup_ctx(&eg));
	werr = kgo_errgroup_wait(&eg);
	/* The group's own error says why the collector stopped. */
	err = werr ?: err;
	sample_wait_unpinned(THIS_MODULE);
out_chans:
	if (!IS_ERR(p.jobs))
		kgo_chan_put(p.jobs);
	if (!IS_ERR(p.results))
		kgo_chan_put(p.results);
	kgo_errgroup_destroy(&eg);
out_ctx:
	kgo_ctx_put(ctx);
	if (!err && (got != count || sum != want)) {
		pr_err("got %u results summing to %llu, want %u and %llu\n",
		       got, sum, count, want);
		err = -EIO;
	}
	if (err) {
		pr_err("pipeline failed: %d\n", err);
		return err;
	}
	pr_info("%u squares through %u workers: sum %llu ok\n", count, workers,
		sum);
	return 0;
}

static void __exit kgo_sample_pipeline_exit(void)
{
}

module_init(kgo_sample_pipeline_init);
module_exit(kgo_sample_pipeline_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgo sample: fan-out/fan-in with errgroup, context and WaitGroup");
MODULE_AUTHOR("kgo developers");
