// SPDX-License-Identifier: GPL-2.0
/*
 * mnet: a virtio-net device (PCI 1af4:1041, virtio ID 1) that a guest
 * drives with Linux's stock virtio_net driver, on the simulated
 * Scalable-IOV network endpoint of drivers/siov-pci, with a host
 * representor netdev per mdev (see representor.c).
 *
 * Features: VERSION_1, ACCESS_PLATFORM, INDIRECT_DESC, EVENT_IDX; MAC,
 * MTU, STATUS; CSUM, HOST_TSO4/6 and HOST_ECN (the guest's offload
 * requests go to the host stack as skb metadata: nothing is checksummed
 * or segmented here); GUEST_CSUM, GUEST_TSO4/6 and GUEST_ECN with
 * CTRL_GUEST_OFFLOADS (the host stack's CHECKSUM_PARTIAL and GSO frames
 * go to the guest as they are); MRG_RXBUF; CTRL_VQ with CTRL_RX; MQ.
 *
 * An mdev type is a share of the endpoint's engine queues (queues=, 8 by
 * default): each queue it holds is one queue pair, so mnet-1q has one and
 * mnet-4q four.  The MAC address is a per-mdev attribute ("mac"), which a
 * management tool sets while the mdev is not open; by default it is a
 * locally administered address made from the mdev's UUID.
 */
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include <siov/pci_ids.h>

#include "mnet.h"

static unsigned int queues = 8;
module_param_cb(queues, &siov_mdev_queues_param_ops, &queues, 0444);
MODULE_PARM_DESC(queues, "engine queues per endpoint for mdevs (1-64, default 8)");

#define MNET_FEATURES	(BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |		\
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |		\
			 BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |		\
			 BIT_ULL(VIRTIO_NET_F_MAC) |			\
			 BIT_ULL(VIRTIO_NET_F_MTU) |			\
			 BIT_ULL(VIRTIO_NET_F_STATUS) |			\
			 BIT_ULL(VIRTIO_NET_F_CSUM) |			\
			 BIT_ULL(VIRTIO_NET_F_HOST_TSO4) |		\
			 BIT_ULL(VIRTIO_NET_F_HOST_TSO6) |		\
			 BIT_ULL(VIRTIO_NET_F_HOST_ECN) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_ECN) |		\
			 BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_RX) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |	\
			 BIT_ULL(VIRTIO_NET_F_MQ))

/* The control queue follows the pairs the driver may use: 2 without MQ. */
static unsigned int mnet_ctrlq(struct mnet *mn)
{
	return 2 * mnet_usable_pairs(mn);
}

static enum siov_virtio_run mnet_queue_run(struct siov_virtio *vdev,
					   struct siov_virtio_queue *vq,
					   struct siov_mdev_batch *batch)
{
	struct mnet *mn = to_mnet(vdev);

	if (vq->index == mnet_ctrlq(mn))
		return mnet_ctrl_run(mn, vq, batch);
	if (vq->index > mnet_ctrlq(mn))
		return SIOV_VIRTIO_RUN_EMPTY;	/* not a queue without MQ */
	if (!mnet_is_rx(vq->index))
		return mnet_tx_run(mn, vq, batch);
	/* Receive queues are the representor's (ops->notify): nothing here. */
	return SIOV_VIRTIO_RUN_WAIT;
}

/* A receive queue's doorbell: buffers for a representor that waits. */
static bool mnet_notify(struct siov_virtio *vdev, struct siov_virtio_queue *vq)
{
	struct mnet *mn = to_mnet(vdev);

	if (vq->index >= mnet_ctrlq(mn) || !mnet_is_rx(vq->index))
		return true;
	mnet_rx_notify(mn, vq->index / 2);
	return false;
}

/* DRIVER_OK: the offloads negotiated are on, the port's carrier is up. */
static void mnet_start(struct siov_virtio *vdev)
{
	struct mnet *mn = to_mnet(vdev);

	WRITE_ONCE(mn->guest_offloads, vdev->driver_features & MNET_RX_OFFLOADS);
	WRITE_ONCE(mn->cur_pairs, 1);
	mnet_rx_start(mn);
	mnet_rep_carrier(mn, true);
}

