// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's transmit queues: on the engine (the device's worker or the
 * vCPU thread that rang the doorbell, charged to the VM), each chain is
 * read through the mdev's PASID into an skb, which keeps the guest's
 * offload request (checksum, GSO) as skb metadata for the host stack, and
 * goes to the representor's NAPI context of its queue pair.
 *
 * The engine stops taking frames while MNET_TX_BACKLOG of them wait for
 * NAPI, and NAPI kicks the queue again once it has room, so a guest that
 * sends faster than the host receives is slowed down, not buffered.
 */
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>

#include "mnet.h"

/* The bytes an skb gets in its linear part; the rest go in page frags. */
#define MNET_TX_LINEAR		256

/* Is the offload the header asks for one the driver negotiated? */
static bool mnet_tx_hdr_ok(struct mnet *mn, const struct virtio_net_hdr *hdr)
{
	u8 gso = hdr->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;

	if ((hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    !mnet_has(mn, VIRTIO_NET_F_CSUM))
		return false;
	if (hdr->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return false;
	switch (gso) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return !(hdr->gso_type & VIRTIO_NET_HDR_GSO_ECN);
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (!mnet_has(mn, VIRTIO_NET_F_HOST_TSO4))
			return false;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		if (!mnet_has(mn, VIRTIO_NET_F_HOST_TSO6))
			return false;
		break;
	default:
		return false;
	}
	if ((hdr->gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	    !mnet_has(mn, VIRTIO_NET_F_HOST_ECN))
		return false;
	/* GSO needs the checksum offload to go with it. */
	return hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;
}

/* Is a frame of @len bytes (without the header) one the device sends? */
static bool mnet_tx_len_ok(struct mnet *mn, const struct virtio_net_hdr *hdr,
			   size_t len)
{
	if (len < ETH_HLEN)
		return false;
	if (hdr->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return len <= MNET_FRAME_MAX;
	return len <= READ_ONCE(mn->rep->mtu) + ETH_HLEN + VLAN_HLEN;
}

/* Read @len bytes of the chain into a new skb, linear part first. */
static struct sk_buff *mnet_tx_read(struct mnet *mn,
				    struct siov_virtio_queue *vq, size_t len)
{
	size_t linear = min_t(size_t, len, MNET_TX_LINEAR);
	struct sk_buff *skb;
	unsigned int i;
	ssize_t n;
	int err;

	skb = alloc_skb_with_frags(NET_IP_ALIGN + linear, len - linear, 0,
				   &err, GFP_KERNEL);
	if (!skb) {
		atomic64_inc(&mn->stats.tx_nomem);
		return NULL;
	}
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;

	n = vringh_iov_pull_ops(&vq->vrh, &vq->riov, skb->data, linear);
	for (i = 0; n == linear && i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		linear = skb_frag_size(frag);
		n = vringh_iov_pull_ops(&vq->vrh, &vq->riov,
					skb_frag_address(frag), linear);
	}
	if (n != linear) {
		/* A buffer the PASID does not map: the frame is lost. */
		atomic64_inc(&mn->stats.faults);
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/*
 * One chain: the header, then the frame.  NULL if the frame is dropped;
 * each reason is counted.
 */
static struct sk_buff *mnet_tx_frame(struct mnet *mn,
				     struct siov_virtio_queue *vq)
{
	size_t len = vringh_kiov_length(&vq->riov);
	struct virtio_net_hdr_mrg_rxbuf mhdr;
	struct virtio_net_hdr *hdr = &mhdr.hdr;
	struct sk_buff *skb;

	if (vq->wiov.used) {
		atomic64_inc(&mn->stats.tx_bad_chain);
		return NULL;
	}
	if (len < MNET_HDR_LEN) {
		atomic64_inc(&mn->stats.tx_bad_len);
		return NULL;
	}
	/* The v1 header; its num_buffers means nothing on transmit. */
	BUILD_BUG_ON(sizeof(mhdr) != MNET_HDR_LEN);
	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, &mhdr, sizeof(mhdr)) !=
	    sizeof(mhdr)) {
		atomic64_inc(&mn->stats.faults);
		return NULL;
	}
	len -= MNET_HDR_LEN;
	if (!mnet_tx_hdr_ok(mn, hdr)) {
		atomic64_inc(&mn->stats.tx_bad_hdr);
		return NULL;
	}
	if (!mnet_tx_len_ok(mn, hdr, len)) {
		atomic64_inc(&mn->stats.tx_bad_len);
		return NULL;
	}
	if (!netif_running(mn->rep)) {
		atomic64_inc(&mn->stats.tx_down);
		return NULL;
	}
	skb = mnet_tx_read(mn, vq, len);
	if (!skb)
		return NULL;
	skb->dev = mn->rep;
	/* The checksum and GSO request become the skb's, as tun does it. */
	if (virtio_net_hdr_to_skb(skb, hdr, true)) {
		atomic64_inc(&mn->stats.tx_bad_hdr);
		kfree_skb(skb);
		return NULL;
	}
	skb->protocol = eth_type_trans(skb, mn->rep);
	return skb;
}

/*
 * The backlog is full: stop until NAPI has room, unless it made room
 * while we looked (NAPI reads @waiting after it dequeues).
 */
static bool mnet_tx_must_wait(struct mnet_txq *txq)
{
	if (skb_queue_len_lockless(&txq->backlog) < MNET_TX_BACKLOG)
		return false;
	atomic_set(&txq->waiting, 1);
	/* @waiting before the length; NAPI dequeues, then reads @waiting. */
	smp_mb__after_atomic();
	if (skb_queue_len_lockless(&txq->backlog) < MNET_TX_BACKLOG) {
		atomic_set(&txq->waiting, 0);
		return false;
	}
	return true;
}

/**
 * mnet_tx_run() - take the guest's frames from one of its transmit queues
 * @mn: the device
 * @vq: the queue (an odd index: tx0, tx1, ...)
 * @batch: the engine's budget
 *
 * Context: ops->queue_run of the virtio layer.
 *
 * Return: what the layer should do next (see enum siov_virtio_run).
 */
enum siov_virtio_run mnet_tx_run(struct mnet *mn,
				 struct siov_virtio_queue *vq,
				 struct siov_mdev_batch *batch)
{
	unsigned int pair = vq->index / 2;
	struct mnet_txq *txq = &mn->txq[pair];
	unsigned int frames = 0;
	enum siov_virtio_run run = SIOV_VIRTIO_RUN_MORE;

	while (batch->descs < batch->budget_descs &&
	       batch->bytes < batch->budget_bytes) {
		struct sk_buff *skb;
		u16 head;
		int ret;

		if (siov_mdev_engine_stopping(&mn->vdev.smdev)) {
			run = SIOV_VIRTIO_RUN_EMPTY;
			break;
		}
		if (mnet_tx_must_wait(txq)) {
			run = SIOV_VIRTIO_RUN_WAIT;
			break;
		}
		ret = vringh_getdesc_ops(&vq->vrh, &vq->riov, &vq->wiov, &head,
					 GFP_KERNEL);
		if (ret <= 0) {
			if (ret < 0)
				siov_virtio_queue_error(vq, ret);
			run = SIOV_VIRTIO_RUN_EMPTY;
			break;
		}
		batch->bytes += vringh_kiov_length(&vq->riov);
		skb = mnet_tx_frame(mn, vq);
		/* The guest's buffer is free again once the frame is read. */
		if (siov_virtio_queue_complete(vq, head, 0)) {
			kfree_skb(skb);
			run = SIOV_VIRTIO_RUN_EMPTY;
			break;
		}
		batch->descs++;
		if (!skb) {
			mnet_count_drop(&txq->stats);
			continue;
		}
		skb_record_rx_queue(skb, pair);
		skb_queue_tail(&txq->backlog, skb);
		frames++;
	}
	if (frames) {
		/* NAPI's softirq runs when BHs are enabled again. */
		local_bh_disable();
		napi_schedule(&txq->napi);
		local_bh_enable();
	}
	return run;
}
