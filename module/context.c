// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Contexts (Go's context package: cancelCtx, timerCtx, valueCtx in one
 * node type). The semantics are in include/kgo/context.h.
 *
 * The tree. Every context but the background one links to its parent (it
 * holds a reference) and, until it is cancelled or freed, sits on its
 * parent's @children list. Go gives each context its own mutex and, when
 * cancelling, locks each child while holding the parent; lockdep would
 * need a subclass per tree level for that. kgo takes one global lock,
 * kgo_ctx_lock, for every change of the tree and of cancellation state
 * instead: cancellation is rare, a tree's shape changes only when a
 * context is made, cancelled or freed, and a subtree is cancelled by one
 * walk under one lock, so no cancellation can interleave with another.
 *
 * A parent does not hold references to its children: a child that is
 * freed unlinks itself under kgo_ctx_lock first, so whatever the walk
 * finds on a @children list is still allocated while the lock is held.
 *
 * The deadline timer is a soft hrtimer: it cancels from softirq context,
 * which closing a channel allows, so kgo_ctx_lock is taken with bottom
 * halves disabled.
 *
 * Locking: the fields are tagged with the letters of the legend in
 * sched.h; T is kgo_ctx_lock.
 */

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <kgo/async.h>
#include <kgo/chan.h>
#include <kgo/context.h>

#include "chan.h"
#include "compat.h"
#include "syncq.h"

/**
 * struct kgo_ctx - a context
 * @ref: A: references: the creator's, one per child, the callers'
 * @parent: I: the parent (referenced), NULL for the background context
 * @children: T: contexts made from this one and not yet cancelled or freed
 * @sibling: T: link in @parent->children; self-linked when off it
 * @cancel_link: T: scratch link for the cancel walk
 * @waiters: T: &struct kgo_sudog of waits this context's cancellation ends
 *	(kgo_ctx_wait_add())
 * @err: TW: 0 until cancelled, then -ECANCELED, -ETIMEDOUT or the error
 *	given to kgo_ctx_cancel_err(). Written once, under T, with
 *	smp_store_release() before the Done channel is closed; read under
 *	T plainly, and locklessly with smp_load_acquire() by kgo_ctx_err():
 *	whoever the closed Done channel wakes (or who sees it closed) sees
 *	the error, as in Go. The converse does not hold for a lockless
 *	reader: for an instant the error can be set while Done is still
 *	open, and a parent's error set while its subtree is not yet
 *	cancelled (the one walk under kgo_ctx_lock finishes it).
 * @done: I: closed when the context is cancelled; NULL for background
 * @has_deadline: I: @deadline is valid
 * @deadline: I: CLOCK_MONOTONIC deadline, the earlier of the parent's and
 *	the one asked for
 * @timer: T: fires at @deadline when this context's own deadline is the
 *	effective one; started, and tried to cancel, under T; cancelled
 *	with hrtimer_cancel() without T when the context is freed (the
 *	hrtimer core serialises that with its callback)
 * @timer_armed: I: @timer is in use
 * @key: I: the key of a value context, NULL otherwise
 * @val: I: its value
 */
struct kgo_ctx {
	refcount_t ref;
	struct kgo_ctx *parent;
	struct list_head children;
	struct list_head sibling;
	struct list_head cancel_link;
	struct list_head waiters;
	int err;
	struct kgo_chan *done;
	bool has_deadline;
	ktime_t deadline;
	struct hrtimer timer;
	bool timer_armed;
	const void *key;
	void *val;
};

static DEFINE_SPINLOCK(kgo_ctx_lock);	/* the T fields of every context */
static atomic_long_t kgo_ctxs_live = ATOMIC_LONG_INIT(0);

/* Never cancelled, never freed: its refcount is not used. */
static struct kgo_ctx kgo_ctx_bg = {
	.children = LIST_HEAD_INIT(kgo_ctx_bg.children),
	.sibling = LIST_HEAD_INIT(kgo_ctx_bg.sibling),
	.cancel_link = LIST_HEAD_INIT(kgo_ctx_bg.cancel_link),
	.waiters = LIST_HEAD_INIT(kgo_ctx_bg.waiters),
};

/**
 * kgo_ctx_background() - the root context (Go's context.Background())
 *
 * Never cancelled, no deadline, no values, a NULL Done channel. Getting
 * and putting it is allowed and does nothing.
 *
 * Context: any.
 * Return: the background context.
 */
