// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Channels (Go's runtime/chan.go): a lock, a ring buffer and two FIFO
 * queues of blocked waiters. The waiter protocol and its memory ordering
 * are described in chan.h.
 *
 * Invariants (Go's, asserted in debug builds by kgo_chan_check_locked()):
 *  - at least one of sendq and recvq is empty, except for an unbuffered
 *    channel with one select blocked on it for both sending and receiving;
 *  - for a buffered channel, qcount > 0 implies recvq is empty and
 *    qcount < dataqsiz implies sendq is empty.
 *
 * Go's panics are error codes here: send on a closed channel and close of
 * a closed channel return -EPIPE and change nothing.
 */

#include <linux/bottom_half.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <kgo/chan.h>

#include "chan.h"
#include "main.h"
#include "param.h"
#include "sched.h"
#include "trace.h"

/*
 * Go's limit. Not more: a receive through a channel fd pins at most
 * KGO_UPIN_MAX_PAGES pages, and every size that can be made must be
 * receivable.
 */
static unsigned long kgo_max_elem_size = KGO_ELEM_SIZE_MAX;
KGO_PARAM_RANGE(max_elem_size, kgo_max_elem_size, 0, KGO_ELEM_SIZE_MAX,
		"Largest channel element in bytes (Go's 64 KiB)");

/* Not more than kvmalloc() allocates without a warning (INT_MAX). */
static unsigned long kgo_max_chan_bytes = 64UL << 20;
KGO_PARAM_RANGE(max_chan_bytes, kgo_max_chan_bytes, 0, INT_MAX,
		"Largest buffer of one channel in bytes");

static atomic_long_t kgo_chans_live = ATOMIC_LONG_INIT(0);
/* The last channel id given out (kgo_chan.id). */
static atomic64_t kgo_chan_last_id = ATOMIC64_INIT(0);

/* Buffers up to this size are allocated with the channel. */
#define KGO_CHAN_INLINE_BYTES	64

static void *kgo_chan_slot(struct kgo_chan *c, u32 i)
{
	return c->buf + (size_t)i * c->elemsize;
}

static void kgo_elem_copy(struct kgo_chan *c, void *dst, const void *src)
{
	if (!dst)
		return;
	/*
	 * Constant sizes become plain moves; a variable-size memcpy() is a
	 * call and, on CPUs with fast short rep movsb, a string instruction
	 * that costs more than the whole rest of a buffered send.
	 */
	switch (c->elemsize) {
	case 0:
		break;
	case 4:
		memcpy(dst, src, 4);
		break;
	case 8:
		memcpy(dst, src, 8);
		break;
	case 16:
		memcpy(dst, src, 16);
		break;
	default:
		memcpy(dst, src, c->elemsize);
	}
}

/**
 * kgo_chan_check_locked() - assert Go's channel invariants (debug builds)
 * @c: a channel whose lock the caller holds
 */
void kgo_chan_check_locked(struct kgo_chan *c)
{
	if (!KGO_DEBUG)
		return;
	lockdep_assert_held(&c->lock);
	WARN_ONCE(c->qcount > c->dataqsiz, "kgo: chan %p qcount %u > cap %u\n",
		  c, c->qcount, c->dataqsiz);
	if (c->dataqsiz) {
		WARN_ONCE(c->qcount && !list_empty(&c->recvq),
			  "kgo: chan %p has values and waiting receivers\n", c);
		WARN_ONCE(c->qcount < c->dataqsiz && !list_empty(&c->sendq),
			  "kgo: chan %p has room and waiting senders\n", c);
	}
}

/**
 * kgo_chan_buf_bytes() - the buffer size of a channel kgo_chan_make() may make
 * @elem_size: bytes per element
 * @cap: capacity
 * @bytes: set to @elem_size * @cap
 *
 * Context: any.
 * Return: 0, or -EINVAL past the ``max_elem_size`` and ``max_chan_bytes``
 * module parameters.
 */
int kgo_chan_buf_bytes(u32 elem_size, u32 cap, size_t *bytes)
{
	/* check_mul_overflow(): size_t has 32 bits on a 32-bit kernel. */
	if (elem_size > READ_ONCE(kgo_max_elem_size) ||
	    check_mul_overflow((size_t)elem_size, (size_t)cap, bytes) ||
	    *bytes > READ_ONCE(kgo_max_chan_bytes))
		return -EINVAL;
	return 0;
}

/**
 * kgo_chan_make() - create a channel (Go's make(chan T, cap))
 * @elem_size: bytes per element; 0 is allowed (a signal-only channel)
 * @cap: buffer capacity; 0 makes an unbuffered channel
 * @gfp: allocation flags; %GFP_KERNEL_ACCOUNT charges the caller's memcg
 *
 * Context: per @gfp.
 * Return: the channel with one reference, ERR_PTR(-EINVAL) when
 * @elem_size or the buffer exceeds the ``max_elem_size`` and
 * ``max_chan_bytes`` module parameters, or ERR_PTR(-ENOMEM).
 */
struct kgo_chan *kgo_chan_make(u32 elem_size, u32 cap, gfp_t gfp)
{
	struct kgo_chan *c;
	size_t bytes;

	if (kgo_chan_buf_bytes(elem_size, cap, &bytes))
		return ERR_PTR(-EINVAL);
	/* Small buffers (a timer's, a done channel's) come with it. */
	c = kzalloc(struct_size(c, inline_buf, bytes <= KGO_CHAN_INLINE_BYTES ?
				DIV_ROUND_UP(bytes, sizeof(u64)) : 0), gfp);
	if (!c)
		return ERR_PTR(-ENOMEM);
	if (bytes <= KGO_CHAN_INLINE_BYTES) {
		c->buf = c->inline_buf;
	} else {
		/* kvmalloc only where it may sleep; small buffers need not. */
		c->buf = gfpflags_allow_blocking(gfp) ? kvmalloc(bytes, gfp) :
							 kmalloc(bytes, gfp);
		if (!c->buf) {
			kfree(c);
			return ERR_PTR(-ENOMEM);
		}
	}
	spin_lock_init(&c->lock);
	init_waitqueue_head(&c->poll_wq);
	c->dataqsiz = cap;
	c->elemsize = elem_size;
	INIT_LIST_HEAD(&c->recvq);
	INIT_LIST_HEAD(&c->sendq);
	refcount_set(&c->ref, 1);
	c->id = atomic64_inc_return(&kgo_chan_last_id);
	atomic_long_inc(&kgo_chans_live);
	return c;
}
EXPORT_SYMBOL_GPL(kgo_chan_make);

/**
 * kgo_chan_get() - take a reference to @c
 * @c: the channel
 *
 * Context: any.
 * Return: @c.
 */
struct kgo_chan *kgo_chan_get(struct kgo_chan *c)
{
	refcount_inc(&c->ref);
	return c;
}
EXPORT_SYMBOL_GPL(kgo_chan_get);

/**
 * kgo_chan_put() - drop a reference; the last one frees the channel
 * @c: the channel, or NULL
 *
 * The last reference to a timer's channel also stops and frees the timer.
 * Nobody may be blocked on @c then: each waiter holds a reference through
 * its caller.
 *
 * Context: process or softirq context.
 */
void kgo_chan_put(struct kgo_chan *c)
{
	if (!c || !refcount_dec_and_test(&c->ref))
		return;
	WARN_ONCE(!list_empty(&c->recvq) || !list_empty(&c->sendq),
		  "kgo: channel freed with blocked waiters\n");
	if (c->timer)
		kgo_timer_release(c->timer);
	if (c->buf != c->inline_buf)
		kvfree(c->buf);
	kfree(c);
	atomic_long_dec(&kgo_chans_live);
}
EXPORT_SYMBOL_GPL(kgo_chan_put);

/**
 * kgo_chan_live() - channels created and not yet freed
 *
 * Context: any.
 * Return: the count, a snapshot.
 */
long kgo_chan_live(void)
{
	return atomic_long_read(&kgo_chans_live);
}
EXPORT_SYMBOL_GPL(kgo_chan_live);

/**
 * kgo_chan_len() - values buffered in @c (Go's len(ch))
 * @c: the channel, or NULL (0)
 *
 * Context: any.
 * Return: a snapshot.
 */
u32 kgo_chan_len(struct kgo_chan *c)
{
	return c ? READ_ONCE(c->qcount) : 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_len);

/**
 * kgo_chan_cap() - capacity of @c (Go's cap(ch))
 * @c: the channel, or NULL (0)
 *
 * Context: any.
 * Return: the capacity given to kgo_chan_make().
 */
u32 kgo_chan_cap(struct kgo_chan *c)
{
	return c ? c->dataqsiz : 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_cap);

/**
 * kgo_chan_elem_size() - bytes per element of @c
 * @c: the channel, or NULL (0)
 *
 * Context: any.
 * Return: the element size given to kgo_chan_make().
 */
u32 kgo_chan_elem_size(struct kgo_chan *c)
{
	return c ? c->elemsize : 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_elem_size);

/* --- poll support for channel fds --- */

/**
 * kgo_chan_poll_wake_locked() - tell pollers that @c's state changed
 * @c: the channel, locked
 *
 * Free until a file first polls @c. A poller sets @c->pollers and joins
 * @c->poll_wq before it takes the lock to compute its mask, so a change
 * made under the lock after that sees the flag, and one made before is
 * in the mask.
 */
void kgo_chan_poll_wake_locked(struct kgo_chan *c)
{
	if (READ_ONCE(c->pollers))
		wake_up_interruptible_poll(&c->poll_wq, EPOLLIN | EPOLLRDNORM |
					   EPOLLOUT | EPOLLWRNORM | EPOLLHUP);
}

/* Whether @q holds a waiter nobody has claimed yet. */
static bool kgo_waitq_has_open(struct list_head *q)
{
	struct kgo_sudog *sg;

	list_for_each_entry(sg, q, link)
		if (!atomic_read(&sg->w->done))
			return true;
	return false;
}

/*
 * The waiters on @q nobody has claimed yet. Claimed ones (a select that
 * fired on another case, a timeout) stay queued until their owner unlinks
 * them: they are not waiting any more.
 */
static u32 kgo_waitq_count_open(struct list_head *q)
{
	struct kgo_sudog *sg;
	u32 n = 0;

	list_for_each_entry(sg, q, link)
		n += !atomic_read(&sg->w->done);
	return n;
}

/**
 * kgo_chan_snapshot() - what @c holds and who waits on it, now
 * @c: the channel
 * @st: filled in
 *
 * Walks the wait queues under the channel lock: as long as the number of
 * waiters, each of which is a blocked task or a parked G's frame.
 *
 * Context: process or softirq.
 */
void kgo_chan_snapshot(struct kgo_chan *c, struct kgo_chan_state *st)
{
	spin_lock_bh(&c->lock);
	st->len = c->qcount;
	st->closed = c->closed;
	st->senders = kgo_waitq_count_open(&c->sendq);
	st->receivers = kgo_waitq_count_open(&c->recvq);
	spin_unlock_bh(&c->lock);
}

/**
 * kgo_chan_recv_would_block_locked() - whether a receive from @c must wait
 * @c: the channel, locked
 *
 * Nothing buffered, no sender waiting, not closed. A channel fd's
 * non-blocking receive fails with -EAGAIN on this before it pins a
 * destination it would not use.
 *
 * Return: true when a receive would block.
 */
bool kgo_chan_recv_would_block_locked(struct kgo_chan *c)
{
	return !c->qcount && !c->closed && !kgo_waitq_has_open(&c->sendq);
}

/**
 * kgo_chan_poll_mask() - what would not block on @c now
 * @c: the channel
 *
 * EPOLLIN: a receive would not block (a value, a blocked sender, or
 * closed). EPOLLOUT: a send would not block (room, or a blocked
 * receiver); never for a timer, to which nobody may send. EPOLLHUP:
 * closed.
 *
 * Context: process or softirq.
 * Return: the poll mask.
 */
__poll_t kgo_chan_poll_mask(struct kgo_chan *c)
{
	__poll_t mask = 0;

	spin_lock_bh(&c->lock);
	if (!kgo_chan_recv_would_block_locked(c))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!c->closed && !c->timer && (c->qcount < c->dataqsiz ||
					kgo_waitq_has_open(&c->recvq)))
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (c->closed)
		mask |= EPOLLHUP;
	spin_unlock_bh(&c->lock);
	return mask;
}

