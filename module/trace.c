// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The tracepoints of trace.h, and how their events name the two sides of
 * a transfer. Only a tracepoint that is enabled calls into this file.
 */

#include <linux/kthread.h>
#include <linux/sched.h>

#include <kgo/async.h>

#include "chan.h"
#include "sched.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/**
 * kgo_trace_self() - who the caller is, for an event
 * @s: filled in: the goid of the G the caller runs, if it is an M; the
 *	pid of the calling task (0 in interrupt context)
 */
void kgo_trace_self(struct kgo_trace_side *s)
{
	struct kgo_m *m = kgo_m_current();
	struct kgo_g *g = m ? READ_ONCE(m->curg) : NULL;

	s->goid = g ? g->goid : 0;
	s->pid = in_task() ? current->pid : 0;
}

/**
 * kgo_trace_waiter() - who waits behind a queued sudog, for an event
 * @s: filled in: the goid of the waiting G (a parked G, or the G an M
 *	runs blocked), the pid of a blocked task (0 for a parked G)
 * @sg: the sudog, on a queue whose lock the caller holds: its waiter
 *	stays blocked, its G and task alive, while it is read
 */
void kgo_trace_waiter(struct kgo_trace_side *s, const struct kgo_sudog *sg)
{
	struct task_struct *task = sg->w->task;
	struct kgo_g *g;

	if (!task) {
		/* A parked G: the waiter is its task's. */
		g = READ_ONCE(container_of(sg->w, struct kgo_task, w)->g);
		s->pid = 0;
	} else {
		struct kgo_m *m = kgo_m_of_task(task);

		g = m ? READ_ONCE(m->curg) : NULL;
		s->pid = task->pid;
	}
	s->goid = g ? g->goid : 0;
}

/**
 * kgo_trace_blocked_ready() - the kgo_g_ready event of a blocked waiter
 * @sg: the sudog a waker fired, before the waiter can see it: the waiter
 *	is still blocked
 *
 * Only a G's: a task that is not an M (a process, a kthread) has no goid.
 */
void kgo_trace_blocked_ready(const struct kgo_sudog *sg)
{
	struct kgo_trace_side s;

	kgo_trace_waiter(&s, sg);
	if (s.goid)
		trace_kgo_g_ready(s.goid, s.pid);
}
