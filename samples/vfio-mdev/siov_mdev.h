/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample core: vfio-pci emulation and the device context shared by the
 * Scalable-IOV mdev samples (siov_mdev_core.ko).
 *
 * A sample supplies a struct siov_mdev_model (PCI identity, BAR sizes,
 * MSI-X vector count, the size of its per-mdev state) and struct
 * siov_mdev_ops (its register model and engine), and binds its PCI endpoint
 * with siov_mdev_parent_register().  The core does the rest: the mdev parent
 * and types drawn from a per-parent pool of hardware queues, the vfio device
 * (config space, regions, interrupts, reset, open and close) and the device
 * context, which programs the mdev's hardware queue with the PASID of the
 * container's aux domain (see the comment above siov_mdev_ctx_program() in
 * siov_mdev_core.c).  The engine reaches memory only through
 * siov_mdev_dma_read(), siov_mdev_dma_write() and siov_mdev_dma_copy(),
 * which tag every access with that PASID.
 */
#ifndef _SIOV_MDEV_H
#define _SIOV_MDEV_H

#include <linux/iommu.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>

struct eventfd_ctx;
struct siov_dma_handle;
struct siov_mdev;
struct siov_mdev_parent;

/* Most MSI-X vectors a model may have. */
#define SIOV_MDEV_MSIX_MAX	32

/**
 * struct siov_mdev_ops - what a sample supplies: its register model and engine
 * @init: set up the per-mdev state after allocation (optional)
 * @release: undo @init; the engine is stopped (optional)
 * @bar_read: read @size (1, 2, 4 or 8) bytes at @off of memory BAR @bar;
 *	@off is naturally aligned and inside the BAR.  Called with the mdev's
 *	lock held (sleeping allowed).
 * @bar_write: write to memory BAR @bar, same rules as @bar_read
 * @quiesce: stop the engine and wait for the work in flight: after it
 *	returns, no DMA is in progress and none starts until @reset
 * @reset: put the registers in their power-on state and let the engine run
 *	again; the engine is quiesced
 */
struct siov_mdev_ops {
	int (*init)(struct siov_mdev *smdev);
	void (*release)(struct siov_mdev *smdev);
	u64 (*bar_read)(struct siov_mdev *smdev, unsigned int bar, u32 off,
			unsigned int size);
	void (*bar_write)(struct siov_mdev *smdev, unsigned int bar, u32 off,
			  unsigned int size, u64 val);
	void (*quiesce)(struct siov_mdev *smdev);
	void (*reset)(struct siov_mdev *smdev);
};

/**
 * struct siov_mdev_model - the guest-visible PCI function a sample emulates
 * @vendor: PCI vendor ID
 * @device: PCI device ID
 * @subvendor: subsystem vendor ID
 * @subdevice: subsystem ID
 * @class: class code, (base << 16) | (sub << 8) | prog-if
 * @revision: revision ID
 * @bar_size: size of each 32-bit memory BAR: 0 (none) or a power of two
 *	from 16 bytes to 1 GiB
 * @msix_vectors: MSI-X vectors (0: no MSI-X capability), at most
 *	SIOV_MDEV_MSIX_MAX
 * @msix_bar: BAR holding the MSI-X table and PBA (emulated by the core)
 * @msix_table: offset of the table in @msix_bar
 * @msix_pba: offset of the PBA in @msix_bar
 * @size: size of the sample's per-mdev structure, which embeds struct
 *	siov_mdev at offset 0
 * @ops: the register model and engine
 */
struct siov_mdev_model {
	u16 vendor;
	u16 device;
	u16 subvendor;
	u16 subdevice;
	u32 class;
	u8 revision;
	u32 bar_size[PCI_STD_NUM_BARS];
	unsigned int msix_vectors;
	unsigned int msix_bar;
	u32 msix_table;
	u32 msix_pba;
	size_t size;
	const struct siov_mdev_ops *ops;
};

