// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts of the mdevs: what VFIO_DEVICE_SET_IRQS arms (INTx with mask
 * and unmask, MSI, MSI-X, the error and request eventfds), how the engine
 * raises them, and the MSI-X table and PBA in the model's BAR.
 *
 * INTx is level-triggered and VFIO delivers it auto-masked: a raise while
 * masked, or while Interrupt Disable is set in the command register, is
 * latched and delivered when both are clear, as a function keeps its
 * interrupt asserted.  MSI and MSI-X are memory writes: dropped while Bus
 * Master Enable is clear.  Giving INTx a new eventfd keeps its mask and
 * pending state, as vfio-pci does.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"
#include "trace.h"

static void smdev_irq_signal(struct siov_mdev *smdev,
			     struct eventfd_ctx *trigger, unsigned int vector)
{
	if (!trigger)
		return;
	eventfd_signal(trigger, 1);
	atomic64_inc(&smdev->stats.irqs);
	trace_siov_mdev_irq(smdev, smdev->irq_mode, vector);
}

static bool smdev_irq_intx_disabled(struct siov_mdev *smdev)
{
	return smdev_cfg_command(smdev) & PCI_COMMAND_INTX_DISABLE;
}

/* Deliver a latched INTx if nothing holds it back.  Under irq_lock. */
static void smdev_irq_intx_deliver(struct siov_mdev *smdev)
{
	lockdep_assert_held(&smdev->irq_lock);
	if (smdev->irq_mode != SIOV_MDEV_IRQ_INTX || !smdev->intx_pending ||
	    smdev->intx_masked || smdev_irq_intx_disabled(smdev))
		return;
	smdev->intx_pending = false;
	smdev->intx_masked = true;
	smdev_irq_signal(smdev, smdev->intx_trigger, 0);
}

/*
 * Raise @vector: from the device (@device, gated by Bus Master Enable for
 * the message interrupts) or as a loopback trigger of SET_IRQS.
 */
static void smdev_irq_raise(struct siov_mdev *smdev, unsigned int vector,
			    bool device)
{
	bool master = smdev_cfg_command(smdev) & PCI_COMMAND_MASTER;
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	switch (smdev->irq_mode) {
	case SIOV_MDEV_IRQ_INTX:
		smdev->intx_pending = true;
		smdev_irq_intx_deliver(smdev);
		break;
	case SIOV_MDEV_IRQ_MSI:
		if (!vector && (master || !device))
			smdev_irq_signal(smdev, smdev->msi_trigger, 0);
		break;
	case SIOV_MDEV_IRQ_MSIX:
		if (vector < smdev->model->msix_vectors && (master || !device))
			smdev_irq_signal(smdev, smdev->msix_trigger[vector],
					 vector);
		break;
	case SIOV_MDEV_IRQ_NONE:
		break;
	}
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

/**
 * siov_mdev_raise_irq() - the device raises an interrupt
 * @smdev: the mdev
 * @vector: the MSI-X vector (0 for INTx and MSI)
 *
 * Delivered through whatever VFIO_DEVICE_SET_IRQS armed: INTx (masked
 * automatically until unmasked; latched while masked or while Interrupt
 * Disable is set, and delivered when both clear), MSI, or MSI-X vector
 * @vector (both dropped while Bus Master Enable is clear).  Nothing armed:
 * dropped.
 *
 * Context: any.
 */
void siov_mdev_raise_irq(struct siov_mdev *smdev, unsigned int vector)
{
	smdev_irq_raise(smdev, vector, true);
}
EXPORT_SYMBOL_GPL(siov_mdev_raise_irq);

/**
 * siov_mdev_raise_err() - the device hit an error it cannot report in-band
 * @smdev: the mdev
 *
 * Signals the eventfd of VFIO_PCI_ERR_IRQ_INDEX, as vfio-pci does for an
 * uncorrectable AER error: the VMM learns that the device needs attention
 * (QEMU stops the VM).  For DMA faults the device's own registers cannot
 * report, such as a fault on a descriptor ring itself.
 *
 * Context: any.
 */
void siov_mdev_raise_err(struct siov_mdev *smdev)
{
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	if (smdev->err_trigger)
		eventfd_signal(smdev->err_trigger, 1);
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}
EXPORT_SYMBOL_GPL(siov_mdev_raise_err);

/* Interrupt Disable went from 1 to 0: deliver what it held back. */
void smdev_irq_intx_enable(struct siov_mdev *smdev)
{
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	smdev_irq_intx_deliver(smdev);
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

/* The request eventfd, when the mdev is being removed (vfio's .request). */
void smdev_irq_request(struct siov_mdev *smdev, unsigned int count)
{
	unsigned long flags;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	if (smdev->req_trigger)
		eventfd_signal(smdev->req_trigger, 1);
	else if (!count)
		dev_notice(smdev->vdev.dev,
			   "removal waits for the user to close the device\n");
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

unsigned int smdev_irq_count(struct siov_mdev *smdev, unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_ERR_IRQ_INDEX:	/* a PCI Express function */
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return smdev->model->msix_vectors;
	default:
		return 0;
	}
}

/* Swap an eventfd under the interrupt lock; the old one is put. */
static void smdev_irq_swap(struct siov_mdev *smdev, struct eventfd_ctx **slot,
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

/* Change the interrupt mode; INTx mask and pending state start afresh. */
static void smdev_irq_set_mode(struct siov_mdev *smdev,
			       enum siov_mdev_irq_mode mode)
{
	unsigned long flags;

	if (smdev->irq_mode == mode)
		return;
	spin_lock_irqsave(&smdev->irq_lock, flags);
	smdev->irq_mode = mode;
	smdev->intx_masked = false;
	smdev->intx_pending = false;
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

static void smdev_irq_msi_disable(struct siov_mdev *smdev)
{
	unsigned int i;

	smdev_irq_swap(smdev, &smdev->msi_trigger, NULL);
	for (i = 0; i < SIOV_MDEV_MSIX_MAX; i++)
		smdev_irq_swap(smdev, &smdev->msix_trigger[i], NULL);
}

/* INTx at function reset: unmasked, nothing pending; eventfds stay. */
void smdev_irq_reset(struct siov_mdev *smdev)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&smdev->irq_lock, flags);
	smdev->intx_masked = false;
	smdev->intx_pending = false;
	/* MSI-X table: every vector masked, as after reset. */
	memset(smdev->msix, 0, sizeof(smdev->msix));
	for (i = 0; i < smdev->model->msix_vectors; i++)
		smdev->msix[i * 4 + 3] = cpu_to_le32(PCI_MSIX_ENTRY_CTRL_MASKBIT);
	spin_unlock_irqrestore(&smdev->irq_lock, flags);
}

/* Release every interrupt eventfd; the mode goes back to none. */
void smdev_irq_release(struct siov_mdev *smdev)
{
	smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
	smdev_irq_swap(smdev, &smdev->intx_trigger, NULL);
	smdev_irq_msi_disable(smdev);
	smdev_irq_swap(smdev, &smdev->err_trigger, NULL);
	smdev_irq_swap(smdev, &smdev->req_trigger, NULL);
}

static bool smdev_irq_msix_any(struct siov_mdev *smdev)
{
	unsigned int i;

	for (i = 0; i < smdev->model->msix_vectors; i++)
		if (smdev->msix_trigger[i])
			return true;
	return false;
}

static int smdev_irq_set_intx(struct siov_mdev *smdev, u32 flags,
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
		} else {
			smdev->intx_masked = false;
			smdev_irq_intx_deliver(smdev);
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
			smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
			smdev_irq_swap(smdev, &smdev->intx_trigger, NULL);
		}
		return 0;
	}
	if (type != VFIO_IRQ_SET_DATA_EVENTFD) {
		/* Loopback: fire the interrupt as the device would. */
		if (smdev->irq_mode != SIOV_MDEV_IRQ_INTX)
			return -EINVAL;
		if (set)
			smdev_irq_raise(smdev, 0, false);
		return 0;
	}
	fd = *(const s32 *)data;
	if (fd < -1)
		return -EINVAL;
	if (smdev->irq_mode != SIOV_MDEV_IRQ_NONE &&
	    smdev->irq_mode != SIOV_MDEV_IRQ_INTX)
		return -EINVAL;
	if (fd == -1) {
		smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
		smdev_irq_swap(smdev, &smdev->intx_trigger, NULL);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	smdev_irq_swap(smdev, &smdev->intx_trigger, ctx);
	/* A new eventfd for INTx keeps its mask and pending state. */
	smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_INTX);
	return 0;
}

