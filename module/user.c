// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Per-user limits on what /dev/kgo lets an unprivileged process keep in
 * the kernel: channel and timer fds (max_user_chans) and the bytes of
 * their buffers (user_buf_bytes_soft and user_buf_bytes_hard), as pipes
 * bound pipe buffers with fs.pipe-user-pages-soft and -hard. Channel
 * buffers are unswappable kernel memory; without a per-user bound a
 * process with a tiny RSS could hold most of the machine's RAM, and the
 * OOM killer, which weighs processes by their own pages, would kill
 * bystanders instead. The buffers are also charged to the creator's
 * memory cgroup (GFP_KERNEL_ACCOUNT).
 *
 * Who pays. With a user namespace a user can act as many uids (a subuid
 * range), so a limit charged to the caller's uid alone could be
 * multiplied. As the kernel's ucounts do (they are not exported to
 * modules), a charge goes to the caller's real uid and to the owner of
 * every user namespace above it, up to the initial one, and each of them
 * must stay within the limits: a user and every namespace they own share
 * one budget. Namespaces owned by root are the administrator's; root is
 * not charged for them, so processes in such a container are bounded per
 * uid (and by their memory cgroup).
 *
 * The rules, checked for every user charged; callers with CAP_SYS_RESOURCE
 * or CAP_SYS_ADMIN are exempt from the byte limits, as with pipes:
 *  - at most max_user_chans channel and timer fds open (-EMFILE);
 *  - a channel whose buffer would take a user past user_buf_bytes_soft may
 *    have at most one page of buffer (pipes shrink to two pages there; a
 *    channel's capacity is part of its meaning, so it fails: -ENOBUFS);
 *  - no channel may take a user past user_buf_bytes_hard (-ENOBUFS);
 *  - nor may the send values a select copies in and holds while it waits,
 *    past one element's worth (up to 128 cases of 64 KiB, 8 MiB a thread).
 * A limit of 0 is no limit.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "param.h"
#include "user.h"

static unsigned long kgo_max_user_chans = 4096;
KGO_PARAM_RANGE(max_user_chans, kgo_max_user_chans, 0, UINT_MAX,
		"Most channel and timer fds one user may have open (0: no limit)");

/* 16384 pages, pipes' fs.pipe-user-pages-soft. */
static unsigned long kgo_user_buf_soft = 64UL << 20;
KGO_PARAM_RANGE(user_buf_bytes_soft, kgo_user_buf_soft, 0, ULONG_MAX,
		"Channel buffer bytes per user past which a new channel may buffer only a page (0: no limit)");

static unsigned long kgo_user_buf_hard = 128UL << 20;
KGO_PARAM_RANGE(user_buf_bytes_hard, kgo_user_buf_hard, 0, ULONG_MAX,
		"Channel buffer bytes per user that no new channel may exceed (0: no limit)");

/*
 * Fields are tagged with the letters of the legend in sched.h; U is
 * kgo_users_lock, a mutex: charges come from ioctls and releases from
 * __fput(), both process context.
 */

/**
 * struct kgo_user - what one user holds through channel fds
 * @node: U: in kgo_users
 * @uid: I: the user
 * @chans: U: channel and timer fds charged
 * @bytes: U: buffer bytes charged (channel buffers, values held by calls)
 */
struct kgo_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int chans;
	unsigned long bytes;
};

static DEFINE_MUTEX(kgo_users_lock);
static DEFINE_HASHTABLE(kgo_users, 6);

static struct kgo_user *kgo_user_find(kuid_t uid)
{
	struct kgo_user *u;

