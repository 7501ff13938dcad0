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
 * Values never cross the user boundary inside a channel lock, and a value
 * taken is always delivered, with its result:
 *  - a send copies the value in first;
 *  - a receive of a buffered value copies it, and the ``ok`` result, to
 *    user memory with page faults disabled under the channel lock, and
 *    commits the receive only if both copies succeeded; a partly written
 *    value is cleared again, so that nobody can peek at a value they did
 *    not take;
 *  - any other receive pins the destination and the result field first
 *    (FOLL_LONGTERM, counted in VmPin against RLIMIT_MEMLOCK), and the
 *    value and result go straight into the pinned pages: once the pin
 *    succeeded, nothing the process does to its mappings can make the
 *    delivery fail.
 * So -EFAULT always means that nothing moved: the value stays for the next
 * receiver, as with a pipe.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/vmalloc.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kgo/chan.h>

#include "chan.h"
#include "chanfd.h"
#include "dev.h"
#include "user.h"

/**
 * struct kgo_chanfd - what a channel file's private_data points to
 * @chan: I: the channel (one reference)
 * @charge: I: what the users who made it are charged (user.c)
 * @creator: I: the process (thread group) that made it, for fdinfo
 *
 * Tags: sched.h's legend; set before the fd is installed.
 */
struct kgo_chanfd {
	struct kgo_chan *chan;
	struct kgo_user_charge charge;
	struct pid *creator;
};

/* Free @cf and what it holds besides the channel. */
static void kgo_chanfd_free(struct kgo_chanfd *cf)
{
	kgo_user_uncharge(&cf->charge);
	put_pid(cf->creator);
	kfree(cf);
}

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

/*
 * Pins are accounted as RDMA's and io_uring's are: in mm->pinned_vm (VmPin
 * in /proc/PID/status), against RLIMIT_MEMLOCK unless CAP_IPC_LOCK.
 */