static int smdev_irq_set_msi(struct siov_mdev *smdev, unsigned int index,
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
			smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
			smdev_irq_msi_disable(smdev);
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
				smdev_irq_raise(smdev, start + i, false);
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
		smdev_irq_swap(smdev, &slots[start + i], ctx[i]);
	any = mode == SIOV_MDEV_IRQ_MSI ? !!smdev->msi_trigger :
					  smdev_irq_msix_any(smdev);
	if (any)
		smdev_irq_set_mode(smdev, mode);
	else if (smdev->irq_mode == mode)
		smdev_irq_set_mode(smdev, SIOV_MDEV_IRQ_NONE);
	return 0;
}

/* The error and request indexes: one eventfd each, no mode. */
static int smdev_irq_set_one(struct siov_mdev *smdev,
			     struct eventfd_ctx **slot, u32 flags,
			     unsigned int count, const void *data)
{
	u32 type = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx *ctx = NULL;
	s32 fd;

	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (!count && type == VFIO_IRQ_SET_DATA_NONE) {
		smdev_irq_swap(smdev, slot, NULL);
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
	smdev_irq_swap(smdev, slot, ctx);
	return 0;
}

/* VFIO_DEVICE_SET_IRQS */
long smdev_irq_set_irqs(struct siov_mdev *smdev, void __user *arg)
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
		ret = smdev_irq_set_intx(smdev, hdr.flags, hdr.count, data);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		ret = smdev_irq_set_msi(smdev, hdr.index, hdr.flags, hdr.start,
					hdr.count, data);
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		ret = smdev_irq_set_one(smdev, &smdev->err_trigger, hdr.flags,
					hdr.count, data);
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = smdev_irq_set_one(smdev, &smdev->req_trigger, hdr.flags,
					hdr.count, data);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&smdev->lock);
	kfree(data);
	return ret;
}

/**
 * smdev_irq_msix_access() - an access to the MSI-X table or PBA
 * @smdev: the mdev
 * @bar: the BAR accessed
 * @off: where in it
 * @count: bytes
 * @write: a write
 * @val: the value written, or where the value read goes
 *
 * The table is stored for the guest to read back; delivery follows
 * VFIO_DEVICE_SET_IRQS, as for vfio-pci, where the VMM emulates the table
 * and does the masking.  The PBA therefore reads 0: nothing is ever left
 * pending here (QEMU keeps its own).
 *
 * Return: true if the access was to the table or PBA (and is done).
 */
bool smdev_irq_msix_access(struct siov_mdev *smdev, unsigned int bar,
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
			*val = 0;
		return true;
	}
	return false;
}
