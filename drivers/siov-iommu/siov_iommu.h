/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software IOMMU of the simulated Scalable-IOV platform: shared definitions
 * of its parts (page tables, PASIDs, faults, the DMA interface, the
 * iommu_ops glue).
 */
#ifndef _SIOV_IOMMU_H
#define _SIOV_IOMMU_H

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <siov/iommu_test.h>

/*
 * Page tables: 4 levels of 512 64-bit entries, 4 KiB granule, 48-bit IOVA
 * (the x86-64 / VT-d second-level shape).  Level 3 is the root, level 0
 * holds the leaves.  An entry is the physical address of the next table or
 * of the page, plus the bits below.
 */
#define SIOV_PT_LEVELS		4
#define SIOV_PT_BITS_PER_LEVEL	9
#define SIOV_PT_ENTRIES		BIT(SIOV_PT_BITS_PER_LEVEL)
#define SIOV_IOVA_BITS		48
#define SIOV_IOVA_MAX		((1ULL << SIOV_IOVA_BITS) - 1)

#define SIOV_PTE_PRESENT	BIT_ULL(0)
#define SIOV_PTE_READ		BIT_ULL(1)	/* the device may read the page */
#define SIOV_PTE_WRITE		BIT_ULL(2)	/* the device may write the page */
#define SIOV_PTE_TABLE		BIT_ULL(3)	/* points to a lower-level table */
#define SIOV_PTE_RAM		BIT_ULL(4)	/* leaf: RAM (siov_pfn_is_ram() at map time) */
#define SIOV_PTE_ADDR		GENMASK_ULL(51, 12)
#define SIOV_PT_LEAF_SPAN	(SIOV_PT_ENTRIES * PAGE_SIZE)	/* 2 MiB */
#define SIOV_PHYS_MAX		GENMASK_ULL(51, 0)

/**
 * siov_pfn_is_ram() - may the DMA interface reach @pfn through the direct map
 * @pfn: the page frame
 *
 * pfn_valid() is not enough: with SPARSEMEM it also holds for the holes and
 * firmware areas (e820 reserved, ACPI) inside a memory section, which
 * x86-64 does not map.  Those pages are PageReserved, as are the kernel's
 * own image and boot allocations, which no device should reach either;
 * the exception is the zero page, which vfio pins for a read-only mapping
 * of memory never written.  ZONE_DEVICE pages are not plain RAM.
 *
 * Return: true for RAM the kernel maps directly.
 */
static inline bool siov_pfn_is_ram(unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return false;
	if (is_zero_pfn(pfn))
		return true;
	page = pfn_to_page(pfn);
	return !PageReserved(page) && !is_zone_device_page(page);
}

/**
 * struct siov_pgtable - one domain's I/O page table
 * @root: the level-3 table; lives as long as the page table
 * @lock: serialises writers (map, unmap); readers take no lock
 * @readers: per-CPU count of DMA-interface accesses in flight on this table,
 *	     which unmap waits to drain (see siov_pt_wait_readers())
 * @nr_mapped: 4 KiB pages mapped
 * @nr_tables: table pages allocated, the root included
 */
struct siov_pgtable {
	u64 *root;
	spinlock_t lock;	/* writers: map, unmap */
	long __percpu *readers;
	unsigned long nr_mapped;
	unsigned long nr_tables;
};

int siov_pt_init(struct siov_pgtable *pt);
unsigned long siov_pt_destroy(struct siov_pgtable *pt);
int siov_pt_map(struct siov_pgtable *pt, u64 iova, phys_addr_t paddr,
		size_t pgcount, int prot, gfp_t gfp, size_t *mapped);
size_t siov_pt_unmap(struct siov_pgtable *pt, u64 iova, size_t pgcount);
u64 *siov_pt_leaf(struct siov_pgtable *pt, u64 iova);
u64 siov_pt_lookup(struct siov_pgtable *pt, u64 iova);

/*
 * Bracket a DMA-interface access (walk and copy) to a page table so that
 * unmap can wait for it; see pgtable.c.  Not sleeping in between.
 */
