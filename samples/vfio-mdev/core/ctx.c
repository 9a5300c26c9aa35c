// SPDX-License-Identifier: GPL-2.0
/*
 * The device context (see "Device context" in siov_mdev.h): programming
 * the mdev's queues with the PASID of the container's aux domain, and the
 * engine's DMA through that PASID.
 *
 * This is the file a driver author porting a sample to real hardware
 * reads: smdev_ctx_program() and smdev_ctx_unprogram() are the whole
 * sequence, and the lines marked "simulation only" are what a device with
 * its own bus master does not need.
 */
#include <linux/iommu.h>

#include <siov/dma.h>

#include "core.h"
#include "trace.h"

/*
 * Program the queues.  Called with the engine stopped: on open and after a
 * function reset.
 */
int smdev_ctx_program(struct siov_mdev *smdev)
{
	struct device *iommu_device = mdev_get_iommu_device(smdev->mdev);
	struct siov_dma_handle *dma;
	struct iommu_domain *domain;
	int pasid;

	lockdep_assert_held(&smdev->lock);
	domain = iommu_aux_get_domain_for_dev(mdev_dev(smdev->mdev));
	if (!domain)
		return -ENODEV;
	pasid = iommu_aux_get_pasid(domain, iommu_device);
	if (pasid < 0)
		return pasid;
	if (!pasid)
		return -EINVAL;	/* PASID 0 means "no PASID" */

	/* Simulation only: the simulated queues' requests go through this. */
	dma = siov_dma_handle_get(smdev->parent->pdev, pasid);
	if (IS_ERR(dma))
		return PTR_ERR(dma);

	smdev->model->ops->program_pasid(smdev, pasid);
	smdev->ctx.domain = domain;
	WRITE_ONCE(smdev->ctx.pasid, pasid);	/* read by the fault tracepoint */
	/* The handle before an engine can find it. */
	smp_store_release(&smdev->ctx.dma, dma);
	trace_siov_mdev_ctx_program(smdev, pasid);
	return 0;
}

/*
 * Unprogram the queues; the engine is stopped and the batch in flight has
 * finished.  Called on close and before a function reset, while the domain
 * is still attached.
 */
void smdev_ctx_unprogram(struct siov_mdev *smdev)
{
	struct siov_dma_handle *dma = smdev->ctx.dma;

	lockdep_assert_held(&smdev->lock);
	if (!dma)
		return;
	smdev->model->ops->unprogram_pasid(smdev);
	trace_siov_mdev_ctx_unprogram(smdev, smdev->ctx.pasid);
	WRITE_ONCE(smdev->ctx.dma, NULL);
	WRITE_ONCE(smdev->ctx.pasid, 0);
	smdev->ctx.domain = NULL;
	/* Simulation only; no access through the handle is in flight. */
	siov_dma_handle_put(dma);
}

/* The handle of the programmed context, NULL while unprogrammed. */
static struct siov_dma_handle *smdev_ctx_dma(struct siov_mdev *smdev)
{
	/* Pairs with the release in smdev_ctx_program(). */
	return smp_load_acquire(&smdev->ctx.dma);
}

static int smdev_ctx_fault(struct siov_mdev *smdev, int ret, u64 iova,
			   bool write)
{
	if (ret == -EFAULT || ret == -EPERM) {
		atomic64_inc(&smdev->stats.faults);
		trace_siov_mdev_dma_fault(smdev, READ_ONCE(smdev->ctx.pasid),
					  iova, write, ret);
	}
	return ret;
}

/**
 * siov_mdev_dma_read() - the mdev's queue reads memory
 * @smdev: the mdev
 * @iova: where, in the container's address space
 * @buf: where the bytes go
 * @len: how many; keep it to a few MiB per call
 *
 * The request carries the PASID the queue is programmed with.
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was read, a fault is recorded).
 */
