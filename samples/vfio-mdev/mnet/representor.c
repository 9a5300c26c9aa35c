// SPDX-License-Identifier: GPL-2.0
/*
 * The representor: the host's end of the switch port an mdev is, in the
 * switchdev model of Documentation/networking/representors.rst.  What the
 * guest sends is received here (NAPI, one context per queue pair); what
 * the host sends here goes to the guest (rxq.c).  Its carrier follows the
 * guest driver (DRIVER_OK to reset); its administrative state is the
 * guest's link (VIRTIO_NET_S_LINK_UP, with a config interrupt); its MTU is
 * the device's, and can change while no driver runs the device.
 *
 * It is named mnet<n>, its parent device is the mdev (so the mdev's
 * directory has net/mnet<n>, and the netdev's device link is the mdev),
 * its phys_port_name is "mdev" and the first 8 digits of the mdev's UUID,
 * and its phys_switch_id is the parent endpoint's PCI address, shared by
 * every port of that endpoint.
 *
 * It offers checksum and TSO offloads, and ndo_features_check takes away
 * per frame what the guest has not switched on, so the stack does those in
 * software only when the guest cannot take them.
 */
#include <linux/ethtool.h>
#include <linux/mdev.h>
#include <linux/if_vlan.h>
#include <linux/pci.h>
#include <linux/uuid.h>
#include <asm/unaligned.h>

#include "mnet.h"

/**
 * struct mnet_rep - the representor's private part
 * @mn: its device
 */
struct mnet_rep {
	struct mnet *mn;
};

static struct mnet *mnet_rep_mnet(struct net_device *dev)
{
	return ((struct mnet_rep *)netdev_priv(dev))->mn;
}

/* Guest → host: hand the engine's frames to the stack, @budget at most. */
static int mnet_rep_poll(struct napi_struct *napi, int budget)
{
	struct mnet_txq *txq = container_of(napi, struct mnet_txq, napi);
	struct mnet *mn = mnet_rep_mnet(napi->dev);
	unsigned int pair = txq - mn->txq;
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = skb_dequeue(&txq->backlog))) {
		mnet_count(&txq->stats, skb->len + ETH_HLEN);
		napi_gro_receive(napi, skb);
		done++;
	}
	/* Pairs with the barrier in mnet_tx_must_wait(). */
	smp_mb();
	if (atomic_read(&txq->waiting) &&
	    skb_queue_len_lockless(&txq->backlog) < MNET_TX_BACKLOG / 2 &&
	    atomic_xchg(&txq->waiting, 0))
		siov_virtio_queue_kick(mnet_vq(mn, 2 * pair + 1));
	if (done < budget && napi_complete_done(napi, done) &&
	    !skb_queue_empty_lockless(&txq->backlog))
		napi_schedule(napi);
	return done;
}

static int mnet_rep_open(struct net_device *dev)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	unsigned int pair;

	for (pair = 0; pair < mn->pairs; pair++)
		napi_enable(&mn->txq[pair].napi);
	mnet_rep_link_config(mn);
	return 0;
}

static int mnet_rep_stop(struct net_device *dev)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	unsigned int pair;

	for (pair = 0; pair < mn->pairs; pair++) {
		napi_disable(&mn->txq[pair].napi);
		/* Frames taken while it was up are not the stack's any more. */
		skb_queue_purge(&mn->txq[pair].backlog);
		if (atomic_xchg(&mn->txq[pair].waiting, 0))
			siov_virtio_queue_kick(mnet_vq(mn, 2 * pair + 1));
	}
	mnet_rep_link_config(mn);
	return 0;
}

static netdev_tx_t mnet_rep_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return mnet_rx_xmit(mnet_rep_mnet(dev), skb);
}

/* Per frame: the offloads the guest's receive side has on. */
static netdev_features_t mnet_rep_features_check(struct sk_buff *skb,
						 struct net_device *dev,
						 netdev_features_t features)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	u64 on = READ_ONCE(mn->guest_offloads);

	if (!(on & BIT_ULL(VIRTIO_NET_F_GUEST_CSUM)))
		return features & ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	if (!(on & BIT_ULL(VIRTIO_NET_F_GUEST_TSO4)))
		features &= ~NETIF_F_TSO;
	if (!(on & BIT_ULL(VIRTIO_NET_F_GUEST_TSO6)))
		features &= ~NETIF_F_TSO6;
	if (!(on & BIT_ULL(VIRTIO_NET_F_GUEST_ECN)))
		features &= ~NETIF_F_TSO_ECN;
	return features;
}

/* The MTU is the device's: it changes only while no driver runs it. */
static int mnet_rep_change_mtu(struct net_device *dev, int mtu)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	struct virtio_net_config *cfg = (void *)mn->vdev.config;
	int ret = 0;

	mutex_lock(&mn->vdev.smdev.lock);
	if (mn->vdev.status) {
		ret = -EBUSY;
	} else {
		WRITE_ONCE(dev->mtu, mtu);
		cfg->mtu = (__force __virtio16)cpu_to_le16(mtu);
	}
	mutex_unlock(&mn->vdev.smdev.lock);
	return ret;
}