struct kgo_ctx *kgo_ctx_background(void)
{
	return &kgo_ctx_bg;
}
EXPORT_SYMBOL_GPL(kgo_ctx_background);

/**
 * kgo_ctx_live() - contexts made and not yet freed
 *
 * Context: any.
 * Return: the count, a snapshot.
 */
long kgo_ctx_live(void)
{
	return atomic_long_read(&kgo_ctxs_live);
}
EXPORT_SYMBOL_GPL(kgo_ctx_live);

/*
 * Cancel @ctx and its subtree with @err, iteratively (no recursion on the
 * kernel stack however deep the tree). Woken waits go on @wakeq, to be
 * fired after kgo_ctx_lock is dropped.
 */
static void kgo_ctx_cancel_locked(struct kgo_ctx *ctx, int err,
				  struct kgo_sudog **wakeq)
{
	struct kgo_ctx *c, *child, *tmp;
	LIST_HEAD(todo);

	lockdep_assert_held(&kgo_ctx_lock);
	if (ctx == &kgo_ctx_bg || ctx->err)
		return;
	/* A cancelled child unlinks from its parent (Go's removeChild). */
	list_del_init(&ctx->sibling);
	list_add_tail(&ctx->cancel_link, &todo);
	while (!list_empty(&todo)) {
		c = list_first_entry(&todo, struct kgo_ctx, cancel_link);
		list_del_init(&c->cancel_link);
		if (c->err)
			continue;
		smp_store_release(&c->err, err);	/* pairs with kgo_ctx_err() */
		kgo_chan_close(c->done);
		while (kgo_syncq_pop(&c->waiters, wakeq))
			;
		/* Its timer is moot; a running callback finds @err set. */
		if (c->timer_armed)
			hrtimer_try_to_cancel(&c->timer);
		list_for_each_entry_safe(child, tmp, &c->children, sibling) {
			list_del_init(&child->sibling);
			list_add_tail(&child->cancel_link, &todo);
		}
	}
}

/**
 * kgo_ctx_cancel_err() - cancel @ctx with a given error
 * @ctx: the context; the background context and NULL are ignored
 * @err: the error kgo_ctx_err() reports, a negative errno (-ECANCELED
 *	if 0 or positive)
 *
 * Closes the Done channels of @ctx and of every context below it, ends
 * their context-aware waits, and unlinks @ctx from its parent. Only the
 * first cancellation of a context counts.
 *
 * Context: process or softirq; does not sleep.
 */
void kgo_ctx_cancel_err(struct kgo_ctx *ctx, int err)
{
	struct kgo_sudog *wakeq = NULL;

	if (!ctx || ctx == &kgo_ctx_bg)
		return;
	if (err >= 0)
		err = -ECANCELED;
	spin_lock_bh(&kgo_ctx_lock);
	kgo_ctx_cancel_locked(ctx, err, &wakeq);
	spin_unlock_bh(&kgo_ctx_lock);
	kgo_wakeq_flush(wakeq);
}
EXPORT_SYMBOL_GPL(kgo_ctx_cancel_err);

/**
 * kgo_ctx_cancel() - cancel @ctx (Go's CancelFunc)
 * @ctx: the context; the background context and NULL are ignored
 *
 * kgo_ctx_cancel_err() with -ECANCELED. Idempotent; any holder of a
 * reference may call it, from any number of Gs at once.
 *
 * Context: process or softirq; does not sleep.
 */
void kgo_ctx_cancel(struct kgo_ctx *ctx)
{
	kgo_ctx_cancel_err(ctx, -ECANCELED);
}
EXPORT_SYMBOL_GPL(kgo_ctx_cancel);

static enum hrtimer_restart kgo_ctx_timer_fn(struct hrtimer *timer)
{
	struct kgo_ctx *ctx = container_of(timer, struct kgo_ctx, timer);

	/* The context is alive: its release waits for us in hrtimer_cancel(). */
	kgo_ctx_cancel_err(ctx, -ETIMEDOUT);
	return HRTIMER_NORESTART;
}

