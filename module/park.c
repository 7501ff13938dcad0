// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The waiter layer: how kgo operations wait and how they are woken (Go's
 * gopark/goready in runtime/proc.go and the sudog protocol of chan.go).
 * Every kgo operation that waits queues a &struct kgo_waiter, with one
 * &struct kgo_sudog per channel for channel operations and select; the
 * claim-and-fire protocol of those is in chan.h. A waiter is one of:
 *
 *  - a blocked task (w->task != NULL): a G that blocks its M's kthread, a
 *    kthread, a user process. It sleeps in kgo_wait_until(); the waker
 *    calls wake_up_process();
 *  - a parked G (w->task == NULL): a stackless G spawned by kgo_go_async()
 *    (<kgo/async.h>), the waiter embedded in its &struct kgo_task. Its
 *    step function has returned (or is returning) to its M, which went on
 *    to other Gs; the waker readies it onto a run queue (Go's goready).
 *
 * Wakers need not know which: both are completed by kgo_wakeq_flush(), so
 * the two forms mix freely on one channel.
 *
 * Parking (the problem). A parked G's wait starts while its step function
 * still runs: the async operation queues the sudog under the channel lock
 * and returns, then the step function returns %KGO_TASK_PENDING to
 * kgo_task_execute() on the M. A waker on another CPU can complete the
 * operation in between, before the M has let go of the G. Readying it
 * then would run the G on two Ms at once; not readying it would lose it.
 *
 * Designs rejected:
 *  - Go's own: gopark() switches stacks first and drops the channel lock
 *    in unlockf on the g0 stack, so no waker can see the G before it is
 *    parked. A stackless G has no stack to switch off of: the lock would
 *    have to be held across the step function's return, through user
 *    code, and the operation (not the M) would have to release it.
 *  - Readying through the run queue always, with the M "finishing the
 *    park" later: two Ms may then hold the same G, and the second must
 *    wait for the first (a spin on every early wake-up).
 *  - A per-task lock: a lock for a two-party handoff that one atomic word
 *    decides.
 *
 * The protocol: one state word, kgo_task.state:
 *
 *	RUNNING --(M: cmpxchg, the step returned pending)--> PARKED
 *	RUNNING --(waker: xchg, the op completed)----------> READY
 *	PARKED  --(waker: xchg)--> READY, and the waker readies the G
 *	READY   --(M: before calling the step again)-------> RUNNING
 *
 * The waker's xchg(READY) and the M's cmpxchg(RUNNING -> PARKED) are
 * ordered by the word: whichever comes second sees the other's state. If
 * the M's comes second, its cmpxchg fails and the M calls the step
 * function again at once (Go's gopark() whose unlockf fails: the G runs
 * on); if the waker's comes second, it sees PARKED and puts the G on a run
 * queue (kgo_g_ready()). Exactly one of them goes on with the G; the
 * other never touches it again (the waker reads kgo_task.g before its
 * xchg). A waiter is completed by exactly one waker (the claim of
 * kgo_waiter.done), so the READY transition happens once per wait.
 *
 * Barrier pairs:
 *  (P1) the M's cmpxchg(RUNNING -> PARKED) is fully ordered: the G's
 *       state (kgo_g.state, .m) is written before a waker can ready it.
 *  (P2) the waker's atomic_xchg(READY) is fully ordered: its transfer and
 *       its smp_store_release() of w->fired (W2) come before. The M that
 *       saw READY (a failed cmpxchg, which orders nothing) issues
 *       smp_mb() (P3) before it re-enters the step, which reads w->fired
 *       with smp_load_acquire() (W1) in kgo_task_resume(). A G readied
 *       through a run queue is published by the queue's release and
 *       taken with its acquire.
 *
 * Waiting again at the resume (a Mutex waiter that a newcomer beat, an
 * RWMutex writer that got the writer lock and now waits for readers):
 * kgo_task_resume() queues the waiter anew and returns -EINPROGRESS, and
 * the step returns %KGO_TASK_PENDING as for a fresh wait. No new barrier:
 * the previous waker's last access to the task is its (P2) xchg, which
 * came before the M let the step run again (either the M's failed
 * cmpxchg saw READY, or the waker readied the G after it), so the reused
 * kgo_task.w and .sg are the G's alone until the new queue's lock
 * publishes them; kgo_task_execute() set RUNNING before the step, so the
 * new wait races its waker through the same state word.
 *
 * A parked G keeps its G descriptor (kgo_g.state %KGO_G_WAITING, on no
 * queue), its place in kgo_live_gs() and its owner module's reference: a
 * module with parked Gs cannot be unloaded, and kgo cannot be unloaded
 * under it. A parked G is on no P, so CPU hotplug has nothing of it to
 * move; it is readied onto the readier's P (its runnext, when the readier
 * is a G on a P) or injected into the current CPU's P, as a spawn is.
 *
 * A G parks only where a thread could sleep: at the %KGO_TASK_PENDING
 * return, debug builds assert that the step function holds no lock, RCU
 * read-side section or disabled preemption.
 */