/* --- send and receive --- */

/**
 * kgo_chan_send_locked() - send without blocking
 * @c: the channel, locked
 * @elem: the value
 * @wakeq: gets a woken receiver, for kgo_wakeq_flush() after the unlock
 *
 * Return: 1 if sent, 0 if it would block, -EPIPE if @c is closed.
 */
int kgo_chan_send_locked(struct kgo_chan *c, const void *elem,
			 struct kgo_sudog **wakeq)
{
	struct kgo_sudog *sg;

	if (c->closed)
		return -EPIPE;
	sg = kgo_waitq_dequeue(&c->recvq);
	if (sg) {
		trace_kgo_chan_send(c, sg);
		/* Straight into the receiver's buffer (Go's send()). */
		kgo_elem_copy(c, sg->elem, elem);
		kgo_sudog_fire(sg, true, wakeq);
		kgo_chan_poll_wake_locked(c);
		return 1;
	}
	if (c->qcount < c->dataqsiz) {
		kgo_elem_copy(c, kgo_chan_slot(c, c->sendx), elem);
		if (++c->sendx == c->dataqsiz)
			c->sendx = 0;
		WRITE_ONCE(c->qcount, c->qcount + 1);
		trace_kgo_chan_send(c, NULL);
		kgo_chan_poll_wake_locked(c);
		return 1;
	}
	return 0;
}

