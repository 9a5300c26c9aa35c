/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA interface of the simulated Scalable-IOV platform.
 *
 * The simulated endpoints of drivers/siov-pci have no bus to master: their
 * device models (the engines of samples/vfio-mdev) move data by calling
 * these functions, which translate every access through the software IOMMU
 * (drivers/siov-iommu) the way a PASID-tagged PCIe request would be:
 *
 * - @pasid 0 is a request without PASID: it goes through the domain the
 *   endpoint itself is attached to (its default identity domain while its
 *   own driver owns it, or the unmanaged domain of whoever took the whole
 *   function).  PASID 0 is never handed out by aux attach.
 * - any other @pasid goes through the aux domain attached under that PASID
 *   (iommu_aux_attach_device()/iommu_aux_get_pasid()).
 *
 * An access is checked page by page before anything is copied.  When a page
 * is not mapped, or its mapping lacks the permission the access needs, no
 * byte is transferred, a fault record (endpoint, PASID, IOVA, direction) is
 * logged and counted (/sys/kernel/debug/siov_iommu/faults), and the caller
 * gets -EFAULT (not mapped, or no domain behind the PASID) or -EPERM (wrong
 * permission).  Report it to the guest as the hardware would (an error
 * completion).
 *
 * Translation does not outlive an unmap: once iommu_unmap() or
 * iommu_unmap_fast() has returned (the IOMMU's unmap_pages waits for the
 * accesses in flight; iommu_iotlb_sync() has nothing left to do), no access
 * started earlier is still touching an unmapped page and none started later
 * can reach it; after iommu_aux_detach_device() returns, nothing reaches the
 * domain under the old PASID.  An access that races with an unmap of its own
 * buffer may therefore stop half-way with -EFAULT, having moved the bytes
 * before the unmapped page; hardware behaves the same way.
 *
 * All functions may be called from any context, including with spinlocks
 * held or interrupts disabled; they do not sleep and take no global lock.
 */
#ifndef _SIOV_DMA_H
#define _SIOV_DMA_H

#include <linux/types.h>

struct pci_dev;

/* The PASID of a request without PASID (goes through the endpoint's own domain). */
#define SIOV_DMA_NO_PASID	0

/**
 * struct siov_dma_fault - where a copy faulted, as a device reports it
 * @iova: the first address of the faulting side that could not be reached
 * @write: the faulting side is the one the endpoint writes (the destination);
 *	false: the source
 */
struct siov_dma_fault {
	u64 iova;
	bool write;
};

int siov_dma_read(struct pci_dev *pdev, u32 pasid, u64 iova, void *buf,
		  size_t len);
int siov_dma_write(struct pci_dev *pdev, u32 pasid, u64 iova, const void *buf,
		   size_t len);
int siov_dma_copy(struct pci_dev *pdev, u32 pasid, u64 dst_iova, u64 src_iova,
		  size_t len, struct siov_dma_fault *fault);

/*
 * The same through a handle of (endpoint, PASID), which a device model gets
 * when it programs a queue with a PASID and puts when it unprograms it: no
 * lookup of the domain per access, and bound to the attachment it was taken
 * on (see siov_dma_handle_get()).
 *
 * The 16- and 32-bit accessors are single-copy atomic, as a naturally
 * aligned PCIe read or write of that size is: another agent (a vCPU
 * updating a ring index) sees the old or the new value, never a mix.  The
 * address must be naturally aligned (-EINVAL otherwise); the value is as
 * stored in memory (little-endian for PCI structures).
 */
struct siov_dma_handle;

struct siov_dma_handle *siov_dma_handle_get(struct pci_dev *pdev, u32 pasid);
void siov_dma_handle_put(struct siov_dma_handle *h);
int siov_dma_handle_read(struct siov_dma_handle *h, u64 iova, void *buf,
			 size_t len);
int siov_dma_handle_write(struct siov_dma_handle *h, u64 iova,
			  const void *buf, size_t len);
int siov_dma_handle_copy(struct siov_dma_handle *h, u64 dst_iova,
			 u64 src_iova, size_t len,
			 struct siov_dma_fault *fault);
int siov_dma_handle_read16(struct siov_dma_handle *h, u64 iova, __le16 *val);
int siov_dma_handle_read32(struct siov_dma_handle *h, u64 iova, __le32 *val);
int siov_dma_handle_write16(struct siov_dma_handle *h, u64 iova, __le16 val);
int siov_dma_handle_write32(struct siov_dma_handle *h, u64 iova, __le32 val);

#endif /* _SIOV_DMA_H */
