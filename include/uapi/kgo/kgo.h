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
#define KGO_ABI_VERSION_MINOR	0

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
 * @nprocs: out: number of CPUs the runtime will use (for now, the number of
 *	online CPUs when the call is made)
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
 * KGO_IOC_VERSION - report the module's ABI version, release and CPU count.
 * Errors: EFAULT, EINVAL, E2BIG, as described at the top of this file.
 */
#define KGO_IOC_VERSION		_IOWR(KGO_IOC_MAGIC, 0x00, struct kgo_version_info)

#endif /* _UAPI_KGO_KGO_H */
