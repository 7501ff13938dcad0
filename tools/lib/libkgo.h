/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * libkgo: the userspace side of kgo, a thin wrapper around /dev/kgo.
 *
 * Conventions: every call returns 0 (or a non-negative value) on success and
 * a negative errno on failure; errno itself is never the way an error is
 * reported. The structs are those of the kernel ABI, <kgo/kgo.h>.
 */
#ifndef _LIBKGO_H
#define _LIBKGO_H

#include <kgo/kgo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where kgo.ko's misc device appears. */
#define KGO_DEVICE_PATH		"/dev/" KGO_DEVICE_NAME

/**
 * kgo_open() - open the kgo device
 *
 * Opens %KGO_DEVICE_PATH read-write and close-on-exec.
 *
 * Return: a file descriptor on success; -ENOENT if kgo.ko is not loaded (or
 * /dev is not populated), another negative errno of open(2) otherwise.
 */
int kgo_open(void);

/**
 * kgo_version() - ask the loaded kgo module who it is
 * @fd: a descriptor from kgo_open()
 * @out: overwritten; on success holds the module's ABI version, release and
 *	CPU count, with @out->size the number of bytes the kernel filled in
 *
 * Sets @out->size to sizeof(*@out) and every other input field to zero
 * before issuing %KGO_IOC_VERSION.
 *
 * Return: 0 on success; -EINVAL if @out is NULL; otherwise the negative
 * errno of the ioctl (-ENOTTY if @fd is not a kgo device).
 */
int kgo_version(int fd, struct kgo_version_info *out);

/**
 * kgo_strerror() - describe an error returned by a libkgo call
 * @err: a negative errno as returned by libkgo (a positive one works too)
 *
 * Return: a static, human-readable string; never NULL, never to be freed.
 */
const char *kgo_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _LIBKGO_H */