/**
 * struct siov_mdev_type - an mdev type: a share of the parent's queues
 * @sysfs_name: the type's name in sysfs (after "<driver>-")
 * @pretty_name: its "name" attribute
 * @description: its "description" attribute
 * @queues: hardware queues one instance takes from the parent's pool
 */
struct siov_mdev_type {
	const char *sysfs_name;
	const char *pretty_name;
	const char *description;
	unsigned int queues;
};

/* The interrupt an mdev raises through (chosen by VFIO_DEVICE_SET_IRQS). */
enum siov_mdev_irq_mode {
	SIOV_MDEV_IRQ_NONE,
	SIOV_MDEV_IRQ_INTX,
	SIOV_MDEV_IRQ_MSI,
	SIOV_MDEV_IRQ_MSIX,
};

/**
 * struct siov_mdev - one mediated device, as the core keeps it
 * @vdev: the vfio device (must stay first)
 * @mdev: the mdev
 * @parent: the parent it was created on
 * @model: its model
 * @queue: first of its hardware queues in the parent's pool
 * @nr_queues: how many it holds
 * @lock: serialises config space, region access, ioctls, open and close
 * @domain: the aux domain while the queue is programmed, else NULL
 * @dma: the DMA handle of the queue's PASID while programmed, else NULL
 * @cfg: config space
 * @cfg_wmask: per byte, the bits a config write changes
 * @cfg_w1c: per byte, the bits a config write of 1 clears
 * @msix: MSI-X table, 4 dwords per vector
 * @msix_pba: MSI-X pending bits
 * @irq_lock: protects the interrupt state below against the engine
 * @irq_mode: which interrupt is armed
 * @intx_trigger: INTx eventfd
 * @intx_masked: INTx masked (by SET_IRQS or automatically on delivery)
 * @intx_pending: an INTx raised while masked
 * @msi_trigger: MSI eventfd
 * @msix_trigger: MSI-X eventfds
 * @req_trigger: request eventfd, signalled when the mdev is being removed
 */
struct siov_mdev {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	struct siov_mdev_parent *parent;
	const struct siov_mdev_model *model;
	unsigned int queue;
	unsigned int nr_queues;
	struct mutex lock;	/* config, regions, ioctls, open/close */
	struct iommu_domain *domain;
	struct siov_dma_handle *dma;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	u8 cfg_wmask[PCI_CFG_SPACE_EXP_SIZE];
	u8 cfg_w1c[PCI_CFG_SPACE_EXP_SIZE];
	__le32 msix[SIOV_MDEV_MSIX_MAX * 4];
	unsigned long msix_pba;
	spinlock_t irq_lock;	/* interrupt state vs the engine */
	enum siov_mdev_irq_mode irq_mode;
	struct eventfd_ctx *intx_trigger;
	bool intx_masked;
	bool intx_pending;
	struct eventfd_ctx *msi_trigger;
	struct eventfd_ctx *msix_trigger[SIOV_MDEV_MSIX_MAX];
	struct eventfd_ctx *req_trigger;
};

struct siov_mdev_parent *
siov_mdev_parent_register(struct pci_dev *pdev,
			  const struct siov_mdev_model *model,
			  const struct siov_mdev_type *types,
			  unsigned int nr_types, unsigned int nr_queues);
void siov_mdev_parent_unregister(struct siov_mdev_parent *parent);

void siov_mdev_raise_irq(struct siov_mdev *smdev, unsigned int vector);

int siov_mdev_dma_read(struct siov_mdev *smdev, u64 iova, void *buf,
		       size_t len);
int siov_mdev_dma_write(struct siov_mdev *smdev, u64 iova, const void *buf,
			size_t len);
int siov_mdev_dma_copy(struct siov_mdev *smdev, u64 dst, u64 src, size_t len);
bool siov_mdev_dma_mapped(struct siov_mdev *smdev, u64 iova, size_t len);

#endif /* _SIOV_MDEV_H */