static void mnet_quiesce(struct siov_virtio *vdev)
{
	mnet_rx_quiesce(to_mnet(vdev));
}

/* A device reset: the filter, offloads and pairs of a new driver. */
static void mnet_reset(struct siov_virtio *vdev)
{
	struct mnet *mn = to_mnet(vdev);
	unsigned int pair;

	mnet_rep_carrier(mn, false);
	WRITE_ONCE(mn->guest_offloads, 0);
	WRITE_ONCE(mn->cur_pairs, 1);
	for (pair = 0; pair < mn->pairs; pair++)
		atomic_set(&mn->txq[pair].waiting, 0);
	/* Without memory the old filter stays: a driver sets its own anyway. */
	mnet_filter_reset(mn, GFP_KERNEL);
}

static void mnet_config(struct mnet *mn)
{
	struct virtio_net_config *cfg = (void *)mn->vdev.config;

	ether_addr_copy(cfg->mac, mn->mac);
	cfg->max_virtqueue_pairs = (__force __virtio16)cpu_to_le16(mn->pairs);
	cfg->mtu = (__force __virtio16)cpu_to_le16(ETH_DATA_LEN);
	cfg->speed = cpu_to_le32(SPEED_UNKNOWN);
	cfg->duplex = DUPLEX_FULL;
}

static int mnet_init(struct siov_virtio *vdev)
{
	struct mnet *mn = to_mnet(vdev);
	const guid_t *uuid = &vdev->smdev.mdev->uuid;
	char str[UUID_STRING_LEN + 1];
	unsigned int pair;
	int ret;

	mn->pairs = vdev->smdev.nr_queues;
	if (WARN_ON(mn->pairs > MNET_PAIRS_MAX))
		return -EINVAL;
	mn->cur_pairs = 1;
	vdev->nr_queues = 2 * mn->pairs + 1;
	/*
	 * A stable locally administered unicast address: 02, then the UUID's
	 * first five bytes as it is written (the string, not the guid_t).
	 */
	snprintf(str, sizeof(str), "%pUl", uuid);
	mn->mac[0] = 0x02;
	if (hex2bin(&mn->mac[1], str, 4) || hex2bin(&mn->mac[5], str + 9, 1))
		return -EINVAL;
	for (pair = 0; pair < mn->pairs; pair++) {
		spin_lock_init(&mn->rxq[pair].lock);
		u64_stats_init(&mn->rxq[pair].stats.syncp);
		u64_stats_init(&mn->txq[pair].stats.syncp);
	}
	ret = mnet_filter_reset(mn, GFP_KERNEL);
	if (ret)
		return ret;
	/* Before the representor is visible: its MTU ops change the config. */
	mnet_config(mn);
	ret = mnet_rep_create(mn);
	if (ret)
		mnet_filter_free(mn);
	return ret;
}

static void mnet_release(struct siov_virtio *vdev)
{
	struct mnet *mn = to_mnet(vdev);

	mnet_rep_destroy(mn);
	/* Readers of the filter are the representor's transmits: all gone. */
	synchronize_rcu();
	mnet_filter_free(mn);
}

static const struct siov_virtio_ops mnet_ops = {
	.init		= mnet_init,
	.release	= mnet_release,
	.queue_run	= mnet_queue_run,
	.notify		= mnet_notify,
	.start		= mnet_start,
	.quiesce	= mnet_quiesce,
	.reset		= mnet_reset,
};

/* The "mac" attribute of each mdev: set while it is not open. */
static struct mnet *mnet_from_dev(struct device *dev)
{
	struct siov_mdev *smdev = dev_get_drvdata(dev);

	return to_mnet(to_siov_virtio(smdev));
}

