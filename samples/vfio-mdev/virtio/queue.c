// SPDX-License-Identifier: GPL-2.0
/*
 * The virtqueues of the virtio samples: set up through the common
 * structure (transport.c), kicked through the notify structure, and run
 * by the core's engine.  vringh walks each ring with accessors that are
 * the DMA interface of the mdev's queue, so the device reaches the rings
 * and the buffers only through the mdev's PASID.
 *
 * A queue becomes ready (its vringh initialized) when it is enabled after
 * FEATURES_OK and the driver has set DRIVER_OK; ready is published with
 * release and read with acquire by the engine, and only a reset, with the
 * engine stopped, clears it.
 */
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_pci.h>

#include "transport.h"

static struct siov_mdev *sv_vrh_smdev(const struct vringh *vrh)
{
	struct siov_virtio_queue *vq = vrh->ops_priv;

	return &vq->vdev->smdev;
}

static int sv_vrh_read(const struct vringh *vrh, u64 addr, void *dst,
		       size_t len)
{
	return siov_mdev_dma_read(sv_vrh_smdev(vrh), addr, dst, len);
}

static int sv_vrh_write(const struct vringh *vrh, u64 addr, const void *src,
			size_t len)
{
	return siov_mdev_dma_write(sv_vrh_smdev(vrh), addr, src, len);
}

/* Modern virtio is little endian: a __virtio16 here is a __le16. */
static int sv_vrh_read16(const struct vringh *vrh, u64 addr, __virtio16 *val)
{
	return siov_mdev_dma_read16(sv_vrh_smdev(vrh), addr,
				    (__force __le16 *)val);
}

static int sv_vrh_write16(const struct vringh *vrh, u64 addr, __virtio16 val)
{
	return siov_mdev_dma_write16(sv_vrh_smdev(vrh), addr,
				     (__force __le16)val);
}

static const struct vringh_ops sv_vrh_ops = {
	.read		= sv_vrh_read,
	.write		= sv_vrh_write,
	.read16		= sv_vrh_read16,
	.write16	= sv_vrh_write16,
};

static const struct siov_virtio_ops *sv_ops(struct siov_virtio *vdev)
{
	return container_of(vdev->smdev.model, struct siov_virtio_model,
			    mdev)->ops;
}

static unsigned int sv_nr_queues(struct siov_virtio *vdev)
{
	return vdev->nr_queues;
}

static u16 sv_queue_max(struct siov_virtio *vdev)
{
	return container_of(vdev->smdev.model, struct siov_virtio_model,
			    mdev)->queue_max;
}

void sv_queues_init(struct siov_virtio *vdev)
{
	unsigned int q;

	for (q = 0; q < SIOV_VIRTIO_QUEUES_MAX; q++) {
		struct siov_virtio_queue *vq = &vdev->queues[q];

		vq->vdev = vdev;
		vq->index = q;
		vringh_kiov_init(&vq->riov, NULL, 0);
		vringh_kiov_init(&vq->wiov, NULL, 0);
	}
	sv_queues_reset(vdev);
}

void sv_queues_release(struct siov_virtio *vdev)
{
	unsigned int q;

	for (q = 0; q < SIOV_VIRTIO_QUEUES_MAX; q++) {
		vringh_kiov_cleanup(&vdev->queues[q].riov);
		vringh_kiov_cleanup(&vdev->queues[q].wiov);
	}
}

/* Every queue back to its reset state; the engine is stopped. */
void sv_queues_reset(struct siov_virtio *vdev)
{
	unsigned int q;

	for (q = 0; q < SIOV_VIRTIO_QUEUES_MAX; q++) {
		struct siov_virtio_queue *vq = &vdev->queues[q];

		WRITE_ONCE(vq->ready, false);
		vq->enabled = false;
		vq->size = q < sv_nr_queues(vdev) ? sv_queue_max(vdev) : 0;
		vq->msix_vector = VIRTIO_MSI_NO_VECTOR;
		vq->desc = 0;
		vq->driver = 0;
		vq->device = 0;
		vq->completed = 0;
	}
	vdev->kicked = 0;
}