#include <linux/bottom_half.h>
#include <linux/debug_locks.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>

#include <kgo/async.h>
#include <kgo/chan.h>

#include "chan.h"
#include "compat.h"
#include "main.h"
#include "park.h"
#include "sched.h"
#include "trace.h"

/* kgo_task.state: see "The protocol" above. */
enum {
	KGO_TASK_RUNNING = 0,
	KGO_TASK_PARKED,
	KGO_TASK_READY,
};

static atomic_long_t kgo_tasks_parked_count = ATOMIC_LONG_INIT(0);

static void kgo_task_wake(struct kgo_task *t);

/* --- waiters --- */

/**
 * kgo_waiter_init() - prepare a waiter for the calling task
 * @w: the waiter, usually on the stack
 */
void kgo_waiter_init(struct kgo_waiter *w)
{
	w->task = current;
	atomic_set(&w->done, 0);
	w->fired = NULL;
}

/**
 * kgo_wakeq_flush() - tell the waiters of completed sudogs, and wake them
 * @wakeq: sudogs queued by kgo_sudog_fire(), or NULL
 *
 * Called after the channel lock is dropped: a waiter may return, and drop
 * the last reference to the channel, as soon as it sees @fired. Inside an
 * RCU read-side section, so that its task cannot be freed before
 * wake_up_process() even then.
 *
 * A parked G's waiter is readied instead (kgo_task_wake()).
 *
 * Context: any but hard irq.
 */
void kgo_wakeq_flush(struct kgo_sudog *wakeq)
{
	/* The common case, a buffered operation: no call into RCU. */
	if (!wakeq)
		return;
	rcu_read_lock();
	while (wakeq) {
		struct kgo_sudog *next = wakeq->wake_next;
		struct kgo_waiter *w = wakeq->w;
		struct task_struct *task = w->task;

		/* A parked G's event comes from kgo_g_ready(). */
		if (task && trace_kgo_g_ready_enabled())
			kgo_trace_blocked_ready(wakeq);
		/*
		 * Nothing of the sudog or waiter is read after this, but for
		 * a parked G's task: it cannot move on before kgo_task_wake().
		 */
		smp_store_release(&w->fired, wakeq);	/* (W2), pairs with (W1) */
		if (task)
			wake_up_process(task);
		else
			kgo_task_wake(container_of(w, struct kgo_task, w));
		wakeq = next;
	}
	rcu_read_unlock();
}

/*
 * Whether the wait must end: a signal for a user task that may be
 * interrupted, or the deadline. Returns the error to end with, or 0 to
 * keep waiting.
 */
static int kgo_wait_interrupted(ktime_t deadline, unsigned int flags)
{
	if ((flags & KGO_WAIT_INTR) && !(current->flags & PF_KTHREAD) &&
	    signal_pending(current))
		return (flags & KGO_WAIT_RESTART) ? -ERESTARTSYS : -EINTR;
	if (deadline && ktime_compare(ktime_get(), deadline) >= 0)
		return -ETIMEDOUT;
	return 0;
}

/*
 * Before a G blocks, spin briefly for a waker on another CPU (see
 * kgo_block_spin_ns()): when it comes, the G never slept and its P never
 * left it. Return: true when @w fired (W1) meanwhile.
 */
