// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's receive queues, fed synchronously by the representor's
 * transmit (ndo_start_xmit, BHs off), as a veth peer is: the frame and its
 * virtio-net header go into the buffers the driver posted, through the
 * mdev's PASID, and are published with one used-index update.
 *
 * With VIRTIO_NET_F_MRG_RXBUF a frame takes as many buffers as it needs
 * (up to MNET_RX_BUFS_MAX) and the header says how many; without it, one
 * chain must hold it.  A frame that finds too few buffers puts back what it
 * took and stops the representor queues that feed the ring, and the
 * driver's next doorbell on it wakes them: the frame is sent again, not
 * lost.  The ring's doorbell is otherwise off, so refills cost no exits.
 *
 * Each ring is used under its rxq lock, by the representor's transmit
 * queues that map to it and by quiesce, which takes the lock once so that
 * no transmit is in flight when the engine is stopped, and none starts
 * until the engine runs again (siov_mdev_engine_stopping()).
 */
#include <linux/skbuff.h>
#include <linux/virtio_net.h>

#include "mnet.h"

/* The offloads the guest has on, as virtio-net header support. */
static bool mnet_rx_offload(struct mnet *mn, unsigned int feature)
{
	return READ_ONCE(mn->guest_offloads) & BIT_ULL(feature);
}

/*
 * Take chains until their writable buffers hold @need bytes.  Returns the
 * chains taken (put back again on failure), 0 if the ring has too few, or
 * -errno: -EMSGSIZE when the frame needs more than a frame may take, a
 * ring error otherwise.
 */
static int mnet_rx_take(struct mnet *mn, struct siov_virtio_queue *vq,
			struct mnet_rxq *rxq, size_t need, unsigned int *nsegs)
{
	bool mergeable = mnet_has(mn, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int bufs = 0, segs = 0;
	size_t room = 0;
	int ret;

	while (room < need) {
		u16 head;
		u32 i;

		if (bufs == MNET_RX_BUFS_MAX || (bufs && !mergeable)) {
			ret = -EMSGSIZE;
			goto put_back;
		}
		ret = vringh_getdesc_ops(&vq->vrh, &vq->riov, &vq->wiov, &head,
					 GFP_ATOMIC);
		/* No memory for a long chain's iovecs: that head goes back too. */
		if (ret == -ENOMEM)
			bufs++;
		if (ret <= 0)
			goto put_back;
		rxq->used[bufs].id = cpu_to_vringh32(&vq->vrh, head);
		bufs++;
		for (i = vq->wiov.i; i < vq->wiov.used; i++) {
			if (segs == MNET_RX_SEGS_MAX) {
				ret = -EMSGSIZE;
				goto put_back;
			}
			rxq->segs[segs].addr = (u64)(uintptr_t)vq->wiov.iov[i].iov_base;
			rxq->segs[segs].len = vq->wiov.iov[i].iov_len;
			room += vq->wiov.iov[i].iov_len;
			segs++;
		}
		/* The header must fit in the first chain (num_buffers). */
		if (bufs == 1 && room < MNET_HDR_LEN) {
			ret = -EMSGSIZE;
			goto put_back;
		}
		rxq->seg_end[bufs - 1] = segs;
	}
	*nsegs = segs;
	return bufs;

put_back:
	vringh_abandon_ops(&vq->vrh, bufs);
	return ret;
}

/*
 * Write @len bytes of @skb from @offset on into the buffers, from segment
 * *@seg and its byte *@pos on.
 */
static int mnet_rx_copy(struct mnet *mn, struct mnet_rxq *rxq,
			const void *src, size_t len, unsigned int *seg,
			u32 *pos)
{
	struct siov_mdev *smdev = &mn->vdev.smdev;

	while (len) {
		struct mnet_rx_seg *s = &rxq->segs[*seg];
		size_t n = min_t(size_t, len, s->len - *pos);
		int ret;

		ret = siov_mdev_dma_write(smdev, s->addr + *pos, src, n);
		if (ret)
			return ret;
		src += n;
		len -= n;
		*pos += n;
		if (*pos == s->len) {
			(*seg)++;
			*pos = 0;
		}
	}
	return 0;
}

/* The header, then the frame, across the segments taken. */
static int mnet_rx_write(struct mnet *mn, struct mnet_rxq *rxq,
			 const struct virtio_net_hdr_mrg_rxbuf *hdr,
			 struct sk_buff *skb)
{
	struct skb_seq_state st;
	unsigned int seg = 0, consumed = 0;
	const u8 *data;
	u32 pos = 0;
	int ret;

