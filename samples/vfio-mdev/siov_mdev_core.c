// SPDX-License-Identifier: GPL-2.0
/*
 * The sample core of the Scalable-IOV mdev samples: everything a sample
 * parent driver needs besides its register model and its engine.
 *
 * - The mdev parent: one per physical endpoint, with the types the sample
 *   lists; each type takes a share of the endpoint's pool of hardware
 *   queues, available_instances counts how many more fit, and a create
 *   beyond that fails with -ENOSPC and leaves nothing behind.
 * - The vfio device of each mdev: IOMMU-backed (mdev_set_iommu_device() and
 *   vfio_register_aux_iommu_dev()), so vfio type1 attaches the container's
 *   domain as an aux domain of the endpoint.
 * - The vfio-pci emulation: a 4 KiB config space with a capability chain
 *   (power management, MSI, MSI-X, PCI Express), BAR sizing, INTx pin;
 *   region access bounds-checked against every region; GET_INFO,
 *   GET_REGION_INFO, GET_IRQ_INFO, SET_IRQS (INTx with mask/unmask, MSI,
 *   MSI-X, request), RESET; open and close, close freeing every eventfd.
 * - The device context (siov_mdev_ctx_program()): the PASID the engine tags
 *   its DMA with.
 *
 * Regions are addressed like vfio-pci's: region index << 40 | offset.
 * Config space accepts reads and writes of any length inside its 4 KiB;
 * BARs accept single naturally aligned accesses of 1, 2, 4 or 8 bytes.
 * Anything else fails with -EINVAL.
 */
#include <linux/bitmap.h>
#include <linux/eventfd.h>
#include <linux/iommu.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <siov/dma.h>

#include "siov_mdev.h"

#define SIOV_MDEV_OFFSET_SHIFT	40
#define SIOV_MDEV_OFFSET_MASK	(BIT_ULL(SIOV_MDEV_OFFSET_SHIFT) - 1)
#define SIOV_MDEV_CFG_SIZE	PCI_CFG_SPACE_EXP_SIZE

/* Where the capabilities sit in config space. */
#define SIOV_MDEV_PM_POS	0x40
#define SIOV_MDEV_MSI_POS	0x50
#define SIOV_MDEV_MSIX_POS	0x70
#define SIOV_MDEV_EXP_POS	0x80
#define SIOV_MDEV_EXP_SIZE	0x3c

/* Status bits a write of 1 clears (the error bits). */
#define SIOV_MDEV_STATUS_W1C	0xf900
/* Command bits a guest may set: no I/O space (the BARs are memory). */
#define SIOV_MDEV_CMD_RW	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)

/**
 * struct siov_mdev_hwq - one hardware queue of the endpoint
 * @pasid: the PASID the queue tags its DMA with, 0 while unprogrammed
 */
struct siov_mdev_hwq {
	u32 pasid;
};

/**
 * struct siov_mdev_mtype - an mdev type of a parent
 * @type: the mdev core's view
 * @desc: the sample's description of it
 */
struct siov_mdev_mtype {
	struct mdev_type type;
	const struct siov_mdev_type *desc;
};

/**
 * struct siov_mdev_parent - one physical endpoint serving mdevs
 * @mparent: the mdev core's view
 * @pdev: the endpoint; the mdevs' iommu_device
 * @model: what its mdevs emulate
 * @lock: protects @queue_map
 * @nr_queues: size of the queue pool
 * @queue_map: queues taken by mdevs
 * @hwq: the queues' registers
 * @type_ptrs: the types, as mdev_register_parent() wants them
 * @nr_types: how many
 * @types: the types
 */
struct siov_mdev_parent {
	struct mdev_parent mparent;
	struct pci_dev *pdev;
	const struct siov_mdev_model *model;
	struct mutex lock;	/* the queue pool */
	unsigned int nr_queues;
	unsigned long *queue_map;
	struct siov_mdev_hwq *hwq;
	struct mdev_type **type_ptrs;
	unsigned int nr_types;
	struct siov_mdev_mtype types[];
};

static struct mdev_driver siov_mdev_driver;

static struct siov_mdev *vdev_to_smdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct siov_mdev, vdev);
}

static struct siov_mdev_parent *mtype_parent(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct siov_mdev_parent, mparent);
}

static const struct siov_mdev_type *mtype_desc(struct mdev_type *mtype)
{
	return container_of(mtype, struct siov_mdev_mtype, type)->desc;
}

/* Queue pool */

/*
 * Instances of @share queues that still fit.  First-fit allocation of
 * equal-sized windows leaves exactly this many places for the next ones.
 */
static unsigned int siov_mdev_pool_fit(struct siov_mdev_parent *parent,
				       unsigned int share)
{
	unsigned long pos, start = 0;
	unsigned int n = 0;

	lockdep_assert_held(&parent->lock);
	for (;;) {
		pos = bitmap_find_next_zero_area(parent->queue_map,
						 parent->nr_queues, start,
						 share, 0);
		if (pos >= parent->nr_queues)
			return n;
		n++;
		start = pos + share;
	}
}

static int siov_mdev_pool_get(struct siov_mdev_parent *parent,
			      unsigned int share, unsigned int *queue)
{
	unsigned long pos;
	int ret = 0;

	mutex_lock(&parent->lock);
	pos = bitmap_find_next_zero_area(parent->queue_map, parent->nr_queues,
					 0, share, 0);
	if (pos >= parent->nr_queues) {
		ret = -ENOSPC;
	} else {
		bitmap_set(parent->queue_map, pos, share);
		*queue = pos;
	}
	mutex_unlock(&parent->lock);
	return ret;
}

