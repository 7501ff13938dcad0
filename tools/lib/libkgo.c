// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * libkgo: see libkgo.h for the contract of each call.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkgo.h"

int kgo_open(void)
{
	int fd = open(KGO_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kgo_version(int fd, struct kgo_version_info *out)
{
	if (!out)
		return -EINVAL;

	/* Zeroed input fields are what the kernel demands of flags/reserved. */
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (ioctl(fd, KGO_IOC_VERSION, out) < 0)
		return -errno;
	return 0;
}

const char *kgo_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}