	ret = mnet_rx_copy(mn, rxq, hdr, sizeof(*hdr), &seg, &pos);
	if (ret)
		return ret;
	skb_prepare_seq_read(skb, 0, skb->len, &st);
	while (!ret) {
		unsigned int n = skb_seq_read(consumed, &data, &st);

		if (!n)
			return 0;
		ret = mnet_rx_copy(mn, rxq, data, n, &seg, &pos);
		consumed += n;
	}
	skb_abort_seq_read(&st);
	return ret;
}

/* Each chain's used length: the bytes of @total that went into it. */
static void mnet_rx_lengths(struct siov_virtio_queue *vq,
			    struct mnet_rxq *rxq, unsigned int bufs,
			    size_t total)
{
	unsigned int b, s = 0;

	for (b = 0; b < bufs; b++) {
		size_t len = 0;

		for (; s < rxq->seg_end[b]; s++)
			len += rxq->segs[s].len;
		len = min(len, total);
		total -= len;
		rxq->used[b].len = cpu_to_vringh32(&vq->vrh, len);
	}
}

/* The header for @skb; false if the guest cannot take its offloads. */
static bool mnet_rx_hdr(struct mnet *mn, struct sk_buff *skb,
			struct virtio_net_hdr_mrg_rxbuf *hdr)
{
	bool csum = mnet_rx_offload(mn, VIRTIO_NET_F_GUEST_CSUM);

	/*
	 * ndo_features_check keeps these away, but a frame the qdisc requeued
	 * was checked before the guest switched its offloads: never write
	 * what is not on (and never software-checksum a GSO frame).
	 */
	if (skb_is_gso(skb)) {
		unsigned int gso = skb_shinfo(skb)->gso_type;

		if (!csum ||
		    ((gso & SKB_GSO_TCPV4) &&
		     !mnet_rx_offload(mn, VIRTIO_NET_F_GUEST_TSO4)) ||
		    ((gso & SKB_GSO_TCPV6) &&
		     !mnet_rx_offload(mn, VIRTIO_NET_F_GUEST_TSO6)) ||
		    ((gso & SKB_GSO_TCP_ECN) &&
		     !mnet_rx_offload(mn, VIRTIO_NET_F_GUEST_ECN)))
			return false;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL && !csum &&
		   skb_checksum_help(skb)) {
		return false;
	}
	return !virtio_net_hdr_from_skb(skb, &hdr->hdr, true, csum, 0);
}

/*
 * Deliver @skb into the ring.  0 if it was written or dropped (counted),
 * -ENOSPC if the ring has too few buffers and it must wait.
 */
static int mnet_rx_deliver(struct mnet *mn, unsigned int pair,
			   struct sk_buff *skb)
{
	struct siov_virtio_queue *vq = mnet_vq(mn, 2 * pair);
	struct mnet_rxq *rxq = &mn->rxq[pair];
	struct virtio_net_hdr_mrg_rxbuf hdr;
	size_t need = MNET_HDR_LEN + skb->len;
	unsigned int nsegs;
	int bufs, ret;

