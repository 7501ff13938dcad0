// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Timers (Go's time.Timer, time.Ticker, time.After): a channel of capacity
 * one whose value, a u64 of ktime_get_ns(), an hrtimer sends when it
 * expires. The channel owns the timer: the last kgo_chan_put() cancels
 * and frees it, fired or not, so an unreferenced timer never lingers (Go
 * 1.23's garbage-collectable timers; the classic time.After-in-a-loop leak
 * cannot happen).
 *
 * Go 1.23 semantics: after kgo_timer_stop() or kgo_timer_reset() returns,
 * no stale value is received. Both cancel the hrtimer, waiting for a
 * callback in flight, then drop a value the channel still buffers; a
 * value counts as "not yet delivered", so Stop reports it stopped the
 * timer, as Go's synchronous timer channels do.
 *
 * The callback runs in softirq context (HRTIMER_MODE_*_SOFT), which is why
 * channel locks disable bottom halves. A ticker drops a tick when the last
 * one is unread, as Go does, and then parks: its hrtimer stays off until
 * the unread tick is received, which re-arms it for the next period
 * boundary (as a timerfd re-arms on read). So a ticker nobody reads costs
 * nothing, and a 1 ns ticker fires at most once per receive instead of
 * storming its CPU with interrupts.
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <kgo/chan.h>

#include "chan.h"
#include "compat.h"

/**
 * struct kgo_timer - the hrtimer behind a timer channel
 * @hrt: L: the hrtimer, which serialises its own state: restarted by its
 *	callback, started under N (Reset) or under C (the receive that
 *	re-arms a parked ticker), cancelled under N and by the last
 *	kgo_chan_put()
 * @chan: I: the channel it feeds; owns the timer
 * @lock: the N lock: serialises Stop and Reset
 * @period_ns: NW: 0 for a one-shot timer, else the ticker's period (a
 *	ticker stays one: Reset never makes it 0); the callback and the
 *	re-arming receive read it with READ_ONCE()
 * @parked: C: a tick found the last one unread and the hrtimer
 *	stopped; the receive of that tick re-arms it
 * @disarming: C: Stop or Reset is cancelling; no receive re-arms a
 *	parked ticker meanwhile
 *
 * The letters are sched.h's locking legend; C is @chan's lock, N is
 * @lock.
 */
struct kgo_timer {
	struct hrtimer hrt;
	struct kgo_chan *chan;
	struct mutex lock;	/* serialises Stop and Reset */
	u64 period_ns;
	bool parked;
	bool disarming;
};

static atomic_long_t kgo_timers_live = ATOMIC_LONG_INIT(0);

static enum hrtimer_restart kgo_timer_fire(struct hrtimer *hrt)
{
	struct kgo_timer *t = container_of(hrt, struct kgo_timer, hrt);
	struct kgo_chan *c = t->chan;
	u64 now = ktime_get_ns();
	u64 period = READ_ONCE(t->period_ns);
	struct kgo_sudog *wakeq = NULL;
	bool park;

	spin_lock(&c->lock);
	/* Full: the last tick is unread, this one is dropped. */
	park = kgo_chan_send_locked(c, &now, &wakeq) <= 0 && period;
	if (park)
		t->parked = true;
	spin_unlock(&c->lock);
	kgo_wakeq_flush(wakeq);
	if (!period || park)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(hrt, ns_to_ktime(period));
	return HRTIMER_RESTART;
}

/**
 * kgo_timer_received_locked() - a value was taken from @t's channel
 * @t: the timer
 *
 * Re-arms a parked ticker for its next period boundary. The hrtimer may
 * still be in the callback that parked it: restarting it then is allowed
 * (the callback's NORESTART leaves a timer queued meanwhile alone).
 *
 * Context: the channel's lock held (bottom halves off).
 */
void kgo_timer_received_locked(struct kgo_timer *t)
{
	if (!t->parked || t->disarming)
		return;
	t->parked = false;
	hrtimer_forward_now(&t->hrt, ns_to_ktime(READ_ONCE(t->period_ns)));
	hrtimer_start_expires(&t->hrt, HRTIMER_MODE_ABS_SOFT);
}

/**
 * kgo_timer_create() - a timer channel: first expiry, then every period
 * @ns: first expiry, from now
 * @period_ns: 0 for a one-shot timer
 * @gfp: allocation flags
 *
 * Context: per @gfp.
 * Return: the timer's channel or an ERR_PTR().
 */
struct kgo_chan *kgo_timer_create(s64 ns, u64 period_ns, gfp_t gfp)
{
	struct kgo_timer *t;
	struct kgo_chan *c;

	c = kgo_chan_make(sizeof(u64), 1, gfp);
	if (IS_ERR(c))
		return c;
	t = kzalloc(sizeof(*t), gfp);
	if (!t) {
		kgo_chan_put(c);
		return ERR_PTR(-ENOMEM);
	}
	kgo_hrtimer_setup(&t->hrt, kgo_timer_fire, CLOCK_MONOTONIC,
			  HRTIMER_MODE_REL_SOFT);
	mutex_init(&t->lock);
	t->chan = c;
	t->period_ns = period_ns;
	c->timer = t;
	atomic_long_inc(&kgo_timers_live);
	hrtimer_start(&t->hrt, ns_to_ktime(max_t(s64, ns, 0)),
		      HRTIMER_MODE_REL_SOFT);
	return c;
}

/**
 * kgo_timer_new() - a timer that sends the time once, @ns from now
 * @ns: the delay in nanoseconds (<= 0: at once)
 * @gfp: allocation flags
 *
 * Go's time.NewTimer. Receive from the returned channel; stop, reset and
 * free it with kgo_timer_stop(), kgo_timer_reset() and kgo_chan_put().
 *
 * Context: per @gfp.
 * Return: the timer's channel (element: u64 ktime_get_ns() at expiry) or
 * an ERR_PTR().
 */
