/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo's tracepoints (events/kgo/ in tracefs): the life of a G (spawn,
 * run, block or park, ready, exit), P hand-offs, steals and retakes, and
 * every channel transfer with the identities of both sides, so that perf,
 * trace-cmd and bpftrace can follow a value from a userspace send to the
 * kernel G it wakes. Documentation/observability.rst lists them.
 *
 * A side is named by its goid when it is a G (0 otherwise) and its pid
 * when it is a task (0 for a parked G, which has none, and in interrupt
 * context). The fields are computed in TP_fast_assign() from the objects
 * passed in, so a disabled tracepoint costs its static branch and nothing
 * else: the call sites pass pointers they already hold.
 *
 * Strings are copied into fixed arrays (__array) rather than __string(),
 * whose assignment macro changed in 6.10 (see compat.h's rule: no version
 * differences outside it; this way there are none).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kgo

/* What the events use, once: the rest of the file is read many times. */
#ifndef _KGO_TRACE_DECLS_H
#define _KGO_TRACE_DECLS_H

#include <kgo/async.h>

#include "chan.h"
#include "park.h"
#include "sched.h"

#define KGO_TRACE_REASON_LEN	24

/* The identities of a side, for the events (trace.c). */
struct kgo_trace_side {
	u64 goid;
	pid_t pid;
};

void kgo_trace_self(struct kgo_trace_side *s);
void kgo_trace_waiter(struct kgo_trace_side *s, const struct kgo_sudog *sg);
void kgo_trace_blocked_ready(const struct kgo_sudog *sg);

#endif /* _KGO_TRACE_DECLS_H */

#if !defined(_KGO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KGO_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(kgo_g_spawn,
	TP_PROTO(const struct kgo_g *g),
	TP_ARGS(g),
	TP_STRUCT__entry(
		__field(u64, goid)
		__field(void *, fn)
		__field(bool, parked)
		__field(u64, by_goid)
		__field(pid_t, by_pid)
	),
	TP_fast_assign(
		struct kgo_trace_side by;

		kgo_trace_self(&by);
		__entry->goid = g->goid;
		__entry->parked = g->fn == kgo_task_fn;
		__entry->fn = __entry->parked ?
			(void *)((struct kgo_task *)g->arg)->step : (void *)g->fn;
		__entry->by_goid = by.goid;
		__entry->by_pid = by.pid;
	),
	TP_printk("goid=%llu fn=%ps parked=%d by_goid=%llu by_pid=%d",
		  __entry->goid, __entry->fn, __entry->parked,
		  __entry->by_goid, __entry->by_pid)
);

TRACE_EVENT(kgo_g_run,
	TP_PROTO(const struct kgo_g *g, const struct kgo_p *p),
	TP_ARGS(g, p),
	TP_STRUCT__entry(
		__field(u64, goid)
		__field(u32, p)
		__field(pid_t, m_pid)
	),
	TP_fast_assign(
		__entry->goid = g->goid;
		__entry->p = p->id;
		__entry->m_pid = current->pid;
	),
	TP_printk("goid=%llu p=%u m_pid=%d", __entry->goid, __entry->p,
		  __entry->m_pid)
);

DECLARE_EVENT_CLASS(kgo_g_wait_class,
	TP_PROTO(const struct kgo_g *g, const char *reason),
	TP_ARGS(g, reason),
	TP_STRUCT__entry(
		__field(u64, goid)
		__array(char, reason, KGO_TRACE_REASON_LEN)
	),
	TP_fast_assign(
		__entry->goid = g->goid;
		strscpy(__entry->reason, reason ?: "", KGO_TRACE_REASON_LEN);
	),
	TP_printk("goid=%llu reason=%s", __entry->goid, __entry->reason)
);

/* A G waits keeping its M (its P may go to another M). */
DEFINE_EVENT(kgo_g_wait_class, kgo_g_block,
	TP_PROTO(const struct kgo_g *g, const char *reason),
	TP_ARGS(g, reason)
);

/* A parked-capable G parks: its M goes on to run other Gs. */
DEFINE_EVENT(kgo_g_wait_class, kgo_g_park,
	TP_PROTO(const struct kgo_g *g, const char *reason),
	TP_ARGS(g, reason)
);

/*
 * A waiting G may run again: a parked G is queued (Go's goready), a
 * blocked one's M woken (@m_pid); by the caller (by_goid, by_pid).
 */
TRACE_EVENT(kgo_g_ready,
	TP_PROTO(u64 goid, pid_t m_pid),
	TP_ARGS(goid, m_pid),
	TP_STRUCT__entry(
		__field(u64, goid)
		__field(pid_t, m_pid)
		__field(u64, by_goid)
		__field(pid_t, by_pid)
	),
	TP_fast_assign(
		struct kgo_trace_side by;

		kgo_trace_self(&by);
		__entry->goid = goid;
		__entry->m_pid = m_pid;
		__entry->by_goid = by.goid;
		__entry->by_pid = by.pid;
	),
	TP_printk("goid=%llu m_pid=%d by_goid=%llu by_pid=%d", __entry->goid,
		  __entry->m_pid, __entry->by_goid, __entry->by_pid)
);