static inline void siov_pt_read_begin(struct siov_pgtable *pt)
{
	preempt_disable();
	this_cpu_inc(*pt->readers);
	/* The count before the walk; pairs with siov_pt_wait_readers(). */
	smp_mb();
}

static inline void siov_pt_read_end(struct siov_pgtable *pt)
{
	/* The copy before the count drops. */
	smp_mb();
	this_cpu_dec(*pt->readers);
	preempt_enable();
}

/**
 * struct siov_domain - a domain of the software IOMMU
 * @domain: the core's view
 * @pt: page table (unmanaged domains only; identity domains have none)
 * @aux: the (endpoint, PASID) attachments of this domain, struct siov_aux,
 *	 under siov_aux_lock
 */
struct siov_domain {
	struct iommu_domain domain;
	struct siov_pgtable pt;
	struct list_head aux;
};

static inline struct siov_domain *to_siov_domain(struct iommu_domain *domain)
{
	return container_of(domain, struct siov_domain, domain);
}

/**
 * struct siov_ep - the IOMMU's state for one physical endpoint
 * @dev: the endpoint (NULL for a test endpoint)
 * @name: how faults name it
 * @pasids: its PASID space; entries are struct siov_aux
 * @pasid_cap_max: the highest PASID its PASID capability allows; a test may
 *	lower @pasids.max below it (siov_dev_limit_pasids())
 * @rid_domain: the domain requests without PASID go through (RCU)
 * @aux_enabled: IOMMU_DEV_FEAT_AUX is enabled
 * @nr_aux: aux attachments, under siov_aux_lock
 * @faults: faults recorded for this endpoint
 * @handles: its DMA handles with a PASID (struct siov_dma_handle), under
 *	     siov_aux_lock
 * @node: in siov_eps, under siov_aux_lock
 */
struct siov_ep {
	struct device *dev;
	char name[32];
	struct siov_pasid_space pasids;
	u32 pasid_cap_max;
	struct siov_domain __rcu *rid_domain;
	bool aux_enabled;
	unsigned int nr_aux;
	atomic_long_t faults;
	struct list_head handles;
	struct list_head node;
};

/**
 * struct siov_dma_handle - (endpoint, PASID) with the domain looked up ahead
 * @ep: the endpoint; NULL once it went away with the handle still held
 * @pasid: the PASID; SIOV_DMA_NO_PASID: no cache, every access looks up
 * @domain: the domain of the attachment the handle was taken on, NULL once
 *	    it ended, for good (RCU-sched: cleared under siov_aux_lock, which
 *	    then waits for a grace period before the domain can go)
 * @node: in @ep->handles, under siov_aux_lock
 */
struct siov_dma_handle {
	struct siov_ep *ep;
	u32 pasid;
	struct siov_domain __rcu *domain;
	struct list_head node;
};

/**
 * struct siov_aux - one domain aux-attached to one endpoint under one PASID
 * @domain: the domain
 * @ep: the endpoint
 * @pasid: the PASID allocated for the pair
 * @users: aux attaches of the pair not yet detached
 * @node: in @domain->aux
 */
struct siov_aux {
	struct siov_domain *domain;
	struct siov_ep *ep;
	u32 pasid;
	unsigned int users;
	struct list_head node;
};

extern struct mutex siov_aux_lock;
extern struct list_head siov_eps;

struct siov_domain *siov_ep_domain(struct siov_ep *ep, u32 pasid);
void *siov_pasid_lookup_rcu(struct siov_pasid_space *space, u32 pasid);
void siov_dma_handles_detach(struct siov_ep *ep, u32 pasid);
struct siov_ep *siov_dev_ep(struct device *dev);

void siov_fault_report(struct siov_ep *ep, u32 pasid, u64 iova, bool write,
		       int error);
void siov_contract_violation(enum siov_contract kind);
int siov_fault_debugfs_init(void);
void siov_fault_debugfs_exit(void);

#endif /* _SIOV_IOMMU_H */
