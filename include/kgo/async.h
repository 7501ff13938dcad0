/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Parked Gs: Gs that wait without a thread (Documentation/parked.rst).
 *
 * A G spawned with kgo_go() runs on its M's kthread stack, so a G that
 * waits keeps the thread. A G spawned with kgo_go_async() has no stack of
 * its own: it is a step function, re-entered where it last waited, and a
 * frame struct of the caller's that embeds &struct kgo_task and holds
 * every variable that lives across a wait. Waiting costs the frame and a
 * 64-byte G descriptor; the M goes on to run other Gs.
 *
 *	struct echo {
 *		struct kgo_task t;	// first or not: container_of()
 *		struct kgo_chan *in, *out;
 *		u64 v;			// locals that live across awaits
 *	};
 *
 *	static int echo_step(struct kgo_task *t)
 *	{
 *		struct echo *e = container_of(t, struct echo, t);
 *
 *		KGO_BEGIN(t);
 *		for (;;) {
 *			KGO_AWAIT(t, kgo_chan_recv_async(t, e->in, &e->v));
 *			if (!t->ok)
 *				break;		// closed
 *			KGO_AWAIT(t, kgo_chan_send_async(t, e->out, &e->v));
 *			if (t->err)
 *				break;		// -EPIPE
 *		}
 *		kfree(e);			// the runtime never looks again
 *		KGO_END(t);
 *	}
 *
 *	KGO_STEP_FUNC(echo_step);
 *
 *	kgo_go_async(echo_step, &e->t);
 *
 * LOCALS DO NOT SURVIVE AN AWAIT. The step function returns at every wait
 * that cannot complete at once and is called again later: a C local
 * variable (including a loop counter) has lost its value after
 * KGO_AWAIT(), and a pointer to one given to an async operation dangles.
 * Keep them in the frame. Debug builds (CONFIG_PROVE_LOCKING) warn when
 * an async operation is given a pointer into the stack.
 */
#ifndef _KGO_ASYNC_H
#define _KGO_ASYNC_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/types.h>

struct kgo_chan;
struct kgo_g;
struct kgo_select_case;
struct kgo_select_park;
struct kgo_wg;
struct kgo_sudog;
struct kgo_task;
struct task_struct;

/**
 * struct kgo_waiter - one waiting operation (Go's g, as far as sudogs see it)
 * @task: I: the blocked task, or NULL for a parked G: then the waiter is
 *	&kgo_task.w and readying the task replaces wake_up_process()
 * @done: A: 0 while open; claimed (1) by the one party that completes it
 * @fired: A: the sudog a waker completed, stored with release semantics
 *	once the transfer is done ((W2)); read with acquire ((W1)) or, to
 *	compare it only, READ_ONCE()
 *
 * Runtime-private, here only because &struct kgo_task embeds it. Tags:
 * the legend in module/sched.h.
 */
struct kgo_waiter {
	struct task_struct *task;
	atomic_t done;
	struct kgo_sudog *fired;
};

/**
 * struct kgo_sudog - a waiter's place in one channel's queue (Go's sudog)
 * @link: C, Q or T: the lock of the queue it is on (kgo_chan.sendq or
 *	.recvq: C; a sync primitive's queue: Q; a context's waiters: T);
 *	self-linked when off a queue
 * @w: I: the waiter
 * @elem: I: send: the value; receive: where it goes (NULL: dropped)
 * @index: I: the select case, 0 for a plain operation
 * @success: D: written by the waker before @w->fired: false when woken
 *	by close
 * @wake_next: D: the waker's: its list of sudogs to fire once it has
 *	dropped the channel lock (kgo_wakeq_flush())
 *
 * Runtime-private, here only because &struct kgo_task embeds it. Tags:
 * the legend in module/sched.h; "I" here means set before the sudog is
 * queued.
 */
struct kgo_sudog {
	struct list_head link;
	struct kgo_waiter *w;
	void *elem;
	u32 index;
	bool success;
	struct kgo_sudog *wake_next;
};

/* What a step function returns. */
#define KGO_TASK_DONE		0	/* finished: the G ends */
#define KGO_TASK_PENDING	1	/* waits: call again once readied */

/**
 * typedef kgo_step_t - a parked-G step function
 * @t: the task, embedded in the caller's frame
 *
 * Return: %KGO_TASK_DONE or %KGO_TASK_PENDING; use KGO_AWAIT() and
 * KGO_END() rather than returning directly.
 */
typedef int (*kgo_step_t)(struct kgo_task *t);

/**
 * struct kgo_task - a stackless G's state, embedded in the caller's frame
 * @step: the step function
 * @resume: where KGO_BEGIN() re-enters @step; NULL at the start
 * @err: result of the last KGO_AWAIT(): 0 or a negative errno; for a
 *	select, the chosen case's index
 * @ok: result of the last receive: true for a value, false for a closed
 *	and drained channel
 *
 * Everything below is the runtime's; the caller zeroes nothing and sets
 * nothing: kgo_go_async() initialises the task.
 */
struct kgo_task {
	kgo_step_t step;
	void *resume;
	int err;
	bool ok;
	/* private: the runtime's, see module/park.c */
	u8 op;
	atomic_t state;
	struct kgo_g *g;
	struct kgo_waiter w;
	union {
		struct {		/* a channel operation, a sync wait */
			struct kgo_sudog sg;
			/* M (sched.h): the G's own, read by no waker */
			void *obj;	/* M: the sync object waited on */
			u64 since;	/* M: a Mutex wait: when it began */
			bool starving;	/* M: ... and it waited over 1 ms */
		};
		struct {		/* a sleep, a select */
			struct hrtimer timer;
			struct kgo_select_park *sel;
		};
	};
};

