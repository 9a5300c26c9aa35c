// SPDX-License-Identifier: GPL-2.0
/*
 * mcrypto: a virtio-crypto device (PCI 1af4:1054, virtio ID 20) that a
 * guest drives with Linux's stock virtio_crypto driver, on a simulated
 * Scalable-IOV crypto endpoint of drivers/siov-pci.
 *
 * The virtio layer (siov_virtio.ko) runs the virtio-pci transport; this
 * sample supplies the device: its config (struct virtio_crypto_config),
 * its two queues (data queue 0, control queue 1) and their requests.  It
 * offers the CIPHER service with AES-CBC and the AKCIPHER service with
 * RSA, which is everything Linux 6.1's driver can use, and the transport
 * features VERSION_1, ACCESS_PLATFORM, INDIRECT_DESC and EVENT_IDX.  No
 * crypto feature bit is offered: requests have the fixed 72-byte headers.
 *
 * An mdev type is a share of the endpoint's engine queues (queues=, 8 by
 * default); each queue an mdev holds gives it MCRYPTO_SESSIONS_PER_QUEUE
 * session slots, so the host memory a guest's sessions take is bounded by
 * its type.  A device reset, and the mdev's removal, drop every session.
 *
 * The engine runs on the core's worker (or the thread that wrote the
 * doorbell), charged to the VM's cgroups, in the core's bounded batches:
 * a request is at most MCRYPTO_MAX_SIZE bytes.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include <siov/pci_ids.h>

#include "mcrypto.h"

static unsigned int queues = 8;
module_param_cb(queues, &siov_mdev_queues_param_ops, &queues, 0444);
MODULE_PARM_DESC(queues, "engine queues per endpoint for mdevs (1-64, default 8)");

/* Config, per-queue MSI-X vectors: Linux then gives each queue its own. */
#define MCRYPTO_VECTORS		(1 + MCRYPTO_NR_QUEUES)
#define MCRYPTO_QUEUE_MAX	256

/* Requests until the batch's budget is spent or the ring is empty. */
static enum siov_virtio_run mcrypto_queue_run(struct siov_virtio *vdev,
					      struct siov_virtio_queue *vq,
					      struct siov_mdev_batch *batch)
{
	struct mcrypto *mc = to_mcrypto(vdev);

	while (batch->descs < batch->budget_descs &&
	       batch->bytes < batch->budget_bytes) {
		u32 written;
		u16 head;
		int ret;

		if (siov_mdev_engine_stopping(&vdev->smdev))
			return SIOV_VIRTIO_RUN_EMPTY;
		ret = vringh_getdesc_ops(&vq->vrh, &vq->riov, &vq->wiov, &head,
					 GFP_KERNEL);
		if (ret <= 0) {
			if (ret < 0)
				siov_virtio_queue_error(vq, ret);
			return SIOV_VIRTIO_RUN_EMPTY;
		}
		batch->bytes += vringh_kiov_length(&vq->riov) +
				vringh_kiov_length(&vq->wiov);
		if (vq->index == MCRYPTO_CTRLQ)
			written = mcrypto_ctrl_request(mc, vq);
		else
			written = mcrypto_data_request(mc, vq);
		if (siov_virtio_queue_complete(vq, head, written))
			return SIOV_VIRTIO_RUN_EMPTY;
		batch->descs++;
	}
	return SIOV_VIRTIO_RUN_MORE;
}

static void mcrypto_config(struct mcrypto *mc)
{
	struct virtio_crypto_config *cfg = (void *)mc->vdev.config;

	cfg->status = cpu_to_le32(VIRTIO_CRYPTO_S_HW_READY);
	cfg->max_dataqueues = cpu_to_le32(1);
	cfg->crypto_services = cpu_to_le32(BIT(VIRTIO_CRYPTO_SERVICE_CIPHER) |
					   BIT(VIRTIO_CRYPTO_SERVICE_AKCIPHER));
	cfg->cipher_algo_l = cpu_to_le32(BIT(VIRTIO_CRYPTO_CIPHER_AES_CBC));
	cfg->akcipher_algo = cpu_to_le32(BIT(VIRTIO_CRYPTO_AKCIPHER_RSA));
	cfg->max_cipher_key_len = cpu_to_le32(MCRYPTO_CIPHER_KEY_MAX);
	cfg->max_size = cpu_to_le64(MCRYPTO_MAX_SIZE);
}

