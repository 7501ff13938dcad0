// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo_bench: the kernel side of `make bench` (Documentation/bench.rst).
 *
 * Loading it runs one benchmark, chosen by the module parameters, in its
 * init function, prints one line per measurement ("kgo-bench: ...") and
 * returns 0; scripts/guest/bench.sh unloads it again and the host turns the
 * lines into ratios. Nothing here passes or fails.
 *
 * mode=spawn      spawn+run+exit throughput of tiny fire-and-forget items:
 *                 kgo Gs, kmalloc'd work items on a per-CPU cmwq workqueue
 *                 and kmalloc'd kthread_works on a kthread_worker, each
 *                 freed when it has run; from one submitter kthread (on the
 *                 first online CPU) or one per online CPU (submitters=0)
 * mode=imbalance  time until @gs CPU-bound Gs, all spawned by one G (so
 *                 all queued on one P), have run; with ref=1 also the
 *                 same work split evenly over 1 and over all CPUs' kthreads
 * mode=calibrate  iterations of that CPU-bound loop per millisecond
 * mode=memory     the kgo_g slab cache's figures before and after queuing
 *                 @items Gs behind a G that holds the only P (nprocs=1,
 *                 at least 2 CPUs)
 * mode=pingpong   @items round trips of a u64 over two unbuffered kgo
 *                 channels between two Gs and between two kthreads, and
 *                 over two completions between two kthreads
 * mode=buffered   @items u64s from a producer to a consumer through a
 *                 kgo channel of capacity 128 (two Gs) and through a
 *                 128-entry kfifo under a spinlock with two wait queues
 *                 (two kthreads)
 * mode=select     @items receives from a ready buffered channel in one
 *                 kthread: by kgo_select() over it and a never-ready
 *                 channel, and by kgo_chan_tryrecv()
 * mode=parked     @items parked Gs (kgo_go_async()) on one unbuffered
 *                 channel, their frames from a kmem_cache: unreclaimable
 *                 slab bytes and free memory used per parked G (frame and
 *                 G descriptor), the time to spawn and park them all and
 *                 to release them all from one sender, each value checked
 * (mode=pingpong also runs two parked Gs: impl=parked)
 *
 * The init function always returns 0 and ends with a "done mode=...
 * status=..." line: a G pins this module and may use its data until it has
 * finished, but a failed init would free the module at once. A run that
 * times out with Gs outstanding says wedged=1 and stops; the module stays
 * loaded (rmmod fails, which the guest script reports).
 */

#define pr_fmt(fmt) "kgo-bench: " fmt

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kfifo.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/kgo.h>

static char *mode = "spawn";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "spawn, imbalance, calibrate, memory, pingpong, buffered, select or parked");

static char *impls = "kgo,cmwq,kworker";
module_param(impls, charp, 0444);
MODULE_PARM_DESC(impls, "spawn: what to measure, comma-separated: kgo, cmwq, kworker");

static unsigned int items = 50000;
module_param(items, uint, 0444);
MODULE_PARM_DESC(items, "spawn: items per run; memory: Gs to queue; pingpong: round trips; buffered: values; select: receives; parked: Gs to park");

static unsigned int submitters = 1;
module_param(submitters, uint, 0444);
MODULE_PARM_DESC(submitters, "spawn: submitter kthreads, one per CPU from the first; 0 = one per online CPU");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "measured repetitions (each implementation in turn)");

static unsigned int warmup = 1;
module_param(warmup, uint, 0444);
MODULE_PARM_DESC(warmup, "unmeasured repetitions first (printed with rep=0)");

static unsigned int gs = 64;
module_param(gs, uint, 0444);
MODULE_PARM_DESC(gs, "imbalance: CPU-bound Gs per run");

static unsigned int work = 200000;
module_param(work, uint, 0444);
MODULE_PARM_DESC(work, "imbalance: loop iterations per G (see mode=calibrate)");

static bool ref;
module_param(ref, bool, 0444);
MODULE_PARM_DESC(ref, "imbalance: also run the work on 1 and on all CPUs' pinned kthreads");

static unsigned int timeout_s = 60;
module_param(timeout_s, uint, 0444);
MODULE_PARM_DESC(timeout_s, "seconds to wait for one run before giving up and showing kgo's threads");

enum bench_impl {
	BENCH_KGO,
	BENCH_CMWQ,
	BENCH_KWORKER,
	BENCH_NR_IMPLS,
};

static const char * const bench_impl_name[BENCH_NR_IMPLS] = {
	[BENCH_KGO] = "kgo",
	[BENCH_CMWQ] = "cmwq",
	[BENCH_KWORKER] = "kworker",
};

/*
 * One measurement. Static, not on a stack: after a timeout, Gs that still
 * hold a pointer to it keep this module (and so the struct) alive.
 */
struct bench_run {
	enum bench_impl impl;
	const char *name;
	unsigned int total;
	unsigned int work;
	atomic_t done;
	atomic_t failed;
	atomic_t ready;
	u64 t_end;
	atomic64_t sink;
	struct completion start;
	struct completion all_done;
	struct workqueue_struct *wq;
	struct kthread_worker *kw;
};

static struct bench_run bench_run;

/* A G of this module may still be queued or running: do nothing more. */
static bool bench_wedged;
static struct kgo_chan *bench_pchan;

struct bench_work {
	struct work_struct work;
	struct bench_run *run;
};

struct bench_kwork {
	struct kthread_work work;
	struct bench_run *run;
};

struct bench_sub {
	struct task_struct *task;
	struct bench_run *run;
	unsigned int count;
};

static void bench_run_reset(struct bench_run *r, enum bench_impl impl,
			    unsigned int total)
{
	r->impl = impl;
	r->name = bench_impl_name[impl];
	r->total = total;
	r->work = work;
	atomic_set(&r->done, 0);
	atomic_set(&r->failed, 0);
	atomic_set(&r->ready, 0);
	r->t_end = 0;
	init_completion(&r->start);
	init_completion(&r->all_done);
}

static void bench_item_done(struct bench_run *r)
{
	if (atomic_inc_return(&r->done) == r->total) {
		WRITE_ONCE(r->t_end, ktime_get_ns());
		complete(&r->all_done);
	}
}

/* --- spawn: the three kinds of item --- */

static void bench_g_fn(void *arg)
{
	bench_item_done(arg);
}

static void bench_work_fn(struct work_struct *work)
{
	struct bench_work *bw = container_of(work, struct bench_work, work);
	struct bench_run *r = bw->run;

	kfree(bw);
	bench_item_done(r);
}

static void bench_kwork_fn(struct kthread_work *work)
{
	struct bench_kwork *bk = container_of(work, struct bench_kwork, work);
	struct bench_run *r = bk->run;

	kfree(bk);
	bench_item_done(r);
}

static int bench_submit_cmwq(struct bench_run *r)
{
	struct bench_work *bw = kmalloc(sizeof(*bw), GFP_ATOMIC);

	if (!bw)
		return -ENOMEM;
	INIT_WORK(&bw->work, bench_work_fn);
	bw->run = r;
	queue_work(r->wq, &bw->work);
	return 0;
}

