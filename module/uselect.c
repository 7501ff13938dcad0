// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * KGO_IOC_SELECT: kgo_select() over channel fds. Every case's file is
 * held for the call; send values are copied in and receive buffers pinned
 * before the select, so that only the chosen case's value moves and a bad
 * buffer fails the call before anything is taken.
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

/**
 * struct kgo_uselect_case - a case's kernel side
 * @file: the channel fd's file, held; NULL for fd -1
 * @val: bounce buffer for the element, or NULL
 * @pin: a receive's destination, pinned
 */
struct kgo_uselect_case {
	struct file *file;
	void *val;
	struct kgo_upin pin;
};

/**
 * struct kgo_uselect - the whole call's state
 * @args: the user's arguments
 * @ucases: a copy of the user's cases
 * @kcases: what kgo_select() gets
 * @cases: per-case kernel state
 */
struct kgo_uselect {
	struct kgo_select_args args;
	struct kgo_select_ucase *ucases;
	struct kgo_select_case *kcases;
	struct kgo_uselect_case *cases;
};

/* Resolve case @i: its file, and its value copied in or its buffer pinned. */
static int kgo_uselect_prepare(struct kgo_uselect *s, u32 i)
{
	struct kgo_select_ucase *uc = &s->ucases[i];
	struct kgo_select_case *kc = &s->kcases[i];
	struct kgo_uselect_case *cs = &s->cases[i];
	struct kgo_chan *c;
	u32 size;

	if (uc->dir != KGO_SELECT_CASE_SEND && uc->dir != KGO_SELECT_CASE_RECV)
		return -EINVAL;
	if (uc->ok || uc->err)
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
	cs->val = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!cs->val)
		return -ENOMEM;
	kc->elem = cs->val;
	if (kc->dir == KGO_SELECT_SEND)
		return copy_from_user(cs->val, u64_to_user_ptr(uc->elem), size) ?
		       -EFAULT : 0;
	return kgo_upin_begin(&cs->pin, uc->elem, size);
}

static void kgo_uselect_release(struct kgo_uselect *s, int chosen)
{
	int i;

	for (i = 0; i < (int)s->args.ncases; i++) {
		struct kgo_uselect_case *cs = &s->cases[i];

		kgo_upin_end(&cs->pin, i == chosen ? cs->val : NULL);
		kvfree(cs->val);
		if (cs->file)
			fput(cs->file);
	}
	kvfree(s->cases);
	kfree(s->kcases);
	kfree(s->ucases);
}

/* Write the chosen case's results and the index back. */
static int kgo_uselect_report(struct kgo_uselect *s, void __user *arg, int i)
{
	struct kgo_select_ucase __user *uc = u64_to_user_ptr(s->args.cases);
	struct kgo_select_case *kc = &s->kcases[i];

	if (put_user(kc->ok ? 1 : 0, &uc[i].ok) ||
	    put_user(-kc->err, &uc[i].err))
		return -EFAULT;
	s->args.index = i;
	return kgo_copy_struct_out(arg, &s->args, sizeof(s->args));
}

/**
 * kgo_ioctl_select() - %KGO_IOC_SELECT, on /dev/kgo or a channel fd
 * @file: unused
 * @arg: &struct kgo_select_args
 *
 * Context: process; sleeps.
 * Return: the chosen case, or -EAGAIN, -ETIMEDOUT, -EINTR, -ERESTARTSYS,
 * -EBADF, -EFAULT, -EINVAL, -ENOMEM.
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
	ret = kgo_select(s.kcases, n, timeout);
	if (ret >= 0) {
		int err = kgo_uselect_report(&s, arg, ret);

		if (err) {
			/* The value was taken: deliver it anyway. */
			kgo_uselect_release(&s, ret);
			return err;
		}
	}
out:
	kgo_uselect_release(&s, ret);
	return ret;
}