static int mcrypto_init(struct siov_virtio *vdev)
{
	struct mcrypto *mc = to_mcrypto(vdev);
	struct dentry *dir = vdev->smdev.debugfs;
	int ret;

	mc->buf = kmalloc(MCRYPTO_CHUNK, GFP_KERNEL_ACCOUNT);
	if (!mc->buf)
		return -ENOMEM;
	ret = mcrypto_sessions_init(mc, vdev->smdev.nr_queues *
				    MCRYPTO_SESSIONS_PER_QUEUE);
	if (ret) {
		kfree(mc->buf);
		return ret;
	}
	mcrypto_config(mc);
	debugfs_create_u32("sessions", 0444, dir, &mc->nr_sessions);
	debugfs_create_u32("session_slots", 0444, dir, &mc->nr_slots);
	debugfs_create_u64("sessions_created", 0444, dir, &mc->stats.sessions);
	debugfs_create_u64("requests", 0444, dir, &mc->stats.requests);
	debugfs_create_u64("errors", 0444, dir, &mc->stats.errors);
	return 0;
}

static void mcrypto_release(struct siov_virtio *vdev)
{
	struct mcrypto *mc = to_mcrypto(vdev);

	mcrypto_sessions_release(mc);
	kfree_sensitive(mc->buf);
}

/* A device reset drops every session (virtio-crypto's reset requirement). */
static void mcrypto_reset(struct siov_virtio *vdev)
{
	mcrypto_sessions_reset(to_mcrypto(vdev));
}

static const struct siov_virtio_ops mcrypto_ops = {
	.init		= mcrypto_init,
	.release	= mcrypto_release,
	.queue_run	= mcrypto_queue_run,
	.reset		= mcrypto_reset,
};

static const struct siov_virtio_model mcrypto_model = {
	.mdev = {
		SIOV_VIRTIO_MDEV_MODEL(VIRTIO_ID_CRYPTO, sizeof(struct mcrypto),
				       MCRYPTO_VECTORS),
	},
	.device_id	= VIRTIO_ID_CRYPTO,
	.features	= BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |
			  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
			  BIT_ULL(VIRTIO_RING_F_EVENT_IDX),
	.nr_queues	= MCRYPTO_NR_QUEUES,
	.queue_max	= MCRYPTO_QUEUE_MAX,
	.config_size	= sizeof(struct virtio_crypto_config),
	.ops		= &mcrypto_ops,
};

static const struct siov_mdev_type_desc mcrypto_types[] = {
	{
		.sysfs_name	= "1q",
		.pretty_name	= "mcrypto-1q",
		.description	=
			"virtio-crypto device (AES-CBC, RSA) on one engine queue: 64 sessions",
		.queues		= 1,
	}, {
		.sysfs_name	= "4q",
		.pretty_name	= "mcrypto-4q",
		.description	=
			"virtio-crypto device (AES-CBC, RSA) on four engine queues: 256 sessions",
		.queues		= 4,
	},
};

static int mcrypto_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return siov_mdev_pci_probe(pdev, &mcrypto_model.mdev, mcrypto_types,
				   ARRAY_SIZE(mcrypto_types), queues);
}

static const struct pci_device_id mcrypto_ids[] = {
	{ PCI_DEVICE(SIOV_PCI_VENDOR_ID, SIOV_PCI_DEVICE_CRYPTO) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mcrypto_ids);

static struct pci_driver mcrypto_driver = {
	.name		= "mcrypto",
	.id_table	= mcrypto_ids,
	.probe		= mcrypto_probe,
	.remove		= siov_mdev_pci_remove,
};

module_pci_driver(mcrypto_driver);

MODULE_DESCRIPTION("virtio-crypto compatible mdev on a simulated Scalable-IOV endpoint");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