/**
 * kgo_chan_buffer_head_locked() - the value a receive from @c takes next,
 * when it comes from the buffer
 * @c: the channel, locked
 *
 * For a caller that must copy the value somewhere that can fail (user
 * memory, with page faults disabled) before it commits to the receive with
 * kgo_chan_recv_locked(): while the lock is held, that receive takes this
 * slot's value (a blocked sender's value goes to the tail behind it).
 *
 * Return: the slot, or NULL when the buffer is empty.
 */
const void *kgo_chan_buffer_head_locked(struct kgo_chan *c)
{
	return c->qcount ? kgo_chan_slot(c, c->recvx) : NULL;
}

/**
 * kgo_chan_recv_locked() - receive without blocking
 * @c: the channel, locked
 * @elem: where the value goes, or NULL
 * @ok: set to false for a closed, drained channel
 * @wakeq: gets a woken sender, for kgo_wakeq_flush() after the unlock
 *
 * Return: 1 if received (or closed), 0 if it would block.
 */
int kgo_chan_recv_locked(struct kgo_chan *c, void *elem, bool *ok,
			 struct kgo_sudog **wakeq)
{
	struct kgo_sudog *sg = kgo_waitq_dequeue(&c->sendq);

	if (sg) {
		trace_kgo_chan_recv(c, sg);
		if (!c->dataqsiz) {
			kgo_elem_copy(c, elem, sg->elem);
		} else {
			/*
			 * Full buffer: take its head, and the sender's value
			 * goes to the tail, the slot just freed (Go's recv()).
			 */
			void *slot = kgo_chan_slot(c, c->recvx);

			kgo_elem_copy(c, elem, slot);
			kgo_elem_copy(c, slot, sg->elem);
			if (++c->recvx == c->dataqsiz)
				c->recvx = 0;
			c->sendx = c->recvx;
		}
		kgo_sudog_fire(sg, true, wakeq);
		kgo_chan_poll_wake_locked(c);
		*ok = true;
		return 1;
	}
	if (c->qcount) {
		kgo_elem_copy(c, elem, kgo_chan_slot(c, c->recvx));
		if (++c->recvx == c->dataqsiz)
			c->recvx = 0;
		WRITE_ONCE(c->qcount, c->qcount - 1);
		trace_kgo_chan_recv(c, NULL);
		if (unlikely(c->timer))
			kgo_timer_received_locked(c->timer);
		kgo_chan_poll_wake_locked(c);
		*ok = true;
		return 1;
	}
	if (c->closed) {
		if (elem && c->elemsize)
			memset(elem, 0, c->elemsize);
		*ok = false;
		return 1;
	}
	return 0;
}