struct kgo_chan *kgo_timer_new(s64 ns, gfp_t gfp)
{
	return kgo_timer_create(ns, 0, gfp);
}
EXPORT_SYMBOL_GPL(kgo_timer_new);

/**
 * kgo_ticker_new() - a ticker that sends the time every @period_ns
 * @period_ns: the period in nanoseconds, > 0
 * @gfp: allocation flags
 *
 * Go's time.NewTicker: a tick that finds the last one unread is dropped.
 *
 * Context: per @gfp.
 * Return: the ticker's channel or an ERR_PTR() (-EINVAL for a period <= 0).
 */
struct kgo_chan *kgo_ticker_new(s64 period_ns, gfp_t gfp)
{
	if (period_ns <= 0)
		return ERR_PTR(-EINVAL);
	return kgo_timer_create(period_ns, period_ns, gfp);
}
EXPORT_SYMBOL_GPL(kgo_ticker_new);

/*
 * Cancel the hrtimer and drop an unread value; whether either was there.
 * A receive could re-arm a parked ticker between the cancel and the drop:
 * @disarming keeps it from doing so.
 */
static bool kgo_timer_disarm(struct kgo_timer *t)
{
	struct kgo_chan *c = t->chan;
	bool pending;

	spin_lock_bh(&c->lock);
	t->disarming = true;
	spin_unlock_bh(&c->lock);
	pending = hrtimer_cancel(&t->hrt);
	spin_lock_bh(&c->lock);
	t->disarming = false;
	t->parked = false;
	if (c->qcount) {
		WRITE_ONCE(c->qcount, 0);
		c->recvx = 0;
		c->sendx = 0;
		pending = true;
	}
	spin_unlock_bh(&c->lock);
	return pending;
}

/**
 * kgo_timer_stop() - stop a timer or ticker (Go 1.23's Timer.Stop)
 * @timer: a channel from kgo_timer_new() or kgo_ticker_new()
 *
 * Once it returns, no value is received from @timer until a reset.
 *
 * Context: process; may sleep.
 * Return: 1 if it stopped a timer that had not yet delivered its value,
 * 0 if it had already been received or stopped, -EINVAL for a channel
 * that is not a timer.
 */
int kgo_timer_stop(struct kgo_chan *timer)
{
	struct kgo_timer *t = timer ? timer->timer : NULL;
	bool pending;

	if (!t)
		return -EINVAL;
	mutex_lock(&t->lock);
	pending = kgo_timer_disarm(t);
	mutex_unlock(&t->lock);
	return pending;
}
EXPORT_SYMBOL_GPL(kgo_timer_stop);

/**
 * kgo_timer_reset() - re-arm a timer, or change a ticker's period
 * @timer: a channel from kgo_timer_new() or kgo_ticker_new()
 * @ns: the new delay (a ticker: the new period, > 0)
 *
 * Go 1.23's Timer.Reset and Ticker.Reset: no value from before the reset
 * is received after it.
 *
 * Context: process; may sleep.
 * Return: as kgo_timer_stop(), about the timer before the reset; -EINVAL
 * also for a ticker period <= 0.
 */
int kgo_timer_reset(struct kgo_chan *timer, s64 ns)
{
	struct kgo_timer *t = timer ? timer->timer : NULL;
	bool pending;

	/* Before the lock: being a ticker or not never changes. */
	if (!t || (READ_ONCE(t->period_ns) && ns <= 0))
		return -EINVAL;
	mutex_lock(&t->lock);
	pending = kgo_timer_disarm(t);
	if (t->period_ns)
		WRITE_ONCE(t->period_ns, ns);
	hrtimer_start(&t->hrt, ns_to_ktime(max_t(s64, ns, 0)),
		      HRTIMER_MODE_REL_SOFT);
	mutex_unlock(&t->lock);
	return pending;
}
EXPORT_SYMBOL_GPL(kgo_timer_reset);

/**
 * kgo_timer_release() - cancel and free a timer whose channel is freed
 * @t: the timer
 *
 * Context: process or softirq, from the last kgo_chan_put().
 */
void kgo_timer_release(struct kgo_timer *t)
{
	hrtimer_cancel(&t->hrt);
	kfree(t);
	atomic_long_dec(&kgo_timers_live);
}

/**
 * kgo_timer_armed() - whether @timer's hrtimer is queued or firing now
 * @timer: a timer's channel
 *
 * For tests: a parked ticker is not armed.
 *
 * Context: any.
 * Return: a snapshot; false for a channel that is not a timer.
 */
bool kgo_timer_armed(struct kgo_chan *timer)
{
	struct kgo_timer *t = timer ? timer->timer : NULL;

	return t && hrtimer_active(&t->hrt);
}
EXPORT_SYMBOL_NS_GPL(kgo_timer_armed, KGO_INTERNAL_NS);

/**
 * kgo_timer_period() - a ticker's period
 * @timer: a timer's channel
 *
 * Context: any.
 * Return: the period in ns, 0 for a one-shot timer or a channel that is
 * not a timer; a snapshot (kgo_timer_reset() may change it).
 */
u64 kgo_timer_period(struct kgo_chan *timer)
{
	struct kgo_timer *t = timer ? timer->timer : NULL;

	return t ? READ_ONCE(t->period_ns) : 0;
}

/**
 * kgo_timer_live() - timers created and not yet freed
 *
 * Context: any.
 * Return: the count, a snapshot.
 */
long kgo_timer_live(void)
{
	return atomic_long_read(&kgo_timers_live);
}
EXPORT_SYMBOL_GPL(kgo_timer_live);