int __kgo_go_async(struct module *owner, kgo_step_t step, struct kgo_task *t,
		   gfp_t gfp);
int kgo_task_resume(struct kgo_task *t);

/* KGO_END()'s: @t is not looked at (it may be freed). */
static inline int kgo_task_end(struct kgo_task *t)
{
	return KGO_TASK_DONE;
}

/**
 * kgo_go_async() - spawn a parked-capable G running @step(@t)
 * @step: the step function
 * @t: the task, embedded in a frame that lives until @step returns
 *	%KGO_TASK_DONE (usually kmalloc()ed; @step frees it before KGO_END())
 *
 * Like kgo_go(): the calling module is pinned until the G ends, parked or
 * not, so a module with parked Gs cannot be unloaded.
 */
#define kgo_go_async(step, t) \
	__kgo_go_async(THIS_MODULE, (step), (t), GFP_ATOMIC)

/**
 * kgo_go_async_gfp() - kgo_go_async() with an explicit allocation mode
 * @step: the step function
 * @t: the task
 * @gfp: for the G descriptor
 */
#define kgo_go_async_gfp(step, t, gfp) \
	__kgo_go_async(THIS_MODULE, (step), (t), (gfp))

/*
 * The async operations. Each completes at once when it can, returning its
 * result (0 or a negative errno); else it queues @t as the waiter and
 * returns -EINPROGRESS, and the step function must return
 * %KGO_TASK_PENDING at once: KGO_AWAIT() does all of that. After the
 * await, t->err (and t->ok for a receive) hold the result. Pointers given
 * to them (@elem) must point into the frame or the heap, never the stack.
 * A NULL channel parks the G for good (Go's nil channel).
 */
int kgo_chan_send_async(struct kgo_task *t, struct kgo_chan *c,
			const void *elem);
int kgo_chan_recv_async(struct kgo_task *t, struct kgo_chan *c, void *elem);
int kgo_sleep_async(struct kgo_task *t, u64 ns);
int kgo_select_async(struct kgo_task *t, struct kgo_select_case *cases,
		     unsigned int ncases, s64 timeout_ns);
int kgo_wg_wait_async(struct kgo_task *t, struct kgo_wg *wg);

/*
 * The sync primitives' (<kgo/sync.h>, <kgo/errgroup.h>, <kgo/context.h>;
 * Documentation/parked.rst): the same Go semantics as their
 * thread-blocking forms, and the same queues, so parked Gs, thread-blocking
 * Gs and kthreads contend for one object. A Mutex or RWMutex taken by a
 * parked G is invisible to lockdep (a parked G has no task to hold it);
 * unlock it with the usual kgo_mutex_unlock() or kgo_rwmutex_unlock(),
 * from this G or any other.
 */
struct kgo_mutex;
struct kgo_rwmutex;
struct kgo_once;
struct kgo_errgroup;
struct kgo_ctx;

int kgo_mutex_lock_async(struct kgo_task *t, struct kgo_mutex *m);
int kgo_rwmutex_lock_async(struct kgo_task *t, struct kgo_rwmutex *rw);
int kgo_rwmutex_rlock_async(struct kgo_task *t, struct kgo_rwmutex *rw);
int kgo_once_do_async(struct kgo_task *t, struct kgo_once *o,
		      void (*fn)(void *arg), void *arg);
int kgo_errgroup_wait_async(struct kgo_task *t, struct kgo_errgroup *eg);
int kgo_ctx_done_async(struct kgo_task *t, struct kgo_ctx *ctx);

/**
 * KGO_STEP_FUNC() - declare @fn a step function (after its definition)
 * @fn: the function
 *
 * Tells objtool that its computed goto (KGO_BEGIN())
 * is a jump within the function, not a tail call, as the BPF interpreter
 * once did: without it, objtool warns about a "sibling call from callable
 * instruction with modified stack frame".
 */
#define KGO_STEP_FUNC(fn)	STACK_FRAME_NON_STANDARD(fn)

/**
 * KGO_BEGIN() - start of a step function's body: re-enter at the last wait
 * @t: the task
 */
#define KGO_BEGIN(t)						\
	do {							\
		if ((t)->resume)				\
			goto *(t)->resume;			\
	} while (0)

/**
 * KGO_END() - end of a step function: the G ends
 * @t: the task; the runtime never touches it (or its frame) again, so the
 *	step may free the frame just before
 */
#define KGO_END(t)	return kgo_task_end(t)

/*
 * The resume point is a label whose address (GCC's labels as values, as
 * the BPF interpreter's computed goto) is kept in @resume: unlike the
 * switch of protothreads, it leaves switch statements in the body legal.
 */
#define __KGO_AWAIT(t, op, label)				\
	do {							\
		(t)->resume = &&label;				\
		(t)->err = (op);				\
		if ((t)->err == -EINPROGRESS)			\
			return KGO_TASK_PENDING;		\
		if (0) {					\
label:								\
			(t)->err = kgo_task_resume(t);		\
			/* Its resume had to wait again: park. */	\
			if ((t)->err == -EINPROGRESS)		\
				return KGO_TASK_PENDING;	\
		}						\
	} while (0)

/**
 * KGO_AWAIT() - run an async operation; park the G until it completes
 * @t: the task
 * @op: a call of an async operation on @t, e.g.
 *	kgo_chan_recv_async(t, c, &frame->v)
 *
 * A statement, not an expression: the result is in @t->err (and @t->ok).
 * Local variables are lost across it; see the top of this file.
 */
#define KGO_AWAIT(t, op)	__KGO_AWAIT(t, op, __PASTE(__kgo_resume_, __COUNTER__))

#endif /* _KGO_ASYNC_H */