static void siov_mdev_pool_put(struct siov_mdev_parent *parent,
			       unsigned int queue, unsigned int share)
{
	mutex_lock(&parent->lock);
	bitmap_clear(parent->queue_map, queue, share);
	mutex_unlock(&parent->lock);
}

static struct siov_mdev_hwq *smdev_hwq(struct siov_mdev *smdev)
{
	return &smdev->parent->hwq[smdev->queue];
}

/*
 * The device context
 * ==================
 *
 * An mdev of a Scalable-IOV device owns a hardware queue of the physical
 * device (@iommu_device, named with mdev_set_iommu_device() at probe).  The
 * queue reaches memory with requests tagged with a PASID, and the IOMMU
 * translates each PASID through its own domain.  vfio type1 attaches the
 * container's domain to @iommu_device as an aux domain when the mdev's
 * group joins a container; the domain then gets a PASID on @iommu_device,
 * and VFIO_IOMMU_MAP_DMA/UNMAP_DMA change what that PASID reaches.
 *
 * So, when the device is opened (the container is set by then, and it
 * cannot change while the device is open) and whenever the domain may have
 * changed (here: after a reset, which looks it up again):
 *
 *	domain = iommu_get_domain_for_dev(mdev_dev(mdev));
 *	pasid = iommu_aux_get_pasid(domain, iommu_device);
 *	program the hardware queue with pasid;
 *
 * and on close and reset, before the domain can go away (close is followed
 * by the group leaving the container, which detaches the domain and frees
 * the PASID):
 *
 *	stop the queue and wait for the work in flight;
 *	unprogram the PASID from the queue;
 *
 * Nothing else is needed: the domain stays attached, and its PASID valid,
 * from the container's attach until its detach, which vfio does only when
 * no device of the group is open.  A queue is never left programmed with a
 * PASID that may be reallocated to another domain.
 */
static int siov_mdev_ctx_program(struct siov_mdev *smdev)
{
	struct device *iommu_device = mdev_get_iommu_device(smdev->mdev);
	struct siov_dma_handle *dma;
	struct iommu_domain *domain;
	int pasid;

	lockdep_assert_held(&smdev->lock);
	domain = iommu_get_domain_for_dev(mdev_dev(smdev->mdev));
	if (!domain)
		return -ENODEV;
	pasid = iommu_aux_get_pasid(domain, iommu_device);
	if (pasid < 0)
		return pasid;
	if (!pasid)
		return -EINVAL;	/* PASID 0 means "no PASID" */
	/* The queue's requests resolved to the domain once, not per access. */
	dma = siov_dma_handle_get(smdev->parent->pdev, pasid);
	if (IS_ERR(dma))
		return PTR_ERR(dma);
	smdev->domain = domain;
	WRITE_ONCE(smdev_hwq(smdev)->pasid, pasid);
	/* The handle before the engine can find it. */
	smp_store_release(&smdev->dma, dma);
	return 0;
}

static void siov_mdev_ctx_unprogram(struct siov_mdev *smdev)
{
	struct siov_dma_handle *dma = smdev->dma;

	lockdep_assert_held(&smdev->lock);
	smdev->model->ops->quiesce(smdev);
	WRITE_ONCE(smdev_hwq(smdev)->pasid, 0);
	WRITE_ONCE(smdev->dma, NULL);
	/* Quiesced: no access through the handle is in flight. */
	siov_dma_handle_put(dma);
	smdev->domain = NULL;
}

/* DMA on behalf of the engine, through the queue's PASID */

/* The queue's DMA handle, NULL while it is not programmed. */
static struct siov_dma_handle *smdev_dma(struct siov_mdev *smdev)
{
	/* Pairs with the release in siov_mdev_ctx_program(). */
	return smp_load_acquire(&smdev->dma);
}

/**
 * siov_mdev_dma_read() - the mdev's queue reads memory
 * @smdev: the mdev
 * @iova: where, in the container's address space
 * @buf: where the bytes go
 * @len: how many
 *
 * Any context; does not sleep.  The request carries the PASID the queue is
 * programmed with.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was read, a fault is recorded).
 */
int siov_mdev_dma_read(struct siov_mdev *smdev, u64 iova, void *buf,
		       size_t len)
{
	struct siov_dma_handle *dma = smdev_dma(smdev);

	return dma ? siov_dma_handle_read(dma, iova, buf, len) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_read);

/**
 * siov_mdev_dma_write() - the mdev's queue writes memory
 * @smdev: the mdev
 * @iova: where, in the container's address space
 * @buf: the bytes
 * @len: how many
 *
 * Any context; does not sleep.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was written, a fault is recorded).
 */
int siov_mdev_dma_write(struct siov_mdev *smdev, u64 iova, const void *buf,
			size_t len)
{
	struct siov_dma_handle *dma = smdev_dma(smdev);

	return dma ? siov_dma_handle_write(dma, iova, buf, len) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_write);

/**
 * siov_mdev_dma_copy() - the mdev's queue copies memory to memory
 * @smdev: the mdev
 * @dst: destination IOVA
 * @src: source IOVA
 * @len: how many bytes; keep it to a few MiB per call
 *
 * Any context; does not sleep.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was copied, a fault is recorded).
 */
int siov_mdev_dma_copy(struct siov_mdev *smdev, u64 dst, u64 src, size_t len)
{
	struct siov_dma_handle *dma = smdev_dma(smdev);

	return dma ? siov_dma_handle_copy(dma, dst, src, len) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_copy);

/**
 * siov_mdev_dma_mapped() - is an IOVA range mapped in the mdev's domain
 * @smdev: the mdev, with its queue programmed
 * @iova: start of the range
 * @len: its length
 *
 * For an engine that must tell which side of a failed copy faulted; it
 * records no fault.
 *
 * Return: true if every page of the range is mapped.
 */