static bool kgo_wait_spin(struct kgo_waiter *w, ktime_t deadline)
{
	u64 spin = kgo_block_spin_ns();
	u64 end;

	if (!spin)
		return false;
	end = local_clock() + spin;
	do {
		if (smp_load_acquire(&w->fired))	/* (W1) */
			return true;
		cpu_relax();
	} while (!need_resched() && local_clock() < end &&
		 (!deadline || ktime_before(ktime_get(), deadline)));
	return false;
}

/* How a waiting task sleeps: signals wake only an interruptible wait. */
static unsigned int kgo_wait_task_state(unsigned int flags)
{
	/* Kernel threads: a G blocked for good is a leak, not a hung task. */
	if (current->flags & PF_KTHREAD)
		return TASK_IDLE;
	return (flags & KGO_WAIT_INTR) ? TASK_INTERRUPTIBLE :
		TASK_UNINTERRUPTIBLE;
}

/**
 * kgo_wait_until() - block until @w fires, @deadline passes or a signal comes
 * @w: the waiter, its sudogs queued
 * @deadline: CLOCK_MONOTONIC time that ends the wait (-ETIMEDOUT), or 0
 *	for none
 * @flags: %KGO_WAIT_INTR: a user task's signal ends the wait (-EINTR, or
 *	-ERESTARTSYS with %KGO_WAIT_RESTART); kernel threads are never
 *	interrupted. %KGO_WAIT_SPIN: spin for a peer first
 *	(kgo_block_spin_ns()).
 * @reason: what a G waits on, for debugfs
 *
 * The one wait loop under every kgo blocking operation. A G hands its P
 * off for the wait (kgo_block_enter()). When the deadline or a signal ends
 * the wait, the waiter is claimed to cancel it; if a waker claimed it
 * first, the wait goes on (briefly, uninterruptibly) until the waker's
 * transfer is complete, and the operation succeeds.
 *
 * Context: process; sleeps.
 * Return: 0 when a waker completed the operation (@w->fired is set), or
 * -ETIMEDOUT, -EINTR or -ERESTARTSYS when it was cancelled; the caller
 * then unlinks its sudogs.
 */
int kgo_wait_until(struct kgo_waiter *w, ktime_t deadline, unsigned int flags,
		   const char *reason)
{
	unsigned int state = kgo_wait_task_state(flags);
	bool lost = false;
	struct kgo_m *m;
	int ret = 0;

	might_sleep();
	if ((flags & KGO_WAIT_SPIN) && kgo_wait_spin(w, deadline))
		return 0;
	m = kgo_block_enter(reason);
	for (;;) {
		set_current_state(state);
		if (smp_load_acquire(&w->fired)) {	/* (W1) */
			ret = 0;
			break;
		}
		if (!lost) {
			ret = kgo_wait_interrupted(deadline, flags);
			if (ret && atomic_cmpxchg(&w->done, 0, 1) == 0)
				break;
			if (ret) {
				/* A waker won: its transfer is nearly done. */
				lost = true;
				state = TASK_UNINTERRUPTIBLE;
				continue;
			}
		}
		if (deadline && !lost)
			schedule_hrtimeout(&deadline, HRTIMER_MODE_ABS);
		else
			schedule();
	}
	__set_current_state(TASK_RUNNING);
	kgo_block_exit(m);
	return ret;
}

/**
 * kgo_deadline_after() - the CLOCK_MONOTONIC time @ns nanoseconds from now
 * @ns: how long; any value
 *
 * Saturates at %KTIME_MAX (which hrtimers treat as never) instead of
 * wrapping: a timeout of S64_MAX or U64_MAX means "practically forever",
 * not "already past".
 *
 * Return: the deadline.
 */
ktime_t kgo_deadline_after(u64 ns)
{
	return ktime_add_safe(ktime_get(), ns_to_ktime(min_t(u64, ns, KTIME_MAX)));
}

/*
 * kgo_wait_until() with a relative timeout, for channel operations and
 * select. A user task's signal ends the wait: -ERESTARTSYS without a
 * timeout (the system call restarts), -EINTR with one (a restart would
 * stretch it).
 */
int kgo_wait_timeout(struct kgo_waiter *w, s64 timeout_ns, unsigned int flags,
		     const char *reason)
{
	ktime_t deadline = 0;

	flags |= KGO_WAIT_INTR;
	if (timeout_ns > 0)
		deadline = kgo_deadline_after(timeout_ns);
	else
		flags |= KGO_WAIT_RESTART;
	return kgo_wait_until(w, deadline, flags, reason);
}

