// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The kgo developers.
 *
 * G descriptors: a slab cache, a small per-P cache of dead Gs and a global
 * cache between them (Go's gfget/gfput): a spawn on a busy P reuses a
 * descriptor without touching the slab allocator.
 */

#include <linux/slab.h>

#include "sched.h"

/* Go's numbers: refill 32 from the global cache, spill half above 64. */
#define KGO_GFREE_BATCH		32
#define KGO_GFREE_MAX		64
/* Dead Gs kept for all Ps together; beyond, they go back to the slab. */
#define KGO_GFREE_GLOBAL_MAX	4096

static struct kmem_cache *kgo_g_cache;

/**
 * kgo_g_cache_init() - create the G slab cache
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int kgo_g_cache_init(void)
{
	/* A queued G costs one descriptor: keep it within two cachelines. */
	BUILD_BUG_ON(sizeof(struct kgo_g) > 128);
	kgo_g_cache = KMEM_CACHE(kgo_g, SLAB_HWCACHE_ALIGN);
	return kgo_g_cache ? 0 : -ENOMEM;
}

static void kgo_g_free_list(struct kgo_g *g)
{
	struct kgo_g *next;

	for (; g; g = next) {
		next = g->schedlink;
		kmem_cache_free(kgo_g_cache, g);
	}
}

/**
 * kgo_g_free_p_cache() - free the dead Gs cached by @p
 * @p: a P nobody uses any more
 *
 * Context: module unload, after every M has stopped.
 */
void kgo_g_free_p_cache(struct kgo_p *p)
{
	kgo_g_free_list(p->gfree);
	p->gfree = NULL;
	p->ngfree = 0;
}

/**
 * kgo_g_cache_exit() - free the global G cache and the slab cache
 *
 * Context: module unload, after kgo_sched_exit().
 */
void kgo_g_cache_exit(void)
{
	kgo_g_free_list(kgo_sched.gfree);
	kgo_sched.gfree = NULL;
	kgo_sched.ngfree = 0;
	kmem_cache_destroy(kgo_g_cache);
}

/* Move up to a batch from the global cache to @p's. */
static void kgo_g_refill(struct kgo_p *p)
{
	unsigned long flags;
	struct kgo_g *g;

	if (!READ_ONCE(kgo_sched.ngfree))
		return;
	raw_spin_lock_irqsave(&kgo_sched.lock, flags);
	while (p->ngfree < KGO_GFREE_BATCH && (g = kgo_sched.gfree)) {
		kgo_sched.gfree = g->schedlink;
		WRITE_ONCE(kgo_sched.ngfree, kgo_sched.ngfree - 1);
		g->schedlink = p->gfree;
		p->gfree = g;
		p->ngfree++;
	}
	raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
}

/**
 * kgo_g_alloc() - a G descriptor from @p's cache, or from the slab
 * @p: a P the caller owns: take from its cache (and the global one) only;
 *	NULL: allocate from the slab
 * @gfp: for the slab allocation
 *
 * Context: per @gfp; never sleeps with @p.
 * Return: a G (contents undefined), or NULL.
 */
struct kgo_g *kgo_g_alloc(struct kgo_p *p, gfp_t gfp)
{
	struct kgo_g *g;

	if (!p)
		return kmem_cache_alloc(kgo_g_cache, gfp);
	if (!p->gfree)
		kgo_g_refill(p);
	g = p->gfree;
	if (g) {
		p->gfree = g->schedlink;
		p->ngfree--;
	}
	return g;
}

/**
 * kgo_g_free() - give back a dead G
 * @p: a P the caller owns, or NULL
 * @g: the G
 *
 * Context: any.
 */
void kgo_g_free(struct kgo_p *p, struct kgo_g *g)
{
	unsigned long flags;
	struct kgo_g *tail;
	bool full;
	u32 n;

	if (!p) {
		kmem_cache_free(kgo_g_cache, g);
		return;
	}
	g->schedlink = p->gfree;
	p->gfree = g;
	if (++p->ngfree <= KGO_GFREE_MAX)
		return;
	/*
	 * Gs spawned from outside a P come from the slab and pile up here:
	 * once the global cache is full, give them back without its lock.
	 */
	full = READ_ONCE(kgo_sched.ngfree) >= KGO_GFREE_GLOBAL_MAX;
	/* Spill half to the global cache, or to the slab if that is full. */
	tail = p->gfree;
	for (n = 1; n < KGO_GFREE_MAX / 2; n++)
		tail = tail->schedlink;
	g = p->gfree;
	p->gfree = tail->schedlink;
	p->ngfree -= n;
	if (!full) {
		raw_spin_lock_irqsave(&kgo_sched.lock, flags);
		if (kgo_sched.ngfree < KGO_GFREE_GLOBAL_MAX) {
			tail->schedlink = kgo_sched.gfree;
			kgo_sched.gfree = g;
			WRITE_ONCE(kgo_sched.ngfree, kgo_sched.ngfree + n);
			g = NULL;
		}
		raw_spin_unlock_irqrestore(&kgo_sched.lock, flags);
	}
	if (g) {
		tail->schedlink = NULL;
		kgo_g_free_list(g);
	}
}