static int bench_submit_kworker(struct bench_run *r)
{
	struct bench_kwork *bk = kmalloc(sizeof(*bk), GFP_ATOMIC);

	if (!bk)
		return -ENOMEM;
	kthread_init_work(&bk->work, bench_kwork_fn);
	bk->run = r;
	kthread_queue_work(r->kw, &bk->work);
	return 0;
}

/* Every item is allocated with GFP_ATOMIC, as kgo_go() allocates a G. */
static int bench_submit(struct bench_run *r)
{
	switch (r->impl) {
	case BENCH_KGO:
		return kgo_go(bench_g_fn, r);
	case BENCH_CMWQ:
		return bench_submit_cmwq(r);
	case BENCH_KWORKER:
		return bench_submit_kworker(r);
	default:
		return -EINVAL;
	}
}

/* Wait for kthread_stop(), so that the stopper never sees us gone. */
static int bench_wait_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int bench_submitter(void *arg)
{
	struct bench_sub *s = arg;
	struct bench_run *r = s->run;
	unsigned int i;

	atomic_inc(&r->ready);
	wake_up_var(&r->ready);
	wait_for_completion(&r->start);
	for (i = 0; i < s->count; i++) {
		if (bench_submit(r)) {
			/* Counted, reported, and the run still ends. */
			atomic_inc(&r->failed);
			bench_item_done(r);
		}
		cond_resched();
	}
	return bench_wait_stop();
}

/*
 * Wait until the Gs have finished, not just run their function: a G drops
 * its pin on this module after its function returns.
 */
static void bench_wait_gs_gone(void)
{
	unsigned long end = jiffies + 10 * HZ;

	while (kgo_live_gs()) {
		if (time_after(jiffies, end)) {
			pr_err("error %ld Gs still live 10 s after their run\n",
			       kgo_live_gs());
			bench_wedged = true;
			return;
		}
		usleep_range(200, 400);
	}
}

/* After a timeout: what kgo's threads and ours are doing, for the report. */
static void bench_show_tasks(void)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p) {
		if (!strncmp(p->comm, "kgo_", 4))
			sched_show_task(p);
	}
	rcu_read_unlock();
}

static int bench_wait_run(struct bench_run *r, const char *what)
{
	unsigned long end = jiffies + timeout_s * HZ;

	/* In 1 s steps, so that a slow run is not reported as a hung task. */
	while (!wait_for_completion_timeout(&r->all_done, HZ)) {
		if (time_before(jiffies, end))
			continue;
		pr_err("error %s impl=%s timed out after %us: %d of %u items done, kgo_live_gs=%ld\n",
		       what, r->name, timeout_s,
		       atomic_read(&r->done), r->total, kgo_live_gs());
		bench_show_tasks();
		return -ETIMEDOUT;
	}
	return 0;
}

/*
 * Run @fn in @nsub kthreads, bound to the first @nsub online CPUs, each
 * with @per items of @r, from a common start until @r's last item is done.
 * Return: the run's length in ns, or a negative errno.
 */
static s64 bench_threads_run(struct bench_run *r, int (*fn)(void *),
			     unsigned int nsub, unsigned int per,
			     const char *what)
{
	struct bench_sub *subs;
	unsigned int i = 0, cpu;
	int ret = 0;
	u64 t0;

	subs = kcalloc(nsub, sizeof(*subs), GFP_KERNEL);
	if (!subs)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (i == nsub)
			break;
		subs[i].run = r;
		subs[i].count = per;
		t = kthread_create(fn, &subs[i], "kgo_bench/%u", cpu);
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			break;
		}
		kthread_bind(t, cpu);
		subs[i++].task = t;
	}
	if (ret || i != nsub) {
		/* Never woken: kthread_stop() makes them exit unstarted. */
		while (i--)
			kthread_stop(subs[i].task);
		kfree(subs);
		return ret ? ret : -EINVAL;
	}

	for (i = 0; i < nsub; i++)
		wake_up_process(subs[i].task);
	wait_var_event(&r->ready, atomic_read(&r->ready) == nsub);
	t0 = ktime_get_ns();
	complete_all(&r->start);
	ret = bench_wait_run(r, what);
	for (i = 0; i < nsub; i++)
		kthread_stop(subs[i].task);
	kfree(subs);
	if (ret)
		return ret;
	return READ_ONCE(r->t_end) - t0;
}

static int bench_spawn_once(enum bench_impl impl, unsigned int nsub,
			    unsigned int rep)
{
	struct bench_run *r = &bench_run;
	unsigned int per = max(items / nsub, 1U);
	s64 ns;

	bench_run_reset(r, impl, per * nsub);
	ns = bench_threads_run(r, bench_submitter, nsub, per, "spawn");
	if (ns < 0) {
		if (ns == -ETIMEDOUT && impl == BENCH_KGO)
			bench_wedged = true;
		return ns;
	}
	pr_info("spawn impl=%s submitters=%u items=%u rep=%u ns=%lld failed=%d\n",
		bench_impl_name[impl], nsub, r->total, rep, ns,
		atomic_read(&r->failed));
	if (impl == BENCH_KGO)
		bench_wait_gs_gone();
	return 0;
}