static void mnet_rep_stats_read(struct mnet_queue_stats *s, u64 *packets,
				u64 *bytes, u64 *drops)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		*packets = s->packets;
		*bytes = s->bytes;
	} while (u64_stats_fetch_retry(&s->syncp, start));
	*drops = atomic64_read(&s->drops);
}

static void mnet_rep_get_stats64(struct net_device *dev,
				 struct rtnl_link_stats64 *stats)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	unsigned int pair;

	for (pair = 0; pair < mn->pairs; pair++) {
		u64 packets, bytes, drops;

		/* The guest's transmit is the representor's receive. */
		mnet_rep_stats_read(&mn->txq[pair].stats, &packets, &bytes,
				    &drops);
		stats->rx_packets += packets;
		stats->rx_bytes += bytes;
		stats->rx_dropped += drops;
		mnet_rep_stats_read(&mn->rxq[pair].stats, &packets, &bytes,
				    &drops);
		stats->tx_packets += packets;
		stats->tx_bytes += bytes;
		stats->tx_dropped += drops;
	}
	stats->rx_errors = atomic64_read(&mn->stats.tx_bad_hdr) +
			   atomic64_read(&mn->stats.tx_bad_len) +
			   atomic64_read(&mn->stats.tx_bad_chain);
	stats->rx_length_errors = atomic64_read(&mn->stats.tx_bad_len);
}

static int mnet_rep_get_phys_port_name(struct net_device *dev, char *name,
				       size_t len)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	char uuid[UUID_STRING_LEN + 1];

	/* "mdev" and the first 8 digits of the UUID as it is written. */
	snprintf(uuid, sizeof(uuid), "%pUl", &mn->vdev.smdev.mdev->uuid);
	if (snprintf(name, len, "mdev%.8s", uuid) >= len)
		return -EINVAL;
	return 0;
}

static int mnet_rep_get_port_parent_id(struct net_device *dev,
				       struct netdev_phys_item_id *ppid)
{
	struct mdev_device *mdev = mnet_rep_mnet(dev)->vdev.smdev.mdev;
	struct pci_dev *pdev = to_pci_dev(mdev->type->parent->dev);
	u32 id = pci_dev_id(pdev) | (u32)pci_domain_nr(pdev->bus) << 16;

	ppid->id_len = sizeof(id);
	put_unaligned_be32(id, ppid->id);
	return 0;
}

static const struct net_device_ops mnet_rep_ops = {
	.ndo_open		= mnet_rep_open,
	.ndo_stop		= mnet_rep_stop,
	.ndo_start_xmit		= mnet_rep_xmit,
	.ndo_features_check	= mnet_rep_features_check,
	.ndo_change_mtu		= mnet_rep_change_mtu,
	.ndo_get_stats64	= mnet_rep_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_phys_port_name	= mnet_rep_get_phys_port_name,
	.ndo_get_port_parent_id	= mnet_rep_get_port_parent_id,
};

/* ethtool -S: per queue pair, then the device's drop reasons. */
static const char mnet_rep_queue_stats[][ETH_GSTRING_LEN] = {
	"rx%u_packets", "rx%u_bytes", "rx%u_drops",
	"tx%u_packets", "tx%u_bytes", "tx%u_drops",
};

#define MNET_STAT(name) { #name, offsetof(struct mnet_stats, name) }
static const struct {
	char name[ETH_GSTRING_LEN];
	size_t offset;
} mnet_rep_dev_stats[] = {
	MNET_STAT(tx_bad_hdr), MNET_STAT(tx_bad_len), MNET_STAT(tx_bad_chain),
	MNET_STAT(tx_down), MNET_STAT(tx_nomem), MNET_STAT(rx_filtered),
	MNET_STAT(rx_no_buffer), MNET_STAT(rx_too_big),
	MNET_STAT(rx_not_ready), MNET_STAT(rx_nomem), MNET_STAT(faults),
	MNET_STAT(ctrl_errors),
};

static int mnet_rep_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return mnet_rep_mnet(dev)->pairs * ARRAY_SIZE(mnet_rep_queue_stats) +
	       ARRAY_SIZE(mnet_rep_dev_stats);
}

static void mnet_rep_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	unsigned int pair, i;

	if (sset != ETH_SS_STATS)
		return;
	for (pair = 0; pair < mn->pairs; pair++)
		for (i = 0; i < ARRAY_SIZE(mnet_rep_queue_stats); i++)
			ethtool_sprintf(&data, mnet_rep_queue_stats[i], pair);
	for (i = 0; i < ARRAY_SIZE(mnet_rep_dev_stats); i++)
		ethtool_sprintf(&data, "%s", mnet_rep_dev_stats[i].name);
}

static void mnet_rep_get_ethtool_stats(struct net_device *dev,
				       struct ethtool_stats *stats, u64 *data)
{
	struct mnet *mn = mnet_rep_mnet(dev);
	unsigned int pair, i;

