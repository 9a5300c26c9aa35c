/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio layer of the Scalable-IOV mdev samples: a modern virtio-pci
 * transport on the sample core, with virtqueues walked by vringh through
 * the mdev's PASID (vringh_*_ops() over siov_mdev_dma_*()).  A virtio
 * sample supplies its device ID, features, config, queues and the work of
 * a queue; see "Virtio samples" below.
 */
#ifndef SIOV_VIRTIO_H
#define SIOV_VIRTIO_H

#include <linux/bitops.h>
#include <linux/pci_ids.h>
#include <linux/virtio_pci.h>
#include <linux/vringh.h>

#include "siov_mdev.h"

/**
 * DOC: Virtio samples
 *
 * The guest sees a modern-only virtio-pci function (VIRTIO_F_VERSION_1,
 * vendor 1af4h, device 1040h + the virtio device ID) as QEMU lays it out:
 * the common, ISR, device-config and notify structures in BAR 4, at 0,
 * 1000h, 2000h and 3000h (one 32-bit doorbell per queue), the MSI-X table
 * and PBA in BAR 1, and the five vendor capabilities, PCI_CFG included.
 *
 * A sample embeds struct siov_virtio first in its per-mdev structure,
 * declares a struct siov_virtio_model whose @mdev member starts with
 * SIOV_VIRTIO_MDEV_MODEL(), and registers @mdev with
 * siov_mdev_parent_register().  The layer runs the transport: feature
 * negotiation (FEATURES_OK stays clear for features the device did not
 * offer or without VERSION_1), queue setup and enable, the config and
 * per-queue MSI-X vectors, INTx through the read-to-clear ISR, the config
 * generation, and device reset (status 0 stops every queue and waits for
 * the batch in flight before the status reads back 0).
 *
 * A queue's doorbell kicks the core's engine; the engine calls
 * ops->queue_run() for each queue that was kicked.  The sample takes
 * requests with vringh_getdesc_ops() on &vq->vrh and vq->riov/vq->wiov,
 * moves their data with vringh_iov_pull_ops()/vringh_iov_push_ops(), and
 * completes them with siov_virtio_queue_complete(); the layer raises the
 * queue's interrupt unless the driver suppressed it.  Every access goes
 * through the DMA interface with the mdev's PASID.  A ring the device
 * cannot use (a DMA fault on the ring, a malformed chain) is reported with
 * siov_virtio_queue_error(), which sets DEVICE_NEEDS_RESET.
 *
 * A sample may also run a queue from elsewhere: ops->notify() takes its
 * doorbells, and the sample serialises the ring itself and stops using it
 * in ops->quiesce() (the network sample fills its receive queues from the
 * host's transmit path this way).  A queue that returned
 * SIOV_VIRTIO_RUN_WAIT runs again after siov_virtio_queue_kick().
 */

#define SIOV_VIRTIO_BAR			4
#define SIOV_VIRTIO_BAR_SIZE		SZ_16K
#define SIOV_VIRTIO_MSIX_BAR		1
#define SIOV_VIRTIO_MSIX_BAR_SIZE	SZ_4K
#define SIOV_VIRTIO_QUEUES_MAX		16
#define SIOV_VIRTIO_CONFIG_MAX		256
#define SIOV_VIRTIO_NR_REGIONS		4

struct siov_virtio;
struct siov_virtio_queue;

/**
 * enum siov_virtio_run - what ops->queue_run() left to do
 * @SIOV_VIRTIO_RUN_EMPTY: vringh found the ring empty (or the queue cannot
 *	go on): the layer asks the driver for a doorbell on its next request
 * @SIOV_VIRTIO_RUN_MORE: the batch's budget ran out: run the queue again
 * @SIOV_VIRTIO_RUN_WAIT: the device cannot take more now (its own
 *	resources are full); it calls siov_virtio_queue_kick() when it can
 */
enum siov_virtio_run {
	SIOV_VIRTIO_RUN_EMPTY,
	SIOV_VIRTIO_RUN_MORE,
	SIOV_VIRTIO_RUN_WAIT,
};

