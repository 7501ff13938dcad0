/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * kgo userspace ABI: the ioctls of /dev/kgo and the structs they carry.
 *
 * Every struct here has fixed-size fields, no implicit padding and a size
 * that is a multiple of 8, so 32-bit and 64-bit callers share one layout.
 * Pointers, when a struct needs one, travel as 64-bit integers.
 *
 * Extensible structs (those whose first member is a 32-bit size) follow the
 * rules of openat2(2) and clone3(2):
 *
 *  - the caller sets size to sizeof() the struct as its header defines it;
 *    the kernel reads size before anything else;
 *  - size below the first published size (KGO_*_SIZE_VER0): EINVAL;
 *  - size below the kernel's own size (an older caller): the missing
 *    trailing fields count as zero;
 *  - size above the kernel's own size (a newer caller): accepted only if
 *    every byte the kernel does not know is zero, else E2BIG;
 *  - size above 4096: E2BIG;
 *  - unknown flags bits, or a non-zero reserved field: EINVAL;
 *  - on success the kernel writes back min(size, its own size) bytes, with
 *    size set to that number, so the caller learns how much was filled in.
 *
 * New fields are only ever appended, and each new layout gets a new
 * KGO_*_SIZE_VERn. The argument size encoded in an ioctl number is not
 * checked: size is authoritative, so binaries built against an older or a
 * newer header keep working.
 */
#ifndef _UAPI_KGO_KGO_H
#define _UAPI_KGO_KGO_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* The character device is /dev/KGO_DEVICE_NAME. */
#define KGO_DEVICE_NAME		"kgo"

/*
 * Incompatible changes bump the major number and reset the minor; the minor
 * counts compatible additions (new ioctls, new trailing struct fields).
 */
#define KGO_ABI_VERSION_MAJOR	1
#define KGO_ABI_VERSION_MINOR	1

/*
 * 'J' has no entry in Documentation/userspace-api/ioctl/ioctl-number.rst as
 * of Linux 6.12, and no in-tree _IO*('J', ...) user.
 */
#define KGO_IOC_MAGIC		'J'

/* Length of &struct kgo_version_info.release, terminating NUL included. */
#define KGO_RELEASE_LEN		64

/**
 * struct kgo_version_info - argument of %KGO_IOC_VERSION
 * @size: in: sizeof(struct kgo_version_info) as the caller knows it;
 *	out: number of bytes the kernel wrote
 * @abi_major: out: %KGO_ABI_VERSION_MAJOR of the loaded module
 * @abi_minor: out: %KGO_ABI_VERSION_MINOR of the loaded module
 * @flags: in: must be 0 (no flags are defined yet)
 * @nprocs: out: the number of Ps, Go's GOMAXPROCS: a P per CPU online
 *	when kgo loaded, or fewer with the ``nprocs`` module parameter
 * @reserved: must be 0
 * @release: out: the module's release string, NUL-terminated
 *
 * Input values of "out" fields are ignored.
 */
struct kgo_version_info {
	__u32 size;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 flags;
	__u32 nprocs;
	__u32 reserved;
	char release[KGO_RELEASE_LEN];
};

/* First published size of struct kgo_version_info (ABI 1.0). */
#define KGO_VERSION_INFO_SIZE_VER0	88

/*
 * KGO_IOC_VERSION - report the module's ABI version, release and number of Ps.
 * Errors: EFAULT, EINVAL, E2BIG, as described at the top of this file.
 */
#define KGO_IOC_VERSION		_IOWR(KGO_IOC_MAGIC, 0x00, struct kgo_version_info)

/* --- channels (ABI 1.1) --- */

/*
 * Flags of %KGO_IOC_CHAN_CREATE and %KGO_IOC_TIMER_CREATE: the new file
 * descriptor's O_CLOEXEC and O_NONBLOCK (O_NONBLOCK makes every blocking
 * operation on it behave as with %KGO_OP_NONBLOCK).
 */
#define KGO_FD_CLOEXEC		(1U << 0)
#define KGO_FD_NONBLOCK		(1U << 1)

/**
 * struct kgo_chan_create - argument of %KGO_IOC_CHAN_CREATE
 * @size: sizeof(struct kgo_chan_create), see the top of this file
 * @flags: %KGO_FD_CLOEXEC, %KGO_FD_NONBLOCK
 * @elem_size: bytes per element; 0 allowed
 * @cap: capacity; 0 for an unbuffered channel
 * @reserved: must be 0
 */