static struct kgo_ctx *kgo_ctx_new(struct kgo_ctx *parent, bool has_deadline,
				   ktime_t deadline, const void *key, void *val,
				   gfp_t gfp)
{
	struct kgo_sudog *wakeq = NULL;
	bool own_deadline = false;
	struct kgo_ctx *ctx;
	int err;

	if (!parent)
		parent = &kgo_ctx_bg;
	ctx = kzalloc(sizeof(*ctx), gfp);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->done = kgo_chan_make(0, 0, gfp);
	if (IS_ERR(ctx->done)) {
		err = PTR_ERR(ctx->done);
		kfree(ctx);
		return ERR_PTR(err);
	}
	refcount_set(&ctx->ref, 1);
	INIT_LIST_HEAD(&ctx->children);
	INIT_LIST_HEAD(&ctx->sibling);
	INIT_LIST_HEAD(&ctx->cancel_link);
	INIT_LIST_HEAD(&ctx->waiters);
	ctx->key = key;
	ctx->val = val;
	/* The earlier of our deadline and the parent's (Go's WithDeadline). */
	if (parent->has_deadline &&
	    (!has_deadline || ktime_before(parent->deadline, deadline))) {
		ctx->has_deadline = true;
		ctx->deadline = parent->deadline;
	} else if (has_deadline) {
		ctx->has_deadline = true;
		ctx->deadline = deadline;
		own_deadline = true;
	}
	if (own_deadline) {
		kgo_hrtimer_setup(&ctx->timer, kgo_ctx_timer_fn, CLOCK_MONOTONIC,
				  HRTIMER_MODE_ABS_SOFT);
		ctx->timer_armed = true;
	}
	ctx->parent = kgo_ctx_get(parent);
	atomic_long_inc(&kgo_ctxs_live);

	spin_lock_bh(&kgo_ctx_lock);
	if (parent->err)
		kgo_ctx_cancel_locked(ctx, parent->err, &wakeq);
	else if (parent != &kgo_ctx_bg)
		list_add_tail(&ctx->sibling, &parent->children);
	if (own_deadline && !ctx->err) {
		if (!ktime_before(ktime_get(), ctx->deadline))
			kgo_ctx_cancel_locked(ctx, -ETIMEDOUT, &wakeq);
		else
			hrtimer_start(&ctx->timer, ctx->deadline,
				      HRTIMER_MODE_ABS_SOFT);
	}
	spin_unlock_bh(&kgo_ctx_lock);
	kgo_wakeq_flush(wakeq);
	return ctx;
}

/**
 * kgo_ctx_with_cancel() - a child of @parent that can be cancelled
 * @parent: the parent, or NULL for the background context
 * @gfp: allocation flags
 *
 * Go's context.WithCancel(); the CancelFunc is kgo_ctx_cancel(). A child
 * of a cancelled parent is born cancelled, with the parent's error.
 *
 * Context: per @gfp.
 * Return: the context with one reference, or ERR_PTR(-ENOMEM).
 */
struct kgo_ctx *kgo_ctx_with_cancel(struct kgo_ctx *parent, gfp_t gfp)
{
	return kgo_ctx_new(parent, false, 0, NULL, NULL, gfp);
}
EXPORT_SYMBOL_GPL(kgo_ctx_with_cancel);

/**
 * kgo_ctx_with_deadline() - a child cancelled at @deadline at the latest
 * @parent: the parent, or NULL for the background context
 * @deadline: CLOCK_MONOTONIC time (ktime_get()) when it is cancelled with
 *	-ETIMEDOUT
 * @gfp: allocation flags
 *
 * Go's context.WithDeadline(). The child's deadline is the earlier of
 * @deadline and the parent's; with the parent's earlier, no timer of its
 * own is needed: the parent's cancellation reaches it. A deadline already
 * past gives a context cancelled with -ETIMEDOUT.
 *
 * Context: per @gfp.
 * Return: the context with one reference, or ERR_PTR(-ENOMEM).
 */
struct kgo_ctx *kgo_ctx_with_deadline(struct kgo_ctx *parent,
				      ktime_t deadline, gfp_t gfp)
{
	return kgo_ctx_new(parent, true, deadline, NULL, NULL, gfp);
}
EXPORT_SYMBOL_GPL(kgo_ctx_with_deadline);

/**
 * kgo_ctx_with_timeout() - a child cancelled @timeout_ns from now
 * @parent: the parent, or NULL for the background context
 * @timeout_ns: nanoseconds from now
 * @gfp: allocation flags
 *
 * Go's context.WithTimeout(): kgo_ctx_with_deadline() at now +
 * @timeout_ns.
 *
 * Context: per @gfp.
 * Return: the context with one reference, or ERR_PTR(-ENOMEM).
 */