	if (!mnet_filter_pass(mn, eth_hdr(skb)->h_dest)) {
		atomic64_inc(&mn->stats.rx_filtered);
		goto drop;
	}
	if (!mnet_rx_hdr(mn, skb, &hdr)) {
		atomic64_inc(&mn->stats.rx_too_big);
		goto drop;
	}
	bufs = mnet_rx_take(mn, vq, rxq, need, &nsegs);
	if (!bufs)
		return -ENOSPC;
	if (bufs == -EMSGSIZE) {
		atomic64_inc(&mn->stats.rx_too_big);
		goto drop;
	}
	if (bufs == -ENOMEM) {
		atomic64_inc(&mn->stats.rx_nomem);
		goto drop;
	}
	if (bufs < 0) {
		siov_virtio_queue_error(vq, bufs);
		goto drop;
	}
	hdr.num_buffers = cpu_to_le16(bufs);
	ret = mnet_rx_write(mn, rxq, &hdr, skb);
	if (ret) {
		/* The buffers go back to the guest empty; it drops them. */
		atomic64_inc(&mn->stats.faults);
		need = 0;
	}
	mnet_rx_lengths(vq, rxq, bufs, need);
	if (vringh_complete_multi_ops(&vq->vrh, rxq->used, bufs)) {
		siov_virtio_queue_error(vq, -EFAULT);
		goto drop;
	}
	vq->completed += bufs;
	siov_virtio_queue_notify(vq);
	if (ret)
		goto drop;
	mnet_count(&rxq->stats, skb->len);
	return 0;

drop:
	mnet_count_drop(&rxq->stats);
	return 0;
}

/* Stop the representor queues that feed @pair's ring (@cur pairs in use). */
static void mnet_rx_stop_queues(struct mnet *mn, unsigned int pair,
				unsigned int cur)
{
	unsigned int q;

	for (q = 0; q < mn->rep->real_num_tx_queues; q++)
		if (q % cur == pair)
			netif_stop_subqueue(mn->rep, q);
}

/**
 * mnet_rx_xmit() - the representor's transmit: a frame for the guest
 * @mn: the device
 * @skb: the frame
 *
 * Context: ndo_start_xmit: BHs off, the transmit queue's lock held.
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY with the queue stopped until
 * the guest adds receive buffers.
 */
netdev_tx_t mnet_rx_xmit(struct mnet *mn, struct sk_buff *skb)
{
	unsigned int cur = READ_ONCE(mn->cur_pairs);
	unsigned int pair = skb_get_queue_mapping(skb) % cur;
	struct siov_virtio_queue *vq = mnet_vq(mn, 2 * pair);
	struct mnet_rxq *rxq = &mn->rxq[pair];
	int ret;

	spin_lock(&rxq->lock);
	if (siov_mdev_engine_stopping(&mn->vdev.smdev) ||
	    /* Pairs with the release in the virtio layer's queue start. */
	    !smp_load_acquire(&vq->ready) ||
	    atomic_read(&mn->vdev.needs_reset)) {
		spin_unlock(&rxq->lock);
		atomic64_inc(&mn->stats.rx_not_ready);
		mnet_count_drop(&rxq->stats);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	ret = mnet_rx_deliver(mn, pair, skb);
	if (ret == -ENOSPC) {
		/*
		 * Ask for the doorbell of the next buffer, then look again:
		 * one may have come before the doorbell was on.
		 */
		mnet_rx_stop_queues(mn, pair, cur);
		rxq->waiting = true;
		if (vringh_notify_enable_ops(&vq->vrh)) {
			spin_unlock(&rxq->lock);
			atomic64_inc(&mn->stats.rx_no_buffer);
			return NETDEV_TX_BUSY;
		}
		vringh_notify_disable_ops(&vq->vrh);
		rxq->waiting = false;
		netif_tx_wake_all_queues(mn->rep);
		ret = mnet_rx_deliver(mn, pair, skb);
		if (ret == -ENOSPC) {
			spin_unlock(&rxq->lock);
			atomic64_inc(&mn->stats.rx_no_buffer);
			mnet_count_drop(&rxq->stats);
			dev_kfree_skb_any(skb);
			return NETDEV_TX_OK;
		}
	}
	spin_unlock(&rxq->lock);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * mnet_rx_notify() - the driver rang a receive queue's doorbell
 * @mn: the device
 * @pair: the queue's pair
 *
 * It added buffers after the ring ran out: the representor queues that
 * feed it start again, and the doorbell goes off.
 *
 * Context: a region write of the vfio client (the mdev lock held).
 */
void mnet_rx_notify(struct mnet *mn, unsigned int pair)
{
	struct siov_virtio_queue *vq = mnet_vq(mn, 2 * pair);
	struct mnet_rxq *rxq = &mn->rxq[pair];
	bool wake;

	spin_lock_bh(&rxq->lock);
	wake = rxq->waiting;
	if (wake && !siov_mdev_engine_stopping(&mn->vdev.smdev) &&
	    /* The ring is set up: the release in the virtio layer's start. */
	    smp_load_acquire(&vq->ready))
		vringh_notify_disable_ops(&vq->vrh);
	rxq->waiting = false;
	spin_unlock_bh(&rxq->lock);
	if (wake)
		netif_tx_wake_all_queues(mn->rep);
}

/**
 * mnet_rx_start() - DRIVER_OK: the receive rings start without doorbells
 * @mn: the device
 *
 * Context: the mdev lock held; before the queues are published ready.
 */
void mnet_rx_start(struct mnet *mn)
{
	unsigned int pair;

	/* No DMA while Bus Master Enable is clear: then the doorbells stay on. */
	if (siov_mdev_engine_stopping(&mn->vdev.smdev))
		return;
	for (pair = 0; pair < mnet_usable_pairs(mn); pair++) {
		struct siov_virtio_queue *vq = mnet_vq(mn, 2 * pair);

		if (!vq->enabled)
			continue;
		spin_lock_bh(&mn->rxq[pair].lock);
		vringh_notify_disable_ops(&vq->vrh);
		mn->rxq[pair].waiting = false;
		spin_unlock_bh(&mn->rxq[pair].lock);
	}
}

/**
 * mnet_rx_quiesce() - the engine stopped: wait for the transmits in flight
 * @mn: the device
 *
 * A transmit that takes a ring's lock after this sees the engine stopped
 * and drops its frame, so no DMA reaches the guest's receive buffers; the
 * representor's queues are woken, so none waits for a doorbell.
 *
 * Context: the mdev lock held (ops->quiesce).
 */
void mnet_rx_quiesce(struct mnet *mn)
{
	unsigned int pair;

	for (pair = 0; pair < mn->pairs; pair++) {
		spin_lock_bh(&mn->rxq[pair].lock);
		mn->rxq[pair].waiting = false;
		spin_unlock_bh(&mn->rxq[pair].lock);
	}
	/* Stopped queues would wait for a doorbell that never comes. */
	netif_tx_wake_all_queues(mn->rep);
}

/**
 * mnet_rx_pairs_changed() - the driver changed the queue pairs in use
 * @mn: the device
 *
 * The representor's queues map to other rings now: none waits for a ring
 * it no longer feeds.
 *
 * Context: the engine (the control queue).
 */
void mnet_rx_pairs_changed(struct mnet *mn)
{
	mnet_rx_quiesce(mn);
}