struct kgo_chan_create {
	__u32 size;
	__u32 flags;
	__u32 elem_size;
	__u32 cap;
	__u64 reserved;
};

#define KGO_CHAN_CREATE_SIZE_VER0	24

/*
 * KGO_IOC_CHAN_CREATE - on /dev/kgo: create a channel; returns a new file
 * descriptor for it. Errors: EINVAL (bad flags, sizes over the module's
 * limits), EMFILE (the per-user channel limit or the fd table), ENOBUFS
 * (the per-user buffer budget), ENOMEM.
 */
#define KGO_IOC_CHAN_CREATE	_IOW(KGO_IOC_MAGIC, 0x01, struct kgo_chan_create)

/**
 * struct kgo_timer_create - argument of %KGO_IOC_TIMER_CREATE
 * @size: sizeof(struct kgo_timer_create)
 * @flags: %KGO_FD_CLOEXEC, %KGO_FD_NONBLOCK
 * @after_ns: first expiry, in nanoseconds from now
 * @period_ns: 0 for a one-shot timer, else a ticker's period
 * @reserved: must be 0
 *
 * The descriptor is a receive-only channel of 8-byte elements: the
 * CLOCK_MONOTONIC time of each expiry, in nanoseconds.
 */
struct kgo_timer_create {
	__u32 size;
	__u32 flags;
	__s64 after_ns;
	__s64 period_ns;
	__u64 reserved;
};

#define KGO_TIMER_CREATE_SIZE_VER0	32

/* KGO_IOC_TIMER_CREATE - on /dev/kgo: a timer channel; returns its fd. */
#define KGO_IOC_TIMER_CREATE	_IOW(KGO_IOC_MAGIC, 0x02, struct kgo_timer_create)

/* Timeouts in nanoseconds: block without limit, or not at all. */
#define KGO_TIMEOUT_FOREVER	(-1LL)
#define KGO_TIMEOUT_NOWAIT	0LL

/* Flags of &struct kgo_chan_op. */
#define KGO_OP_NONBLOCK		(1U << 0)

/**
 * struct kgo_chan_op - argument of %KGO_IOC_CHAN_SEND and %KGO_IOC_CHAN_RECV
 * @size: sizeof(struct kgo_chan_op)
 * @flags: %KGO_OP_NONBLOCK (the same as a zero timeout)
 * @elem: user address of elem_size bytes: the value to send, or where a
 *	received value goes (0 allowed for receive: the value is dropped)
 * @timeout_ns: %KGO_TIMEOUT_FOREVER, %KGO_TIMEOUT_NOWAIT or nanoseconds
 * @ok: out (receive): 1 for a value, 0 when the channel is closed and
 *	drained (the element is then zeroed)
 * @reserved: must be 0
 */
struct kgo_chan_op {
	__u32 size;
	__u32 flags;
	__u64 elem;
	__s64 timeout_ns;
	__u32 ok;
	__u32 reserved;
};

#define KGO_CHAN_OP_SIZE_VER0		32

/*
 * On a channel fd. Errors: EPIPE (send on a closed channel), EAGAIN (would
 * block), ETIMEDOUT, EINTR (a signal; without a timeout the call restarts
 * where SA_RESTART allows), EFAULT (a bad @elem or struct: nothing is sent
 * or taken; a non-blocking receive that would block reports EAGAIN without
 * looking at @elem, as read(2) of an empty pipe does), ENOMEM (also: a
 * receive whose pinned buffer would pass RLIMIT_MEMLOCK), EINVAL (also: a
 * send to a timer, whose channel is receive-only). A receive that took a
 * value always succeeds and reports it: Documentation/uapi.rst.
 */
#define KGO_IOC_CHAN_SEND	_IOW(KGO_IOC_MAGIC, 0x10, struct kgo_chan_op)
#define KGO_IOC_CHAN_RECV	_IOWR(KGO_IOC_MAGIC, 0x11, struct kgo_chan_op)
/* Go's close(ch), not close(2). Errors: EPIPE (closed), EINVAL (a timer). */
#define KGO_IOC_CHAN_CLOSE	_IO(KGO_IOC_MAGIC, 0x12)