bool siov_mdev_dma_mapped(struct siov_mdev *smdev, u64 iova, size_t len)
{
	struct iommu_domain *domain = READ_ONCE(smdev->domain);
	u64 end;

	if (!domain || !len || check_add_overflow(iova, (u64)len - 1, &end))
		return false;
	for (iova &= PAGE_MASK; iova <= end; iova += PAGE_SIZE) {
		if (!iommu_iova_to_phys(domain, iova))
			return false;
		if (iova + PAGE_SIZE < iova)
			break;
	}
	return true;
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_mapped);

/* Interrupts */

static void smdev_signal(struct eventfd_ctx *trigger)
{
	if (trigger)
		eventfd_signal(trigger, 1);
}

static bool smdev_intx_disabled(struct siov_mdev *smdev)
{
	u16 cmd = READ_ONCE(smdev->cfg[PCI_COMMAND + 1]) << 8;

	return cmd & PCI_COMMAND_INTX_DISABLE;
}

/**
 * siov_mdev_raise_irq() - the device raises an interrupt
 * @smdev: the mdev
 * @vector: the MSI-X vector (0 for INTx and MSI)
 *
 * Delivered through whatever VFIO_DEVICE_SET_IRQS armed: INTx (masked
 * automatically until unmasked; raised while masked, it is delivered at
 * the unmask; not at all while Interrupt Disable is set in the command
 * register), MSI, or MSI-X vector @vector.  Nothing armed: dropped.
 * Any context.
 */
void siov_mdev_raise_irq(struct siov_mdev *smdev, unsigned int vector)
{
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	switch (smdev->irq_mode) {
	case SIOV_MDEV_IRQ_INTX:
		if (smdev_intx_disabled(smdev))
			break;
		if (smdev->intx_masked) {
			smdev->intx_pending = true;
		} else {
			smdev_signal(smdev->intx_trigger);
			smdev->intx_masked = true;
		}
		break;
	case SIOV_MDEV_IRQ_MSI:
		if (!vector)
			smdev_signal(smdev->msi_trigger);
		break;
	case SIOV_MDEV_IRQ_MSIX:
		if (vector < smdev->model->msix_vectors)
			smdev_signal(smdev->msix_trigger[vector]);
		break;
	case SIOV_MDEV_IRQ_NONE:
		break;
	}
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}
EXPORT_SYMBOL_GPL(siov_mdev_raise_irq);

static unsigned int smdev_irq_count(struct siov_mdev *smdev,
				    unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return smdev->model->msix_vectors;
	default:
		return 0;
	}
}

/* Swap an eventfd under the interrupt lock; the old one is put. */
static void smdev_swap_trigger(struct siov_mdev *smdev,
			       struct eventfd_ctx **slot,
			       struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	old = *slot;
	*slot = ctx;
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
	if (old)
		eventfd_ctx_put(old);
}

