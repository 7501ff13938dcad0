/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Per-user limits on channel fds and their buffers (user.c).
 */
#ifndef _KGO_USER_H
#define _KGO_USER_H

#include <linux/types.h>
#include <linux/uidgid.h>

/*
 * The longest owner chain: the caller's uid and the owner of each of the
 * (at most 32 nested, kernel/user_namespace.c) user namespaces above it.
 */
#define KGO_USER_CHAIN_MAX	34

/**
 * struct kgo_user_charge - what a channel fd or a call is charged, and to whom
 * @uids: I: the users charged: the caller's real uid, then each distinct
 *	owner of the user namespaces above it (root excepted)
 * @nuids: I: how many of @uids are used
 * @bytes: I: buffer bytes charged to each of them
 * @chans: I: channel fds charged to each of them (0 or 1)
 *
 * Tags (sched.h): I here means written by kgo_user_charge() before the
 * fd or call that holds it is visible, then read-only.
 */
struct kgo_user_charge {
	kuid_t uids[KGO_USER_CHAIN_MAX];
	unsigned int nuids;
	unsigned long bytes;
	unsigned int chans;
};

int kgo_user_charge(struct kgo_user_charge *ch, unsigned long bytes,
		    unsigned int chans);
void kgo_user_uncharge(struct kgo_user_charge *ch);

#endif /* _KGO_USER_H */