static int bench_parse_impls(bool *want)
{
	char *list, *tok, *cur;
	int i, n = 0;

	list = kstrdup(impls, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while ((tok = strsep(&cur, ","))) {
		if (!*tok)
			continue;
		i = match_string(bench_impl_name, BENCH_NR_IMPLS, tok);
		if (i < 0) {
			pr_err("error unknown impl '%s'\n", tok);
			kfree(list);
			return -EINVAL;
		}
		want[i] = true;
		n++;
	}
	kfree(list);
	return n ? 0 : -EINVAL;
}

static int bench_spawn(void)
{
	bool want[BENCH_NR_IMPLS] = {};
	struct bench_run *r = &bench_run;
	unsigned int nsub = submitters, round, rep;
	int ret, impl;

	if (!nsub || nsub > num_online_cpus())
		nsub = num_online_cpus();
	ret = bench_parse_impls(want);
	if (ret)
		return ret;
	r->wq = alloc_workqueue("kgo_bench", 0, 0);
	if (!r->wq)
		return -ENOMEM;
	r->kw = kthread_create_worker(0, "kgo_bench_kw");
	if (IS_ERR(r->kw)) {
		ret = PTR_ERR(r->kw);
		destroy_workqueue(r->wq);
		return ret;
	}
	/*
	 * Each implementation in turn, so that drift in the host hits all
	 * alike; the warm-up rounds are printed as rep=0.
	 */
	for (round = 0; round < warmup + reps && !ret; round++) {
		rep = round < warmup ? 0 : round - warmup + 1;
		for (impl = 0; impl < BENCH_NR_IMPLS && !ret; impl++) {
			if (want[impl])
				ret = bench_spawn_once(impl, nsub, rep);
		}
	}
	kthread_destroy_worker(r->kw);
	destroy_workqueue(r->wq);
	return ret;
}

/* --- imbalance: CPU-bound Gs, all queued on one P --- */

/* Where the Gs ran: CPUs 0 to BENCH_CPUS - 2, and the rest together. */
#define BENCH_CPUS	8
static atomic_t bench_ran_on[BENCH_CPUS];

/*
 * A loop the compiler cannot shorten (xorshift64, its result used), the
 * same code for Gs, the reference kthreads and the calibration: a G asks
 * kgo_should_yield() every 1024 iterations, which outside a G is false.
 */
static u64 bench_spin(unsigned int iters, u64 x)
{
	unsigned int i, chunk;

	while (iters) {
		chunk = min(iters, 1024U);
		for (i = 0; i < chunk; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		iters -= chunk;
		/* A well-behaved long G: give the P up when sysmon asks. */
		if (kgo_should_yield())
			kgo_yield();
	}
	return x;
}

static void bench_spin_fn(void *arg)
{
	struct bench_run *r = arg;
	unsigned int cpu = raw_smp_processor_id();
	u64 x;

	atomic_inc(&bench_ran_on[min(cpu, BENCH_CPUS - 1U)]);
	x = bench_spin(r->work, (unsigned long)current | 1);
	atomic64_add(x, &r->sink);
	bench_item_done(r);
}

static void bench_parent_fn(void *arg)
{
	struct bench_run *r = arg;
	unsigned int i;

	/* From a G, each new G lands on this G's P (its runnext and ring). */
	for (i = 0; i < r->total; i++) {
		if (kgo_go(bench_spin_fn, r)) {
			atomic_inc(&r->failed);
			bench_item_done(r);
		}
	}
}

/* "cpu0:N,cpu1:M": how many Gs started on each CPU. */
static void bench_ran_on_str(char *buf, size_t size)
{
	size_t len = 0;
	int cpu, n;

	buf[0] = '\0';
	for (cpu = 0; cpu < BENCH_CPUS; cpu++) {
		n = atomic_read(&bench_ran_on[cpu]);
		if (n)
			len += scnprintf(buf + len, size - len, "%scpu%d:%d",
					 len ? "," : "", cpu, n);
	}
}

static int bench_imbalance_once(unsigned int rep)
{
	struct bench_run *r = &bench_run;
	char ran_on[BENCH_CPUS * 16];
	int ret, cpu;
	u64 t0;

	bench_run_reset(r, BENCH_KGO, gs);
	for (cpu = 0; cpu < BENCH_CPUS; cpu++)
		atomic_set(&bench_ran_on[cpu], 0);
	t0 = ktime_get_ns();
	ret = kgo_go_gfp(bench_parent_fn, r, GFP_KERNEL);
	if (ret) {
		pr_err("error imbalance: kgo_go: %d\n", ret);
		return ret;
	}
	ret = bench_wait_run(r, "imbalance");
	bench_ran_on_str(ran_on, sizeof(ran_on));
	if (ret) {
		pr_err("error imbalance nprocs=%u: Gs started per CPU: %s\n",
		       kgo_nprocs(), ran_on);
		bench_wedged = true;
		return ret;
	}
	pr_info("imbalance nprocs=%u gs=%u work=%u rep=%u ns=%llu failed=%d ran_on=%s\n",
		kgo_nprocs(), gs, work, rep, READ_ONCE(r->t_end) - t0,
		atomic_read(&r->failed), ran_on);
	bench_wait_gs_gone();
	return 0;
}

/* The reference: the same work split evenly over pinned kthreads. */
static int bench_ref_thread(void *arg)
{
	struct bench_sub *s = arg;
	struct bench_run *r = s->run;
	unsigned int i;
	u64 x;

	atomic_inc(&r->ready);
	wake_up_var(&r->ready);
	wait_for_completion(&r->start);
	for (i = 0; i < s->count; i++) {
		x = bench_spin(r->work, (unsigned long)current | 1);
		atomic64_add(x, &r->sink);
		bench_item_done(r);
		cond_resched();
	}
	return bench_wait_stop();
}

static int bench_ref_once(unsigned int nthreads, unsigned int rep)
{
	struct bench_run *r = &bench_run;
	unsigned int per = DIV_ROUND_UP(gs, nthreads);
	s64 ns;

	bench_run_reset(r, BENCH_KGO, per * nthreads);
	ns = bench_threads_run(r, bench_ref_thread, nthreads, per, "reference");
	if (ns < 0)
		return ns;
	pr_info("imbalance-ref threads=%u gs=%u work=%u rep=%u ns=%lld\n",
		nthreads, r->total, work, rep, ns);
	return 0;
}

/*
 * The kgo run, then (with ref=1) the same work on one pinned kthread and
 * on one per CPU: how much parallelism the VM offers right now.
 */
static int bench_imbalance(void)
{
	unsigned int round, rep;
	int ret = 0;

	if (!gs)
		return -EINVAL;
	for (round = 0; round < warmup + reps && !ret; round++) {
		rep = round < warmup ? 0 : round - warmup + 1;
		ret = bench_imbalance_once(rep);
		if (!ret && ref && rep)
			ret = bench_ref_once(1, rep);
		if (!ret && ref && rep)
			ret = bench_ref_once(num_online_cpus(), rep);
	}
	return ret;
}

/* The best of five: iterations of bench_spin() per millisecond. */
static int bench_calibrate(void)
{
	u64 best = U64_MAX, ns, x = 1;
	unsigned int iters = 1 << 16;
	int i;

	/* Grow until one pass takes 20 ms: timer granularity is then noise. */
	for (;;) {
		ns = ktime_get_ns();
		x = bench_spin(iters, x);
		ns = ktime_get_ns() - ns;
		if (ns >= 20 * NSEC_PER_MSEC || iters >= 1U << 30)
			break;
		iters <<= 1;
		cond_resched();
	}
	for (i = 0; i < 5; i++) {
		ns = ktime_get_ns();
		x = bench_spin(iters, x);
		ns = ktime_get_ns() - ns;
		best = min(best, ns);
		cond_resched();
	}
	atomic64_add(x, &bench_run.sink);
	pr_info("calibrate iters=%u best_ns=%llu iters_per_ms=%llu\n", iters,
		best, div64_u64((u64)iters * NSEC_PER_MSEC, max(best, 1ULL)));
	return 0;
}

/* --- memory: slab figures around a batch of queued Gs --- */

static int bench_blocker_cpu = -1;
static bool bench_blocker_release;
static bool bench_blocker_expired;
static DECLARE_COMPLETION(bench_blocker_done);

/*
 * Hold the only P with preemption off, so that no other M can run on its
 * CPU: sysmon may retake the P when the batch queues behind us, but the M
 * it hands the P to is bound to this CPU and cannot run until we stop.
 * Bounded, well below the soft-lockup and RCU-stall thresholds.
 */
static void bench_blocker_fn(void *arg)
{
	u64 end = ktime_get_ns() + 5 * NSEC_PER_SEC;

	preempt_disable();
	WRITE_ONCE(bench_blocker_cpu, smp_processor_id());
	while (!READ_ONCE(bench_blocker_release)) {
		if (ktime_get_ns() > end) {
			WRITE_ONCE(bench_blocker_expired, true);
			break;
		}
		cpu_relax();
	}
	preempt_enable();
	complete(&bench_blocker_done);
}

/* A number from /sys/kernel/slab/kgo_g/@attr (the first on the line). */
static long bench_slab_attr(const char *attr)
{
	char path[64], buf[64];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	long v;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/slab/kgo_g/%s", attr);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0)
		return n ? n : -EIO;
	/* "objects" and "slabs" go on with per-node counts: " N0=...". */
	buf[n] = '\0';
	buf[strcspn(buf, "\n ")] = '\0';
	ret = kstrtol(buf, 10, &v);
	return ret ? ret : v;
}

struct bench_slab {
	long objects;
	long slabs;
};

static void bench_slab_read(struct bench_slab *s)
{
	s->objects = bench_slab_attr("objects");
	s->slabs = bench_slab_attr("slabs");
}

struct bench_mem {
	struct bench_slab before;
	struct bench_slab after;
	int ran_early;
	long live_gs;
	int failed;
	bool blocked;
};

/* On a CPU other than the blocker's: queue the batch, read the figures. */
static int bench_mem_thread(void *arg)
{
	struct bench_mem *mem = arg;
	struct bench_run *r = &bench_run;
	unsigned int i;

	bench_slab_read(&mem->before);
	for (i = 0; i < r->total; i++) {
		if (kgo_go(bench_g_fn, r)) {
			atomic_inc(&r->failed);
			bench_item_done(r);
		}
	}
	bench_slab_read(&mem->after);
	mem->ran_early = atomic_read(&r->done) - atomic_read(&r->failed);
	mem->live_gs = kgo_live_gs();
	mem->failed = atomic_read(&r->failed);
	/* Still blocking, or did the 5 s bound run out under us? */
	mem->blocked = !READ_ONCE(bench_blocker_expired);
	WRITE_ONCE(bench_blocker_release, true);
	return bench_wait_stop();
}

static int bench_memory(void)
{
	struct bench_run *r = &bench_run;
	unsigned long end = jiffies + 10 * HZ;
	struct bench_mem mem = {};
	struct task_struct *t;
	int cpu, blocker;
	int ret;

	if (kgo_nprocs() != 1 || num_online_cpus() < 2) {
		pr_err("error memory needs kgo nprocs=1 and 2 CPUs (nprocs=%u, cpus=%u)\n",
		       kgo_nprocs(), num_online_cpus());
		return -EINVAL;
	}
	bench_run_reset(r, BENCH_KGO, items);
	ret = kgo_go_gfp(bench_blocker_fn, NULL, GFP_KERNEL);
	if (ret) {
		pr_err("error memory: kgo_go: %d\n", ret);
		return ret;
	}
	while ((blocker = READ_ONCE(bench_blocker_cpu)) < 0 &&
	       time_before(jiffies, end))
		usleep_range(500, 1000);
	if (blocker < 0) {
		pr_err("error memory: the blocking G did not start within 10 s\n");
		bench_wedged = true;
		return 0;
	}
	cpu = cpumask_any_but(cpu_online_mask, blocker);
	t = kthread_create(bench_mem_thread, &mem, "kgo_bench_mem");
	if (IS_ERR(t)) {
		WRITE_ONCE(bench_blocker_release, true);
		wait_for_completion(&bench_blocker_done);
		return PTR_ERR(t);
	}
	kthread_bind(t, cpu);
	wake_up_process(t);
	wait_for_completion(&bench_blocker_done);
	ret = bench_wait_run(r, "memory");
	kthread_stop(t);
	if (ret) {
		bench_wedged = true;
		return ret;
	}
	pr_info("memory n=%u ran_early=%d blocked=%d live_gs=%ld failed=%d objects_before=%ld objects_after=%ld slabs_before=%ld slabs_after=%ld\n",
		r->total, mem.ran_early, mem.blocked, mem.live_gs, mem.failed,
		mem.before.objects, mem.after.objects, mem.before.slabs,
		mem.after.slabs);
	pr_info("slab order=%ld object_size=%ld slab_size=%ld objs_per_slab=%ld page_size=%lu\n",
		bench_slab_attr("order"), bench_slab_attr("object_size"),
		bench_slab_attr("slab_size"), bench_slab_attr("objs_per_slab"),
		PAGE_SIZE);
	bench_wait_gs_gone();
	return 0;
}

/* --- channels: ping-pong, buffered throughput, select --- */

/* The buffered benchmarks' capacity: the channel's and the kfifo's. */
#define BENCH_CHAN_CAP	128

/*
 * The state of one channel run, shared by its two sides. Static for the
 * same reason as bench_run. @a and @b: ping-pong, ping to pong and back;
 * buffered, @a only; select, @a the ready channel and @b the never-ready
 * one. The completions, the kfifo and its wait queues are the baselines'.
 */
struct bench_chan {
	unsigned int n;
	struct kgo_chan *a;
	struct kgo_chan *b;
	struct completion ping;
	struct completion pong;
	u64 val;
	spinlock_t lock;	/* the kfifo */
	DECLARE_KFIFO(fifo, u64, BENCH_CHAN_CAP);
	wait_queue_head_t not_full;
	wait_queue_head_t not_empty;
	bool abort;
	u64 t0;
	u64 ns;
	u64 sum;
	atomic_t errors;
	int err;
};

static struct bench_chan bench_chan;

/*
 * Make every side of a run give up: a closed channel fails the blocked
 * and all later operations, the completions are completed for good and
 * the kfifo's waiters see @abort. Idempotent: closing twice is -EPIPE.
 */
static void bench_chan_abort(struct bench_chan *bc)
{
	WRITE_ONCE(bc->abort, true);
	if (!IS_ERR_OR_NULL(bc->a))
		kgo_chan_close(bc->a);
	if (!IS_ERR_OR_NULL(bc->b))
		kgo_chan_close(bc->b);
	complete_all(&bc->ping);
	complete_all(&bc->pong);
	wake_up_all(&bc->not_full);
	wake_up_all(&bc->not_empty);
}

/* One side failed: count it, keep the first code and stop the other. */
static void bench_chan_fail(struct bench_chan *bc, int err)
{
	if (!err)
		return;
	if (atomic_inc_return(&bc->errors) == 1)
		WRITE_ONCE(bc->err, err);
	bench_chan_abort(bc);
}

/*
 * Fresh state for one run of @impl with @nsides sides, with channels @a
 * and @b of capacity @a_cap and @b_cap (u64 elements), or none for -1.
 */
static int bench_chan_reset(struct bench_chan *bc, const char *impl,
			    unsigned int nsides, int a_cap, int b_cap)
{
	bench_run_reset(&bench_run, BENCH_KGO, nsides);
	bench_run.name = impl;
	bc->n = items;
	bc->a = NULL;
	bc->b = NULL;
	init_completion(&bc->ping);
	init_completion(&bc->pong);
	bc->val = 0;
	spin_lock_init(&bc->lock);
	INIT_KFIFO(bc->fifo);
	init_waitqueue_head(&bc->not_full);
	init_waitqueue_head(&bc->not_empty);
	bc->abort = false;
	bc->t0 = 0;
	bc->ns = 0;
	bc->sum = 0;
	atomic_set(&bc->errors, 0);
	bc->err = 0;
	if (a_cap >= 0) {
		bc->a = kgo_chan_make(sizeof(u64), a_cap, GFP_KERNEL);
		if (IS_ERR(bc->a))
			return PTR_ERR(bc->a);
	}
	if (b_cap >= 0) {
		bc->b = kgo_chan_make(sizeof(u64), b_cap, GFP_KERNEL);
		if (IS_ERR(bc->b))
			return PTR_ERR(bc->b);
	}
	return 0;
}

/* After a run whose sides have all returned (never while one may run). */
static void bench_chan_release(struct bench_chan *bc)
{
	if (!IS_ERR_OR_NULL(bc->a))
		kgo_chan_put(bc->a);
	if (!IS_ERR_OR_NULL(bc->b))
		kgo_chan_put(bc->b);
	bc->a = NULL;
	bc->b = NULL;
}

/*
 * Wait for the run's sides. On a timeout, abort: a side blocked in a
 * channel operation returns with an error once the channel is closed, so
 * the run ends and its state can be freed. Only a side that does not
 * come back even then wedges the benchmark.
 */
static int bench_chan_wait(struct bench_chan *bc, const char *what)
{
	struct bench_run *r = &bench_run;
	int ret;

	ret = bench_wait_run(r, what);
	if (ret != -ETIMEDOUT)
		return ret;
	bench_chan_abort(bc);
	if (!wait_for_completion_timeout(&r->all_done, 10 * HZ)) {
		pr_err("error %s impl=%s: %d of %u sides done 10 s after closing the channels\n",
		       what, r->name, atomic_read(&r->done), r->total);
		bench_show_tasks();
		bench_wedged = true;
	}
	return ret;
}

/*
 * Kthreads pin this module like Gs do, until they are gone: they exit on
 * their own through module_put_and_kthread_exit(), so that a side still
 * blocked after a timeout never runs in an unloaded module.
 */
static void bench_chan_thread_start(void)
{
	struct bench_run *r = &bench_run;

	atomic_inc(&r->ready);
	wake_up_var(&r->ready);
	wait_for_completion(&r->start);
}

/*
 * One side of a channel benchmark: the G (@g_fn), kthread (@k_fn) or
 * parked G (@step) that runs it.
 */
struct bench_chan_side {
	kgo_func_t g_fn;
	int (*k_fn)(void *arg);
	kgo_step_t step;
};

/*
 * One implementation of a channel benchmark: its sides, in the order
 * they start, and the channels it needs (a capacity, or -1).
 */
struct bench_chan_impl {
	const char *name;
	unsigned int nsides;
	int a_cap;
	int b_cap;
	struct bench_chan_side sides[2];
};

/*
 * Start one unbound kthread per side of @impl and release them together.
 * A side that cannot start is counted as done and aborts the run, so
 * that the others end too.
 */
static void bench_chan_kthreads(struct bench_chan *bc,
				const struct bench_chan_impl *impl)
{
	struct bench_run *r = &bench_run;
	struct task_struct *t;
	unsigned int i, started = 0;

	for (i = 0; i < impl->nsides; i++) {
		__module_get(THIS_MODULE);
		t = kthread_run(impl->sides[i].k_fn, bc, "kgo_bench/%u", i);
		if (IS_ERR(t)) {
			module_put(THIS_MODULE);
			bench_chan_fail(bc, PTR_ERR(t));
			bench_item_done(r);
			continue;
		}
		started++;
	}
	wait_var_event(&r->ready, atomic_read(&r->ready) == started);
	complete_all(&r->start);
}

/* Spawn one G per side of @impl, in order; as bench_chan_kthreads(). */
static void bench_chan_gs(struct bench_chan *bc,
			  const struct bench_chan_impl *impl)
{
	unsigned int i;
	int ret;

	for (i = 0; i < impl->nsides; i++) {
		ret = kgo_go_gfp(impl->sides[i].g_fn, bc, GFP_KERNEL);
		if (ret) {
			bench_chan_fail(bc, ret);
			bench_item_done(&bench_run);
		}
	}
}

/*
 * A parked side's frame (everything that lives across its awaits). Static,
 * one per side, as bench_chan: a run's Gs are gone before the next starts.
 */
struct bench_ppframe {
	struct kgo_task t;
	struct bench_chan *bc;
	u64 i;
	u64 v;
	u64 sum;
	u64 t0;
	int ret;
};

static struct bench_ppframe bench_ppframes[2];

/* Spawn one parked G per side of @impl, in order; as bench_chan_gs(). */
static void bench_chan_parked(struct bench_chan *bc,
			      const struct bench_chan_impl *impl)
{
	unsigned int i;
	int ret;

	for (i = 0; i < impl->nsides; i++) {
		bench_ppframes[i].bc = bc;
		ret = kgo_go_async_gfp(impl->sides[i].step, &bench_ppframes[i].t,
				       GFP_KERNEL);
		if (ret) {
			bench_chan_fail(bc, ret);
			bench_item_done(&bench_run);
		}
	}
}

/*
 * Ping-pong. Ping sends i and expects i + 1 back, sums the replies (as
 * the other benchmarks' consumers do) and keeps the time.
 */
static int bench_ping_chan(struct bench_chan *bc)
{
	u64 i, v = 0, sum = 0, t0;
	bool ok = true;
	int ret = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < bc->n && !ret; i++) {
		ret = kgo_chan_send(bc->a, &i);
		if (!ret)
			ret = kgo_chan_recv(bc->b, &v, &ok);
		if (!ret && (!ok || v != i + 1))
			ret = -EBADMSG;
		sum += v;
	}
	bc->ns = ktime_get_ns() - t0;
	bc->sum = sum;
	return ret;
}

static int bench_pong_chan(struct bench_chan *bc)
{
	unsigned int i;
	bool ok = true;
	int ret = 0;
	u64 v;

	for (i = 0; i < bc->n && !ret; i++) {
		ret = kgo_chan_recv(bc->a, &v, &ok);
		if (!ret && !ok)
			ret = -EPIPE;
		if (!ret) {
			v++;
			ret = kgo_chan_send(bc->b, &v);
		}
	}
	return ret;
}

/* The baseline: the value in @val, handed over by complete()/wait. */
static int bench_ping_completion(struct bench_chan *bc)
{
	u64 i, sum = 0, t0;
	int ret = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < bc->n && !ret; i++) {
		bc->val = i;
		complete(&bc->ping);
		wait_for_completion(&bc->pong);
		if (READ_ONCE(bc->abort))
			ret = -ECANCELED;
		else if (bc->val != i + 1)
			ret = -EBADMSG;
		sum += bc->val;
	}
	bc->ns = ktime_get_ns() - t0;
	bc->sum = sum;
	return ret;
}