static void smdev_set_mode(struct siov_mdev *smdev,
			   enum siov_mdev_irq_mode mode)
{
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	smdev->irq_mode = mode;
	smdev->intx_masked = false;
	smdev->intx_pending = false;
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

static void smdev_msi_disable(struct siov_mdev *smdev)
{
	unsigned int i;

	smdev_swap_trigger(smdev, &smdev->msi_trigger, NULL);
	for (i = 0; i < SIOV_MDEV_MSIX_MAX; i++)
		smdev_swap_trigger(smdev, &smdev->msix_trigger[i], NULL);
}

/* Release every interrupt eventfd; the mode goes back to none. */
static void smdev_irqs_release(struct siov_mdev *smdev)
{
	smdev_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
	smdev_swap_trigger(smdev, &smdev->intx_trigger, NULL);
	smdev_msi_disable(smdev);
	smdev_swap_trigger(smdev, &smdev->req_trigger, NULL);
}

static bool smdev_msix_any(struct siov_mdev *smdev)
{
	unsigned int i;

	for (i = 0; i < smdev->model->msix_vectors; i++)
		if (smdev->msix_trigger[i])
			return true;
	return false;
}

static int smdev_set_intx(struct siov_mdev *smdev, u32 flags,
			  unsigned int count, const void *data)
{
	u32 action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	u32 type = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx *ctx;
	unsigned long irqflags;
	bool set = true;
	s32 fd;

	/* DATA_BOOL and DATA_EVENTFD carry @count entries: none when 0. */
	if (type == VFIO_IRQ_SET_DATA_BOOL && count)
		set = *(const u8 *)data;

	switch (action) {
	case VFIO_IRQ_SET_ACTION_MASK:
	case VFIO_IRQ_SET_ACTION_UNMASK:
		if (!count || type == VFIO_IRQ_SET_DATA_EVENTFD)
			return -EINVAL;
		if (smdev->irq_mode != SIOV_MDEV_IRQ_INTX)
			return -EINVAL;
		if (!set)
			return 0;
		spin_lock_irqsave(&smdev->irq_lock, irqflags);
		if (action == VFIO_IRQ_SET_ACTION_MASK) {
			smdev->intx_masked = true;
		} else if (smdev->intx_pending) {
			smdev->intx_pending = false;
			smdev_signal(smdev->intx_trigger);
		} else {
			smdev->intx_masked = false;
		}
		spin_unlock_irqrestore(&smdev->irq_lock, irqflags);
		return 0;
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		break;
	default:
		return -EINVAL;
	}

	if (!count) {
		if (type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		if (smdev->irq_mode == SIOV_MDEV_IRQ_INTX) {
			smdev_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
			smdev_swap_trigger(smdev, &smdev->intx_trigger, NULL);
		}
		return 0;
	}
	if (type != VFIO_IRQ_SET_DATA_EVENTFD) {
		/* Loopback: fire the interrupt as the device would. */
		if (smdev->irq_mode != SIOV_MDEV_IRQ_INTX)
			return -EINVAL;
		if (set)
			siov_mdev_raise_irq(smdev, 0);
		return 0;
	}
	fd = *(const s32 *)data;
	if (fd < -1)
		return -EINVAL;
	if (smdev->irq_mode != SIOV_MDEV_IRQ_NONE &&
	    smdev->irq_mode != SIOV_MDEV_IRQ_INTX)
		return -EINVAL;
	if (fd == -1) {
		smdev_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
		smdev_swap_trigger(smdev, &smdev->intx_trigger, NULL);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	smdev_swap_trigger(smdev, &smdev->intx_trigger, ctx);
	smdev_set_mode(smdev, SIOV_MDEV_IRQ_INTX);
	return 0;
}

static int smdev_set_msi(struct siov_mdev *smdev, unsigned int index,
			 u32 flags, unsigned int start, unsigned int count,
			 const void *data)
{
	enum siov_mdev_irq_mode mode = index == VFIO_PCI_MSI_IRQ_INDEX ?
				       SIOV_MDEV_IRQ_MSI : SIOV_MDEV_IRQ_MSIX;
	u32 type = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx *ctx[SIOV_MDEV_MSIX_MAX] = { };
	struct eventfd_ctx **slots;
	unsigned int i;
	bool any;

	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;	/* no masking of MSI/MSI-X through VFIO */
	slots = mode == SIOV_MDEV_IRQ_MSI ? &smdev->msi_trigger :
					    smdev->msix_trigger;

	if (!count) {
		if (type != VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		if (smdev->irq_mode == mode) {
			smdev_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
			smdev_msi_disable(smdev);
		}
		return 0;
	}
	if (smdev->irq_mode != SIOV_MDEV_IRQ_NONE && smdev->irq_mode != mode)
		return -EINVAL;
	if (type != VFIO_IRQ_SET_DATA_EVENTFD) {
		if (smdev->irq_mode != mode)
			return -EINVAL;
		for (i = 0; i < count; i++)
			if (type == VFIO_IRQ_SET_DATA_NONE ||
			    ((const u8 *)data)[i])
				siov_mdev_raise_irq(smdev, start + i);
		return 0;
	}

	/* All eventfds first, so that a bad one changes nothing. */
	for (i = 0; i < count; i++) {
		s32 fd = ((const s32 *)data)[i];

		if (fd == -1)
			continue;
		ctx[i] = fd < 0 ? ERR_PTR(-EINVAL) : eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx[i])) {
			int ret = PTR_ERR(ctx[i]);

			while (i--)
				if (ctx[i])
					eventfd_ctx_put(ctx[i]);
			return ret;
		}
	}
	for (i = 0; i < count; i++)
		smdev_swap_trigger(smdev, &slots[start + i], ctx[i]);
	any = mode == SIOV_MDEV_IRQ_MSI ? !!smdev->msi_trigger :
					  smdev_msix_any(smdev);
	if (any && smdev->irq_mode != mode)
		smdev_set_mode(smdev, mode);
	else if (!any && smdev->irq_mode == mode)
		smdev_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
	return 0;
}

static int smdev_set_req(struct siov_mdev *smdev, u32 flags,
			 unsigned int count, const void *data)
{
	u32 type = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx *ctx = NULL;
	s32 fd;

	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (!count && type == VFIO_IRQ_SET_DATA_NONE) {
		smdev_swap_trigger(smdev, &smdev->req_trigger, NULL);
		return 0;
	}
	if (type != VFIO_IRQ_SET_DATA_EVENTFD || !count)
		return -EINVAL;
	fd = *(const s32 *)data;
	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	smdev_swap_trigger(smdev, &smdev->req_trigger, ctx);
	return 0;
}

static long smdev_ioctl_set_irqs(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	u32 action;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 smdev_irq_count(smdev, hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	action = hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	if (hweight32(action) != 1)
		return -EINVAL;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&smdev->lock);
	switch (hdr.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		ret = smdev_set_intx(smdev, hdr.flags, hdr.count, data);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		ret = smdev_set_msi(smdev, hdr.index, hdr.flags, hdr.start,
				    hdr.count, data);
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = smdev_set_req(smdev, hdr.flags, hdr.count, data);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&smdev->lock);
	kfree(data);
	return ret;
}

/* Config space */

static void cfg_put(u8 *space, unsigned int pos, unsigned int size, u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		space[pos + i] = val >> (8 * i);
}

/* A register: its reset value, the bits writes change, the bits 1 clears. */
static void cfg_reg(struct siov_mdev *smdev, unsigned int pos,
		    unsigned int size, u32 val, u32 wmask, u32 w1c)
{
	cfg_put(smdev->cfg, pos, size, val);
	cfg_put(smdev->cfg_wmask, pos, size, wmask);
	cfg_put(smdev->cfg_w1c, pos, size, w1c);
}

/* Config space and MSI-X table at power-on. */
static void siov_mdev_cfg_init(struct siov_mdev *smdev)
{
	const struct siov_mdev_model *m = smdev->model;
	unsigned int bar, i;
	u8 next;

	memset(smdev->cfg, 0, sizeof(smdev->cfg));
	memset(smdev->cfg_wmask, 0, sizeof(smdev->cfg_wmask));
	memset(smdev->cfg_w1c, 0, sizeof(smdev->cfg_w1c));

	cfg_reg(smdev, PCI_VENDOR_ID, 2, m->vendor, 0, 0);
	cfg_reg(smdev, PCI_DEVICE_ID, 2, m->device, 0, 0);
	cfg_reg(smdev, PCI_COMMAND, 2, 0, SIOV_MDEV_CMD_RW, 0);
	cfg_reg(smdev, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
		SIOV_MDEV_STATUS_W1C);
	cfg_reg(smdev, PCI_CLASS_REVISION, 4, m->class << 8 | m->revision,
		0, 0);
	cfg_reg(smdev, PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0);
	cfg_reg(smdev, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL, 0, 0);
	/* 32-bit memory BARs: the size bits read back as 0 (sizing). */
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (m->bar_size[bar])
			cfg_reg(smdev, PCI_BASE_ADDRESS_0 + 4 * bar, 4,
				PCI_BASE_ADDRESS_SPACE_MEMORY |
				PCI_BASE_ADDRESS_MEM_TYPE_32,
				~(m->bar_size[bar] - 1), 0);
	cfg_reg(smdev, PCI_SUBSYSTEM_VENDOR_ID, 2, m->subvendor, 0, 0);
	cfg_reg(smdev, PCI_SUBSYSTEM_ID, 2, m->subdevice, 0, 0);
	cfg_reg(smdev, PCI_CAPABILITY_LIST, 1, SIOV_MDEV_PM_POS, 0, 0);
	cfg_reg(smdev, PCI_INTERRUPT_LINE, 1, 0, 0xff, 0);
	cfg_reg(smdev, PCI_INTERRUPT_PIN, 1, 1, 0, 0);	/* INTA# */

	/* Power management v3: D0 and D3hot, no soft reset on D3hot->D0. */
	cfg_reg(smdev, SIOV_MDEV_PM_POS, 2,
		SIOV_MDEV_MSI_POS << 8 | PCI_CAP_ID_PM, 0, 0);
	cfg_reg(smdev, SIOV_MDEV_PM_POS + PCI_PM_PMC, 2, 3, 0, 0);
	cfg_reg(smdev, SIOV_MDEV_PM_POS + PCI_PM_CTRL, 2,
		PCI_PM_CTRL_NO_SOFT_RESET, PCI_PM_CTRL_STATE_MASK, 0);

	/* MSI: one vector, 64-bit address. */
	next = m->msix_vectors ? SIOV_MDEV_MSIX_POS : SIOV_MDEV_EXP_POS;
	cfg_reg(smdev, SIOV_MDEV_MSI_POS, 2, next << 8 | PCI_CAP_ID_MSI, 0, 0);
	cfg_reg(smdev, SIOV_MDEV_MSI_POS + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT,
		PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE, 0);
	cfg_reg(smdev, SIOV_MDEV_MSI_POS + PCI_MSI_ADDRESS_LO, 4, 0,
		0xfffffffc, 0);
	cfg_reg(smdev, SIOV_MDEV_MSI_POS + PCI_MSI_ADDRESS_HI, 4, 0,
		0xffffffff, 0);
	cfg_reg(smdev, SIOV_MDEV_MSI_POS + PCI_MSI_DATA_64, 2, 0, 0xffff, 0);

	if (m->msix_vectors) {
		cfg_reg(smdev, SIOV_MDEV_MSIX_POS, 2,
			SIOV_MDEV_EXP_POS << 8 | PCI_CAP_ID_MSIX, 0, 0);
		cfg_reg(smdev, SIOV_MDEV_MSIX_POS + PCI_MSIX_FLAGS, 2,
			m->msix_vectors - 1,
			PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 0);
		cfg_reg(smdev, SIOV_MDEV_MSIX_POS + PCI_MSIX_TABLE, 4,
			m->msix_table | m->msix_bar, 0, 0);
		cfg_reg(smdev, SIOV_MDEV_MSIX_POS + PCI_MSIX_PBA, 4,
			m->msix_pba | m->msix_bar, 0, 0);
	}

	/* PCI Express v2, Root Complex Integrated Endpoint: no link. */
	cfg_reg(smdev, SIOV_MDEV_EXP_POS, 2, PCI_CAP_ID_EXP, 0, 0);
	cfg_reg(smdev, SIOV_MDEV_EXP_POS + PCI_EXP_FLAGS, 2,
		PCI_EXP_TYPE_RC_END << 4 | 2, 0, 0);
	cfg_reg(smdev, SIOV_MDEV_EXP_POS + PCI_EXP_DEVCTL, 2,
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN,
		PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
		PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
		PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
		PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ, 0);
	cfg_reg(smdev, SIOV_MDEV_EXP_POS + PCI_EXP_DEVSTA, 2, 0, 0,
		PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
		PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	/* Extended config space from 100h: an empty capability list. */

	/* MSI-X table: every vector masked, as after reset. */
	memset(smdev->msix, 0, sizeof(smdev->msix));
	for (i = 0; i < m->msix_vectors; i++)
		smdev->msix[i * 4 + 3] = cpu_to_le32(PCI_MSIX_ENTRY_CTRL_MASKBIT);
	smdev->msix_pba = 0;
}

static void siov_mdev_cfg_write(struct siov_mdev *smdev, unsigned int pos,
				const u8 *buf, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++, pos++) {
		u8 wm = smdev->cfg_wmask[pos], w1c = smdev->cfg_w1c[pos];
		u8 val = (smdev->cfg[pos] & ~wm) | (buf[i] & wm);

		WRITE_ONCE(smdev->cfg[pos], val & ~(buf[i] & w1c));
	}
}

static ssize_t siov_mdev_cfg_rw(struct siov_mdev *smdev, char __user *ubuf,
				size_t count, u64 off, bool write)
{
	u8 *buf;
	ssize_t ret = count;

	if (off >= SIOV_MDEV_CFG_SIZE || count > SIOV_MDEV_CFG_SIZE - off)
		return -EINVAL;
	if (write) {
		buf = memdup_user(ubuf, count);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		mutex_lock(&smdev->lock);
		siov_mdev_cfg_write(smdev, off, buf, count);
		mutex_unlock(&smdev->lock);
	} else {
		buf = kmalloc(count, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		mutex_lock(&smdev->lock);
		memcpy(buf, smdev->cfg + off, count);
		mutex_unlock(&smdev->lock);
		if (copy_to_user(ubuf, buf, count))
			ret = -EFAULT;
	}
	kfree(buf);
	return ret;
}

/* BARs */

/* The MSI-X table and PBA, which the core emulates for the model. */
static bool smdev_msix_access(struct siov_mdev *smdev, unsigned int bar,
			      u64 off, size_t count, bool write, u64 *val)
{
	const struct siov_mdev_model *m = smdev->model;
	u32 table_end = m->msix_table + m->msix_vectors * PCI_MSIX_ENTRY_SIZE;
	unsigned long flags;

	if (!m->msix_vectors || bar != m->msix_bar)
		return false;
	if (off >= m->msix_table && off + count <= table_end) {
		u8 *table = (u8 *)smdev->msix + (off - m->msix_table);
		__le64 v = cpu_to_le64(*val);

		/*
		 * Stored for the guest to read back.  Delivery follows
		 * VFIO_DEVICE_SET_IRQS, as for vfio-pci, where the VMM does
		 * the masking.
		 */
		spin_lock_irqsave(&smdev->irq_lock, flags);
		if (write) {
			memcpy(table, &v, count);
		} else {
			v = 0;
			memcpy(&v, table, count);
			*val = le64_to_cpu(v);
		}
		spin_unlock_irqrestore(&smdev->irq_lock, flags);
		return true;
	}
	if (off >= m->msix_pba && off + count <= m->msix_pba + sizeof(u64)) {
		if (!write)
			*val = 0;	/* nothing is ever left pending */
		return true;
	}
	return false;
}

static ssize_t siov_mdev_bar_rw(struct siov_mdev *smdev, unsigned int bar,
				char __user *ubuf, size_t count, u64 off,
				bool write)
{
	const struct siov_mdev_ops *ops = smdev->model->ops;
	u32 size = smdev->model->bar_size[bar];
	__le64 le = 0;
	u64 val = 0;

	if (!size || (count != 1 && count != 2 && count != 4 && count != 8) ||
	    off >= size || count > size - off || off & (count - 1))
		return -EINVAL;
	if (write) {
		if (copy_from_user(&le, ubuf, count))
			return -EFAULT;
		val = le64_to_cpu(le);
	}
	mutex_lock(&smdev->lock);
	if (!smdev_msix_access(smdev, bar, off, count, write, &val)) {
		if (write)
			ops->bar_write(smdev, bar, off, count, val);
		else
			val = ops->bar_read(smdev, bar, off, count);
	}
	mutex_unlock(&smdev->lock);
	if (!write) {
		le = cpu_to_le64(val);
		if (copy_to_user(ubuf, &le, count))
			return -EFAULT;
	}
	return count;
}

static ssize_t siov_mdev_rw(struct siov_mdev *smdev, char __user *ubuf,
			    size_t count, loff_t *ppos, bool write)
{
	u64 pos = *ppos, off = pos & SIOV_MDEV_OFFSET_MASK;
	u64 index = pos >> SIOV_MDEV_OFFSET_SHIFT;
	ssize_t ret;

	if (*ppos < 0 || !count)
		return -EINVAL;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		ret = siov_mdev_cfg_rw(smdev, ubuf, count, off, write);
	else if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		ret = siov_mdev_bar_rw(smdev, index, ubuf, count, off, write);
	else
		ret = -EINVAL;
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t siov_mdev_read(struct vfio_device *vdev, char __user *buf,
			      size_t count, loff_t *ppos)
{
	return siov_mdev_rw(vdev_to_smdev(vdev), buf, count, ppos, false);
}

static ssize_t siov_mdev_write(struct vfio_device *vdev,
			       const char __user *buf, size_t count,
			       loff_t *ppos)
{
	return siov_mdev_rw(vdev_to_smdev(vdev), (char __user *)buf, count,
			    ppos, true);
}

/* ioctls */

static long smdev_ioctl_get_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long smdev_ioctl_region_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.cap_offset = 0;
	info.offset = (u64)info.index << SIOV_MDEV_OFFSET_SHIFT;
	info.size = 0;
	info.flags = 0;
	if (info.index == VFIO_PCI_CONFIG_REGION_INDEX)
		info.size = SIOV_MDEV_CFG_SIZE;
	else if (info.index <= VFIO_PCI_BAR5_REGION_INDEX)
		info.size = smdev->model->bar_size[info.index];
	if (info.size)
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long smdev_ioctl_irq_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.count = smdev_irq_count(smdev, info.index);
	info.flags = 0;
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED;
	else if (info.count)
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Function reset: the queue is stopped and unprogrammed, then set up anew. */
static int siov_mdev_reset(struct siov_mdev *smdev)
{
	unsigned long flags;
	int ret;

	mutex_lock(&smdev->lock);
	siov_mdev_ctx_unprogram(smdev);
	siov_mdev_cfg_init(smdev);
	spin_lock_irqsave(&smdev->irq_lock, flags);
	smdev->intx_masked = false;
	smdev->intx_pending = false;
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
	smdev->model->ops->reset(smdev);
	ret = siov_mdev_ctx_program(smdev);
	mutex_unlock(&smdev->lock);
	return ret;
}

static long siov_mdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			    unsigned long arg)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return smdev_ioctl_get_info(smdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return smdev_ioctl_region_info(smdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return smdev_ioctl_irq_info(smdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return smdev_ioctl_set_irqs(smdev, uarg);
	case VFIO_DEVICE_RESET:
		return siov_mdev_reset(smdev);
	default:
		return -ENOTTY;
	}
}

/* Open, close, removal */

static int siov_mdev_open_device(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	int ret;

	mutex_lock(&smdev->lock);
	siov_mdev_cfg_init(smdev);
	smdev->model->ops->reset(smdev);
	ret = siov_mdev_ctx_program(smdev);
	if (ret)
		smdev->model->ops->quiesce(smdev);
	mutex_unlock(&smdev->lock);
	if (ret)
		dev_err(vdev->dev, "cannot program the queue: %d\n", ret);
	return ret;
}

static void siov_mdev_close_device(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);

	mutex_lock(&smdev->lock);
	siov_mdev_ctx_unprogram(smdev);
	smdev_irqs_release(smdev);
	mutex_unlock(&smdev->lock);
}

static void siov_mdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	if (smdev->req_trigger)
		eventfd_signal(smdev->req_trigger, 1);
	else if (!count)
		dev_notice(vdev->dev, "removal waits for the user to close the device\n");
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

static int siov_mdev_init_dev(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct siov_mdev_parent *parent = mtype_parent(mdev->type);
	int ret;

	smdev->mdev = mdev;
	smdev->parent = parent;
	smdev->model = parent->model;
	smdev->nr_queues = mtype_desc(mdev->type)->queues;
	mutex_init(&smdev->lock);
	spin_lock_init(&smdev->irq_lock);
	ret = siov_mdev_pool_get(parent, smdev->nr_queues, &smdev->queue);
	if (ret)
		goto err;
	siov_mdev_cfg_init(smdev);
	if (smdev->model->ops->init) {
		ret = smdev->model->ops->init(smdev);
		if (ret) {
			siov_mdev_pool_put(parent, smdev->queue,
					   smdev->nr_queues);
			goto err;
		}
	}
	return 0;
err:
	mutex_destroy(&smdev->lock);
	return ret;
}

/* Give the queues back; the parent may not outlive this call. */
static void siov_mdev_queues_put(struct siov_mdev *smdev)
{
	if (smdev->nr_queues)
		siov_mdev_pool_put(smdev->parent, smdev->queue,
				   smdev->nr_queues);
	smdev->nr_queues = 0;
}

static void siov_mdev_release_dev(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);

	if (smdev->model->ops->release)
		smdev->model->ops->release(smdev);
	siov_mdev_queues_put(smdev);
	mutex_destroy(&smdev->lock);
	vfio_free_device(vdev);
}

static const struct vfio_device_ops siov_mdev_vfio_ops = {
	.name		= "siov-mdev",
	.init		= siov_mdev_init_dev,
	.release	= siov_mdev_release_dev,
	.open_device	= siov_mdev_open_device,
	.close_device	= siov_mdev_close_device,
	.read		= siov_mdev_read,
	.write		= siov_mdev_write,
	.ioctl		= siov_mdev_ioctl,
	.request	= siov_mdev_request,
};

/* The mdev driver, shared by every sample's parents */

static int siov_mdev_probe(struct mdev_device *mdev)
{
	struct siov_mdev_parent *parent = mtype_parent(mdev->type);
	struct vfio_device *vdev;
	int ret;

	vdev = _vfio_alloc_device(parent->model->size, &mdev->dev,
				  &siov_mdev_vfio_ops);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	mdev_set_iommu_device(mdev, &parent->pdev->dev);
	dev_set_drvdata(&mdev->dev, vdev_to_smdev(vdev));
	ret = vfio_register_aux_iommu_dev(vdev);
	if (ret) {
		dev_set_drvdata(&mdev->dev, NULL);
		mdev_set_iommu_device(mdev, NULL);
		vfio_put_device(vdev);
		return ret;
	}
	return 0;
}

static void siov_mdev_remove(struct mdev_device *mdev)
{
	struct siov_mdev *smdev = dev_get_drvdata(&mdev->dev);

	/* Waits until the user has closed the device (see .request). */
	vfio_unregister_group_dev(&smdev->vdev);
	/* The queue is unprogrammed and idle: back to the pool right away. */
	siov_mdev_queues_put(smdev);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&smdev->vdev);
}

static unsigned int siov_mdev_get_available(struct mdev_type *mtype)
{
	struct siov_mdev_parent *parent = mtype_parent(mtype);
	unsigned int n;

	mutex_lock(&parent->lock);
	n = siov_mdev_pool_fit(parent, mtype_desc(mtype)->queues);
	mutex_unlock(&parent->lock);
	return n;
}

static ssize_t siov_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	return sysfs_emit(buf, "%s\n", mtype_desc(mtype)->description);
}