int siov_mdev_dma_read(struct siov_mdev *smdev, u64 iova, void *buf,
		       size_t len)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev, siov_dma_handle_read(dma, iova, buf, len),
			       iova, false);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_read);

/**
 * siov_mdev_dma_write() - the mdev's queue writes memory
 * @smdev: the mdev
 * @iova: where, in the container's address space
 * @buf: the bytes
 * @len: how many; keep it to a few MiB per call
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was written, a fault is recorded).
 */
int siov_mdev_dma_write(struct siov_mdev *smdev, u64 iova, const void *buf,
			size_t len)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev,
			       siov_dma_handle_write(dma, iova, buf, len),
			       iova, true);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_write);

/**
 * siov_mdev_dma_copy() - the mdev's queue copies memory to memory
 * @smdev: the mdev
 * @dst: destination IOVA
 * @src: source IOVA
 * @len: how many bytes; keep it to a few MiB per call
 * @fault: where to say which side faulted, or NULL
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -ENODEV if the queue is not programmed; -EFAULT or -EPERM from
 * the DMA interface (nothing was copied, a fault is recorded, and @fault
 * says where: the source or the destination, and the address).
 */
int siov_mdev_dma_copy(struct siov_mdev *smdev, u64 dst, u64 src, size_t len,
		       struct siov_dma_fault *fault)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);
	struct siov_dma_fault f;
	int ret;

	if (!dma)
		return -ENODEV;
	ret = siov_dma_handle_copy(dma, dst, src, len, &f);
	if (ret) {
		smdev_ctx_fault(smdev, ret, f.iova, f.write);
		if (fault)
			*fault = f;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_copy);

/**
 * siov_mdev_dma_read16() - the mdev's queue reads a 16-bit word, atomically
 * @smdev: the mdev
 * @iova: where; 2-byte aligned
 * @val: the word, as stored in memory
 *
 * A single-copy-atomic read, as a ring index needs: a concurrent store by
 * the guest is seen whole or not at all.
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EINVAL if @iova is not aligned; -ENODEV, -EFAULT or -EPERM
 * as for siov_mdev_dma_read().
 */
int siov_mdev_dma_read16(struct siov_mdev *smdev, u64 iova, __le16 *val)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev, siov_dma_handle_read16(dma, iova, val),
			       iova, false);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_read16);

/**
 * siov_mdev_dma_read32() - the mdev's queue reads a 32-bit word, atomically
 * @smdev: the mdev
 * @iova: where; 4-byte aligned
 * @val: the word, as stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: as for siov_mdev_dma_read16().
 */
int siov_mdev_dma_read32(struct siov_mdev *smdev, u64 iova, __le32 *val)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev, siov_dma_handle_read32(dma, iova, val),
			       iova, false);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_read32);

/**
 * siov_mdev_dma_write16() - the mdev's queue writes a 16-bit word, atomically
 * @smdev: the mdev
 * @iova: where; 2-byte aligned
 * @val: the word, as it is to be stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EINVAL if @iova is not aligned; -ENODEV, -EFAULT or -EPERM
 * as for siov_mdev_dma_write().
 */
int siov_mdev_dma_write16(struct siov_mdev *smdev, u64 iova, __le16 val)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev, siov_dma_handle_write16(dma, iova, val),
			       iova, true);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_write16);

/**
 * siov_mdev_dma_write32() - the mdev's queue writes a 32-bit word, atomically
 * @smdev: the mdev
 * @iova: where; 4-byte aligned
 * @val: the word, as it is to be stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: as for siov_mdev_dma_write16().
 */
int siov_mdev_dma_write32(struct siov_mdev *smdev, u64 iova, __le32 val)
{
	struct siov_dma_handle *dma = smdev_ctx_dma(smdev);

	if (!dma)
		return -ENODEV;
	return smdev_ctx_fault(smdev, siov_dma_handle_write32(dma, iova, val),
			       iova, true);
}
EXPORT_SYMBOL_GPL(siov_mdev_dma_write32);
