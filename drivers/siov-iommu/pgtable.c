// SPDX-License-Identifier: GPL-2.0
/*
 * I/O page tables of the software IOMMU: 4 levels, 4 KiB granule, 48-bit
 * IOVA, 4 KiB leaves only.
 *
 * Writers (map, unmap) serialise on the table's spinlock.  Readers (the DMA
 * interface, iova_to_phys) take no lock: they walk under RCU with READ_ONCE,
 * a new table is published with a release store after it was zeroed, and a
 * table that unmap empties is unhooked and freed after a grace period, so a
 * walker that is still inside it reads stale but valid memory and then finds
 * the cleared entry or the stale leaf it had already read.
 *
 * A stale leaf is the one hazard RCU alone does not cover: an access that
 * read the entry just before unmap cleared it could still be copying into the
 * old page after unmap returned and its caller unpinned the page.  So every
 * access brackets its walk and copy with siov_pt_read_begin()/_end(), a
 * per-CPU count of accesses in flight, and unmap, after clearing entries,
 * waits until that count is zero (siov_pt_wait_readers()).  The two full
 * barriers make this the store-buffering pattern: either unmap sees the
 * access's increment and waits for it, or the access's walk sees the cleared
 * entry.  Waiting costs one pass over the per-CPU counters when nothing is
 * in flight, which keeps per-page unmap cheap, unlike a grace period (vfio
 * type1 unmaps page by page when it cannot batch).  A reader keeps
 * preemption off, so its count goes up and down on one CPU; unmap spins, so
 * it must not run in interrupt context (it never does: vfio and the IOMMU
 * API users unmap from process context).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "siov_iommu.h"

static unsigned int siov_pt_index(u64 iova, int level)
{
	return (iova >> (PAGE_SHIFT + level * SIOV_PT_BITS_PER_LEVEL)) &
	       (SIOV_PT_ENTRIES - 1);
}

static u64 *siov_pt_next(u64 entry)
{
	return phys_to_virt(entry & SIOV_PTE_ADDR);
}

/* Entries in use in a table page are counted in its page_private. */
static void siov_pt_count(u64 *table, long delta)
{
	struct page *page = virt_to_page(table);

	set_page_private(page, page_private(page) + delta);
}

static bool siov_pt_empty(u64 *table)
{
	return !page_private(virt_to_page(table));
}

static atomic_t siov_pt_fail = ATOMIC_INIT(0);

/**
 * siov_pt_fail_nth() - make the n-th next page-table allocation fail
 * @nth: 1 for the next one, 2 for the one after, ...; 0: none
 *
 * Fault injection for tests of the -ENOMEM paths (like fail-nth).
 */
void siov_pt_fail_nth(unsigned int nth)
{
	atomic_set(&siov_pt_fail, nth);
}
EXPORT_SYMBOL_NS_GPL(siov_pt_fail_nth, SIOV_IOMMU);

static u64 *siov_pt_alloc_table(gfp_t gfp)
{
	struct page *page;

	if (atomic_read(&siov_pt_fail) > 0 &&
	    atomic_dec_return(&siov_pt_fail) == 0)
		return NULL;
	page = alloc_page(gfp | __GFP_ZERO);

	if (!page)
		return NULL;
	set_page_private(page, 0);
	return page_address(page);
}

static void siov_pt_free_table_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/**
 * siov_pt_init() - set up an empty page table
 * @pt: the page table
 *
 * Return: 0 or -ENOMEM.
 */
int siov_pt_init(struct siov_pgtable *pt)
{
	spin_lock_init(&pt->lock);
	pt->nr_mapped = 0;
	pt->readers = alloc_percpu(long);
	if (!pt->readers)
		return -ENOMEM;
	pt->root = siov_pt_alloc_table(GFP_KERNEL);
	if (!pt->root) {
		free_percpu(pt->readers);
		return -ENOMEM;
	}
	pt->nr_tables = 1;
	return 0;
}

static void siov_pt_free_level(u64 *table, int level)
{
	unsigned int i;

	if (level > 0) {
		for (i = 0; i < SIOV_PT_ENTRIES; i++)
			if (table[i] & SIOV_PTE_PRESENT)
				siov_pt_free_level(siov_pt_next(table[i]),
						   level - 1);
	}
	set_page_private(virt_to_page(table), 0);
	free_page((unsigned long)table);
}

/**
 * siov_pt_destroy() - free a page table and everything it maps to
 * @pt: the page table; no reader may still be walking it
 *
 * Return: the number of 4 KiB pages that were still mapped.
 */
unsigned long siov_pt_destroy(struct siov_pgtable *pt)
{
	unsigned long left = pt->nr_mapped;

	siov_pt_free_level(pt->root, SIOV_PT_LEVELS - 1);
	pt->root = NULL;
	free_percpu(pt->readers);
	pt->readers = NULL;
	return left;
}

/*
 * The leaf table covering @iova, allocating missing tables from *@spare.
 * Returns NULL when a table is missing and *@spare is empty.
 */
