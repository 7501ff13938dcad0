/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * The /dev/kgo misc device: userspace's way into the runtime.
 */
#ifndef _KGO_DEV_H
#define _KGO_DEV_H

#include <uapi/kgo/kgo.h>

int kgo_dev_init(void);
void kgo_dev_exit(void);

/* Test hook, exported to the KGO_INTERNAL namespace. */
void kgo_dev_fill_version(struct kgo_version_info *info);

#endif /* _KGO_DEV_H */
