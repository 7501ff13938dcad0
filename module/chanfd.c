// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Channel file descriptors: a channel (or a timer's channel) behind an
 * anonymous inode, so that processes use channels through ioctl(2),
 * read(2)/write(2) and poll/epoll, and pass them on by fork() and
 * SCM_RIGHTS. The file holds one reference to the channel; kernel users
 * may hold more.
 *
 * Values never cross the user boundary inside a channel lock: a send
 * copies the value in first, a receive pins the destination's pages first
 * (a bad buffer then fails with -EFAULT before anything is taken) and
 * copies into them after, so a value is delivered exactly once or stays in
 * the channel, whatever the buffer or a signal does.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kgo/chan.h>

#include "chan.h"
#include "chanfd.h"
#include "dev.h"

static unsigned int kgo_max_user_chans = 4096;
module_param_named(max_user_chans, kgo_max_user_chans, uint, 0644);
MODULE_PARM_DESC(max_user_chans, "Most channel and timer fds one user may have open");

/* --- per-user channel count --- */

/**
 * struct kgo_user - live channel fds of one user
 * @node: in kgo_users, under kgo_users_lock
 * @uid: the user
 * @chans: channel and timer files open
 */
struct kgo_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int chans;
};

static DEFINE_SPINLOCK(kgo_users_lock);
static DEFINE_HASHTABLE(kgo_users, 6);

static struct kgo_user *kgo_user_find_locked(kuid_t uid)
{
	struct kgo_user *u;

	hash_for_each_possible(kgo_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* Count one more channel for @uid; -EMFILE past the limit. */
static int kgo_user_charge(kuid_t uid)
{
	struct kgo_user *u, *fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	int ret = 0;

	spin_lock(&kgo_users_lock);
	u = kgo_user_find_locked(uid);
	if (!u && fresh) {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		hash_add(kgo_users, &u->node, __kuid_val(uid));
	}
	if (!u)
		ret = -ENOMEM;
	else if (u->chans >= READ_ONCE(kgo_max_user_chans))
		ret = -EMFILE;
	else
		u->chans++;
	if (u && !u->chans) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&kgo_users_lock);
	kfree(fresh);
	return ret;
}

static void kgo_user_uncharge(kuid_t uid)
{
	struct kgo_user *u;

	spin_lock(&kgo_users_lock);
	u = kgo_user_find_locked(uid);
	if (!WARN_ON_ONCE(!u || !u->chans) && !--u->chans) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&kgo_users_lock);
}

/**
 * struct kgo_chanfd - what a channel file's private_data points to
 * @chan: the channel (one reference)
 * @uid: the user charged for it
 */
struct kgo_chanfd {
	struct kgo_chan *chan;
	kuid_t uid;
};

static const struct file_operations kgo_chanfd_fops;

/**
 * kgo_chanfd_get() - the channel behind a file descriptor
 * @fd: a descriptor
 * @filep: set to the file, to be fput() by the caller once done
 *
 * Context: process.
 * Return: the channel, valid while the file is held; ERR_PTR(-EBADF) when
 * @fd is not open or not a kgo channel.
 */
struct kgo_chan *kgo_chanfd_get(int fd, struct file **filep)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &kgo_chanfd_fops) {
		fput(file);
		return ERR_PTR(-EBADF);
	}
	*filep = file;
	return ((struct kgo_chanfd *)file->private_data)->chan;
}

static struct kgo_chan *kgo_file_chan(struct file *file)
{
	return ((struct kgo_chanfd *)file->private_data)->chan;
}

/* --- user buffers --- */

/**
 * kgo_upin_begin() - pin the user pages a received value will go to
 * @pin: filled in
 * @uaddr: the user address; 0 with @len 0 pins nothing
 * @len: bytes
 *
 * Context: process; may sleep (faults pages in).
 * Return: 0 or -EFAULT (nothing pinned).
 */
int kgo_upin_begin(struct kgo_upin *pin, u64 uaddr, u32 len)
{
	unsigned long start = (unsigned long)uaddr;
	int ret;

	pin->npages = 0;
	pin->len = len;
	if (!len)
		return 0;
	if (uaddr != start || !access_ok((void __user *)start, len))
		return -EFAULT;
	pin->offset = offset_in_page(start);
	pin->npages = DIV_ROUND_UP(pin->offset + len, PAGE_SIZE);
	if (pin->npages > KGO_UPIN_MAX_PAGES) {
		pin->npages = 0;
		return -EFAULT;
	}
	ret = pin_user_pages_fast(start & PAGE_MASK, pin->npages, FOLL_WRITE,
				  pin->pages);
	if (ret == pin->npages)
		return 0;
	if (ret > 0)
		unpin_user_pages(pin->pages, ret);
	pin->npages = 0;
	return -EFAULT;
}