TRACE_EVENT(kgo_g_exit,
	TP_PROTO(const struct kgo_g *g),
	TP_ARGS(g),
	TP_STRUCT__entry(
		__field(u64, goid)
	),
	TP_fast_assign(
		__entry->goid = g->goid;
	),
	TP_printk("goid=%llu", __entry->goid)
);

/* A P changes hands: given to a new or woken M, or put on the idle list. */
TRACE_EVENT(kgo_p_handoff,
	TP_PROTO(const struct kgo_p *p, bool has_work),
	TP_ARGS(p, has_work),
	TP_STRUCT__entry(
		__field(u32, p)
		__field(bool, has_work)
	),
	TP_fast_assign(
		__entry->p = p->id;
		__entry->has_work = has_work;
	),
	TP_printk("p=%u has_work=%d", __entry->p, __entry->has_work)
);

TRACE_EVENT(kgo_p_steal,
	TP_PROTO(const struct kgo_p *thief, const struct kgo_p *victim, u32 n),
	TP_ARGS(thief, victim, n),
	TP_STRUCT__entry(
		__field(u32, p)
		__field(u32, victim)
		__field(u32, n)
	),
	TP_fast_assign(
		__entry->p = thief->id;
		__entry->victim = victim->id;
		__entry->n = n;
	),
	TP_printk("p=%u victim=%u n=%u", __entry->p, __entry->victim,
		  __entry->n)
);

/* A P taken from a G that hogs it (sysmon) or blocked with it. */
TRACE_EVENT(kgo_p_retake,
	TP_PROTO(const struct kgo_p *p, bool by_sysmon),
	TP_ARGS(p, by_sysmon),
	TP_STRUCT__entry(
		__field(u32, p)
		__field(bool, by_sysmon)
	),
	TP_fast_assign(
		__entry->p = p->id;
		__entry->by_sysmon = by_sysmon;
	),
	TP_printk("p=%u by_sysmon=%d", __entry->p, __entry->by_sysmon)
);

/*
 * A value moves: @peer is the waiter on the other side that takes or gives
 * it directly, or NULL when it goes through the buffer. Under the channel
 * lock, so the order of the events on one channel is the order of the
 * transfers.
 */
DECLARE_EVENT_CLASS(kgo_chan_xfer_class,
	TP_PROTO(const struct kgo_chan *c, const struct kgo_sudog *peer),
	TP_ARGS(c, peer),
	TP_STRUCT__entry(
		__field(u64, chan)
		__field(u64, goid)
		__field(pid_t, pid)
		__field(u64, peer_goid)
		__field(pid_t, peer_pid)
		__field(bool, buffered)
		__field(u32, len)
	),
	TP_fast_assign(
		struct kgo_trace_side self, other = { 0, 0 };

		kgo_trace_self(&self);
		if (peer)
			kgo_trace_waiter(&other, peer);
		__entry->chan = c->id;
		__entry->goid = self.goid;
		__entry->pid = self.pid;
		__entry->peer_goid = other.goid;
		__entry->peer_pid = other.pid;
		__entry->buffered = !peer;
		__entry->len = c->qcount;
	),
	TP_printk("chan=%llu goid=%llu pid=%d peer_goid=%llu peer_pid=%d buffered=%d len=%u",
		  __entry->chan, __entry->goid, __entry->pid,
		  __entry->peer_goid, __entry->peer_pid, __entry->buffered,
		  __entry->len)
);

/* The sender's side: into the buffer, or to a waiting receiver (@peer). */
DEFINE_EVENT(kgo_chan_xfer_class, kgo_chan_send,
	TP_PROTO(const struct kgo_chan *c, const struct kgo_sudog *peer),
	TP_ARGS(c, peer)
);

/* The receiver's side: from the buffer, or from a waiting sender (@peer). */
DEFINE_EVENT(kgo_chan_xfer_class, kgo_chan_recv,
	TP_PROTO(const struct kgo_chan *c, const struct kgo_sudog *peer),
	TP_ARGS(c, peer)
);

TRACE_EVENT(kgo_chan_close,
	TP_PROTO(const struct kgo_chan *c),
	TP_ARGS(c),
	TP_STRUCT__entry(
		__field(u64, chan)
		__field(u64, goid)
		__field(pid_t, pid)
	),
	TP_fast_assign(
		struct kgo_trace_side self;

		kgo_trace_self(&self);
		__entry->chan = c->id;
		__entry->goid = self.goid;
		__entry->pid = self.pid;
	),
	TP_printk("chan=%llu goid=%llu pid=%d", __entry->chan, __entry->goid,
		  __entry->pid)
);

#endif /* _KGO_TRACE_H */

/* Out of tree: define_trace.h finds this file by these. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