/**
 * struct siov_virtio_ops - what a virtio sample supplies
 */
struct siov_virtio_ops {
	/**
	 * @init: set up the per-mdev state, and the device config in
	 * vdev->config.  Optional.
	 *
	 * Context: process; no lock held.
	 */
	int (*init)(struct siov_virtio *vdev);
	/**
	 * @release: undo @init.  Optional.
	 *
	 * Context: process; no lock held.
	 */
	void (*release)(struct siov_virtio *vdev);
	/**
	 * @queue_run: serve requests on @vq within @batch's budget, counting
	 * them in @batch, and say what is left (enum siov_virtio_run).
	 * Check siov_mdev_engine_stopping() between requests.
	 *
	 * Context: as ops->engine_run of the core: process, the worker or
	 * the thread that wrote the doorbell; no core lock held; may sleep.
	 */
	enum siov_virtio_run (*queue_run)(struct siov_virtio *vdev,
					  struct siov_virtio_queue *vq,
					  struct siov_mdev_batch *batch);
	/**
	 * @notify: the driver rang @vq's doorbell; return true to have the
	 * engine run the queue, false if the sample served the doorbell
	 * itself (a queue it runs from elsewhere, such as a network
	 * sample's receive queue, which the host's transmit fills).
	 * Optional: without it every doorbell runs the queue.
	 *
	 * Context: a region write (the mdev lock held); may sleep.
	 */
	bool (*notify)(struct siov_virtio *vdev, struct siov_virtio_queue *vq);
	/**
	 * @start: the driver set DRIVER_OK; the queues it enabled are set
	 * up and become ready when this returns.  Optional.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*start)(struct siov_virtio *vdev);
	/**
	 * @quiesce: the engine stopped (device reset, function reset, Bus
	 * Master Enable cleared, close): wait for whatever else of the
	 * sample reaches the rings, and let nothing start again until
	 * siov_mdev_engine_stopping() is false.  Optional.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*quiesce)(struct siov_virtio *vdev);
	/**
	 * @reset: the device was reset (status 0, or a function reset):
	 * drop the device's own state, such as sessions.  No queue runs.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*reset)(struct siov_virtio *vdev);
};

/**
 * struct siov_virtio_model - a virtio sample's device
 * @mdev: the function as the core sees it; start it with
 *	SIOV_VIRTIO_MDEV_MODEL()
 * @device_id: the virtio device ID (VIRTIO_ID_*)
 * @features: the features offered; VIRTIO_F_VERSION_1 is added
 * @nr_queues: the virtqueues, at most SIOV_VIRTIO_QUEUES_MAX (a sample's
 *	@init may give an mdev fewer, in vdev->nr_queues)
 * @queue_max: the largest queue size, a power of 2
 * @config_size: the bytes of device config (vdev->config)
 * @ops: the sample's callbacks
 */
struct siov_virtio_model {
	struct siov_mdev_model mdev;
	u32 device_id;
	u64 features;
	unsigned int nr_queues;
	u16 queue_max;
	unsigned int config_size;
	const struct siov_virtio_ops *ops;
};

extern const struct siov_mdev_ops siov_virtio_mdev_ops;
extern const struct siov_mdev_region siov_virtio_regions[SIOV_VIRTIO_NR_REGIONS];

/*
 * The core's view of a virtio function: for the start of the @mdev member
 * of a struct siov_virtio_model.  @_id is the virtio device ID, @_size the
 * size of the sample's per-mdev structure, @_vectors the MSI-X vectors
 * (config + one per queue gets Linux per-queue vectors).
 */
#define SIOV_VIRTIO_MDEV_MODEL(_id, _size, _vectors)			\
	.owner		= THIS_MODULE,					\
	.vendor		= PCI_VENDOR_ID_REDHAT_QUMRANET,		\
	.device		= 0x1040 + (_id),				\
	.subvendor	= PCI_SUBVENDOR_ID_REDHAT_QUMRANET,		\
	.subdevice	= 0x0040,	/* non-transitional: >= 40h */	\
	.class		= PCI_CLASS_OTHERS << 16,			\
	.revision	= 0x01,						\
	.bar_size	= {						\
		[SIOV_VIRTIO_MSIX_BAR]	= SIOV_VIRTIO_MSIX_BAR_SIZE,	\
		[SIOV_VIRTIO_BAR]	= SIOV_VIRTIO_BAR_SIZE,		\
	},								\
	.regions	= siov_virtio_regions,				\
	.nr_regions	= SIOV_VIRTIO_NR_REGIONS,			\
	.msix_vectors	= (_vectors),					\
	.msix_bar	= SIOV_VIRTIO_MSIX_BAR,				\
	.msix_table	= 0,						\
	.msix_pba	= SIOV_VIRTIO_MSIX_BAR_SIZE / 2,		\
	.size		= (_size),					\
	.ops		= &siov_virtio_mdev_ops

/**
 * struct siov_virtio_queue - one virtqueue
 * @vrh: the ring, reached through the DMA interface (valid while @ready)
 * @riov: for the sample: the readable buffers of the request being served
 * @wiov: for the sample: its writable buffers
 * @vdev: the device
 * @index: the queue index
 * @size: queue_size as the driver wrote it
 * @msix_vector: queue_msix_vector
 * @enabled: queue_enable was written 1
 * @ready: @vrh may be used (set once it is initialized; cleared by reset
 *	with the engine stopped)
 * @desc: queue_desc, the descriptor table's IOVA
 * @driver: queue_driver, the available ring's IOVA
 * @device: queue_device, the used ring's IOVA
 * @completed: requests completed since the last interrupt decision
 */
struct siov_virtio_queue {
	struct vringh vrh;
	struct vringh_kiov riov;
	struct vringh_kiov wiov;
	struct siov_virtio *vdev;
	unsigned int index;
	u16 size;
	u16 msix_vector;
	bool enabled;
	bool ready;
	u64 desc;
	u64 driver;
	u64 device;
	unsigned int completed;
};

/**
 * struct siov_virtio - a virtio mdev; embed it first in the sample's own
 * @smdev: the core's mdev (first)
 * @model: the sample's model
 * @config: the device config, as the guest reads it (little endian)
 * @queues: the virtqueues
 * @nr_queues: how many the device has (num_queues): the model's, unless
 *	the sample's @init set fewer
 * @kicked: queues whose doorbell was written since they last ran
 * @driver_features: what the driver wrote
 * @device_feature_select: device_feature_select
 * @driver_feature_select: driver_feature_select
 * @msix_config: the config vector
 * @queue_select: queue_select
 * @status: device_status as the driver wrote it (under the mdev lock)
 * @needs_reset: DEVICE_NEEDS_RESET, set by the device (siov_virtio_queue_error())
 * @isr: the ISR status (bit 0 queue, bit 1 config), read to clear
 * @generation: config_generation
 */
struct siov_virtio {
	struct siov_mdev smdev;
	const struct siov_virtio_model *model;
	u8 config[SIOV_VIRTIO_CONFIG_MAX];
	struct siov_virtio_queue queues[SIOV_VIRTIO_QUEUES_MAX];
	unsigned int nr_queues;
	unsigned long kicked;
	u64 driver_features;
	u32 device_feature_select;
	u32 driver_feature_select;
	u16 msix_config;
	u16 queue_select;
	u8 status;
	atomic_t needs_reset;
	atomic_t isr;
	u8 generation;
};

static inline struct siov_virtio *to_siov_virtio(struct siov_mdev *smdev)
{
	return container_of(smdev, struct siov_virtio, smdev);
}

int siov_virtio_queue_complete(struct siov_virtio_queue *vq, u16 head,
			       u32 len);
void siov_virtio_queue_notify(struct siov_virtio_queue *vq);
void siov_virtio_queue_kick(struct siov_virtio_queue *vq);
void siov_virtio_queue_error(struct siov_virtio_queue *vq, int err);
void siov_virtio_config_changed(struct siov_virtio *vdev);

#endif /* SIOV_VIRTIO_H */