/* Per mdev: siov/pasid (the queue's PASID, or "none") and siov/queue. */
static ssize_t pasid_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct siov_mdev *smdev = dev_get_drvdata(dev);
	u32 pasid = READ_ONCE(smdev_hwq(smdev)->pasid);

	return pasid ? sysfs_emit(buf, "%u\n", pasid) : sysfs_emit(buf, "none\n");
}
static DEVICE_ATTR_RO(pasid);

static ssize_t queue_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct siov_mdev *smdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u %u\n", smdev->queue,
			  mtype_desc(smdev->mdev->type)->queues);
}
static DEVICE_ATTR_RO(queue);

static struct attribute *siov_mdev_attrs[] = {
	&dev_attr_pasid.attr,
	&dev_attr_queue.attr,
	NULL
};

static const struct attribute_group siov_mdev_group = {
	.name = "siov",
	.attrs = siov_mdev_attrs,
};

static const struct attribute_group *siov_mdev_groups[] = {
	&siov_mdev_group,
	NULL
};

static struct mdev_driver siov_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "siov_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = siov_mdev_groups,
	},
	.probe = siov_mdev_probe,
	.remove = siov_mdev_remove,
	.get_available = siov_mdev_get_available,
	.show_description = siov_mdev_show_description,
};