/**
 * kgo_wait() - wait for a channel operation or a select to complete
 * @w: the waiter, its sudogs queued
 * @timeout_ns: %KGO_FOREVER or a positive number of nanoseconds
 * @reason: what a G waits on, for debugfs
 *
 * kgo_wait_until() with a relative timeout, a spin for the peer first, and
 * signals ending the wait of a user task: -ERESTARTSYS without a timeout
 * (the system call restarts), -EINTR with one (a restart would stretch it).
 *
 * Context: process; sleeps.
 * Return: as kgo_wait_until().
 */
int kgo_wait(struct kgo_waiter *w, s64 timeout_ns, const char *reason)
{
	return kgo_wait_timeout(w, timeout_ns, KGO_WAIT_SPIN, reason);
}

/**
 * kgo_block_forever() - block on nothing (a NULL channel, an empty select)
 * @timeout_ns: as for kgo_wait(); %KGO_NOWAIT returns at once
 *
 * Context: process; sleeps.
 * Return: -EAGAIN, -ETIMEDOUT, -EINTR or -ERESTARTSYS: only the timeout or
 * a signal ends it.
 */
int kgo_block_forever(s64 timeout_ns)
{
	struct kgo_waiter w;

	if (!timeout_ns)
		return -EAGAIN;
	kgo_waiter_init(&w);
	/* kgo_wait_timeout(), not kgo_wait(): no waker can come to spin for. */
	return kgo_wait_timeout(&w, timeout_ns, 0, "nil chan");
}

/* --- parked Gs --- */

/**
 * kgo_task_fn() - the kgo_g.fn of every parked-capable G
 * @arg: its task
 *
 * A marker: kgo_execute() calls kgo_task_execute() for such a G instead.
 */
void kgo_task_fn(void *arg)
{
	WARN_ONCE(1, "kgo: a task G run as a plain G\n");
}

/*
 * A G parks only where it could sleep (Go parks only at a safe point):
 * no spinlock, no RCU read-side section, preemption and interrupts on;
 * and only in an async operation.
 */
static void kgo_task_check_park(struct kgo_task *t)
{
	if (!KGO_DEBUG)
		return;
	might_sleep();
	debug_check_no_locks_held();
	/* Pending without an async operation: nobody would ever ready it. */
	WARN_ONCE(t->op == KGO_TASK_OP_NONE,
		  "kgo: step %ps returned pending outside KGO_AWAIT()\n", t->step);
}

/* What a parked G waits in, for debugfs and the kgo_g_park event. */
static const char *const kgo_task_op_names[] = {
	[KGO_TASK_OP_NONE]	= "parked",
	[KGO_TASK_OP_SEND]	= "chan send",
	[KGO_TASK_OP_RECV]	= "chan receive",
	[KGO_TASK_OP_SLEEP]	= "sleep",
	[KGO_TASK_OP_FOREVER]	= "forever",
	[KGO_TASK_OP_SELECT]	= "select",
	[KGO_TASK_OP_WG]	= "WaitGroup",
	[KGO_TASK_OP_SEMA]	= "semaphore",
	[KGO_TASK_OP_MUTEX]	= "Mutex",
	[KGO_TASK_OP_RWMUTEX]	= "RWMutex",
	[KGO_TASK_OP_ONCE]	= "Once",
	[KGO_TASK_OP_ERRGROUP]	= "errgroup",
	[KGO_TASK_OP_CTX]	= "context",
};

static const char *kgo_task_op_name(enum kgo_task_op op)
{
	return op < ARRAY_SIZE(kgo_task_op_names) && kgo_task_op_names[op] ?
		kgo_task_op_names[op] : "parked";
}

/**
 * kgo_task_execute() - run a parked-capable G's step function
 * @g: the G, running on the current M
 *
 * Calls the step function until it is done or parks (see "The protocol").
 *
 * Context: the M's kthread, from kgo_execute().
 * Return: true when the G parked: the caller must not touch @g again;
 * false when the step function returned %KGO_TASK_DONE: the G ends.
 */