static int kgo_upin_account(struct mm_struct *mm, u32 npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_add_return(npages, &mm->pinned_vm);

	if (pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(npages, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

/**
 * kgo_upin_begin() - pin user memory a receive will write, and map it
 * @pin: filled in
 * @uaddr: the user address; 0 with @len 0 pins nothing
 * @len: bytes, at most %KGO_ELEM_SIZE_MAX
 *
 * The pages are pinned for writing with FOLL_LONGTERM (they may stay
 * pinned for a whole wait, so they are first moved out of movable zones
 * and CMA) and mapped contiguously into the kernel at kgo_upin_addr():
 * a channel's peer writes the value straight there, under its channel
 * lock, from any context.
 *
 * Context: process; may sleep (faults pages in, maps them).
 * Return: 0, -EFAULT (a bad address, or memory that cannot be pinned
 * long-term, such as a shared file mapping) or -ENOMEM (past
 * RLIMIT_MEMLOCK); nothing is pinned on error.
 */
int kgo_upin_begin(struct kgo_upin *pin, u64 uaddr, u32 len)
{
	unsigned long start = (unsigned long)uaddr;
	void *base;
	int ret;

	pin->npages = 0;
	pin->len = len;
	pin->kaddr = NULL;
	if (!len)
		return 0;
	if (uaddr != start || !access_ok((void __user *)start, len) ||
	    !current->mm)
		return -EFAULT;
	pin->offset = offset_in_page(start);
	pin->npages = DIV_ROUND_UP(pin->offset + len, PAGE_SIZE);
	if (pin->npages > KGO_UPIN_MAX_PAGES) {
		pin->npages = 0;
		return -EFAULT;
	}
	pin->mm = current->mm;
	ret = kgo_upin_account(pin->mm, pin->npages);
	if (ret) {
		pin->npages = 0;
		return ret;
	}
	ret = pin_user_pages_fast(start & PAGE_MASK, pin->npages,
				  FOLL_WRITE | FOLL_LONGTERM, pin->pages);
	if (ret != pin->npages)
		goto err_unpin;
	/* One lowmem page needs no mapping of its own. */
	if (pin->npages == 1 && !PageHighMem(pin->pages[0]))
		base = page_address(pin->pages[0]);
	else
		base = vm_map_ram(pin->pages, pin->npages, NUMA_NO_NODE);
	if (base) {
		pin->kaddr = base + pin->offset;
		return 0;
	}
	ret = -ENOMEM;
err_unpin:
	if (ret > 0)
		unpin_user_pages(pin->pages, ret);
	atomic64_sub(pin->npages, &pin->mm->pinned_vm);
	pin->npages = 0;
	return ret < 0 ? ret : -EFAULT;
}

/**
 * kgo_upin_end() - unmap and unpin what kgo_upin_begin() pinned
 * @pin: from kgo_upin_begin(), successful or not
 * @dirty: whether anything was written through kgo_upin_addr()
 *
 * Context: process; may sleep.
 */
void kgo_upin_end(struct kgo_upin *pin, bool dirty)
{
	if (!pin->npages)
		return;
	if (pin->kaddr - pin->offset != page_address(pin->pages[0]))
		vm_unmap_ram(pin->kaddr - pin->offset, pin->npages);
	unpin_user_pages_dirty_lock(pin->pages, pin->npages, dirty);
	atomic64_sub(pin->npages, &pin->mm->pinned_vm);
	pin->npages = 0;
	pin->kaddr = NULL;
}

/*
 * A bounce buffer for one element: on the stack when small. K (sched.h):
 * the sending thread's; the channel reads it under its lock while the
 * send runs.
 */
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
 * Write a buffered value and its ok result (1; @uok may be NULL) to user
 * memory with page faults disabled: true if both landed. Otherwise the
 * bytes that did land are cleared again, so that a receiver cannot peek
 * at a value it did not take.
 */
static bool kgo_chanfd_put_inatomic(void __user *dst, const void *src,
				    u32 size, u32 __user *uok)
{
	bool landed;

	pagefault_disable();
	landed = !__copy_to_user_inatomic(dst, src, size) &&
		 (!uok || !put_user(1, uok));
	/*
	 * A copy stops at its first fault, so what landed is a prefix; the
	 * clear stops at the same fault.
	 */
	if (!landed)
		clear_user(dst, size);
	pagefault_enable();
	return landed;
}

/*
 * The streaming fast path: a value waiting in @c's buffer goes straight
 * to user memory, without pinning it, as futexes touch user memory under
 * their hash bucket lock; the receive is committed only once the value
 * and its result landed (kgo_chanfd_put_inatomic()). When a page is not
 * present, nothing is taken and the caller falls back to pinning. A
 * non-blocking receive that would block fails here, without looking at
 * its buffer (a poll loop's last read, every time): -EAGAIN, as a pipe.
 * Return: 1 when received, -EAGAIN, or 0 when the caller must do it.
 */
static int kgo_chanfd_recv_fast(struct kgo_chan *c, u64 uelem, u32 size,
				u32 __user *uok, s64 timeout, bool *ok)
{
	void __user *dst = u64_to_user_ptr(uelem);
	bool copy = size && size <= KGO_FAST_RECV_MAX && !c->timer &&
		    access_ok(dst, size);
	struct kgo_sudog *wakeq = NULL;
	const void *head;
	int ret = 0;

	/* Unbuffered or uncopyable, blocking: nothing to do here. */
	if ((!c->dataqsiz || !copy) && timeout != KGO_NOWAIT)
		return 0;
	spin_lock_bh(&c->lock);
	head = copy ? kgo_chan_buffer_head_locked(c) : NULL;
	if (head) {
		if (kgo_chanfd_put_inatomic(dst, head, size, uok))
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
 * Any other receive: the destination and the result field are pinned
 * first and written through the pins, so that a value once taken is
 * always delivered with its result. Apart from the fast path because the
 * kernel zeroes the pins' page arrays (INIT_STACK_ALL_ZERO) wherever they
 * are declared.
 */
static noinline int kgo_chanfd_recv_pinned(struct kgo_chan *c, u64 uelem,
					   u32 size, u32 __user *uok,
					   s64 timeout, bool *ok)
{
	struct kgo_upin pin, okpin;
	int ret;

	ret = kgo_upin_begin(&pin, uelem, size);
	if (ret)
		return ret;
	ret = kgo_upin_begin(&okpin, (u64)(uintptr_t)uok, uok ? sizeof(*uok) : 0);
	if (!ret)
		ret = kgo_chan_recv_timeout(c, pin.kaddr, ok, timeout);
	if (!ret && uok) {
		u32 okval = *ok ? 1 : 0;

		/* memcpy(): the user's struct need not be aligned. */
		memcpy(okpin.kaddr, &okval, sizeof(okval));
	}
	kgo_upin_end(&okpin, !ret);
	kgo_upin_end(&pin, !ret);
	return ret;
}

/*
 * Receive one element into user memory (@uelem 0: drop it); *@ok as Go's,
 * also written to *@uok when not NULL, only when the receive succeeded.
 */
static int kgo_chanfd_recv_user(struct file *file, u64 uelem,
				u32 __user *uok, s64 timeout, bool *ok)
{
	struct kgo_chan *c = kgo_file_chan(file);
	u32 size = uelem ? kgo_chan_elem_size(c) : 0;
	int ret;

	ret = kgo_chanfd_recv_fast(c, uelem, size, uok, timeout, ok);
	if (ret)
		return ret < 0 ? ret : 0;
	return kgo_chanfd_recv_pinned(c, uelem, size, uok, timeout, ok);
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
	/*
	 * What is written back besides the result: the size the kernel
	 * understood, and ok 0 until a receive says otherwise. Before
	 * anything moves, so that a failure here takes nothing.
	 */
	if (put_user(op.size, &uop->size) || put_user(0, &uop->ok))
		return -EFAULT;
	return kgo_chanfd_recv_user(file, op.elem, &uop->ok, timeout, &ok);
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
					   NULL, timeout, &ok);
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
	kgo_chanfd_free(cf);
	return 0;
}

/*
 * /proc/PID/fdinfo/N, as eventfd and timerfd have it: one "key:\tvalue"
 * line each. The creator's pid is as the reader's pid namespace sees it
 * (0 if it is not visible there).
 */
static void kgo_chanfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kgo_chanfd *cf = file->private_data;
	struct kgo_chan *c = cf->chan;
	struct kgo_chan_state st;

	kgo_chan_snapshot(c, &st);
	seq_printf(m, "kgo-chan-id:\t%llu\n", c->id);
	seq_printf(m, "kgo-elem-size:\t%u\n", c->elemsize);
	seq_printf(m, "kgo-cap:\t%u\n", c->dataqsiz);
	seq_printf(m, "kgo-len:\t%u\n", st.len);
	seq_printf(m, "kgo-closed:\t%d\n", st.closed);
	seq_printf(m, "kgo-senders:\t%u\n", st.senders);
	seq_printf(m, "kgo-receivers:\t%u\n", st.receivers);
	seq_printf(m, "kgo-creator-pid:\t%d\n", pid_vnr(cf->creator));
	seq_printf(m, "kgo-timer:\t%d\n", !!c->timer);
	if (c->timer) {
		seq_printf(m, "kgo-timer-armed:\t%d\n", kgo_timer_armed(c));
		seq_printf(m, "kgo-timer-period-ns:\t%llu\n",
			   kgo_timer_period(c));
	}
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
	.show_fdinfo	= kgo_chanfd_show_fdinfo,
};

/**
 * kgo_chanfd_prepare() - charge the calling user for a channel fd to come
 * @bytes: the buffer bytes of the channel that kgo_chanfd_install() will
 *	get, as kgo_chan_buf_bytes() counts them
 *
 * Before the channel is made, so that a user past a limit cannot even
 * make the kernel allocate it for a moment.
 *
 * Context: process; sleeps.
 * Return: what to pass to kgo_chanfd_install(), or ERR_PTR(-EMFILE,
 * -ENOBUFS or -ENOMEM): see user.c for the limits.
 */
struct kgo_chanfd *kgo_chanfd_prepare(size_t bytes)
{
	struct kgo_chanfd *cf = kzalloc(sizeof(*cf), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!cf)
		return ERR_PTR(-ENOMEM);
	ret = kgo_user_charge(&cf->charge, bytes, 1);
	if (ret) {
		kfree(cf);
		return ERR_PTR(ret);
	}
	cf->creator = get_pid(task_tgid(current));
	return cf;
}

/**
 * kgo_chanfd_install() - give @c a file descriptor
 * @cf: from kgo_chanfd_prepare(); consumed
 * @c: a new channel, or the error making it returned; its reference
 *	passes to the file (or is dropped)
 * @flags: %KGO_FD_CLOEXEC, %KGO_FD_NONBLOCK
 *
 * Context: process.
 * Return: the fd, or PTR_ERR(@c), -EMFILE, -ENFILE, -ENOMEM.
 */
int kgo_chanfd_install(struct kgo_chanfd *cf, struct kgo_chan *c, u32 flags)
{
	int oflags = O_RDWR | ((flags & KGO_FD_CLOEXEC) ? O_CLOEXEC : 0) |
		     ((flags & KGO_FD_NONBLOCK) ? O_NONBLOCK : 0);
	struct file *file;
	int fd, ret;

	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto err_uncharge;
	}
	cf->chan = c;
	fd = get_unused_fd_flags(oflags & O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_put;
	}
	file = anon_inode_getfile(c->timer ? "[kgo_timer]" : "[kgo_chan]",
				  &kgo_chanfd_fops, cf, oflags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto err_put;
	}
	fd_install(fd, file);
	return fd;

err_put:
	kgo_chan_put(c);
err_uncharge:
	kgo_chanfd_free(cf);
	return ret;
}