/**
 * kgo_upin_end() - copy @src into the pinned pages (if @src) and unpin
 * @pin: from kgo_upin_begin()
 * @src: @pin->len bytes, or NULL to unpin only
 */
void kgo_upin_end(struct kgo_upin *pin, const void *src)
{
	u32 done = 0, off = pin->offset, i;

	if (!pin->npages)
		return;
	for (i = 0; src && i < pin->npages && done < pin->len; i++) {
		u32 n = min_t(u32, PAGE_SIZE - off, pin->len - done);
		void *dst = kmap_local_page(pin->pages[i]);

		memcpy(dst + off, src + done, n);
		kunmap_local(dst);
		done += n;
		off = 0;
	}
	unpin_user_pages_dirty_lock(pin->pages, pin->npages, !!src);
	pin->npages = 0;
}

/* A bounce buffer for one element: on the stack when small. */
struct kgo_bounce {
	void *buf;
	u64 inline_buf[8];
};

static void *kgo_bounce_get(struct kgo_bounce *b, u32 size)
{
	b->buf = size <= sizeof(b->inline_buf) ? b->inline_buf :
		 kvmalloc(size, GFP_KERNEL_ACCOUNT);
	return b->buf;
}

static void kgo_bounce_put(struct kgo_bounce *b)
{
	if (b->buf != b->inline_buf)
		kvfree(b->buf);
}

static s64 kgo_op_timeout(struct file *file, u32 flags, s64 timeout_ns)
{
	if ((flags & KGO_OP_NONBLOCK) || (file->f_flags & O_NONBLOCK))
		return KGO_NOWAIT;
	return timeout_ns < 0 ? KGO_FOREVER : timeout_ns;
}

/* Send one element from user memory. */
static int kgo_chanfd_send_user(struct file *file, u64 uelem, s64 timeout)
{
	struct kgo_chan *c = kgo_file_chan(file);
	u32 size = kgo_chan_elem_size(c);
	struct kgo_bounce b;
	void *val;
	int ret;

	val = kgo_bounce_get(&b, size);
	if (!val)
		return -ENOMEM;
	ret = -EFAULT;
	if (!copy_from_user(val, u64_to_user_ptr(uelem), size))
		ret = kgo_chan_send_timeout(c, val, timeout);
	kgo_bounce_put(&b);
	return ret;
}

/*
 * Largest element the buffered fast path copies to user memory with the
 * channel lock held; bigger ones pin the destination first.
 */
#define KGO_FAST_RECV_MAX	256

/*
 * The streaming fast path: a value waiting in @c's buffer goes straight
 * to user memory, without pinning it, as futexes touch user memory under
 * their hash bucket lock. The copy runs with page faults disabled under
 * the channel lock, and the receive is committed only once it succeeded:
 * when the page is not present, nothing is taken and the caller falls
 * back to pinning. A non-blocking receive that would block fails here,
 * with no pin at all (a poll loop's last read, every time).
 * Return: 1 when received, -EAGAIN, or 0 when the caller must do it.
 */
static int kgo_chanfd_recv_fast(struct kgo_chan *c, u64 uelem, u32 size,
				s64 timeout, bool *ok)
{
	void __user *dst = u64_to_user_ptr(uelem);
	struct kgo_sudog *wakeq = NULL;
	const void *head;
	int ret = 0;

	/* Unbuffered, blocking: a peer's value can only come by hand-off. */
	if ((!c->dataqsiz && timeout != KGO_NOWAIT) || c->timer ||
	    size > KGO_FAST_RECV_MAX || !access_ok(dst, size))
		return 0;
	spin_lock_bh(&c->lock);
	head = kgo_chan_buffer_head_locked(c);
	if (head) {
		unsigned long left;

		pagefault_disable();
		left = __copy_to_user_inatomic(dst, head, size);
		pagefault_enable();
		if (!left)
			ret = kgo_chan_recv_locked(c, NULL, ok, &wakeq);
	} else if (timeout == KGO_NOWAIT &&
		   kgo_chan_recv_would_block_locked(c)) {
		ret = -EAGAIN;
	}
	spin_unlock_bh(&c->lock);
	kgo_wakeq_flush(wakeq);
	return ret;
}

/*
 * A receive that may block: the destination is pinned first, so that a
 * value once taken can always be delivered. Apart from the fast path
 * because the kernel zeroes the pin's page array and the bounce buffer
 * (INIT_STACK_ALL_ZERO) wherever they are declared.
 */