struct kgo_ctx *kgo_ctx_with_timeout(struct kgo_ctx *parent, s64 timeout_ns,
				     gfp_t gfp)
{
	return kgo_ctx_with_deadline(parent,
				     kgo_deadline_after(max_t(s64, timeout_ns, 0)),
				     gfp);
}
EXPORT_SYMBOL_GPL(kgo_ctx_with_timeout);

/**
 * kgo_ctx_with_value() - a child that carries @key = @val
 * @parent: the parent, or NULL for the background context
 * @key: the key, compared by address; must not be NULL
 * @val: the value; the caller keeps it alive as long as the context
 * @gfp: allocation flags
 *
 * Go's context.WithValue(). It is cancelled with its parent and may also
 * be cancelled itself.
 *
 * Context: per @gfp.
 * Return: the context with one reference, ERR_PTR(-EINVAL) for a NULL
 * @key, or ERR_PTR(-ENOMEM).
 */
struct kgo_ctx *kgo_ctx_with_value(struct kgo_ctx *parent, const void *key,
				   void *val, gfp_t gfp)
{
	if (!key)
		return ERR_PTR(-EINVAL);
	return kgo_ctx_new(parent, false, 0, key, val, gfp);
}
EXPORT_SYMBOL_GPL(kgo_ctx_with_value);

/**
 * kgo_ctx_get() - take a reference to @ctx
 * @ctx: the context
 *
 * Context: any.
 * Return: @ctx.
 */
struct kgo_ctx *kgo_ctx_get(struct kgo_ctx *ctx)
{
	if (ctx && ctx != &kgo_ctx_bg)
		refcount_inc(&ctx->ref);
	return ctx;
}
EXPORT_SYMBOL_GPL(kgo_ctx_get);

/**
 * kgo_ctx_put() - drop a reference; the last one frees the context
 * @ctx: the context, or NULL
 *
 * The last reference unlinks the context from its parent (it is not
 * cancelled: nobody can be waiting on it any more), stops its timer and
 * drops its reference to the parent. Its Done channel goes with it: a
 * caller that keeps using the channel takes its own reference with
 * kgo_chan_get().
 *
 * Context: process or softirq, but not the context's own timer.
 */
void kgo_ctx_put(struct kgo_ctx *ctx)
{
	struct kgo_ctx *parent;

	while (ctx && ctx != &kgo_ctx_bg && refcount_dec_and_test(&ctx->ref)) {
		spin_lock_bh(&kgo_ctx_lock);
		list_del_init(&ctx->sibling);
		WARN_ONCE(!list_empty(&ctx->children) ||
			  !list_empty(&ctx->waiters),
			  "kgo: context freed with children or waiters\n");
		spin_unlock_bh(&kgo_ctx_lock);
		if (ctx->timer_armed)
			hrtimer_cancel(&ctx->timer);
		kgo_chan_put(ctx->done);
		parent = ctx->parent;
		kfree(ctx);
		atomic_long_dec(&kgo_ctxs_live);
		ctx = parent;	/* the parent's put, without recursion */
	}
}
EXPORT_SYMBOL_GPL(kgo_ctx_put);

/**
 * kgo_ctx_done() - the channel closed when @ctx is cancelled (Go's Done())
 * @ctx: the context
 *
 * Use it in kgo_select() like any channel: a receive case on it is chosen
 * once @ctx is cancelled. The background context has a NULL channel,
 * which select never chooses.
 *
 * Context: any.
 * Return: the channel, borrowed: valid while the caller holds a reference
 * to @ctx.
 */
struct kgo_chan *kgo_ctx_done(struct kgo_ctx *ctx)
{
	return ctx ? ctx->done : NULL;
}
EXPORT_SYMBOL_GPL(kgo_ctx_done);

/**
 * kgo_ctx_err() - why @ctx was cancelled (Go's Err())
 * @ctx: the context
 *
 * Context: any.
 * Return: 0 while not cancelled; -ECANCELED after kgo_ctx_cancel() (of it
 * or an ancestor), -ETIMEDOUT after its deadline, or the error given to
 * kgo_ctx_cancel_err().
 */
