// SPDX-License-Identifier: GPL-2.0
/*
 * Translation faults of the software IOMMU: every DMA-interface access that
 * finds no mapping, or a mapping without the permission it needs, is counted
 * and recorded in a small ring that debugfs shows:
 *
 *   /sys/kernel/debug/siov_iommu/faults	counters, then the last records
 *   /sys/kernel/debug/siov_iommu/endpoints	per endpoint: PASID space, aux
 *						domains, requests without PASID
 *						go to, faults
 *
 * Also counted here: contract violations by the IOMMU's users (map over a
 * mapping, unmap of what is not mapped, aux attachments left behind at
 * domain free or endpoint removal, a detach of something never attached).
 *
 *   /sys/kernel/debug/siov_iommu/fail_table_alloc_nth
 *	write N: the N-th next page-table allocation fails (fault injection
 *	like fail-nth; the iommufd mock has its own fail point too)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "siov_iommu.h"

#define SIOV_FAULT_RING	64

static DEFINE_SPINLOCK(siov_fault_lock);
static struct siov_fault siov_fault_ring[SIOV_FAULT_RING];
static unsigned long siov_fault_seq;		/* faults so far, under the lock */
static unsigned long siov_fault_reads, siov_fault_writes;
static unsigned long siov_fault_unmapped, siov_fault_perm;
static atomic_long_t siov_contract[SIOV_CONTRACT_KINDS];
static struct dentry *siov_debugfs;

/**
 * siov_fault_report() - record a translation fault
 * @ep: the endpoint that made the request
 * @pasid: its PASID (0: without PASID)
 * @iova: the first faulting address
 * @write: the request wrote to memory
 * @error: -EFAULT (not mapped) or -EPERM (permission)
 */
void siov_fault_report(struct siov_ep *ep, u32 pasid, u64 iova, bool write,
		       int error)
{
	struct siov_fault *rec;
	unsigned long flags;

	atomic_long_inc(&ep->faults);
	spin_lock_irqsave(&siov_fault_lock, flags);
	rec = &siov_fault_ring[siov_fault_seq % SIOV_FAULT_RING];
	strscpy(rec->endpoint, ep->name, sizeof(rec->endpoint));
	rec->pasid = pasid;
	rec->iova = iova;
	rec->write = write;
	rec->error = error;
	rec->seq = ++siov_fault_seq;
	if (write)
		siov_fault_writes++;
	else
		siov_fault_reads++;
	if (error == -EPERM)
		siov_fault_perm++;
	else
		siov_fault_unmapped++;
	spin_unlock_irqrestore(&siov_fault_lock, flags);
	pr_debug("fault: %s pasid %u iova %#llx %s: %s\n", ep->name, pasid,
		 iova, write ? "write" : "read",
		 error == -EPERM ? "permission" : "not mapped");
}

/**
 * siov_fault_count() - translation faults recorded since the module loaded
 *
 * Return: the count.
 */
unsigned long siov_fault_count(void)
{
	unsigned long flags, n;

	spin_lock_irqsave(&siov_fault_lock, flags);
	n = siov_fault_seq;
	spin_unlock_irqrestore(&siov_fault_lock, flags);
	return n;
}
EXPORT_SYMBOL_NS_GPL(siov_fault_count, SIOV_IOMMU);

/**
 * siov_fault_last() - the most recent fault record
 * @out: set to a copy of it
 *
 * Return: false if there has been no fault.
 */
bool siov_fault_last(struct siov_fault *out)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&siov_fault_lock, flags);
	any = siov_fault_seq;
	if (any)
		*out = siov_fault_ring[(siov_fault_seq - 1) % SIOV_FAULT_RING];
	spin_unlock_irqrestore(&siov_fault_lock, flags);
	return any;
}
EXPORT_SYMBOL_NS_GPL(siov_fault_last, SIOV_IOMMU);

/**
 * siov_contract_violation() - count a misuse of the IOMMU by its users
 * @kind: which one
 */
void siov_contract_violation(enum siov_contract kind)
{
	atomic_long_inc(&siov_contract[kind]);
}

/**
 * siov_contract_count() - misuses of one kind counted since the module loaded
 * @kind: which kind
 *
 * Return: the count.
 */
unsigned long siov_contract_count(enum siov_contract kind)
{
	return kind < SIOV_CONTRACT_KINDS ?
	       atomic_long_read(&siov_contract[kind]) : 0;
}
EXPORT_SYMBOL_NS_GPL(siov_contract_count, SIOV_IOMMU);

