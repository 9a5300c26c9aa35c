// SPDX-License-Identifier: GPL-2.0
/*
 * A test device on the virtio layer (samples/vfio-mdev/siov_virtio.h): one
 * queue whose requests copy their readable buffers into their writable
 * ones, through the mdev's PASID.  tests/vfio/siov_virtio_test.c drives
 * the transport and the queue with it.  It has no ID table: the test binds
 * it to an endpoint with driver_override.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <asm/unaligned.h>

#include "../../samples/vfio-mdev/siov_virtio.h"

#define VM_ID		0x3f	/* the last ID modern virtio-pci can carry */
#define VM_CHUNK	256

struct virtio_model {
	struct siov_virtio vdev;
};

/* Copy what the driver gave into what it left writable. */
static enum siov_virtio_run vm_queue_run(struct siov_virtio *vdev,
					 struct siov_virtio_queue *vq,
					 struct siov_mdev_batch *batch)
{
	u8 buf[VM_CHUNK];
	u16 head;
	int ret;

	while (batch->descs < batch->budget_descs &&
	       batch->bytes < batch->budget_bytes) {
		u32 written = 0;
		ssize_t n;

		if (siov_mdev_engine_stopping(&vdev->smdev))
			return SIOV_VIRTIO_RUN_EMPTY;
		ret = vringh_getdesc_ops(&vq->vrh, &vq->riov, &vq->wiov, &head,
					 GFP_KERNEL);
		if (ret <= 0) {
			if (ret < 0)
				siov_virtio_queue_error(vq, ret);
			return SIOV_VIRTIO_RUN_EMPTY;
		}
		for (;;) {
			n = vringh_iov_pull_ops(&vq->vrh, &vq->riov, buf,
						sizeof(buf));
			if (n <= 0)
				break;
			n = vringh_iov_push_ops(&vq->vrh, &vq->wiov, buf, n);
			if (n < 0)
				break;
			written += n;
		}
		if (n < 0) {
			siov_virtio_queue_error(vq, n);
			return SIOV_VIRTIO_RUN_EMPTY;
		}
		if (siov_virtio_queue_complete(vq, head, written))
			return SIOV_VIRTIO_RUN_EMPTY;
		batch->descs++;
		batch->bytes += written;
	}
	return SIOV_VIRTIO_RUN_MORE;
}

static int vm_init(struct siov_virtio *vdev)
{
	/* A recognisable config: 4 bytes, 0x12345678. */
	put_unaligned_le32(0x12345678, vdev->config);
	return 0;
}

static const struct siov_virtio_ops vm_ops = {
	.init		= vm_init,
	.queue_run	= vm_queue_run,
};

static const struct siov_virtio_model vm_model = {
	.mdev = {
		SIOV_VIRTIO_MDEV_MODEL(VM_ID, sizeof(struct virtio_model), 2),
	},
	.device_id	= VM_ID,
	.features	= BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |
			  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
			  BIT_ULL(VIRTIO_RING_F_EVENT_IDX),
	.nr_queues	= 1,
	.queue_max	= 256,
	.config_size	= 4,
	.ops		= &vm_ops,
};

static const struct siov_mdev_type_desc vm_types[] = {
	{
		.sysfs_name	= "1",
		.pretty_name	= "virtio-model",
		.description	= "a virtio test device on the virtio layer (tests only)",
		.queues		= 1,
	},
};

static int vm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return siov_mdev_pci_probe(pdev, &vm_model.mdev, vm_types,
				   ARRAY_SIZE(vm_types), 4);
}

/* No ID table: bound only through driver_override. */
static struct pci_driver vm_driver = {
	.name		= "siov_virtio_model",
	.probe		= vm_probe,
	.remove		= siov_mdev_pci_remove,
};
module_pci_driver(vm_driver);

MODULE_DESCRIPTION("A virtio test device on the Scalable-IOV virtio layer");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