/**
 * struct kgo_chan_info - argument of %KGO_IOC_CHAN_INFO
 * @size: sizeof(struct kgo_chan_info)
 * @flags: in: must be 0
 * @elem_size: out: bytes per element
 * @cap: out: capacity
 * @len: out: values buffered
 * @closed: out: 1 if closed
 * @is_timer: out: 1 for a timer channel
 * @reserved: must be 0
 */
struct kgo_chan_info {
	__u32 size;
	__u32 flags;
	__u32 elem_size;
	__u32 cap;
	__u32 len;
	__u32 closed;
	__u32 is_timer;
	__u32 reserved;
};

#define KGO_CHAN_INFO_SIZE_VER0		32

#define KGO_IOC_CHAN_INFO	_IOWR(KGO_IOC_MAGIC, 0x13, struct kgo_chan_info)

/**
 * struct kgo_timer_reset - argument of %KGO_IOC_TIMER_RESET
 * @size: sizeof(struct kgo_timer_reset)
 * @flags: must be 0
 * @ns: new delay (a ticker: new period)
 */
struct kgo_timer_reset {
	__u32 size;
	__u32 flags;
	__s64 ns;
};

#define KGO_TIMER_RESET_SIZE_VER0	16

/*
 * On a timer fd (Go 1.23 semantics: no stale value is received after
 * either returns). Both return 1 if the timer was pending (or its value
 * unread), else 0.
 */
#define KGO_IOC_TIMER_STOP	_IO(KGO_IOC_MAGIC, 0x14)
#define KGO_IOC_TIMER_RESET	_IOW(KGO_IOC_MAGIC, 0x15, struct kgo_timer_reset)

/* Directions of &struct kgo_select_ucase. */
#define KGO_SELECT_CASE_SEND	1
#define KGO_SELECT_CASE_RECV	2

/* Most cases one %KGO_IOC_SELECT takes. */
#define KGO_SELECT_UCASES_MAX	128

/**
 * struct kgo_select_ucase - one case of %KGO_IOC_SELECT
 * @fd: a channel or timer fd; -1 for a case that is never ready
 * @dir: %KGO_SELECT_CASE_SEND or %KGO_SELECT_CASE_RECV
 * @elem: user address of the value to send, or where to receive (0: drop)
 * @ok: out (receive): 1 for a value, 0 when closed and drained
 * @err: out: 0, or EPIPE (positive) for a send chosen on a closed channel
 */
struct kgo_select_ucase {
	__s32 fd;
	__u32 dir;
	__u64 elem;
	__u32 ok;
	__s32 err;
};

/**
 * struct kgo_select_args - argument of %KGO_IOC_SELECT
 * @size: sizeof(struct kgo_select_args)
 * @flags: must be 0
 * @cases: user address of @ncases &struct kgo_select_ucase
 * @ncases: 0 to %KGO_SELECT_UCASES_MAX
 * @index: out: the chosen case
 * @timeout_ns: %KGO_TIMEOUT_FOREVER, %KGO_TIMEOUT_NOWAIT (Go's default
 *	case: EAGAIN when none is ready) or nanoseconds (ETIMEDOUT)
 */
struct kgo_select_args {
	__u32 size;
	__u32 flags;
	__u64 cases;
	__u32 ncases;
	__u32 index;
	__s64 timeout_ns;
};

#define KGO_SELECT_ARGS_SIZE_VER0	32

/*
 * KGO_IOC_SELECT - on /dev/kgo or any channel fd: Go's select; returns the
 * chosen index (also in @index). Errors: EAGAIN, ETIMEDOUT, EINTR, EBADF
 * (an fd that is not a kgo channel), EFAULT, EINVAL.
 */
#define KGO_IOC_SELECT		_IOWR(KGO_IOC_MAGIC, 0x03, struct kgo_select_args)

/* --- statistics and benchmarks --- */

/* Values of &struct kgo_stats_proc.status. */
#define KGO_PROC_IDLE		0
#define KGO_PROC_SCHED		1
#define KGO_PROC_RUNNING	2
#define KGO_PROC_OWNER_OP	3
#define KGO_PROC_RETAKEN	4
#define KGO_PROC_OFFLINE	5
#define KGO_PROC_BLOCKED	6