/**
 * siov_contract_violations() - misuses of any kind counted since the module
 * loaded
 *
 * Return: the count.
 */
unsigned long siov_contract_violations(void)
{
	unsigned long n = 0;
	int kind;

	for (kind = 0; kind < SIOV_CONTRACT_KINDS; kind++)
		n += atomic_long_read(&siov_contract[kind]);
	return n;
}
EXPORT_SYMBOL_NS_GPL(siov_contract_violations, SIOV_IOMMU);

static int siov_faults_show(struct seq_file *m, void *v)
{
	struct siov_fault *ring;
	unsigned long flags, seq, i, first;

	ring = kmalloc_array(SIOV_FAULT_RING, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	spin_lock_irqsave(&siov_fault_lock, flags);
	memcpy(ring, siov_fault_ring, sizeof(siov_fault_ring));
	seq = siov_fault_seq;
	seq_printf(m, "faults: %lu\nread: %lu\nwrite: %lu\nnot_mapped: %lu\npermission: %lu\n",
		   seq, siov_fault_reads, siov_fault_writes,
		   siov_fault_unmapped, siov_fault_perm);
	spin_unlock_irqrestore(&siov_fault_lock, flags);
	seq_printf(m, "contract_map_exists: %lu\ncontract_unmap_hole: %lu\ncontract_aux_left_attached: %lu\ncontract_aux_detach_unknown: %lu\n",
		   siov_contract_count(SIOV_CONTRACT_MAP_EXISTS),
		   siov_contract_count(SIOV_CONTRACT_UNMAP_HOLE),
		   siov_contract_count(SIOV_CONTRACT_AUX_LEFT),
		   siov_contract_count(SIOV_CONTRACT_AUX_UNKNOWN));
	seq_puts(m, "# seq endpoint pasid iova access error\n");
	first = seq > SIOV_FAULT_RING ? seq - SIOV_FAULT_RING : 0;
	for (i = first; i < seq; i++) {
		struct siov_fault *rec = &ring[i % SIOV_FAULT_RING];

		seq_printf(m, "%lu %s %u %#llx %s %s\n", rec->seq,
			   rec->endpoint, rec->pasid, rec->iova,
			   rec->write ? "write" : "read",
			   rec->error == -EPERM ? "permission" : "not-mapped");
	}
	kfree(ring);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(siov_faults);

static const char *siov_domain_kind(struct siov_domain *dom)
{
	if (!dom)
		return "none";
	return dom->domain.type == IOMMU_DOMAIN_IDENTITY ? "identity" :
							   "unmanaged";
}

static int siov_endpoints_show(struct seq_file *m, void *v)
{
	struct siov_ep *ep;

	seq_puts(m, "# endpoint max_pasid aux_enabled aux_domains no_pasid_domain faults\n");
	mutex_lock(&siov_aux_lock);
	list_for_each_entry(ep, &siov_eps, node) {
		struct siov_domain *rid;

		rid = rcu_dereference_protected(ep->rid_domain,
						lockdep_is_held(&siov_aux_lock));
		seq_printf(m, "%s %u %d %u %s %ld\n", ep->name, ep->pasids.max,
			   ep->aux_enabled, ep->nr_aux, siov_domain_kind(rid),
			   atomic_long_read(&ep->faults));
	}
	mutex_unlock(&siov_aux_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(siov_endpoints);

static int siov_fail_nth_set(void *data, u64 val)
{
	siov_pt_fail_nth(min_t(u64, val, U32_MAX));
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(siov_fail_nth_fops, NULL, siov_fail_nth_set,
			 "%llu\n");

/**
 * siov_fault_debugfs_init() - create /sys/kernel/debug/siov_iommu/
 *
 * Return: 0 (debugfs failures are not fatal).
 */
int siov_fault_debugfs_init(void)
{
	siov_debugfs = debugfs_create_dir("siov_iommu", NULL);
	debugfs_create_file("faults", 0444, siov_debugfs, NULL,
			    &siov_faults_fops);
	debugfs_create_file("endpoints", 0444, siov_debugfs, NULL,
			    &siov_endpoints_fops);
	debugfs_create_file_unsafe("fail_table_alloc_nth", 0200, siov_debugfs,
				   NULL, &siov_fail_nth_fops);
	return 0;
}

/** siov_fault_debugfs_exit() - remove /sys/kernel/debug/siov_iommu/ */
void siov_fault_debugfs_exit(void)
{
	debugfs_remove_recursive(siov_debugfs);
}