int kgo_ctx_err(struct kgo_ctx *ctx)
{
	/* Pairs with the smp_store_release() in kgo_ctx_cancel_locked(). */
	return ctx ? smp_load_acquire(&ctx->err) : 0;
}
EXPORT_SYMBOL_GPL(kgo_ctx_err);

/**
 * kgo_ctx_deadline() - when @ctx will be cancelled by a deadline
 * @ctx: the context
 * @deadline: where to store the CLOCK_MONOTONIC deadline, or NULL
 *
 * Context: any.
 * Return: whether @ctx has a deadline (its own or an ancestor's).
 */
bool kgo_ctx_deadline(struct kgo_ctx *ctx, ktime_t *deadline)
{
	if (!ctx || !ctx->has_deadline)
		return false;
	if (deadline)
		*deadline = ctx->deadline;
	return true;
}
EXPORT_SYMBOL_GPL(kgo_ctx_deadline);

/**
 * kgo_ctx_value() - the value of @key in @ctx or its nearest ancestor
 * @ctx: the context
 * @key: the key given to kgo_ctx_with_value()
 *
 * Context: any.
 * Return: the value, or NULL if no context on the way up has @key.
 */
void *kgo_ctx_value(struct kgo_ctx *ctx, const void *key)
{
	for (; ctx; ctx = ctx->parent)
		if (key && ctx->key == key)
			return ctx->val;
	return NULL;
}
EXPORT_SYMBOL_GPL(kgo_ctx_value);

/**
 * kgo_ctx_nchildren() - children linked to @ctx now (a test hook)
 * @ctx: the context
 *
 * Context: process or softirq.
 * Return: a snapshot.
 */
