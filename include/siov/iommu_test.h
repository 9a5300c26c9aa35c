/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the software IOMMU (drivers/siov-iommu) that its KUnit suite
 * and its benchmark drive directly.  Exported in the SIOV_IOMMU symbol
 * namespace (MODULE_IMPORT_NS(SIOV_IOMMU)); nothing else should use them.
 *
 * A "test endpoint" is the IOMMU's per-endpoint state (a PASID space, the
 * PASID -> domain table, fault counters) without a PCI device behind it, so
 * the aux-attach and DMA paths can be exercised before, or without,
 * drivers/siov-pci.  The same code serves real endpoints.
 */
#ifndef _SIOV_IOMMU_TEST_H
#define _SIOV_IOMMU_TEST_H

#include <linux/types.h>
#include <linux/xarray.h>

struct device;
struct iommu_domain;
struct siov_dma_fault;
struct siov_dma_handle;
struct siov_ep;

/* 20-bit PASID space (PCIe), PASID 0 reserved for requests without PASID. */
#define SIOV_PASID_BITS		20

/**
 * struct siov_pasid_space - the PASIDs of one physical endpoint
 * @xa: PASID -> owner, allocating; read under RCU
 * @max: highest PASID the endpoint can emit (0: none); changes only under
 *	 the IOMMU's aux lock, read with READ_ONCE() elsewhere
 * @next: where the cyclic allocation looks first
 */
struct siov_pasid_space {
	struct xarray xa;
	u32 max;
	u32 next;
};

void siov_pasid_space_init(struct siov_pasid_space *space, unsigned int bits);
int siov_pasid_alloc(struct siov_pasid_space *space, void *owner, u32 *pasid);
void *siov_pasid_free(struct siov_pasid_space *space, u32 pasid);
void *siov_pasid_lookup(struct siov_pasid_space *space, u32 pasid);
unsigned int siov_pasid_space_destroy(struct siov_pasid_space *space);

struct siov_ep *siov_ep_create(const char *name, unsigned int pasid_bits);
void siov_ep_destroy(struct siov_ep *ep);
int siov_ep_aux_attach(struct siov_ep *ep, struct iommu_domain *domain);
void siov_ep_aux_detach(struct siov_ep *ep, struct iommu_domain *domain);
int siov_ep_aux_get_pasid(struct siov_ep *ep, struct iommu_domain *domain);
int siov_dev_limit_pasids(struct device *dev, u32 max, u32 *old);

unsigned long siov_domain_table_pages(struct iommu_domain *domain);

int siov_ep_dma_read(struct siov_ep *ep, u32 pasid, u64 iova, void *buf,
		     size_t len);
int siov_ep_dma_write(struct siov_ep *ep, u32 pasid, u64 iova,
		      const void *buf, size_t len);
int siov_ep_dma_copy(struct siov_ep *ep, u32 pasid, u64 dst_iova,
		     u64 src_iova, size_t len, struct siov_dma_fault *fault);
struct siov_dma_handle *siov_ep_dma_handle_get(struct siov_ep *ep, u32 pasid);

/**
 * struct siov_fault - one recorded translation fault
 * @endpoint: name of the endpoint (PCI address, or a test endpoint's name)
 * @pasid: PASID of the request (0: request without PASID)
 * @iova: the first faulting address
 * @write: the request was a write to memory
 * @error: -EFAULT (not mapped) or -EPERM (permission)
 * @seq: 1 for the first fault since load, then counting up
 */
struct siov_fault {
	char endpoint[32];
	u32 pasid;
	u64 iova;
	bool write;
	int error;
	unsigned long seq;
};

unsigned long siov_fault_count(void);
bool siov_fault_last(struct siov_fault *out);

/*
 * Misuses of the IOMMU by its users, counted (and shown in debugfs) the way
 * the iommufd selftest mock checks its callers.  None of them happens in
 * correct use by the IOMMU core, vfio type1 or a parent driver.
 */
enum siov_contract {
	SIOV_CONTRACT_MAP_EXISTS,	/* map over a mapped page (-EEXIST) */
	SIOV_CONTRACT_UNMAP_HOLE,	/* unmap ran into an unmapped page */
	SIOV_CONTRACT_AUX_LEFT,		/* domain freed / endpoint removed while aux-attached */
	SIOV_CONTRACT_AUX_UNKNOWN,	/* aux detach of a pair never attached */
	SIOV_CONTRACT_KINDS
};

unsigned long siov_contract_violations(void);
unsigned long siov_contract_count(enum siov_contract kind);
void siov_pt_fail_nth(unsigned int n);

#endif /* _SIOV_IOMMU_TEST_H */