static int bench_pong_completion(struct bench_chan *bc)
{
	unsigned int i;

	for (i = 0; i < bc->n; i++) {
		wait_for_completion(&bc->ping);
		if (READ_ONCE(bc->abort))
			return -ECANCELED;
		bc->val++;
		complete(&bc->pong);
	}
	return 0;
}

/* bench_ping_chan() and bench_pong_chan() as parked Gs. */
static int bench_ping_step(struct kgo_task *t)
{
	struct bench_ppframe *f = container_of(t, struct bench_ppframe, t);
	struct bench_chan *bc = f->bc;

	KGO_BEGIN(t);
	f->ret = 0;
	f->sum = 0;
	f->t0 = ktime_get_ns();
	for (f->i = 0; f->i < bc->n; f->i++) {
		KGO_AWAIT(t, kgo_chan_send_async(t, bc->a, &f->i));
		f->ret = t->err;
		if (f->ret)
			break;
		KGO_AWAIT(t, kgo_chan_recv_async(t, bc->b, &f->v));
		f->ret = t->err;
		if (!f->ret && (!t->ok || f->v != f->i + 1))
			f->ret = -EBADMSG;
		if (f->ret)
			break;
		f->sum += f->v;
	}
	bc->ns = ktime_get_ns() - f->t0;
	bc->sum = f->sum;
	bench_chan_fail(bc, f->ret);
	bench_item_done(&bench_run);
	KGO_END(t);
}