static ssize_t mac_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct mnet *mn = mnet_from_dev(dev);
	u8 mac[ETH_ALEN];

	mutex_lock(&mn->vdev.smdev.lock);
	ether_addr_copy(mac, mn->mac);
	mutex_unlock(&mn->vdev.smdev.lock);
	return sysfs_emit(buf, "%pM\n", mac);
}

static ssize_t mac_store(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	struct mnet *mn = mnet_from_dev(dev);
	struct virtio_net_config *cfg = (void *)mn->vdev.config;
	char str[3 * ETH_ALEN];
	u8 mac[ETH_ALEN];
	int ret = count;

	/* xx:xx:xx:xx:xx:xx, and an optional newline. */
	if (count < 3 * ETH_ALEN - 1 || count > 3 * ETH_ALEN ||
	    (count == 3 * ETH_ALEN && buf[count - 1] != '\n'))
		return -EINVAL;
	memcpy(str, buf, 3 * ETH_ALEN - 1);
	str[3 * ETH_ALEN - 1] = '\0';
	if (!mac_pton(str, mac) || !is_valid_ether_addr(mac))
		return -EINVAL;
	mutex_lock(&mn->vdev.smdev.lock);
	if (siov_mdev_is_open(&mn->vdev.smdev)) {
		ret = -EBUSY;
	} else {
		ether_addr_copy(mn->mac, mac);
		ether_addr_copy(cfg->mac, mac);
	}
	mutex_unlock(&mn->vdev.smdev.lock);
	return ret;
}
static DEVICE_ATTR_RW(mac);

/* The representor's name, for tools that start from the mdev. */
static ssize_t netdev_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct mnet *mn = mnet_from_dev(dev);
	ssize_t ret;

	rtnl_lock();
	ret = sysfs_emit(buf, "%s\n", netdev_name(mn->rep));
	rtnl_unlock();
	return ret;
}
static DEVICE_ATTR_RO(netdev);

static struct attribute *mnet_attrs[] = {
	&dev_attr_mac.attr,
	&dev_attr_netdev.attr,
	NULL
};

static const struct attribute_group mnet_group = {
	.attrs = mnet_attrs,
};

static const struct attribute_group *mnet_groups[] = {
	&mnet_group,
	NULL
};

static const struct siov_virtio_model mnet_model = {
	.mdev = {
		SIOV_VIRTIO_MDEV_MODEL(VIRTIO_ID_NET, sizeof(struct mnet),
				       MNET_VECTORS),
		.groups = mnet_groups,
	},
	.device_id	= VIRTIO_ID_NET,
	.features	= MNET_FEATURES,
	.nr_queues	= MNET_QUEUES_MAX,
	.queue_max	= MNET_QUEUE_SIZE,
	.config_size	= sizeof(struct virtio_net_config),
	.ops		= &mnet_ops,
};

static const struct siov_mdev_type_desc mnet_types[] = {
	{
		.sysfs_name	= "1q",
		.pretty_name	= "mnet-1q",
		.description	=
			"virtio-net port of the embedded switch, one queue pair, with a host representor",
		.queues		= 1,
	}, {
		.sysfs_name	= "4q",
		.pretty_name	= "mnet-4q",
		.description	=
			"virtio-net port of the embedded switch, four queue pairs (MQ), with a host representor",
		.queues		= 4,
	},
};

static int mnet_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return siov_mdev_pci_probe(pdev, &mnet_model.mdev, mnet_types,
				   ARRAY_SIZE(mnet_types), queues);
}

static const struct pci_device_id mnet_ids[] = {
	{ PCI_DEVICE(SIOV_PCI_VENDOR_ID, SIOV_PCI_DEVICE_NET) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mnet_ids);

static struct pci_driver mnet_driver = {
	.name		= "mnet",
	.id_table	= mnet_ids,
	.probe		= mnet_probe,
	.remove		= siov_mdev_pci_remove,
};

module_pci_driver(mnet_driver);

MODULE_DESCRIPTION("virtio-net compatible mdev with a host representor on a simulated Scalable-IOV endpoint");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