bool kgo_task_execute(struct kgo_g *g)
{
	struct kgo_task *t = g->arg;
	struct kgo_m *m = g->m;

	t->g = g;
	for (;;) {
		atomic_set(&t->state, KGO_TASK_RUNNING);
		/* t->step, not a local: the frame may be gone after it. */
		if (t->step(t) != KGO_TASK_PENDING)
			return false;
		kgo_task_check_park(t);
		WRITE_ONCE(g->wait_reason, kgo_task_op_name(t->op));
		trace_kgo_g_park(g, g->wait_reason);
		WRITE_ONCE(g->state, KGO_G_WAITING);
		WRITE_ONCE(g->m, NULL);
		atomic_long_inc(&kgo_tasks_parked_count);
		/* (P1): pairs with (P2) in kgo_task_wake(). */
		if (atomic_cmpxchg(&t->state, KGO_TASK_RUNNING,
				   KGO_TASK_PARKED) == KGO_TASK_RUNNING)
			return true;
		/* A waker came first: run on, as Go's gopark() whose unlockf fails. */
		smp_mb();	/* (P3), pairs with (P2) */
		atomic_long_dec(&kgo_tasks_parked_count);
		WRITE_ONCE(g->m, m);
		WRITE_ONCE(g->wait_reason, NULL);
		WRITE_ONCE(g->state, KGO_G_RUNNING);
		cond_resched();
	}
}

/*
 * Goready: the operation @t waits in is complete (its result is in the
 * task). Exactly one call per wait.
 */
static void kgo_task_wake(struct kgo_task *t)
{
	/* Read before (P2): after it, @t may be freed by its step. */
	struct kgo_g *g = t->g;

	/* (P2): pairs with (P1) and (P3). */
	if (atomic_xchg(&t->state, KGO_TASK_READY) == KGO_TASK_PARKED) {
		atomic_long_dec(&kgo_tasks_parked_count);
		kgo_g_ready(g, NULL);
	}
}

/**
 * kgo_tasks_parked() - parked Gs now
 *
 * Context: any.
 * Return: a snapshot.
 */
long kgo_tasks_parked(void)
{
	return atomic_long_read(&kgo_tasks_parked_count);
}
EXPORT_SYMBOL_NS_GPL(kgo_tasks_parked, KGO_INTERNAL_NS);

/**
 * __kgo_go_async() - spawn a parked-capable G (see kgo_go_async())
 * @owner: the module that owns @step's code; pinned until the G ends
 * @step: the step function
 * @t: the task, in the caller's frame
 * @gfp: for the G descriptor
 *
 * Context: as __kgo_go().
 * Return: as __kgo_go(); on an error @step never runs.
 */
int __kgo_go_async(struct module *owner, kgo_step_t step, struct kgo_task *t,
		   gfp_t gfp)
{
	/* What a parked G costs besides its G descriptor: keep it small. */
	BUILD_BUG_ON(sizeof(struct kgo_task) > 136);
	t->step = step;
	t->resume = NULL;
	t->err = 0;
	t->ok = false;
	t->op = KGO_TASK_OP_NONE;
	t->g = NULL;
	atomic_set(&t->state, KGO_TASK_RUNNING);
	return __kgo_go(owner, kgo_task_fn, t, gfp);
}
EXPORT_SYMBOL_GPL(__kgo_go_async);

/**
 * kgo_task_wait_prepare() - make @t's waiter ready to be queued
 * @t: the task, running
 * @op: what it is about to wait in
 */
void kgo_task_wait_prepare(struct kgo_task *t, enum kgo_task_op op)
{
	t->op = op;
	t->w.task = NULL;
	atomic_set(&t->w.done, 0);
	t->w.fired = NULL;
}

/**
 * kgo_task_check_frame_ptr() - warn about a pointer into the stack
 * @p: a pointer an async operation keeps while the G is parked
 *
 * The stack is the M's, and the step function has returned from it by
 * the time the pointer is used: the object must live in the frame.
 */
void kgo_task_check_frame_ptr(const void *p)
{
	if (KGO_DEBUG && p)
		WARN_ONCE(object_is_on_stack(p),
			  "kgo: async op given a pointer into the stack; locals do not survive KGO_AWAIT(), keep it in the task's frame\n");
}