static noinline int kgo_chanfd_recv_pinned(struct kgo_chan *c, u64 uelem,
					   u32 size, s64 timeout, bool *ok)
{
	struct kgo_upin pin;
	struct kgo_bounce b;
	void *val;
	int ret;

	val = kgo_bounce_get(&b, size);
	if (!val)
		return -ENOMEM;
	ret = kgo_upin_begin(&pin, uelem, size);
	if (!ret)
		ret = kgo_chan_recv_timeout(c, size ? val : NULL, ok, timeout);
	kgo_upin_end(&pin, ret ? NULL : val);
	kgo_bounce_put(&b);
	return ret;
}

/* Receive one element into user memory (0: drop it); *ok as Go's. */
static int kgo_chanfd_recv_user(struct file *file, u64 uelem, s64 timeout,
				bool *ok)
{
	struct kgo_chan *c = kgo_file_chan(file);
	u32 size = uelem ? kgo_chan_elem_size(c) : 0;
	int ret = 0;

	if (size)
		ret = kgo_chanfd_recv_fast(c, uelem, size, timeout, ok);
	if (ret)
		return ret < 0 ? ret : 0;
	return kgo_chanfd_recv_pinned(c, uelem, size, timeout, ok);
}

/* --- ioctls on a channel fd --- */

static long kgo_chanfd_op(struct file *file, void __user *arg, bool send)
{
	struct kgo_chan_op __user *uop = arg;
	struct kgo_chan_op op;
	bool ok = false;
	s64 timeout;
	int ret;

	ret = kgo_copy_struct_in(&op, sizeof(op), arg, KGO_CHAN_OP_SIZE_VER0);
	if (ret)
		return ret;
	if ((op.flags & ~KGO_OP_NONBLOCK) || op.reserved)
		return -EINVAL;
	timeout = kgo_op_timeout(file, op.flags, op.timeout_ns);
	if (send)
		return kgo_chanfd_send_user(file, op.elem, timeout);
	/* Probe the result field first: a value once taken must be reported. */
	if (put_user(0, &uop->ok))
		return -EFAULT;
	ret = kgo_chanfd_recv_user(file, op.elem, timeout, &ok);
	if (ret)
		return ret;
	return put_user(ok ? 1 : 0, &uop->ok);
}

static long kgo_chanfd_ioctl_send(struct file *file, void __user *arg)
{
	return kgo_chanfd_op(file, arg, true);
}

static long kgo_chanfd_ioctl_recv(struct file *file, void __user *arg)
{
	return kgo_chanfd_op(file, arg, false);
}

static long kgo_chanfd_ioctl_close(struct file *file, void __user *arg)
{
	return kgo_chan_close(kgo_file_chan(file));
}

static long kgo_chanfd_ioctl_info(struct file *file, void __user *arg)
{
	struct kgo_chan *c = kgo_file_chan(file);
	struct kgo_chan_info info;
	int ret;

	ret = kgo_copy_struct_in(&info, sizeof(info), arg,
				 KGO_CHAN_INFO_SIZE_VER0);
	if (ret)
		return ret;
	if (info.flags || info.reserved)
		return -EINVAL;
	info.elem_size = c->elemsize;
	info.cap = c->dataqsiz;
	info.len = kgo_chan_len(c);
	info.closed = READ_ONCE(c->closed);
	info.is_timer = !!c->timer;
	return kgo_copy_struct_out(arg, &info, sizeof(info));
}

static long kgo_chanfd_ioctl_timer_stop(struct file *file, void __user *arg)
{
	return kgo_timer_stop(kgo_file_chan(file));
}

static long kgo_chanfd_ioctl_timer_reset(struct file *file, void __user *arg)
{
	struct kgo_timer_reset r;
	int ret;

	ret = kgo_copy_struct_in(&r, sizeof(r), arg, KGO_TIMER_RESET_SIZE_VER0);
	if (ret)
		return ret;
	if (r.flags)
		return -EINVAL;
	return kgo_timer_reset(kgo_file_chan(file), r.ns);
}

static const struct kgo_ioctl_def kgo_chanfd_ioctl_defs[] = {
	KGO_IOCTL(KGO_IOC_SELECT, kgo_ioctl_select),
	KGO_IOCTL(KGO_IOC_CHAN_SEND, kgo_chanfd_ioctl_send),
	KGO_IOCTL(KGO_IOC_CHAN_RECV, kgo_chanfd_ioctl_recv),
	KGO_IOCTL(KGO_IOC_CHAN_CLOSE, kgo_chanfd_ioctl_close),
	KGO_IOCTL(KGO_IOC_CHAN_INFO, kgo_chanfd_ioctl_info),
	KGO_IOCTL(KGO_IOC_TIMER_STOP, kgo_chanfd_ioctl_timer_stop),
	KGO_IOCTL(KGO_IOC_TIMER_RESET, kgo_chanfd_ioctl_timer_reset),
};

