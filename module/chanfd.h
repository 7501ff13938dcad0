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

struct file;
struct kgo_chan;

/* Pages of the largest element (64 KiB), not page aligned. */
#define KGO_UPIN_MAX_PAGES	(65536 / PAGE_SIZE + 1)

/**
 * struct kgo_upin - user pages pinned to receive one element into
 * @pages: the pinned pages
 * @npages: how many (0: nothing pinned)
 * @offset: of the element in the first page
 * @len: bytes of the element
 */
struct kgo_upin {
	struct page *pages[KGO_UPIN_MAX_PAGES];
	u32 npages;
	u32 offset;
	u32 len;
};

int kgo_upin_begin(struct kgo_upin *pin, u64 uaddr, u32 len);
void kgo_upin_end(struct kgo_upin *pin, const void *src);
struct kgo_chan *kgo_chanfd_get(int fd, struct file **filep);
int kgo_chanfd_install(struct kgo_chan *c, u32 flags);

#endif /* _KGO_CHANFD_H */
