// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * KGO_IOC_SELECT: kgo_select() over channel fds. Every case's file is
 * held for the call; send values are copied in, and receive buffers and
 * the case array's result fields are pinned, before the select (see
 * chanfd.c): only the chosen case's value moves, straight into its pinned
 * buffer, a bad buffer fails the call before anything is taken, and a
 * value taken is always reported, whatever the process does to its
 * memory meanwhile.
 */

#include <linux/file.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kgo/chan.h>

#include "chan.h"
#include "chanfd.h"
#include "dev.h"
#include "user.h"

/**
 * struct kgo_uselect_case - a case's kernel side
 * @file: K: the channel fd's file, held; NULL for fd -1
 * @val: K: a send's value, copied in; NULL for a receive; lent to the
 *	channel while the select runs
 * @pin: K: a receive's destination, pinned (see &struct kgo_upin)
 *
 * Tags: sched.h's legend.
 */
struct kgo_uselect_case {
	struct file *file;
	void *val;
	struct kgo_upin pin;
};

/**
 * struct kgo_uselect - the whole call's state
 * @args: K: the user's arguments
 * @ucases: K: a copy of the user's cases
 * @kcases: K: what kgo_select() gets (select.c writes its results)
 * @cases: K: per-case kernel state
 * @results: K: the user's case array, pinned: the chosen case's ok and
 *	err are written through it
 * @send_bytes: K: the send cases' values, in bytes
 * @charge: K: what the caller is charged for holding them (if anything)
 */
struct kgo_uselect {
	struct kgo_select_args args;
	struct kgo_select_ucase *ucases;
	struct kgo_select_case *kcases;
	struct kgo_uselect_case *cases;
	struct kgo_upin results;
	size_t send_bytes;
	struct kgo_user_charge charge;
};

/* Resolve case @i: its file, and its value copied in or its buffer pinned. */
static int kgo_uselect_prepare(struct kgo_uselect *s, u32 i)
{
	struct kgo_select_ucase *uc = &s->ucases[i];
	struct kgo_select_case *kc = &s->kcases[i];
	struct kgo_uselect_case *cs = &s->cases[i];
	struct kgo_chan *c;
	u32 size;

	/* @ok and @err are results: what they held before is ignored. */
	if (uc->dir != KGO_SELECT_CASE_SEND && uc->dir != KGO_SELECT_CASE_RECV)
		return -EINVAL;
	kc->dir = uc->dir == KGO_SELECT_CASE_SEND ? KGO_SELECT_SEND :
						     KGO_SELECT_RECV;
	if (uc->fd == -1)
		return 0;
	c = kgo_chanfd_get(uc->fd, &cs->file);
	if (IS_ERR(c))
		return PTR_ERR(c);
	kc->chan = c;
	size = kgo_chan_elem_size(c);
	if (kc->dir == KGO_SELECT_RECV && !uc->elem)
		size = 0;
	if (!size)
		return 0;
	if (kc->dir == KGO_SELECT_RECV) {
		int ret = kgo_upin_begin(&cs->pin, uc->elem, size);

		kc->elem = cs->pin.kaddr;
		return ret;
	}
	s->send_bytes += size;
	return 0;
}

/*
 * Copy case @i's send value in, once every case is resolved and the
 * values' memory is charged.
 */
static int kgo_uselect_copy_in(struct kgo_uselect *s, u32 i)
{
	struct kgo_select_case *kc = &s->kcases[i];
	struct kgo_uselect_case *cs = &s->cases[i];
	u32 size = kgo_chan_elem_size(kc->chan);

	if (kc->dir != KGO_SELECT_SEND || !size)
		return 0;
	cs->val = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!cs->val)
		return -ENOMEM;
	kc->elem = cs->val;
	return copy_from_user(cs->val, u64_to_user_ptr(s->ucases[i].elem),
			      size) ? -EFAULT : 0;
}

/*
 * A select holds its send values while it waits: up to 128 cases of 64
 * KiB, 8 MiB a thread. Past one element's worth they are charged to the
 * caller's buffer budget for the call (user.c).
 */
static int kgo_uselect_charge(struct kgo_uselect *s)
{
	if (s->send_bytes <= KGO_ELEM_SIZE_MAX)
		return 0;
	return kgo_user_charge(&s->charge, s->send_bytes, 0);
}