/* Parents */

static bool siov_mdev_model_ok(const struct siov_mdev_model *m)
{
	unsigned int bar;

	if (!m->ops || !m->ops->bar_read || !m->ops->bar_write ||
	    !m->ops->quiesce || !m->ops->reset ||
	    m->size < sizeof(struct siov_mdev) ||
	    m->msix_vectors > SIOV_MDEV_MSIX_MAX)
		return false;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		u32 size = m->bar_size[bar];

		if (size && (!is_power_of_2(size) || size < 16 || size > SZ_1G))
			return false;
	}
	if (m->msix_vectors) {
		u32 size = m->msix_bar < PCI_STD_NUM_BARS ?
			   m->bar_size[m->msix_bar] : 0;

		if (m->msix_table & 7 || m->msix_pba & 7 ||
		    m->msix_table + m->msix_vectors * PCI_MSIX_ENTRY_SIZE > size ||
		    m->msix_pba + sizeof(u64) > size)
			return false;
	}
	return true;
}

/**
 * siov_mdev_parent_register() - make a physical endpoint an mdev parent
 * @pdev: the endpoint, bound to the caller's PCI driver, behind an IOMMU
 *	with aux-domain support
 * @model: what the mdevs emulate; must outlive the parent
 * @types: the mdev types; must outlive the parent
 * @nr_types: how many
 * @nr_queues: the hardware queues the endpoint has for mdevs
 *
 * Enables IOMMU_DEV_FEAT_AUX on @pdev and registers it with the mdev core.
 * Types are named "<PCI driver name>-<sysfs_name>".
 *
 * Return: the parent, or an ERR_PTR(): -EINVAL for a bad model or type,
 * -ENODEV if @pdev cannot do aux domains, -ENOMEM, or what
 * mdev_register_parent() returns.
 */