/*
 * A buffered channel's operation that would block first spins, unqueued,
 * for the buffer to change (kgo_block_spin_ns()), then tries again. A
 * queued waiter would make every later operation of a busy pair take the
 * slow path, each value handed over through a sudog and a wake-up in
 * lockstep; watching the count lets both sides keep to the buffer. An
 * unqueued spinner is not a waiter yet, so this changes no ordering Go
 * promises: blocked senders keep their place, since a receive refills the
 * buffer from them. Unbuffered channels spin queued instead (kgo_wait()):
 * their values can only be handed over.
 *
 * kgo_chan_buffer_spin_ns() says how long to spin (0: block now), with
 * the lock held; kgo_chan_spin_buffer() spins, without it, and looks only
 * every %KGO_CHAN_SPIN_RELAX cpu_relax(): a spinner that reads the count
 * as fast as it can takes its cacheline from the peer it waits for at
 * every write (halving the peer's speed, in measurements).
 */
#define KGO_CHAN_SPIN_RELAX	64

static u64 kgo_chan_buffer_spin_ns(struct kgo_chan *c, s64 timeout_ns)
{
	u64 spin = c->dataqsiz ? kgo_block_spin_ns() : 0;

	return timeout_ns > 0 ? min_t(u64, spin, timeout_ns) : spin;
}

