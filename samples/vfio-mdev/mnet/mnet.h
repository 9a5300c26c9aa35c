/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mnet: a virtio-net device (1af4:1041) on the virtio layer of the sample
 * core, which a guest drives with Linux's stock virtio_net driver, and a
 * port of the simulated NIC's embedded switch whose other end is a host
 * netdev, the port's representor.
 *
 * Files, in the order a frame flows through them:
 *   main.c     the device: features, config, queues, types, the MAC
 *              attribute, probe
 *   txq.c      the guest's transmit queues, on the engine: a chain
 *              becomes an skb for the representor's receive (NAPI)
 *   rxq.c      the representor's transmit: an skb goes into the guest's
 *              receive buffers
 *   ctrlq.c    the control queue: receive filter, offloads, queue pairs
 *   representor.c  the host netdev: NAPI, ndo and ethtool ops, carrier
 */
#ifndef MNET_H
#define MNET_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/virtio_net.h>

#include "../siov_virtio.h"

/* Queue pairs: an mdev gets one per engine queue its type holds. */
#define MNET_PAIRS_MAX		4
/* rx0, tx0, rx1, tx1, ..., then the control queue. */
#define MNET_QUEUES_MAX		(2 * MNET_PAIRS_MAX + 1)
#define MNET_QUEUE_SIZE		256
/* Config, then one per data queue: Linux gives each its own. */
#define MNET_VECTORS		(1 + 2 * MNET_PAIRS_MAX)

#define MNET_HDR_LEN		sizeof(struct virtio_net_hdr_v1)
/* The largest frame, GSO or not, without its header. */
#define MNET_FRAME_MAX		(GSO_LEGACY_MAX_SIZE + ETH_HLEN + VLAN_HLEN)
/* Receive buffers (chains) one frame may take, and their descriptors. */
#define MNET_RX_BUFS_MAX	64
#define MNET_RX_SEGS_MAX	80
/* Frames a guest transmit queue may have waiting for NAPI. */
#define MNET_TX_BACKLOG		256
/*
 * The receive offloads: on as negotiated at DRIVER_OK, switched at run time
 * with VIRTIO_NET_CTRL_GUEST_OFFLOADS.
 */
#define MNET_RX_OFFLOADS	(BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |	\
				 BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |	\
				 BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |	\
				 BIT_ULL(VIRTIO_NET_F_GUEST_ECN))
/* Entries of each receive-filter MAC table (unicast, multicast). */
#define MNET_MAC_TABLE		32

static inline bool mnet_is_rx(unsigned int vq)
{
	return !(vq & 1);
}

/**
 * struct mnet_filter - the receive filter the driver set (VIRTIO_NET_CTRL_RX,
 *	VIRTIO_NET_CTRL_MAC); replaced whole under RCU
 * @promisc: every frame
 * @allmulti: every multicast frame
 * @uni_all: the unicast table overflowed: every unicast frame
 * @multi_all: the multicast table overflowed: every multicast frame
 * @nr_uni: unicast entries
 * @nr_multi: multicast entries
 * @macs: the unicast entries, then the multicast ones
 * @rcu: for freeing
 */
struct mnet_filter {
	bool promisc;
	bool allmulti;
	bool uni_all;
	bool multi_all;
	unsigned int nr_uni;
	unsigned int nr_multi;
	u8 macs[2 * MNET_MAC_TABLE][ETH_ALEN];
	struct rcu_head rcu;
};

/**
 * struct mnet_queue_stats - the counters of one direction of a queue pair
 * @packets: frames passed on
 * @bytes: their bytes, without the virtio-net header
 * @syncp: for 64-bit reads on 32-bit hosts (one writer: NAPI for a
 *	transmit queue, the ring's lock holder for a receive queue)
 * @drops: frames dropped (see the per-reason counters of struct mnet_stats);
 *	counted from several contexts
 */
struct mnet_queue_stats {
	u64 packets;
	u64 bytes;
	struct u64_stats_sync syncp;
	atomic64_t drops;
};

/**
 * struct mnet_txq - a guest transmit queue and the representor's receive
 * @napi: the representor's NAPI context for it
 * @backlog: frames the engine took from the guest, for NAPI
 * @waiting: the engine stopped taking frames because @backlog was full;
 *	NAPI kicks the queue again when it has room
 * @stats: the frames delivered to the host (the representor's rx)
 */
struct mnet_txq {
	struct napi_struct napi;
	struct sk_buff_head backlog;
	atomic_t waiting;
	struct mnet_queue_stats stats;
};

/**
 * struct mnet_rx_seg - a writable buffer of a receive chain
 * @addr: its IOVA
 * @len: its length
 */
struct mnet_rx_seg {
	u64 addr;
	u32 len;
};

/**
 * struct mnet_rxq - a guest receive queue, fed by the representor's transmit
 * @lock: serialises the ring against the representor's transmit queues
 *	that feed it and against quiesce (taken with BH off)
 * @waiting: the ring ran out of buffers; the representor queues that feed
 *	it are stopped until the driver adds some
 * @segs: the writable buffers of the chains taken for the frame being
 *	delivered
 * @seg_end: per chain taken: the index in @segs after its last buffer
 * @used: those chains, for the used ring
 * @stats: the frames delivered to the guest (the representor's tx)
 */