static u64 *siov_pt_leaf_alloc(struct siov_pgtable *pt, u64 iova, u64 **spare)
{
	u64 *table = pt->root;
	int level;

	lockdep_assert_held(&pt->lock);
	for (level = SIOV_PT_LEVELS - 1; level > 0; level--) {
		u64 *entry = &table[siov_pt_index(iova, level)];
		u64 val = *entry;

		if (!val) {
			if (!*spare)
				return NULL;
			val = virt_to_phys(*spare) | SIOV_PTE_PRESENT |
			      SIOV_PTE_TABLE;
			*spare = NULL;
			/* The zeroed table before the entry that points to it. */
			smp_store_release(entry, val);
			siov_pt_count(table, 1);
			pt->nr_tables++;
		}
		table = siov_pt_next(val);
	}
	return table;
}

static void siov_pt_prune(struct siov_pgtable *pt, u64 **path, u64 iova,
			  int level);

/* After a failed allocation: unhook the empty tables left on the way to @iova. */
static void siov_pt_prune_partial(struct siov_pgtable *pt, u64 iova)
{
	u64 *path[SIOV_PT_LEVELS];
	int level;

	path[SIOV_PT_LEVELS - 1] = pt->root;
	for (level = SIOV_PT_LEVELS - 1; level > 0; level--) {
		u64 val = path[level][siov_pt_index(iova, level)];

		if (!val)
			break;
		path[level - 1] = siov_pt_next(val);
	}
	siov_pt_prune(pt, path, iova, level);
}

/**
 * siov_pt_map() - map physically contiguous 4 KiB pages
 * @pt: the page table
 * @iova: first IOVA, 4 KiB aligned
 * @paddr: first physical address, 4 KiB aligned
 * @pgcount: number of pages
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: for page-table pages
 * @mapped: set to the bytes mapped, also on error (the caller unmaps them)
 *
 * Return: 0; -EINVAL if unaligned; -ERANGE beyond the 48-bit IOVA space or
 * the 52-bit physical space; -EEXIST if a page is already mapped (the
 * existing mapping is left as it was; counted as a contract violation);
 * -ENOMEM (tables left empty are unhooked again).
 */
int siov_pt_map(struct siov_pgtable *pt, u64 iova, phys_addr_t paddr,
		size_t pgcount, int prot, gfp_t gfp, size_t *mapped)
{
	u64 bits = SIOV_PTE_PRESENT;
	u64 *spare = NULL;
	size_t done = 0;
	int ret = 0;

	*mapped = 0;
	if (!PAGE_ALIGNED(iova) || !PAGE_ALIGNED(paddr))
		return -EINVAL;
	if (!pgcount)
		return 0;
	if (iova > SIOV_IOVA_MAX ||
	    pgcount - 1 > (SIOV_IOVA_MAX - iova) >> PAGE_SHIFT ||
	    (u64)paddr + ((u64)pgcount << PAGE_SHIFT) - 1 > SIOV_PHYS_MAX)
		return -ERANGE;
	if (prot & IOMMU_READ)
		bits |= SIOV_PTE_READ;
	if (prot & IOMMU_WRITE)
		bits |= SIOV_PTE_WRITE;

	spin_lock(&pt->lock);
	while (done < pgcount) {
		unsigned int idx, n;
		u64 *leaf;

		leaf = siov_pt_leaf_alloc(pt, iova, &spare);
		if (!leaf) {
			spin_unlock(&pt->lock);
			spare = siov_pt_alloc_table(gfp);
			spin_lock(&pt->lock);
			if (!spare) {
				siov_pt_prune_partial(pt, iova);
				ret = -ENOMEM;
				break;
			}
			continue;
		}
		idx = siov_pt_index(iova, 0);
		n = min_t(size_t, pgcount - done, SIOV_PT_ENTRIES - idx);
		for (; n; n--, idx++) {
			if (leaf[idx]) {
				siov_contract_violation(SIOV_CONTRACT_MAP_EXISTS);
				ret = -EEXIST;
				goto out;
			}
			/*
			 * Only RAM is reachable through the DMA interface (a
			 * peer BAR is not); decided once here, not per access.
			 */
			WRITE_ONCE(leaf[idx], (paddr & SIOV_PTE_ADDR) | bits |
				   (siov_pfn_is_ram(PHYS_PFN(paddr)) ? SIOV_PTE_RAM : 0));
			siov_pt_count(leaf, 1);
			pt->nr_mapped++;
			done++;
			iova += PAGE_SIZE;
			paddr += PAGE_SIZE;
		}
	}
out:
	spin_unlock(&pt->lock);
	if (spare)
		free_page((unsigned long)spare);
	*mapped = done << PAGE_SHIFT;
	return ret;
}

/*
 * Wait until no DMA-interface access that may have read an entry before the
 * caller cleared it is still in flight.  See the comment at the top.
 */
static void siov_pt_wait_readers(struct siov_pgtable *pt)
{
	int cpu;

	/* Cleared entries before reading the counters. */
	smp_mb();
	/*
	 * CPU by CPU: a reader counts on the CPU it runs on, with preemption
	 * off, so once a CPU's count has been seen at zero every reader that
	 * began there before the entries were cleared has finished.  Waiting
	 * for the sum of all CPUs to be zero at once could wait for ever
	 * while readers on several CPUs overlap (multiqueue devices).
	 */
	for_each_possible_cpu(cpu)
		while (READ_ONCE(*per_cpu_ptr(pt->readers, cpu)))
			cpu_relax();
	/* The readers' copies before whatever the caller does next. */
	smp_mb();
}