unsigned int kgo_ctx_nchildren(struct kgo_ctx *ctx)
{
	struct list_head *pos;
	unsigned int n = 0;

	spin_lock_bh(&kgo_ctx_lock);
	list_for_each(pos, &ctx->children)
		n++;
	spin_unlock_bh(&kgo_ctx_lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(kgo_ctx_nchildren, KGO_INTERNAL_NS);

/**
 * kgo_ctx_wait_add() - let @ctx's cancellation end the wait of @w
 * @ctx: the context, or NULL
 * @sg: a sudog of @w, queued on @ctx (self-linked if not)
 * @w: the waiter
 *
 * Return: 0, or @ctx's error if it is already cancelled (nothing queued).
 */
int kgo_ctx_wait_add(struct kgo_ctx *ctx, struct kgo_sudog *sg,
		     struct kgo_waiter *w)
{
	int err = 0;

	INIT_LIST_HEAD(&sg->link);
	sg->w = w;
	if (!ctx || ctx == &kgo_ctx_bg)
		return 0;
	spin_lock_bh(&kgo_ctx_lock);
	err = ctx->err;
	if (!err)
		kgo_syncq_add(&ctx->waiters, sg, w, false);
	spin_unlock_bh(&kgo_ctx_lock);
	return err;
}

/**
 * kgo_ctx_wait_del() - undo kgo_ctx_wait_add() after the wait
 * @ctx: the context, or NULL
 * @sg: the sudog
 *
 * Return: @ctx's error if its cancellation fired @sg, else 0.
 */
int kgo_ctx_wait_del(struct kgo_ctx *ctx, struct kgo_sudog *sg)
{
	if (!ctx || ctx == &kgo_ctx_bg)
		return 0;
	spin_lock_bh(&kgo_ctx_lock);
	list_del_init(&sg->link);
	spin_unlock_bh(&kgo_ctx_lock);
	return READ_ONCE(sg->w->fired) == sg ? kgo_ctx_err(ctx) : 0;
}

/* One channel operation, or @ctx's cancellation, whichever comes first. */
static int kgo_chan_op_ctx(struct kgo_ctx *ctx, struct kgo_chan *c, u32 dir,
			   void *elem, bool *ok)
{
	struct kgo_select_case cases[2] = {
		{ .chan = c, .dir = dir, .elem = elem },
		{ .chan = kgo_ctx_done(ctx), .dir = KGO_SELECT_RECV },
	};
	int ret, err;

	/* Go's select picks at random among ready cases; we prefer the op. */
	err = kgo_ctx_err(ctx);
	if (err)
		return err;
	ret = kgo_select(cases, 2, KGO_FOREVER);
	if (ret < 0)
		return ret;
	if (ret == 1)
		return kgo_ctx_err(ctx);
	if (ok)
		*ok = cases[0].ok;
	return cases[0].err;
}

/**
 * kgo_chan_send_ctx() - send on @c unless @ctx is cancelled first
 * @ctx: the context, or NULL (background)
 * @c: the channel
 * @elem: the value
 *
 * A select of the send and a receive on kgo_ctx_done(@ctx). Either the
 * value is sent or the context's error is returned, never both.
 *
 * Context: process; sleeps.
 * Return: 0 when sent; @ctx's error (-ECANCELED, -ETIMEDOUT) if it was or
 * got cancelled before the send; -EPIPE for a closed channel; the errors
 * of kgo_select().
 */
int kgo_chan_send_ctx(struct kgo_ctx *ctx, struct kgo_chan *c,
		      const void *elem)
{
	return kgo_chan_op_ctx(ctx, c, KGO_SELECT_SEND, (void *)elem, NULL);
}
EXPORT_SYMBOL_GPL(kgo_chan_send_ctx);

/**
 * kgo_chan_recv_ctx() - receive from @c unless @ctx is cancelled first
 * @ctx: the context, or NULL (background)
 * @c: the channel
 * @elem: where to copy the value, or NULL
 * @ok: as for kgo_chan_recv(); may be NULL
 *
 * Context: process; sleeps.
 * Return: 0 when *@ok is valid; @ctx's error if it was or got cancelled
 * before a value came (nothing was taken); the errors of kgo_select().
 */
int kgo_chan_recv_ctx(struct kgo_ctx *ctx, struct kgo_chan *c, void *elem,
		      bool *ok)
{
	return kgo_chan_op_ctx(ctx, c, KGO_SELECT_RECV, elem, ok);
}
EXPORT_SYMBOL_GPL(kgo_chan_recv_ctx);

/**
 * kgo_sleep_ctx() - sleep @ns nanoseconds unless @ctx is cancelled first
 * @ctx: the context, or NULL (background)
 * @ns: how long
 *
 * A G hands its P off while it sleeps. Signals do not end the sleep.
 *
 * Context: process; sleeps.
 * Return: 0 after the full sleep, or @ctx's error.
 */
int kgo_sleep_ctx(struct kgo_ctx *ctx, u64 ns)
{
	ktime_t deadline = kgo_deadline_after(ns);
	struct kgo_waiter w;
	struct kgo_sudog sg;
	int err;

	kgo_waiter_init(&w);
	err = kgo_ctx_wait_add(ctx, &sg, &w);
	if (err)
		return err;
	kgo_sync_wait(&w, false, deadline ?: 1, "sleep ctx");
	return kgo_ctx_wait_del(ctx, &sg);
}
EXPORT_SYMBOL_GPL(kgo_sleep_ctx);

/**
 * kgo_ctx_done_async() - park a G until @ctx is cancelled (Go's
 *	<-ctx.Done())
 * @t: the task
 * @ctx: the context; the caller holds a reference until the wait ends.
 *	The background context (or NULL) parks the G for good, as Go's nil
 *	Done channel does.
 *
 * The task's sudog joins the context-aware waits of @ctx (those of
 * kgo_wg_wait_ctx() and kgo_sleep_ctx()), which cancellation ends. To
 * bound another operation by a context, select on kgo_ctx_done(@ctx)
 * with kgo_select_async(), as kgo_chan_recv_ctx() does.
 *
 * Context: a step function, through KGO_AWAIT().
 * Return: @ctx's error (-ECANCELED, -ETIMEDOUT, a cause), at once if it
 * is cancelled, else -EINPROGRESS: parked, the error comes with the
 * resume.
 */
int kgo_ctx_done_async(struct kgo_task *t, struct kgo_ctx *ctx)
{
	int err;

	if (!ctx || ctx == &kgo_ctx_bg) {
		kgo_task_wait_prepare(t, KGO_TASK_OP_FOREVER);
		return -EINPROGRESS;
	}
	err = kgo_ctx_err(ctx);
	if (err)
		return err;
	kgo_task_wait_prepare(t, KGO_TASK_OP_CTX);
	t->obj = ctx;
	err = kgo_ctx_wait_add(ctx, &t->sg, &t->w);
	if (err) {
		t->op = KGO_TASK_OP_NONE;	/* cancelled meanwhile: no wait */
		return err;
	}
	return -EINPROGRESS;
}
EXPORT_SYMBOL_GPL(kgo_ctx_done_async);