	lockdep_assert_held(&kgo_users_lock);
	hash_for_each_possible(kgo_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (u) {
		u->uid = uid;
		hash_add(kgo_users, &u->node, __kuid_val(uid));
	}
	return u;
}

static void kgo_user_free_if_idle(struct kgo_user *u)
{
	if (!u->chans && !u->bytes) {
		hash_del(&u->node);
		kfree(u);
	}
}

/* The caller's real uid, then each distinct non-root namespace owner. */
static void kgo_user_chain(struct kgo_user_charge *ch)
{
	const struct user_namespace *ns = current_user_ns();
	kuid_t uid = current_uid();
	unsigned int i;

	ch->nuids = 0;
	for (;;) {
		for (i = 0; i < ch->nuids && !uid_eq(ch->uids[i], uid); i++)
			;
		if (i == ch->nuids && ch->nuids < KGO_USER_CHAIN_MAX)
			ch->uids[ch->nuids++] = uid;
		if (ns == &init_user_ns || !ns->parent)
			break;
		uid = ns->owner;
		ns = ns->parent;
		if (uid_eq(uid, GLOBAL_ROOT_UID))
			break;
	}
}

/* Whether one more channel of @bytes keeps @u within the limits. */
static int kgo_user_check(const struct kgo_user *u, unsigned long bytes,
			  unsigned int chans, bool privileged)
{
	unsigned long max_chans = READ_ONCE(kgo_max_user_chans);
	unsigned long soft = READ_ONCE(kgo_user_buf_soft);
	unsigned long hard = READ_ONCE(kgo_user_buf_hard);
	unsigned long total = u->bytes + bytes;

	if (chans && max_chans && u->chans >= max_chans)
		return -EMFILE;
	if (privileged || !bytes)
		return 0;
	if (total < u->bytes || (hard && total > hard))
		return -ENOBUFS;
	if (soft && total > soft && bytes > PAGE_SIZE)
		return -ENOBUFS;
	return 0;
}

/**
 * kgo_user_charge() - charge the calling user for a channel fd, or for
 *	kernel memory held during a call
 * @ch: filled in; pass it to kgo_user_uncharge() to undo the charge
 * @bytes: buffer bytes
 * @chans: 1 for a channel fd (counted against max_user_chans), 0 for
 *	memory a call holds while it waits (a select's send values)
 *
 * Context: process; sleeps.
 * Return: 0, or -EMFILE, -ENOBUFS (the limits above) or -ENOMEM; nothing
 * is charged on error.
 */
int kgo_user_charge(struct kgo_user_charge *ch, unsigned long bytes,
		    unsigned int chans)
{
	bool privileged = capable(CAP_SYS_RESOURCE) || capable(CAP_SYS_ADMIN);
	struct kgo_user *users[KGO_USER_CHAIN_MAX];
	unsigned int i, n = 0;
	int ret = 0;

	kgo_user_chain(ch);
	ch->bytes = bytes;
	ch->chans = chans;
	mutex_lock(&kgo_users_lock);
	for (; n < ch->nuids && !ret; n++) {
		users[n] = kgo_user_find(ch->uids[n]);
		ret = users[n] ? kgo_user_check(users[n], bytes, chans,
						privileged) : -ENOMEM;
		if (!users[n])
			break;
	}
	for (i = 0; i < n; i++) {
		if (!ret) {
			users[i]->chans += chans;
			users[i]->bytes += bytes;
		}
		kgo_user_free_if_idle(users[i]);
	}
	mutex_unlock(&kgo_users_lock);
	if (ret)
		ch->nuids = 0;
	return ret;
}

/**
 * kgo_user_uncharge() - undo kgo_user_charge()
 * @ch: what it filled in (zeroed or failed: nothing to undo)
 *
 * Context: process; sleeps.
 */
void kgo_user_uncharge(struct kgo_user_charge *ch)
{
	struct kgo_user *u;
	unsigned int i;

	if (!ch->nuids)
		return;
	mutex_lock(&kgo_users_lock);
	for (i = 0; i < ch->nuids; i++) {
		hash_for_each_possible(kgo_users, u, node,
				       __kuid_val(ch->uids[i])) {
			if (!uid_eq(u->uid, ch->uids[i]))
				continue;
			if (!WARN_ON_ONCE(u->chans < ch->chans ||
					  u->bytes < ch->bytes)) {
				u->chans -= ch->chans;
				u->bytes -= ch->bytes;
			}
			kgo_user_free_if_idle(u);
			break;
		}
	}
	mutex_unlock(&kgo_users_lock);
}