struct siov_virtio_queue *sv_queue_selected(struct siov_virtio *vdev)
{
	if (vdev->queue_select >= sv_nr_queues(vdev))
		return NULL;
	return &vdev->queues[vdev->queue_select];
}

/*
 * queue_enable = 1: the ring as set up, with the negotiated features.  A
 * ring the device cannot use (size not a power of 2 or above the maximum,
 * misaligned parts, enabled before FEATURES_OK) sets DEVICE_NEEDS_RESET.
 */
void sv_queue_enable(struct siov_virtio_queue *vq)
{
	struct siov_virtio *vdev = vq->vdev;

	lockdep_assert_held(&vdev->smdev.lock);
	if (!(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) ||
	    !vq->size || vq->size > sv_queue_max(vdev) ||
	    !IS_ALIGNED(vq->desc, 16) || !IS_ALIGNED(vq->driver, 2) ||
	    !IS_ALIGNED(vq->device, 4) ||
	    vringh_init_ops(&vq->vrh, vdev->driver_features, vq->size, true,
			    vq->desc, vq->driver, vq->device, &sv_vrh_ops,
			    vq)) {
		sv_needs_reset(vdev);
		return;
	}
	vq->enabled = true;
	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK))
		return;
	/* The ring's setup before ready, for the engine's acquire. */
	smp_store_release(&vq->ready, true);
}

/* DRIVER_OK: the enabled queues start. */
void sv_queues_start(struct siov_virtio *vdev)
{
	unsigned int q;

	lockdep_assert_held(&vdev->smdev.lock);
	if (sv_ops(vdev)->start)
		sv_ops(vdev)->start(vdev);
	for (q = 0; q < sv_nr_queues(vdev); q++) {
		if (!vdev->queues[q].enabled)
			continue;
		/* The ring's setup before ready, for the engine's acquire. */
		smp_store_release(&vdev->queues[q].ready, true);
	}
	if (READ_ONCE(vdev->kicked))
		siov_mdev_engine_kick(&vdev->smdev);
}

u64 sv_notify_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	return 0;
}

/* A queue's doorbell (the value written is the queue index; so is @off). */
void sv_notify_write(struct siov_mdev *smdev, u32 off, unsigned int size,
		     u64 val)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);
	unsigned int q = off / SV_NOTIFY_MULTIPLIER;

	if (q >= sv_nr_queues(vdev))
		return;
	if (sv_ops(vdev)->notify &&
	    !sv_ops(vdev)->notify(vdev, &vdev->queues[q]))
		return;
	set_bit(q, &vdev->kicked);
	siov_mdev_engine_kick(smdev);
}

/*
 * The queue ran dry: ask the driver to ring the doorbell for its next
 * request.  With VIRTIO_RING_F_EVENT_IDX that means publishing how far the
 * device has read (the avail event): a driver that honours it, as Linux
 * does, rings only when its new avail index passes that event, so without
 * this it never rings again after the first request.  False when a request
 * slipped in meanwhile, which the caller runs next.
 */
static bool sv_queue_rearm(struct siov_virtio_queue *vq)
{
	return vringh_notify_enable_ops(&vq->vrh);
}

/*
 * One engine batch: each kicked, ready queue in turn, within the batch's
 * budget.  A queue that may have more is kicked again for the next batch.
 */
bool sv_engine_run(struct siov_mdev *smdev, struct siov_mdev_batch *batch)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);
	const struct siov_virtio_ops *ops = sv_ops(vdev);
	u8 status = READ_ONCE(vdev->status);
	bool more = false;
	unsigned int q;

	if (!(status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    atomic_read(&vdev->needs_reset))
		return false;
	for (q = 0; q < sv_nr_queues(vdev); q++) {
		struct siov_virtio_queue *vq = &vdev->queues[q];

		if (siov_mdev_engine_stopping(smdev))
			return false;
		if (!test_bit(q, &vdev->kicked))
			continue;
		/* Pairs with the release in sv_queue_enable()/_start(). */
		if (!smp_load_acquire(&vq->ready))
			continue;
		if (batch->descs >= batch->budget_descs ||
		    batch->bytes >= batch->budget_bytes) {
			more = true;
			break;
		}
		clear_bit(q, &vdev->kicked);
		switch (ops->queue_run(vdev, vq, batch)) {
		case SIOV_VIRTIO_RUN_EMPTY:
			if (sv_queue_rearm(vq))
				break;
			fallthrough;
		case SIOV_VIRTIO_RUN_MORE:
			set_bit(q, &vdev->kicked);
			more = true;
			break;
		case SIOV_VIRTIO_RUN_WAIT:
			break;
		}
		siov_virtio_queue_notify(vq);
	}
	return more;
}