struct siov_mdev_parent *
siov_mdev_parent_register(struct pci_dev *pdev,
			  const struct siov_mdev_model *model,
			  const struct siov_mdev_type *types,
			  unsigned int nr_types, unsigned int nr_queues)
{
	struct siov_mdev_parent *parent;
	unsigned int i;
	int ret;

	if (!siov_mdev_model_ok(model) || !nr_types || !nr_queues)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < nr_types; i++)
		if (!types[i].queues || types[i].queues > nr_queues)
			return ERR_PTR(-EINVAL);

	parent = kzalloc(struct_size(parent, types, nr_types), GFP_KERNEL);
	if (!parent)
		return ERR_PTR(-ENOMEM);
	parent->pdev = pdev;
	parent->model = model;
	parent->nr_queues = nr_queues;
	parent->nr_types = nr_types;
	mutex_init(&parent->lock);
	parent->queue_map = bitmap_zalloc(nr_queues, GFP_KERNEL);
	parent->hwq = kcalloc(nr_queues, sizeof(*parent->hwq), GFP_KERNEL);
	parent->type_ptrs = kcalloc(nr_types, sizeof(*parent->type_ptrs),
				    GFP_KERNEL);
	if (!parent->queue_map || !parent->hwq || !parent->type_ptrs) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < nr_types; i++) {
		parent->types[i].desc = &types[i];
		parent->types[i].type.sysfs_name = types[i].sysfs_name;
		parent->types[i].type.pretty_name = types[i].pretty_name;
		parent->type_ptrs[i] = &parent->types[i].type;
	}

	ret = iommu_dev_enable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
	if (ret) {
		pci_err(pdev, "no aux-domain support (%d): cannot serve mdevs\n",
			ret);
		ret = -ENODEV;
		goto err_free;
	}
	ret = mdev_register_parent(&parent->mparent, &pdev->dev,
				   &siov_mdev_driver, parent->type_ptrs,
				   nr_types);
	if (ret)
		goto err_aux;
	return parent;