KGO_STEP_FUNC(bench_ping_step);

static int bench_pong_step(struct kgo_task *t)
{
	struct bench_ppframe *f = container_of(t, struct bench_ppframe, t);
	struct bench_chan *bc = f->bc;

	KGO_BEGIN(t);
	f->ret = 0;
	for (f->i = 0; f->i < bc->n; f->i++) {
		KGO_AWAIT(t, kgo_chan_recv_async(t, bc->a, &f->v));
		f->ret = t->err;
		if (!f->ret && !t->ok)
			f->ret = -EPIPE;
		if (f->ret)
			break;
		f->v++;
		KGO_AWAIT(t, kgo_chan_send_async(t, bc->b, &f->v));
		f->ret = t->err;
		if (f->ret)
			break;
	}
	bench_chan_fail(bc, f->ret);
	bench_item_done(&bench_run);
	KGO_END(t);
}

KGO_STEP_FUNC(bench_pong_step);

static void bench_ping_g(void *arg)
{
	bench_chan_fail(arg, bench_ping_chan(arg));
	bench_item_done(&bench_run);
}

static void bench_pong_g(void *arg)
{
	bench_chan_fail(arg, bench_pong_chan(arg));
	bench_item_done(&bench_run);
}

static int bench_ping_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_ping_chan(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

static int bench_pong_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_pong_chan(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

static int bench_ping_compl_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_ping_completion(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

static int bench_pong_compl_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_pong_completion(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

/*
 * Buffered: the producer sends 1 to n and keeps the start time, which the
 * consumer reads after its last receive (so after the first send).
 */
static int bench_produce_chan(struct bench_chan *bc)
{
	int ret = 0;
	u64 i;

	WRITE_ONCE(bc->t0, ktime_get_ns());
	for (i = 1; i <= bc->n && !ret; i++)
		ret = kgo_chan_send(bc->a, &i);
	return ret;
}

/* The consumer sums what it gets (checked later) and keeps the end. */
static int bench_consume_chan(struct bench_chan *bc)
{
	unsigned int i;
	bool ok = true;
	u64 v, sum = 0;
	int ret = 0;

	for (i = 0; i < bc->n && !ret; i++) {
		ret = kgo_chan_recv(bc->a, &v, &ok);
		if (!ret && !ok)
			ret = -EPIPE;
		if (!ret)
			sum += v;
	}
	bc->ns = ktime_get_ns() - READ_ONCE(bc->t0);
	bc->sum = sum;
	return ret;
}

/*
 * The baseline's two halves: one kfifo operation under the lock, true
 * once it has succeeded (@got says so) or the run is aborted. As the
 * condition of wait_event() it is retried after every wake-up until
 * then, which is the usual shape of such a queue.
 */
static bool bench_fifo_put(struct bench_chan *bc, u64 v, bool *got)
{
	spin_lock(&bc->lock);
	*got = kfifo_put(&bc->fifo, v);
	spin_unlock(&bc->lock);
	return *got || READ_ONCE(bc->abort);
}

static bool bench_fifo_get(struct bench_chan *bc, u64 *v, bool *got)
{
	spin_lock(&bc->lock);
	*got = kfifo_get(&bc->fifo, v);
	spin_unlock(&bc->lock);
	return *got || READ_ONCE(bc->abort);
}

static int bench_produce_fifo(struct bench_chan *bc)
{
	bool got;
	u64 i;

	WRITE_ONCE(bc->t0, ktime_get_ns());
	for (i = 1; i <= bc->n; i++) {
		wait_event(bc->not_full, bench_fifo_put(bc, i, &got));
		if (!got)
			return -ECANCELED;
		wake_up(&bc->not_empty);
	}
	return 0;
}

static int bench_consume_fifo(struct bench_chan *bc)
{
	unsigned int i;
	u64 v = 0, sum = 0;
	bool got = false;

	for (i = 0; i < bc->n; i++) {
		wait_event(bc->not_empty, bench_fifo_get(bc, &v, &got));
		if (!got)
			break;
		wake_up(&bc->not_full);
		sum += v;
	}
	bc->ns = ktime_get_ns() - READ_ONCE(bc->t0);
	bc->sum = sum;
	return got ? 0 : -ECANCELED;
}

static void bench_produce_g(void *arg)
{
	bench_chan_fail(arg, bench_produce_chan(arg));
	bench_item_done(&bench_run);
}

static void bench_consume_g(void *arg)
{
	bench_chan_fail(arg, bench_consume_chan(arg));
	bench_item_done(&bench_run);
}

static int bench_produce_fifo_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_produce_fifo(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

static int bench_consume_fifo_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_consume_fifo(arg));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

/*
 * Select: refill the ready channel to capacity outside the clock, then
 * time that many receives, so that the refills' trysends are not in the
 * figures; kgo_select() over the never-ready channel (first) and the
 * ready one, which must win every time, or kgo_chan_tryrecv().
 */
static int bench_select_loop(struct bench_chan *bc, bool sel)
{
	struct kgo_select_case cases[2] = {
		{ .chan = bc->b, .dir = KGO_SELECT_RECV, .elem = NULL },
		{ .chan = bc->a, .dir = KGO_SELECT_RECV },
	};
	unsigned int done = 0, batch, i;
	u64 seq = 1, v = 0, sum = 0, t;
	bool ok = true;
	int ret = 0;

	cases[1].elem = &v;
	while (done < bc->n && !ret) {
		batch = min(bc->n - done, (unsigned int)BENCH_CHAN_CAP);
		for (i = 0; i < batch && !ret; i++, seq++)
			ret = kgo_chan_trysend(bc->a, &seq);
		if (ret)
			break;
		t = ktime_get_ns();
		for (i = 0; i < batch; i++) {
			if (sel) {
				ret = kgo_select(cases, 2, KGO_FOREVER);
				ok = cases[1].ok;
				if (ret == 1)
					ret = 0;
				else if (ret >= 0)
					ret = -EBADMSG;
			} else {
				ret = kgo_chan_tryrecv(bc->a, &v, &ok);
			}
			if (!ret && !ok)
				ret = -EPIPE;
			if (ret)
				break;
			sum += v;
		}
		bc->ns += ktime_get_ns() - t;
		done += batch;
		cond_resched();
	}
	bc->sum = sum;
	return ret;
}

static int bench_select_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_select_loop(arg, true));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

static int bench_tryrecv_kthread(void *arg)
{
	bench_chan_thread_start();
	bench_chan_fail(arg, bench_select_loop(arg, false));
	bench_item_done(&bench_run);
	module_put_and_kthread_exit(0);
}

/*
 * Pong (the consumer) first: the side that starts the clock then finds
 * the other one started, or about to.
 */
static const struct bench_chan_impl bench_pingpong_impls[] = {
	{ .name = "gs", .nsides = 2, .a_cap = 0, .b_cap = 0,
	  .sides = { { .g_fn = bench_pong_g }, { .g_fn = bench_ping_g } } },
	{ .name = "parked", .nsides = 2, .a_cap = 0, .b_cap = 0,
	  .sides = { { .step = bench_pong_step },
		     { .step = bench_ping_step } } },
	{ .name = "kthreads", .nsides = 2, .a_cap = 0, .b_cap = 0,
	  .sides = { { .k_fn = bench_pong_kthread },
		     { .k_fn = bench_ping_kthread } } },
	{ .name = "completion", .nsides = 2, .a_cap = -1, .b_cap = -1,
	  .sides = { { .k_fn = bench_pong_compl_kthread },
		     { .k_fn = bench_ping_compl_kthread } } },
};

static const struct bench_chan_impl bench_buffered_impls[] = {
	{ .name = "kgo", .nsides = 2, .a_cap = BENCH_CHAN_CAP, .b_cap = -1,
	  .sides = { { .g_fn = bench_consume_g }, { .g_fn = bench_produce_g } } },
	{ .name = "kfifo", .nsides = 2, .a_cap = -1, .b_cap = -1,
	  .sides = { { .k_fn = bench_consume_fifo_kthread },
		     { .k_fn = bench_produce_fifo_kthread } } },
};

/* @b, unbuffered and without a sender, is the case that is never ready. */
static const struct bench_chan_impl bench_select_impls[] = {
	{ .name = "select", .nsides = 1, .a_cap = BENCH_CHAN_CAP, .b_cap = 0,
	  .sides = { { .k_fn = bench_select_kthread } } },
	{ .name = "tryrecv", .nsides = 1, .a_cap = BENCH_CHAN_CAP, .b_cap = -1,
	  .sides = { { .k_fn = bench_tryrecv_kthread } } },
};

/* Sum of 1 to n: what every consumer must have received. */
static u64 bench_chan_expect(unsigned int n)
{
	return (u64)n * (n + 1) / 2;
}

static int bench_chan_once(const char *what, const struct bench_chan_impl *impl,
			   unsigned int rep)
{
	struct bench_chan *bc = &bench_chan;
	bool sum_ok;
	int ret;

	ret = bench_chan_reset(bc, impl->name, impl->nsides, impl->a_cap,
			       impl->b_cap);
	if (ret) {
		bench_chan_release(bc);
		return ret;
	}
	if (impl->sides[0].g_fn)
		bench_chan_gs(bc, impl);
	else if (impl->sides[0].step)
		bench_chan_parked(bc, impl);
	else
		bench_chan_kthreads(bc, impl);
	ret = bench_chan_wait(bc, what);
	if (bench_wedged)
		return ret;	/* a side may still use the channels */
	bench_chan_release(bc);
	if (impl->sides[0].g_fn || impl->sides[0].step)
		bench_wait_gs_gone();
	if (ret)
		return ret;

	sum_ok = bc->sum == bench_chan_expect(bc->n);
	pr_info("%s impl=%s n=%u rep=%u ns=%llu errors=%d err=%d sum_ok=%d\n",
		what, impl->name, bc->n, rep, bc->ns, atomic_read(&bc->errors),
		bc->err, sum_ok);
	if (atomic_read(&bc->errors) || !sum_ok) {
		pr_err("error %s impl=%s rep=%u: %d errors (first %d), sum %llu of %llu\n",
		       what, impl->name, rep, atomic_read(&bc->errors), bc->err,
		       bc->sum, bench_chan_expect(bc->n));
		return -EIO;
	}
	return 0;
}

/* Each implementation in turn, after the warm-up rounds (rep=0). */
static int bench_chan_run(const char *what, const struct bench_chan_impl *impls,
			  unsigned int nimpls)
{
	unsigned int round, rep, i;
	int ret = 0;

	if (!items)
		return -EINVAL;
	for (round = 0; round < warmup + reps && !ret; round++) {
		rep = round < warmup ? 0 : round - warmup + 1;
		for (i = 0; i < nimpls && !ret; i++)
			ret = bench_chan_once(what, &impls[i], rep);
	}
	return ret;
}

/* --- parked: memory and release time of parked Gs --- */

/*
 * The smallest frame a parked receiver needs: its task and the value it
 * receives into. What the G does with the value (count it, check it) uses
 * the run's state below, not the frame, so that the frame is what a user
 * with many parked Gs would have.
 */
struct bench_pframe {
	struct kgo_task t;
	u64 v;
};

/* One parked run's state. Static for the same reason as bench_run. */
static struct {
	struct kmem_cache *cache;	/* the frames, of their own size */
	unsigned long *seen;		/* a bit per value received */
	unsigned int n;
	atomic_t started;
	atomic_t done;
	atomic_t errors;		/* a value out of range or received twice */
} bench_park;

static int bench_pframe_step(struct kgo_task *t)
{
	struct bench_pframe *f = container_of(t, struct bench_pframe, t);

	KGO_BEGIN(t);
	atomic_inc(&bench_park.started);
	KGO_AWAIT(t, kgo_chan_recv_async(t, bench_pchan, &f->v));
	if (t->err || !t->ok || f->v >= bench_park.n ||
	    test_and_set_bit(f->v, bench_park.seen))
		atomic_inc(&bench_park.errors);
	kmem_cache_free(bench_park.cache, f);
	atomic_inc(&bench_park.done);
	KGO_END(t);
}

KGO_STEP_FUNC(bench_pframe_step);

static long bench_slab_bytes(void)
{
	return global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) << PAGE_SHIFT;
}

/*
 * Pages on the per-CPU free lists: the sum of /proc/zoneinfo's "count:"
 * lines (one per CPU and zone), or 0 when it cannot be read.
 */
static long bench_pcp_pages(void)
{
	const size_t size = 64 * 1024;
	char *buf, *line, *cur;
	struct file *f;
	loff_t pos = 0;
	ssize_t n, len = 0;
	long sum = 0, v;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return 0;
	f = filp_open("/proc/zoneinfo", O_RDONLY, 0);
	if (IS_ERR(f)) {
		kvfree(buf);
		return 0;
	}
	while (len < size - 1) {
		n = kernel_read(f, buf + len, size - 1 - len, &pos);
		if (n <= 0)
			break;
		len += n;
	}
	filp_close(f, NULL);
	buf[len] = '\0';
	cur = buf;
	while ((line = strsep(&cur, "\n"))) {
		line = skip_spaces(line);
		if (strncmp(line, "count:", 6))
			continue;
		if (!kstrtol(skip_spaces(line + 6), 10, &v))
			sum += v;
	}
	kvfree(buf);
	return sum;
}

/*
 * Free memory: MemFree (NR_FREE_PAGES) and the pages on the per-CPU free
 * lists, which MemFree leaves out. Without them a batch of allocations
 * served from those lists would look like no memory used at all.
 */
static long bench_free_bytes(void)
{
	return (global_zone_page_state(NR_FREE_PAGES) + bench_pcp_pages())
		<< PAGE_SHIFT;
}

/* Wait up to 300 s for @v to reach @n. */
static bool bench_wait_count(atomic_t *v, unsigned int n)
{
	int i;

	for (i = 0; i < 15000 && atomic_read(v) < n; i++)
		msleep(20);
	return atomic_read(v) >= n;
}

/*
 * A run that cannot go on: close the channel, which ends every G still
 * parked on it (a receive from a closed channel completes), and wait for
 * the @spawned Gs. Only Gs that do not end even then wedge the benchmark.
 */
static int bench_parked_abort(unsigned int spawned, int err)
{
	kgo_chan_close(bench_pchan);
	if (!bench_wait_count(&bench_park.done, spawned)) {
		pr_err("error parked: %d of %u Gs done after closing their channel\n",
		       atomic_read(&bench_park.done), spawned);
		bench_wedged = true;
		return err;
	}
	kgo_chan_put(bench_pchan);
	bench_pchan = NULL;
	bench_wait_gs_gone();
	return err;
}

/*
 * @items Gs parked on one unbuffered channel, each frame from a kmem_cache
 * of its own: the unreclaimable slab's growth and the drop of free memory
 * per G once all have parked, the time to spawn and park them, and the
 * time for this thread to release them all with one value each (every
 * value 0 to @items - 1 must arrive exactly once).
 */
static int bench_parked_once(unsigned int rep)
{
	unsigned int i, n = items;
	long slab0, slab1, free0, free1;
	u64 t0, t1, t2, v;
	int errors;

	bench_pchan = kgo_chan_make(sizeof(u64), 0, GFP_KERNEL);
	if (IS_ERR(bench_pchan))
		return PTR_ERR(bench_pchan);
	bitmap_zero(bench_park.seen, n);
	bench_park.n = n;
	atomic_set(&bench_park.started, 0);
	atomic_set(&bench_park.done, 0);
	atomic_set(&bench_park.errors, 0);
	slab0 = bench_slab_bytes();
	free0 = bench_free_bytes();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct bench_pframe *f = kmem_cache_alloc(bench_park.cache,
							  GFP_KERNEL);

		if (!f || kgo_go_async_gfp(bench_pframe_step, &f->t,
					   GFP_KERNEL)) {
			if (f)
				kmem_cache_free(bench_park.cache, f);
			pr_err("error parked: spawning G %u of %u failed\n", i, n);
			return bench_parked_abort(i, -ENOMEM);
		}
		cond_resched();
	}
	if (!bench_wait_count(&bench_park.started, n))
		return bench_parked_abort(n, -ETIMEDOUT);
	t1 = ktime_get_ns();
	slab1 = bench_slab_bytes();
	free1 = bench_free_bytes();
	for (v = 0; v < n; v++)
		kgo_chan_send(bench_pchan, &v);
	if (!bench_wait_count(&bench_park.done, n))
		return bench_parked_abort(n, -ETIMEDOUT);
	t2 = ktime_get_ns();
	errors = atomic_read(&bench_park.errors);
	if (!bitmap_full(bench_park.seen, n))
		errors++;
	pr_info("parked n=%u rep=%u frame=%zu slab_bytes_per_g=%ld total_bytes_per_g=%ld park_ns=%llu release_ns=%llu errors=%d\n",
		n, rep, sizeof(struct bench_pframe), (slab1 - slab0) / (long)n,
		(free0 - free1) / (long)n, t1 - t0, t2 - t1, errors);
	kgo_chan_put(bench_pchan);
	bench_pchan = NULL;
	bench_wait_gs_gone();
	if (errors) {
		pr_err("error parked rep=%u: %d values missing, duplicated or out of range\n",
		       rep, errors);
		return -EIO;
	}
	return 0;
}

static int bench_parked(void)
{
	unsigned int round;
	int ret = 0;

	if (!items)
		return -EINVAL;
	bench_park.seen = bitmap_zalloc(items, GFP_KERNEL);
	if (!bench_park.seen)
		return -ENOMEM;
	bench_park.cache = KMEM_CACHE(bench_pframe, 0);
	if (!bench_park.cache) {
		bitmap_free(bench_park.seen);
		return -ENOMEM;
	}
	for (round = 0; round < warmup + reps && !ret && !bench_wedged; round++)
		ret = bench_parked_once(round < warmup ? 0 : round - warmup + 1);
	if (bench_wedged)
		return ret;	/* parked Gs may still use both */
	kmem_cache_destroy(bench_park.cache);
	bitmap_free(bench_park.seen);
	return ret;
}

static int __init kgo_bench_init(void)
{
	int ret;

	if (!strcmp(mode, "spawn"))
		ret = bench_spawn();
	else if (!strcmp(mode, "imbalance"))
		ret = bench_imbalance();
	else if (!strcmp(mode, "calibrate"))
		ret = bench_calibrate();
	else if (!strcmp(mode, "memory"))
		ret = bench_memory();
	else if (!strcmp(mode, "pingpong"))
		ret = bench_chan_run(mode, bench_pingpong_impls,
				     ARRAY_SIZE(bench_pingpong_impls));
	else if (!strcmp(mode, "buffered"))
		ret = bench_chan_run(mode, bench_buffered_impls,
				     ARRAY_SIZE(bench_buffered_impls));
	else if (!strcmp(mode, "select"))
		ret = bench_chan_run(mode, bench_select_impls,
				     ARRAY_SIZE(bench_select_impls));
	else if (!strcmp(mode, "parked"))
		ret = bench_parked();
	else
		ret = -EINVAL;
	if (ret)
		pr_err("error mode=%s: %d\n", mode, ret);
	pr_info("done mode=%s status=%d wedged=%d\n", mode, ret, bench_wedged);
	/*
	 * Always 0: a failed init frees the module at once, even under a G
	 * that has yet to drop its pin. The guest reads the status line.
	 */
	return 0;
}

static void __exit kgo_bench_exit(void)
{
}

module_init(kgo_bench_init);
module_exit(kgo_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kgo scheduler benchmark (make bench)");
MODULE_AUTHOR("kgo developers");