static void kgo_chan_spin_buffer(struct kgo_chan *c, bool send, u64 spin_ns)
{
	u64 end = local_clock() + spin_ns;

	do {
		unsigned int n = READ_ONCE(c->qcount);

		if ((send ? n < c->dataqsiz : n) || READ_ONCE(c->closed))
			return;
		for (n = 0; n < KGO_CHAN_SPIN_RELAX; n++)
			cpu_relax();
	} while (!need_resched() && local_clock() < end);
}

/* How a channel operation waits once queued: see above. */
static unsigned int kgo_chan_wait_flags(struct kgo_chan *c)
{
	return c->dataqsiz ? 0 : KGO_WAIT_SPIN;
}

/*
 * Block a send (@ok NULL) or a receive on @c, the lock held on entry,
 * released on exit. Apart from kgo_chan_op(), noinline, because the
 * kernel zeroes the stack sudog and waiter (INIT_STACK_ALL_ZERO) where
 * they are declared, and most operations never block.
 */
static noinline int kgo_chan_block(struct kgo_chan *c, void *elem, bool *ok,
				   s64 timeout_ns)
	__releases(&c->lock)
{
	struct list_head *q = ok ? &c->recvq : &c->sendq;
	struct kgo_waiter w;
	struct kgo_sudog sg;
	int ret;

	kgo_waiter_init(&w);
	sg.w = &w;
	sg.elem = elem;
	sg.index = 0;
	sg.success = false;
	list_add_tail(&sg.link, q);
	kgo_chan_check_locked(c);
	/* A blocked peer makes the other direction ready for pollers. */
	kgo_chan_poll_wake_locked(c);
	spin_unlock_bh(&c->lock);

	ret = kgo_wait_timeout(&w, timeout_ns, kgo_chan_wait_flags(c),
			       ok ? "chan receive" : "chan send");
	if (ret) {
		spin_lock_bh(&c->lock);
		list_del_init(&sg.link);
		spin_unlock_bh(&c->lock);
		return ret;
	}
	if (ok)
		*ok = sg.success;
	else if (!sg.success)
		return -EPIPE;
	return 0;
}

/*
 * A send (@ok NULL) or a receive: the locked operation, a spin for a
 * buffered channel, the locked operation again, then blocking.
 */
static int kgo_chan_op(struct kgo_chan *c, void *elem, bool *ok,
		       s64 timeout_ns)
{
	struct kgo_sudog *wakeq = NULL;
	bool send = !ok;
	bool spun;
	u64 spin_ns;
	int ret;

	for (spun = false;; spun = true) {
		spin_lock_bh(&c->lock);
		ret = send ? kgo_chan_send_locked(c, elem, &wakeq) :
			     kgo_chan_recv_locked(c, elem, ok, &wakeq);
		if (ret) {
			spin_unlock_bh(&c->lock);
			kgo_wakeq_flush(wakeq);
			return ret < 0 ? ret : 0;
		}
		if (!timeout_ns) {
			spin_unlock_bh(&c->lock);
			return -EAGAIN;
		}
		spin_ns = spun ? 0 : kgo_chan_buffer_spin_ns(c, timeout_ns);
		if (!spin_ns)
			break;
		spin_unlock_bh(&c->lock);
		kgo_chan_spin_buffer(c, send, spin_ns);
	}
	return kgo_chan_block(c, elem, ok, timeout_ns);
}