static long kgo_chanfd_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	return kgo_ioctl_dispatch(kgo_chanfd_ioctl_defs,
				  ARRAY_SIZE(kgo_chanfd_ioctl_defs), file, cmd,
				  arg);
}

/* --- read(2), write(2), poll(2) --- */

/*
 * Between the elements of one read(2) or write(2), which may be a
 * gigabyte long: the rest move without waiting, a fatal signal ends the
 * call, and the CPU is offered to others on a kernel without preemption.
 */
static bool kgo_chanfd_io_next(s64 *timeout)
{
	*timeout = KGO_NOWAIT;
	cond_resched();
	return !fatal_signal_pending(current);
}

/*
 * Whole elements only. The first one may block (unless O_NONBLOCK); the
 * rest are taken while they come without blocking, as a pipe does.
 */
static ssize_t kgo_chanfd_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	u32 size = kgo_chan_elem_size(kgo_file_chan(file));
	s64 timeout = kgo_op_timeout(file, 0, KGO_FOREVER);
	size_t done = 0;
	bool ok;
	int ret;

	if (!size || count < size || count % size)
		return -EINVAL;
	while (done < count) {
		ret = kgo_chanfd_recv_user(file, (u64)(uintptr_t)(buf + done),
					   timeout, &ok);
		if (ret || !ok)
			break;
		done += size;
		if (!kgo_chanfd_io_next(&timeout))
			break;
	}
	if (done)
		return done;
	/* Closed and drained: end of file. */
	return ret ? ret : 0;
}

static ssize_t kgo_chanfd_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	u32 size = kgo_chan_elem_size(kgo_file_chan(file));
	s64 timeout = kgo_op_timeout(file, 0, KGO_FOREVER);
	size_t done = 0;
	int ret = 0;

	if (!size || count < size || count % size)
		return -EINVAL;
	while (done < count) {
		ret = kgo_chanfd_send_user(file, (u64)(uintptr_t)(buf + done),
					   timeout);
		if (ret)
			break;
		done += size;
		if (!kgo_chanfd_io_next(&timeout))
			break;
	}
	return done ? done : ret;
}

static __poll_t kgo_chanfd_poll(struct file *file, poll_table *wait)
{
	struct kgo_chan *c = kgo_file_chan(file);

	/* Before poll_wait(): see kgo_chan_poll_wake_locked(). */
	if (!READ_ONCE(c->pollers))
		WRITE_ONCE(c->pollers, true);
	poll_wait(file, &c->poll_wq, wait);
	return kgo_chan_poll_mask(c);
}

static int kgo_chanfd_release(struct inode *inode, struct file *file)
{
	struct kgo_chanfd *cf = file->private_data;

	kgo_chan_put(cf->chan);
	kgo_user_uncharge(cf->uid);
	kfree(cf);
	return 0;
}

static const struct file_operations kgo_chanfd_fops = {
	.owner		= THIS_MODULE,
	.read		= kgo_chanfd_read,
	.write		= kgo_chanfd_write,
	.poll		= kgo_chanfd_poll,
	.unlocked_ioctl	= kgo_chanfd_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= kgo_chanfd_release,
	.llseek		= noop_llseek,
};

/**
 * kgo_chanfd_install() - give @c a file descriptor
 * @c: a new channel; its reference passes to the file (or is dropped)
 * @flags: %KGO_FD_CLOEXEC, %KGO_FD_NONBLOCK
 *
 * Charges the calling user's channel count.
 *
 * Context: process.
 * Return: the fd, or -EMFILE, -ENFILE, -ENOMEM.
 */
int kgo_chanfd_install(struct kgo_chan *c, u32 flags)
{
	int oflags = O_RDWR | ((flags & KGO_FD_CLOEXEC) ? O_CLOEXEC : 0) |
		     ((flags & KGO_FD_NONBLOCK) ? O_NONBLOCK : 0);
	struct kgo_chanfd *cf;
	struct file *file;
	int fd, ret;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL_ACCOUNT);
	if (!cf) {
		ret = -ENOMEM;
		goto err_put;
	}
	cf->chan = c;
	cf->uid = current_uid();
	ret = kgo_user_charge(cf->uid);
	if (ret)
		goto err_free;
	fd = get_unused_fd_flags(oflags & O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_uncharge;
	}
	file = anon_inode_getfile(c->timer ? "[kgo_timer]" : "[kgo_chan]",
				  &kgo_chanfd_fops, cf, oflags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto err_uncharge;
	}
	fd_install(fd, file);
	return fd;

err_uncharge:
	kgo_user_uncharge(cf->uid);
err_free:
	kfree(cf);
err_put:
	kgo_chan_put(c);
	return ret;
}