static void kgo_uselect_release(struct kgo_uselect *s, int chosen)
{
	int i;

	for (i = 0; i < (int)s->args.ncases; i++) {
		struct kgo_uselect_case *cs = &s->cases[i];

		kgo_upin_end(&cs->pin, i == chosen);
		kvfree(cs->val);
		if (cs->file)
			fput(cs->file);
	}
	kgo_upin_end(&s->results, chosen >= 0);
	kgo_user_uncharge(&s->charge);
	kvfree(s->cases);
	kfree(s->kcases);
	kfree(s->ucases);
}

/*
 * Write zeros where the results go, then pin the case array: the chosen
 * case's results are written through the pin once a value moved, which
 * nothing the process does can make fail.
 */
static int kgo_uselect_probe(struct kgo_uselect *s, void __user *arg)
{
	struct kgo_select_ucase __user *uc = u64_to_user_ptr(s->args.cases);
	struct kgo_select_args __user *ua = arg;
	u32 i;

	if (put_user(0, &ua->index))
		return -EFAULT;
	for (i = 0; i < s->args.ncases; i++)
		if (put_user(0, &uc[i].ok) || put_user(0, &uc[i].err))
			return -EFAULT;
	return kgo_upin_begin(&s->results, s->args.cases,
			      s->args.ncases * sizeof(*uc));
}

/*
 * Write the chosen case's results back, through the pin, then the index
 * and size. The select has happened: the index is also the return value,
 * so a failure to write the struct back is not reported.
 */
static void kgo_uselect_report(struct kgo_uselect *s, void __user *arg, int i)
{
	struct kgo_select_ucase *uc = s->results.kaddr;
	struct kgo_select_case *kc = &s->kcases[i];
	u32 ok = kc->ok ? 1 : 0;
	s32 err = -kc->err;

	/* memcpy(): the user's array need not be aligned. */
	memcpy(&uc[i].ok, &ok, sizeof(ok));
	memcpy(&uc[i].err, &err, sizeof(err));
	s->args.index = i;
	kgo_copy_struct_out(arg, &s->args, sizeof(s->args));
}

/**
 * kgo_ioctl_select() - %KGO_IOC_SELECT, on /dev/kgo or a channel fd
 * @file: unused
 * @arg: &struct kgo_select_args
 *
 * Context: process; sleeps.
 * Return: the chosen case, or -EAGAIN, -ETIMEDOUT, -EINTR, -ERESTARTSYS,
 * -EBADF, -EFAULT, -EINVAL, -ENOMEM (also: pins past RLIMIT_MEMLOCK),
 * -ENOBUFS (send values past the caller's buffer budget).
 */
long kgo_ioctl_select(struct file *file, void __user *arg)
{
	struct kgo_uselect s = {};
	s64 timeout;
	int ret;
	u32 i, n;

	ret = kgo_copy_struct_in(&s.args, sizeof(s.args), arg,
				 KGO_SELECT_ARGS_SIZE_VER0);
	if (ret)
		return ret;
	n = s.args.ncases;
	if (s.args.flags || n > KGO_SELECT_UCASES_MAX || (n && !s.args.cases))
		return -EINVAL;
	timeout = s.args.timeout_ns < 0 ? KGO_FOREVER : s.args.timeout_ns;
	if (n) {
		s.ucases = memdup_user(u64_to_user_ptr(s.args.cases),
				       array_size(n, sizeof(*s.ucases)));
		if (IS_ERR(s.ucases))
			return PTR_ERR(s.ucases);
	}
	s.kcases = kcalloc(n, sizeof(*s.kcases), GFP_KERNEL);
	s.cases = kvcalloc(n, sizeof(*s.cases), GFP_KERNEL);
	ret = -ENOMEM;
	if ((n && !s.kcases) || (n && !s.cases)) {
		s.args.ncases = 0;
		goto out;
	}
	for (i = 0; i < n; i++) {
		ret = kgo_uselect_prepare(&s, i);
		if (ret)
			goto out;
	}
	ret = kgo_uselect_charge(&s);
	for (i = 0; i < n && !ret; i++)
		ret = kgo_uselect_copy_in(&s, i);
	if (ret)
		goto out;
	/* Results must be writable before anything is taken. */
	ret = kgo_uselect_probe(&s, arg);
	if (ret)
		goto out;
	ret = kgo_select(s.kcases, n, timeout);
	if (ret >= 0)
		kgo_uselect_report(&s, arg, ret);
out:
	kgo_uselect_release(&s, ret);
	return ret;
}