/**
 * kgo_chan_send_timeout() - send a value (Go's ch <- v)
 * @c: the channel; NULL blocks until the timeout
 * @elem: the value, elem_size bytes (may be NULL if that is 0)
 * @timeout_ns: %KGO_FOREVER, %KGO_NOWAIT or nanoseconds
 *
 * Hands the value straight to a waiting receiver, else buffers it, else
 * blocks until a receiver takes it.
 *
 * Context: process; any context with %KGO_NOWAIT (but hard irq).
 * Return: 0 when sent; -EPIPE when @c is or gets closed (the value is not
 * sent); -EAGAIN (%KGO_NOWAIT) or -ETIMEDOUT when it would block or
 * blocked too long; -EINTR or -ERESTARTSYS on a signal (user tasks);
 * -EINVAL for a NULL @elem with a non-zero element size or a timer's
 * channel (receive-only). On any error the value was not sent.
 */
int kgo_chan_send_timeout(struct kgo_chan *c, const void *elem, s64 timeout_ns)
{
	if (!c)
		return kgo_block_forever(timeout_ns);
	/* A timer's channel is receive-only (Go's <-chan Time). */
	if ((!elem && c->elemsize) || c->timer)
		return -EINVAL;
	return kgo_chan_op(c, (void *)elem, NULL, timeout_ns);
}
EXPORT_SYMBOL_GPL(kgo_chan_send_timeout);

/**
 * kgo_chan_recv_timeout() - receive a value (Go's v, ok := <-ch)
 * @c: the channel; NULL blocks until the timeout
 * @elem: where to copy the value, or NULL to drop it
 * @ok: set to true for a value, false when @c is closed and drained (and
 *	*@elem is zeroed); may be NULL
 * @timeout_ns: %KGO_FOREVER, %KGO_NOWAIT or nanoseconds
 *
 * Context: process; any context with %KGO_NOWAIT (but hard irq).
 * Return: 0 when *@ok is valid; -EAGAIN (%KGO_NOWAIT) or -ETIMEDOUT when
 * nothing came; -EINTR or -ERESTARTSYS on a signal (user tasks). On any
 * error nothing was taken from the channel.
 */
int kgo_chan_recv_timeout(struct kgo_chan *c, void *elem, bool *ok,
			  s64 timeout_ns)
{
	bool dummy;

	if (!ok)
		ok = &dummy;
	if (!c)
		return kgo_block_forever(timeout_ns);
	return kgo_chan_op(c, elem, ok, timeout_ns);
}
EXPORT_SYMBOL_GPL(kgo_chan_recv_timeout);

/**
 * kgo_chan_close() - close @c (Go's close(ch))
 * @c: the channel
 *
 * Receivers drain what is buffered, then get ok == false at once; every
 * blocked receiver is woken with ok == false and a zeroed element, every
 * blocked sender with -EPIPE.
 *
 * Context: process or softirq.
 * Return: 0; -EPIPE if @c was already closed; -EINVAL for a NULL @c or a
 * timer's channel.
 */
int kgo_chan_close(struct kgo_chan *c)
{
	struct kgo_sudog *sg, *wakeq = NULL;

	/* A timer's channel is receive-only in Go: nobody may close it. */
	if (!c || c->timer)
		return -EINVAL;
	spin_lock_bh(&c->lock);
	if (c->closed) {
		spin_unlock_bh(&c->lock);
		return -EPIPE;
	}
	WRITE_ONCE(c->closed, true);
	trace_kgo_chan_close(c);
	while ((sg = kgo_waitq_dequeue(&c->recvq))) {
		if (sg->elem && c->elemsize)
			memset(sg->elem, 0, c->elemsize);
		kgo_sudog_fire(sg, false, &wakeq);
	}
	while ((sg = kgo_waitq_dequeue(&c->sendq)))
		kgo_sudog_fire(sg, false, &wakeq);
	kgo_chan_poll_wake_locked(c);
	spin_unlock_bh(&c->lock);
	kgo_wakeq_flush(wakeq);
	return 0;
}
EXPORT_SYMBOL_GPL(kgo_chan_close);
