/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * Channel file descriptors (chanfd.c) and the user-memory helpers the
 * select ioctl shares with them.
 */
#ifndef _KGO_CHANFD_H
#define _KGO_CHANFD_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include "chan.h"

struct file;
struct kgo_chan;

/* Pages of the largest element (64 KiB), not page aligned. */
#define KGO_UPIN_MAX_PAGES	(KGO_ELEM_SIZE_MAX / PAGE_SIZE + 1)

/**
 * struct kgo_upin - user memory pinned for a receive to write into
 * @pages: K: the pinned pages
 * @npages: K: how many (0: nothing pinned)
 * @offset: K: of the range in the first page
 * @len: K: bytes of the range
 * @kaddr: K: the range, mapped into the kernel; NULL when nothing is
 *	pinned. Lent to the channel as a receive's element: a peer writes
 *	the value there under the channel lock (C), before the receive ends
 * @mm: K: whose pinned_vm counts the pages
 *
 * Tags: sched.h's legend.
 */
struct kgo_upin {
	struct page *pages[KGO_UPIN_MAX_PAGES];
	u32 npages;
	u32 offset;
	u32 len;
	void *kaddr;
	struct mm_struct *mm;
};

struct kgo_chanfd;

int kgo_upin_begin(struct kgo_upin *pin, u64 uaddr, u32 len);
void kgo_upin_end(struct kgo_upin *pin, bool dirty);
struct kgo_chan *kgo_chanfd_get(int fd, struct file **filep);
struct kgo_chanfd *kgo_chanfd_prepare(size_t bytes);
int kgo_chanfd_install(struct kgo_chanfd *cf, struct kgo_chan *c, u32 flags);

#endif /* _KGO_CHANFD_H */