/**
 * struct kgo_stats_proc - one P's counters in %KGO_IOC_STATS
 * @spawned: Gs put on this P by a spawn
 * @ran: Gs run to completion
 * @stolen_in: Gs its Ms stole from other Ps
 * @stolen_out: Gs other Ps stole from it
 * @steals: successful steal operations
 * @spilled: Gs moved to the global queue on ring overflow
 * @global_taken: Gs taken from the global queue
 * @handoffs: times it was handed to another M by a blocking G
 * @parks: times an M gave it up for lack of work
 * @spins: times an M holding it started looking for work
 * @retakes: times sysmon took it from a G that ran too long
 * @yields: kgo_yield() calls
 * @runq: Gs in its run queue now
 * @cpu: its CPU
 * @status: KGO_PROC_*
 * @reserved: 0
 */
struct kgo_stats_proc {
	__u64 spawned;
	__u64 ran;
	__u64 stolen_in;
	__u64 stolen_out;
	__u64 steals;
	__u64 spilled;
	__u64 global_taken;
	__u64 handoffs;
	__u64 parks;
	__u64 spins;
	__u64 retakes;
	__u64 yields;
	__u32 runq;
	__u32 cpu;
	__u32 status;
	__u32 reserved;
};

/**
 * struct kgo_stats - argument of %KGO_IOC_STATS
 * @size: sizeof(struct kgo_stats)
 * @flags: must be 0
 * @nprocs: out: number of Ps
 * @nprocs_room: in: entries @procs has room for; out: entries filled
 * @procs: user address of @nprocs_room &struct kgo_stats_proc, or 0
 * @live_gs: out: Gs spawned and not finished
 * @live_chans: out: channels (kernel and userspace) not freed
 * @live_timers: out: timers not freed
 * @threads: out: Ms (kthreads)
 * @idle_threads: out: parked Ms
 * @spinning_threads: out: Ms looking for work
 * @global_runq: out: Gs in the global run queue
 * @m_limit_hits: out: times the M limit refused an M
 * @max_threads: out: the M limit
 * @reserved: must be 0
 * @stranded: out: runnable Gs that no M can run now because every M the
 *	limit allows waits in a thread-blocking G (since size 104)
 * @stranded_peak: out: the most Gs found stranded at once (since size 104)
 * @stranded_episodes: out: times Gs became stranded (since size 104)
 *
 * A caller built against an older header passes a smaller @size and gets
 * the fields it knows; a newer caller on an older kernel gets @size back
 * cut to what the kernel filled in (see "Extensible structs").
 */
struct kgo_stats {
	__u32 size;
	__u32 flags;
	__u32 nprocs;
	__u32 nprocs_room;
	__u64 procs;
	__u64 live_gs;
	__u64 live_chans;
	__u64 live_timers;
	__u32 threads;
	__u32 idle_threads;
	__u32 spinning_threads;
	__u32 global_runq;
	__u64 m_limit_hits;
	__u32 max_threads;
	__u32 reserved;
	__u64 stranded;
	__u64 stranded_peak;
	__u64 stranded_episodes;
};

#define KGO_STATS_SIZE_VER0		80
#define KGO_STATS_SIZE_VER1		104	/* adds stranded* */

/* KGO_IOC_STATS - on /dev/kgo: the scheduler's counters, for kgoctl. */
#define KGO_IOC_STATS		_IOWR(KGO_IOC_MAGIC, 0x04, struct kgo_stats)

/**
 * struct kgo_bench_spawn - argument of %KGO_IOC_BENCH_SPAWN
 * @size: sizeof(struct kgo_bench_spawn)
 * @flags: must be 0
 * @count: Gs to spawn, 1 to 10000000
 * @reserved: must be 0
 * @elapsed_ns: out: from the first spawn until the last G has run
 */
struct kgo_bench_spawn {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved;
	__u64 elapsed_ns;
};

#define KGO_BENCH_SPAWN_SIZE_VER0	24

/*
 * KGO_IOC_BENCH_SPAWN - on /dev/kgo: spawn @count empty kernel Gs from the
 * calling thread and wait for them. Needs CAP_SYS_ADMIN (EPERM).
 */
#define KGO_IOC_BENCH_SPAWN	_IOWR(KGO_IOC_MAGIC, 0x05, struct kgo_bench_spawn)

#endif /* _UAPI_KGO_KGO_H */