	for (pair = 0; pair < mn->pairs; pair++) {
		mnet_rep_stats_read(&mn->txq[pair].stats, &data[0], &data[1],
				    &data[2]);
		mnet_rep_stats_read(&mn->rxq[pair].stats, &data[3], &data[4],
				    &data[5]);
		data += ARRAY_SIZE(mnet_rep_queue_stats);
	}
	for (i = 0; i < ARRAY_SIZE(mnet_rep_dev_stats); i++)
		*data++ = atomic64_read((atomic64_t *)((void *)&mn->stats +
					mnet_rep_dev_stats[i].offset));
}

static void mnet_rep_get_drvinfo(struct net_device *dev,
				 struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

static const struct ethtool_ops mnet_rep_ethtool_ops = {
	.get_drvinfo		= mnet_rep_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= mnet_rep_get_sset_count,
	.get_strings		= mnet_rep_get_strings,
	.get_ethtool_stats	= mnet_rep_get_ethtool_stats,
};

/**
 * mnet_rep_link_config() - the guest's link is the representor's admin state
 * @mn: the device
 *
 * Sets VIRTIO_NET_S_LINK_UP while the representor is up, and raises the
 * config interrupt when that changes.
 *
 * Context: process (RTNL held from ndo_open/ndo_stop, or the mdev lock).
 */
void mnet_rep_link_config(struct mnet *mn)
{
	struct virtio_net_config *cfg = (void *)mn->vdev.config;
	u16 status = netif_running(mn->rep) ? VIRTIO_NET_S_LINK_UP : 0;
	__virtio16 val = (__force __virtio16)cpu_to_le16(status);

	if (READ_ONCE(cfg->status) == val)
		return;
	WRITE_ONCE(cfg->status, val);
	if (mnet_has(mn, VIRTIO_NET_F_STATUS) &&
	    (READ_ONCE(mn->vdev.status) & VIRTIO_CONFIG_S_DRIVER_OK))
		siov_virtio_config_changed(&mn->vdev);
}

/**
 * mnet_rep_carrier() - the guest driver started the device, or reset it
 * @mn: the device
 * @on: DRIVER_OK (true) or reset
 *
 * Context: any.
 */
void mnet_rep_carrier(struct mnet *mn, bool on)
{
	if (on)
		netif_carrier_on(mn->rep);
	else
		netif_carrier_off(mn->rep);
}

/**
 * mnet_rep_create() - the representor of a new mdev
 * @mn: the device; its MAC, pairs and mdev are set
 *
 * Context: process; no lock held (takes RTNL).
 *
 * Return: 0 or -errno.
 */
int mnet_rep_create(struct mnet *mn)
{
	struct net_device *dev;
	struct mnet_rep *rep;
	unsigned int pair;
	u8 addr[ETH_ALEN];
	int ret;

	dev = alloc_netdev_mqs(sizeof(*rep), "mnet%d", NET_NAME_ENUM,
			       ether_setup, mn->pairs, mn->pairs);
	if (!dev)
		return -ENOMEM;
	rep = netdev_priv(dev);
	rep->mn = mn;
	mn->rep = dev;
	SET_NETDEV_DEV(dev, mdev_dev(mn->vdev.smdev.mdev));
	dev->netdev_ops = &mnet_rep_ops;
	dev->ethtool_ops = &mnet_rep_ethtool_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO |
			   NETIF_F_TSO6 | NETIF_F_TSO_ECN | NETIF_F_RXCSUM;
	dev->features = dev->hw_features;
	/* netpoll's xmit with IRQs off would spin on a ring lock held _bh. */
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_DISABLE_NETPOLL;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - ETH_HLEN - VLAN_HLEN;
	/* The guest's address with another locally administered prefix. */
	ether_addr_copy(addr, mn->mac);
	addr[0] = 0x06;
	eth_hw_addr_set(dev, addr);
	for (pair = 0; pair < mn->pairs; pair++) {
		skb_queue_head_init(&mn->txq[pair].backlog);
		netif_napi_add(dev, &mn->txq[pair].napi, mnet_rep_poll);
	}
	netif_carrier_off(dev);
	ret = register_netdev(dev);
	if (ret) {
		for (pair = 0; pair < mn->pairs; pair++)
			netif_napi_del(&mn->txq[pair].napi);
		free_netdev(dev);
		mn->rep = NULL;
	}
	return ret;
}

/**
 * mnet_rep_destroy() - the mdev goes: its representor with it
 * @mn: the device; closed
 *
 * Context: process; no lock held (takes RTNL).
 */
void mnet_rep_destroy(struct mnet *mn)
{
	unsigned int pair;

	unregister_netdev(mn->rep);
	for (pair = 0; pair < mn->pairs; pair++) {
		netif_napi_del(&mn->txq[pair].napi);
		skb_queue_purge(&mn->txq[pair].backlog);
	}
	free_netdev(mn->rep);
	mn->rep = NULL;
}