/**
 * kgo_task_resume() - the result of the operation a parked G waited in
 * @t: the task, readied
 *
 * Called by KGO_AWAIT() when the step function is re-entered.
 *
 * Context: the G's step function.
 * Return: the operation's result, also left in @t->err by KGO_AWAIT();
 * -EINPROGRESS when the operation had to wait again (a Mutex waiter that
 * lost the lock to a newcomer): its waiter is queued anew, and KGO_AWAIT()
 * parks the G again, as a fresh wait.
 */
int kgo_task_resume(struct kgo_task *t)
{
	struct kgo_sudog *sg;
	enum kgo_task_op op = t->op;

	t->op = KGO_TASK_OP_NONE;
	switch (op) {
	case KGO_TASK_OP_SEND:
	case KGO_TASK_OP_RECV:
	case KGO_TASK_OP_WG:
		sg = smp_load_acquire(&t->w.fired);	/* (W1) */
		if (WARN_ON_ONCE(!sg))
			return -EINVAL;
		if (op == KGO_TASK_OP_WG)
			return 0;
		if (op == KGO_TASK_OP_RECV) {
			t->ok = sg->success;
			return 0;
		}
		return sg->success ? 0 : -EPIPE;
	case KGO_TASK_OP_SLEEP:
		/* The callback readied us; wait until it has let go of @t. */
		hrtimer_cancel(&t->timer);
		return 0;
	case KGO_TASK_OP_SELECT:
		return kgo_select_async_resume(t);
	case KGO_TASK_OP_SEMA:
	case KGO_TASK_OP_MUTEX:
	case KGO_TASK_OP_RWMUTEX:
	case KGO_TASK_OP_ONCE:
	case KGO_TASK_OP_ERRGROUP:
	case KGO_TASK_OP_CTX:
		return kgo_sync_async_resume(t, op);
	default:
		WARN_ONCE(1, "kgo: task %p resumed in no wait (op %d)\n", t, op);
		return -EINVAL;
	}
}
EXPORT_SYMBOL_GPL(kgo_task_resume);

/*
 * A timed wait's deadline: complete the wait as timed out if no waker has
 * claimed it (the claim of chan.h), and ready the G, whose resume unlinks
 * its sudogs. The channel locks are not taken here, so the context of the
 * callback does not matter; a soft timer keeps the readying out of hard
 * interrupts all the same.
 */
static enum hrtimer_restart kgo_task_timeout(struct hrtimer *timer)
{
	struct kgo_task *t = container_of(timer, struct kgo_task, timer);

	if (atomic_cmpxchg(&t->w.done, 0, 1) == 0)
		kgo_task_wake(t);
	return HRTIMER_NORESTART;
}

/**
 * kgo_task_arm_timeout() - end @t's coming wait after @ns nanoseconds
 * @t: the task, its waiter prepared (kgo_task_wait_prepare()) and not yet
 *	parked
 * @ns: positive
 *
 * Its resume must hrtimer_cancel() before the union is reused.
 */
void kgo_task_arm_timeout(struct kgo_task *t, s64 ns)
{
	kgo_hrtimer_setup(&t->timer, kgo_task_timeout, CLOCK_MONOTONIC,
			  HRTIMER_MODE_REL_SOFT);
	hrtimer_start(&t->timer, ns_to_ktime(ns), HRTIMER_MODE_REL_SOFT);
}

/**
 * kgo_sleep_async() - park the G for @ns nanoseconds (Go's time.Sleep)
 * @t: the task
 * @ns: how long; 0 returns at once
 *
 * A soft hrtimer in the task readies the G (kgo_task_arm_timeout()).
 *
 * Context: a parked-capable G's step function, through KGO_AWAIT().
 * Return: 0, or -EINPROGRESS: parked.
 */
int kgo_sleep_async(struct kgo_task *t, u64 ns)
{
	if (!ns)
		return 0;
	kgo_task_wait_prepare(t, KGO_TASK_OP_SLEEP);
	kgo_task_arm_timeout(t, min_t(u64, ns, KTIME_MAX));
	return -EINPROGRESS;
}
EXPORT_SYMBOL_GPL(kgo_sleep_async);