err_aux:
	iommu_dev_disable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
err_free:
	kfree(parent->type_ptrs);
	kfree(parent->hwq);
	bitmap_free(parent->queue_map);
	mutex_destroy(&parent->lock);
	kfree(parent);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(siov_mdev_parent_register);

/**
 * siov_mdev_parent_unregister() - undo siov_mdev_parent_register()
 * @parent: the parent
 *
 * Removes every mdev of the parent first, which waits until their users
 * have closed them.
 */
void siov_mdev_parent_unregister(struct siov_mdev_parent *parent)
{
	struct pci_dev *pdev = parent->pdev;

	mdev_unregister_parent(&parent->mparent);
	if (!bitmap_empty(parent->queue_map, parent->nr_queues))
		pci_err(pdev, "queues still taken after the last mdev went\n");
	iommu_dev_disable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
	kfree(parent->type_ptrs);
	kfree(parent->hwq);
	bitmap_free(parent->queue_map);
	mutex_destroy(&parent->lock);
	kfree(parent);
}
EXPORT_SYMBOL_GPL(siov_mdev_parent_unregister);

static int __init siov_mdev_core_init(void)
{
	return mdev_register_driver(&siov_mdev_driver);
}

static void __exit siov_mdev_core_exit(void)
{
	mdev_unregister_driver(&siov_mdev_driver);
}

module_init(siov_mdev_core_init);
module_exit(siov_mdev_core_exit);

MODULE_DESCRIPTION("vfio-pci emulation and device context for the Scalable-IOV mdev samples");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