/*
 * Unhook the tables on the path to @iova that became empty, from @level up.
 * path[level] is the table at that level; the root (top level) stays.
 */
static void siov_pt_prune(struct siov_pgtable *pt, u64 **path, u64 iova,
			  int level)
{
	for (; level < SIOV_PT_LEVELS - 1; level++) {
		u64 *parent = path[level + 1];
		struct page *page;

		if (!siov_pt_empty(path[level]))
			break;
		WRITE_ONCE(parent[siov_pt_index(iova, level + 1)], 0);
		siov_pt_count(parent, -1);
		pt->nr_tables--;
		page = virt_to_page(path[level]);
		call_rcu(&page->rcu_head, siov_pt_free_table_rcu);
	}
}

/**
 * siov_pt_unmap() - unmap 4 KiB pages
 * @pt: the page table
 * @iova: first IOVA, 4 KiB aligned
 * @pgcount: number of pages
 *
 * Stops at the first page that is not mapped (and counts that as a contract
 * violation: callers unmap what they mapped).  Any mapped range may be
 * unmapped, a part of what one map call mapped included.  On return no
 * DMA-interface access can reach an unmapped page any more.
 *
 * Return: the bytes unmapped, counted from @iova.
 */
size_t siov_pt_unmap(struct siov_pgtable *pt, u64 iova, size_t pgcount)
{
	u64 *path[SIOV_PT_LEVELS];
	size_t done = 0;
	bool hole = false;

	if (!PAGE_ALIGNED(iova) || iova > SIOV_IOVA_MAX)
		return 0;
	pgcount = min_t(u64, pgcount, ((SIOV_IOVA_MAX - iova) >> PAGE_SHIFT) + 1);

	spin_lock(&pt->lock);
	while (done < pgcount && !hole) {
		unsigned int idx, n;
		int level;
		u64 *leaf;

		path[SIOV_PT_LEVELS - 1] = pt->root;
		for (level = SIOV_PT_LEVELS - 1; level > 0; level--) {
			u64 val = path[level][siov_pt_index(iova, level)];

			if (!val) {
				hole = true;
				goto out;
			}
			path[level - 1] = siov_pt_next(val);
		}
		leaf = path[0];
		idx = siov_pt_index(iova, 0);
		n = min_t(size_t, pgcount - done, SIOV_PT_ENTRIES - idx);
		for (; n; n--, idx++) {
			if (!leaf[idx]) {
				hole = true;
				break;
			}
			WRITE_ONCE(leaf[idx], 0);
			siov_pt_count(leaf, -1);
			pt->nr_mapped--;
			done++;
		}
		/* Prune by an IOVA inside this leaf table's span. */
		siov_pt_prune(pt, path, iova, 0);
		iova = (iova & ~((u64)SIOV_PT_ENTRIES * PAGE_SIZE - 1)) +
		       ((u64)idx << PAGE_SHIFT);
	}
out:
	spin_unlock(&pt->lock);
	/*
	 * Count a hole where it stops everything: the core calls again at the
	 * hole after a partial result, so each offending iommu_unmap() counts
	 * once.
	 */
	if (hole && !done)
		siov_contract_violation(SIOV_CONTRACT_UNMAP_HOLE);
	if (done)
		siov_pt_wait_readers(pt);
	return done << PAGE_SHIFT;
}

/**
 * siov_pt_leaf() - the leaf table covering @iova, without locking
 * @pt: the page table
 * @iova: any IOVA
 *
 * Call under rcu_read_lock() (or siov_pt_read_begin()).  The table stays
 * readable until the read section ends; if unmap unhooks it meanwhile, its
 * entries are all clear.
 *
 * Return: the 512 leaf entries of the 2 MiB around @iova, NULL if none.
 */
u64 *siov_pt_leaf(struct siov_pgtable *pt, u64 iova)
{
	u64 *table = pt->root;
	int level;

	if (iova > SIOV_IOVA_MAX)
		return NULL;
	for (level = SIOV_PT_LEVELS - 1; level > 0; level--) {
		u64 val = READ_ONCE(table[siov_pt_index(iova, level)]);

		if (!(val & SIOV_PTE_PRESENT))
			return NULL;
		table = siov_pt_next(val);
	}
	return table;
}

/**
 * siov_pt_lookup() - the leaf entry that maps @iova, without locking
 * @pt: the page table
 * @iova: any IOVA
 *
 * Call under rcu_read_lock() (or siov_pt_read_begin()).
 *
 * Return: the entry (SIOV_PTE_*), 0 if @iova is not mapped.
 */
u64 siov_pt_lookup(struct siov_pgtable *pt, u64 iova)
{
	u64 *leaf = siov_pt_leaf(pt, iova);

	return leaf ? READ_ONCE(leaf[siov_pt_index(iova, 0)]) : 0;
}