/**
 * siov_virtio_queue_complete() - a request is done: publish it
 * @vq: the queue
 * @head: the head from vringh_getdesc_ops()
 * @len: the bytes written into its writable buffers
 *
 * The interrupt is left to siov_virtio_queue_notify(), which the layer
 * calls after ops->queue_run().  A used ring the device cannot write sets
 * DEVICE_NEEDS_RESET.
 *
 * Context: ops->queue_run().
 *
 * Return: 0, or the DMA error.
 */
int siov_virtio_queue_complete(struct siov_virtio_queue *vq, u16 head,
			       u32 len)
{
	int err = vringh_complete_ops(&vq->vrh, head, len);

	if (err)
		siov_virtio_queue_error(vq, err);
	else
		vq->completed++;
	return err;
}
EXPORT_SYMBOL_GPL(siov_virtio_queue_complete);

/**
 * siov_virtio_queue_notify() - interrupt the driver for what was completed
 * @vq: the queue
 *
 * Unless the driver suppressed it (VRING_AVAIL_F_NO_INTERRUPT, or the used
 * event with VIRTIO_RING_F_EVENT_IDX): sets the ISR's queue bit and raises
 * the queue's MSI-X vector, or INTx.
 *
 * Context: ops->queue_run() or after it, on the engine; or wherever the
 * sample serialises a queue it runs itself.
 */
void siov_virtio_queue_notify(struct siov_virtio_queue *vq)
{
	int ret;

	if (!vq->completed)
		return;
	vq->completed = 0;
	ret = vringh_need_notify_ops(&vq->vrh);
	if (ret < 0) {
		siov_virtio_queue_error(vq, ret);
		return;
	}
	if (!ret)
		return;
	atomic_or(SV_ISR_QUEUE, &vq->vdev->isr);
	siov_mdev_raise_irq(&vq->vdev->smdev, vq->msix_vector);
}
EXPORT_SYMBOL_GPL(siov_virtio_queue_notify);

/**
 * siov_virtio_queue_kick() - run a queue again
 * @vq: the queue, which ops->queue_run() left with SIOV_VIRTIO_RUN_WAIT
 *
 * The device has room again: the engine runs the queue in a batch on the
 * device's worker; while the engine is stopped, when it runs again.  A
 * device reset forgets the kick, and so does close.
 *
 * Context: any (also after close: then it does nothing); does not sleep.
 */
void siov_virtio_queue_kick(struct siov_virtio_queue *vq)
{
	set_bit(vq->index, &vq->vdev->kicked);
	siov_mdev_engine_wake(&vq->vdev->smdev);
}
EXPORT_SYMBOL_GPL(siov_virtio_queue_kick);

/**
 * siov_virtio_queue_error() - the device cannot go on with a queue
 * @vq: the queue
 * @err: what vringh or the DMA interface returned
 *
 * Sets DEVICE_NEEDS_RESET and raises the config interrupt; no queue runs
 * until the driver resets the device.  The report is in-band only: the
 * guest caused it, so the VMM's error interrupt (which stops the VM in
 * QEMU) is not signalled.
 *
 * Context: ops->queue_run(), or the mdev lock held.
 */
void siov_virtio_queue_error(struct siov_virtio_queue *vq, int err)
{
	dev_dbg_ratelimited(mdev_dev(vq->vdev->smdev.mdev),
			    "virtqueue %u: error %d, device needs reset\n",
			    vq->index, err);
	sv_needs_reset(vq->vdev);
}
EXPORT_SYMBOL_GPL(siov_virtio_queue_error);