struct mnet_rxq {
	spinlock_t lock;	/* the ring */
	bool waiting;
	struct mnet_rx_seg segs[MNET_RX_SEGS_MAX];
	u8 seg_end[MNET_RX_BUFS_MAX];
	struct vring_used_elem used[MNET_RX_BUFS_MAX];
	struct mnet_queue_stats stats;
};

/**
 * struct mnet_stats - per-mdev drop and error counters, each by reason
 * @tx_bad_hdr: guest frames whose virtio-net header is invalid or asks for
 *	an offload the driver did not negotiate
 * @tx_bad_len: guest frames shorter than an Ethernet header or longer than
 *	the MTU (without GSO) or 64 KiB (with it)
 * @tx_bad_chain: guest transmit chains with writable buffers
 * @tx_down: guest frames dropped because the representor is down
 * @tx_nomem: guest frames dropped for want of host memory
 * @rx_filtered: host frames the guest's receive filter did not want
 * @rx_no_buffer: host frames that met a full receive queue
 * @rx_too_big: host frames larger than the buffers a frame may take
 * @rx_not_ready: host frames sent while the guest had no queue running
 * @rx_nomem: host frames dropped for want of host memory
 * @faults: DMA faults on buffers (the frame is dropped, the ring goes on)
 * @ctrl_errors: control commands answered VIRTIO_NET_ERR
 *
 * Atomic: the engine, the representor's transmit queues and NAPI count.
 */
struct mnet_stats {
	atomic64_t tx_bad_hdr;
	atomic64_t tx_bad_len;
	atomic64_t tx_bad_chain;
	atomic64_t tx_down;
	atomic64_t tx_nomem;
	atomic64_t rx_filtered;
	atomic64_t rx_no_buffer;
	atomic64_t rx_too_big;
	atomic64_t rx_not_ready;
	atomic64_t rx_nomem;
	atomic64_t faults;
	atomic64_t ctrl_errors;
};

/**
 * struct mnet - one network mdev
 * @vdev: the virtio device (first)
 * @rep: its representor
 * @mac: the MAC address the device reports (the "mac" attribute)
 * @pairs: the queue pairs it has (max_virtqueue_pairs)
 * @cur_pairs: the pairs the driver uses (VIRTIO_NET_CTRL_MQ)
 * @guest_offloads: the receive offloads the driver has on
 *	(VIRTIO_NET_F_GUEST_*, VIRTIO_NET_CTRL_GUEST_OFFLOADS)
 * @filter: the receive filter (RCU)
 * @txq: per pair: the guest's transmit queue
 * @rxq: per pair: the guest's receive queue
 * @stats: drop and error counters
 */
struct mnet {
	struct siov_virtio vdev;
	struct net_device *rep;
	u8 mac[ETH_ALEN];
	unsigned int pairs;
	unsigned int cur_pairs;
	u64 guest_offloads;
	struct mnet_filter __rcu *filter;
	struct mnet_txq txq[MNET_PAIRS_MAX];
	struct mnet_rxq rxq[MNET_PAIRS_MAX];
	struct mnet_stats stats;
};

static inline struct mnet *to_mnet(struct siov_virtio *vdev)
{
	return container_of(vdev, struct mnet, vdev);
}

static inline struct siov_virtio_queue *mnet_vq(struct mnet *mn,
						unsigned int index)
{
	return &mn->vdev.queues[index];
}

static inline bool mnet_has(struct mnet *mn, unsigned int feature)
{
	return mn->vdev.driver_features & BIT_ULL(feature);
}

/* The pairs whose queues exist for the driver: all with MQ, else one. */
static inline unsigned int mnet_usable_pairs(struct mnet *mn)
{
	return mnet_has(mn, VIRTIO_NET_F_MQ) ? mn->pairs : 1;
}

static inline void mnet_count(struct mnet_queue_stats *s, unsigned int bytes)
{
	u64_stats_update_begin(&s->syncp);
	s->packets++;
	s->bytes += bytes;
	u64_stats_update_end(&s->syncp);
}

static inline void mnet_count_drop(struct mnet_queue_stats *s)
{
	atomic64_inc(&s->drops);
}

/* The guest's transmit queues (txq.c) */
enum siov_virtio_run mnet_tx_run(struct mnet *mn,
				 struct siov_virtio_queue *vq,
				 struct siov_mdev_batch *batch);

/* The guest's receive queues (rxq.c) */
netdev_tx_t mnet_rx_xmit(struct mnet *mn, struct sk_buff *skb);
void mnet_rx_notify(struct mnet *mn, unsigned int pair);
void mnet_rx_start(struct mnet *mn);
void mnet_rx_quiesce(struct mnet *mn);
void mnet_rx_pairs_changed(struct mnet *mn);

/* The control queue (ctrlq.c) */
enum siov_virtio_run mnet_ctrl_run(struct mnet *mn,
				   struct siov_virtio_queue *vq,
				   struct siov_mdev_batch *batch);
int mnet_filter_reset(struct mnet *mn, gfp_t gfp);
void mnet_filter_free(struct mnet *mn);
bool mnet_filter_pass(struct mnet *mn, const u8 *dest);

/* The representor (representor.c) */
int mnet_rep_create(struct mnet *mn);
void mnet_rep_destroy(struct mnet *mn);
void mnet_rep_carrier(struct mnet *mn, bool on);
void mnet_rep_link_config(struct mnet *mn);

#endif /* MNET_H */
