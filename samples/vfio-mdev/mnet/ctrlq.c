// SPDX-License-Identifier: GPL-2.0
/*
 * The control queue, on the engine: receive mode and MAC filter
 * (VIRTIO_NET_F_CTRL_RX), receive offloads (CTRL_GUEST_OFFLOADS) and the
 * queue pairs in use (MQ).  A command is a chain of a two-byte class and
 * command, the command's data, and one writable byte for the ack; Linux
 * waits for the ack by polling under RTNL, and the first engine batch runs
 * in the vCPU thread that rang the doorbell, so the ack is there when that
 * write returns.
 *
 * The receive filter the representor's transmit reads is replaced whole,
 * under RCU; only the engine and reset (with the engine stopped) write it.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "mnet.h"

/* The filter as the engine sees it: it is the only writer. */
static struct mnet_filter *mnet_filter_get(struct mnet *mn)
{
	return rcu_dereference_protected(mn->filter, true);
}

static void mnet_filter_set(struct mnet *mn, struct mnet_filter *f)
{
	struct mnet_filter *old = mnet_filter_get(mn);

	rcu_assign_pointer(mn->filter, f);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * mnet_filter_reset() - the receive filter of a device reset: promiscuous
 * @mn: the device
 * @gfp: for the allocation
 *
 * A driver without VIRTIO_NET_F_CTRL_RX gets every frame, as QEMU does it.
 *
 * Context: process; the engine stopped (or not yet started).
 *
 * Return: 0 or -ENOMEM (the old filter stays).
 */
int mnet_filter_reset(struct mnet *mn, gfp_t gfp)
{
	struct mnet_filter *f = kzalloc(sizeof(*f), gfp);

	if (!f)
		return -ENOMEM;
	f->promisc = true;
	mnet_filter_set(mn, f);
	return 0;
}

void mnet_filter_free(struct mnet *mn)
{
	kfree(rcu_dereference_protected(mn->filter, true));
	RCU_INIT_POINTER(mn->filter, NULL);
}

static bool mnet_filter_has(const struct mnet_filter *f, unsigned int first,
			    unsigned int n, const u8 *dest)
{
	unsigned int i;

	for (i = first; i < first + n; i++)
		if (ether_addr_equal(f->macs[i], dest))
			return true;
	return false;
}

/**
 * mnet_filter_pass() - does the guest want a frame for @dest
 * @mn: the device
 * @dest: the frame's destination MAC address
 *
 * Context: any (RCU read side inside).
 *
 * Return: true to deliver it.
 */
bool mnet_filter_pass(struct mnet *mn, const u8 *dest)
{
	const struct mnet_filter *f;
	bool pass;

	if (is_broadcast_ether_addr(dest))
		return true;
	rcu_read_lock();
	f = rcu_dereference(mn->filter);
	if (!f || f->promisc)
		pass = true;
	else if (is_multicast_ether_addr(dest))
		pass = f->allmulti || f->multi_all ||
		       mnet_filter_has(f, f->nr_uni, f->nr_multi, dest);
	else
		pass = ether_addr_equal(dest, mn->mac) || f->uni_all ||
		       mnet_filter_has(f, 0, f->nr_uni, dest);
	rcu_read_unlock();
	return pass;
}

/* A copy of the current filter, for a command to change. */
static struct mnet_filter *mnet_filter_copy(struct mnet *mn)
{
	struct mnet_filter *f = mnet_filter_get(mn);

	return f ? kmemdup(f, sizeof(*f), GFP_KERNEL) :
		   kzalloc(sizeof(*f), GFP_KERNEL);
}

static u8 mnet_ctrl_rx(struct mnet *mn, struct siov_virtio_queue *vq, u8 cmd)
{
	struct mnet_filter *f;
	u8 on;

	if (!mnet_has(mn, VIRTIO_NET_F_CTRL_RX) ||
	    (cmd != VIRTIO_NET_CTRL_RX_PROMISC &&
	     cmd != VIRTIO_NET_CTRL_RX_ALLMULTI) ||
	    vringh_kiov_length(&vq->riov) != sizeof(on) ||
	    vringh_iov_pull_ops(&vq->vrh, &vq->riov, &on, sizeof(on)) !=
	    sizeof(on) || on > 1)
		return VIRTIO_NET_ERR;
	f = mnet_filter_copy(mn);
	if (!f)
		return VIRTIO_NET_ERR;
	if (cmd == VIRTIO_NET_CTRL_RX_PROMISC)
		f->promisc = on;
	else
		f->allmulti = on;
	mnet_filter_set(mn, f);
	return VIRTIO_NET_OK;
}

/*
 * One table of VIRTIO_NET_CTRL_MAC_TABLE_SET into @f from entry @first:
 * a 32-bit count, then the addresses.  Entries beyond the table set its
 * overflow flag.  False if the chain is shorter than the count says.
 */
static bool mnet_ctrl_mac_table(struct mnet *mn, struct siov_virtio_queue *vq,
				struct mnet_filter *f, unsigned int first,
				unsigned int *nr, bool *all, bool multicast)
{
	size_t left = vringh_kiov_length(&vq->riov);
	unsigned int i, keep;
	__le32 count;
	u32 n;

	if (left < sizeof(count) ||
	    vringh_iov_pull_ops(&vq->vrh, &vq->riov, &count, sizeof(count)) !=
	    sizeof(count))
		return false;
	n = le32_to_cpu(count);
	left -= sizeof(count);
	if (n > left / ETH_ALEN)
		return false;
	keep = min_t(u32, n, MNET_MAC_TABLE);
	for (i = 0; i < keep; i++) {
		u8 *mac = f->macs[first + i];

		if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, mac, ETH_ALEN) !=
		    ETH_ALEN || is_multicast_ether_addr(mac) != multicast)
			return false;
	}
	vringh_kiov_advance(&vq->riov, (size_t)(n - keep) * ETH_ALEN);
	*nr = keep;
	*all = n > keep;
	return true;
}

static u8 mnet_ctrl_mac(struct mnet *mn, struct siov_virtio_queue *vq, u8 cmd)
{
	struct mnet_filter *f;

	/* VIRTIO_NET_F_CTRL_MAC_ADDR is not offered: the admin owns the MAC. */
	if (!mnet_has(mn, VIRTIO_NET_F_CTRL_RX) ||
	    cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET)
		return VIRTIO_NET_ERR;
	f = mnet_filter_copy(mn);
	if (!f)
		return VIRTIO_NET_ERR;
	if (!mnet_ctrl_mac_table(mn, vq, f, 0, &f->nr_uni, &f->uni_all,
				 false) ||
	    !mnet_ctrl_mac_table(mn, vq, f, f->nr_uni, &f->nr_multi,
				 &f->multi_all, true) ||
	    vringh_kiov_length(&vq->riov)) {
		kfree(f);
		return VIRTIO_NET_ERR;
	}
	mnet_filter_set(mn, f);
	return VIRTIO_NET_OK;
}

static u8 mnet_ctrl_offloads(struct mnet *mn, struct siov_virtio_queue *vq,
			     u8 cmd)
{
	u64 allowed = mn->vdev.driver_features & MNET_RX_OFFLOADS;
	__le64 val;
	u64 off;

	if (!mnet_has(mn, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) ||
	    cmd != VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET ||
	    vringh_kiov_length(&vq->riov) != sizeof(val) ||
	    vringh_iov_pull_ops(&vq->vrh, &vq->riov, &val, sizeof(val)) !=
	    sizeof(val))
		return VIRTIO_NET_ERR;
	off = le64_to_cpu(val);
	if (off & ~allowed)
		return VIRTIO_NET_ERR;
	WRITE_ONCE(mn->guest_offloads, off);
	return VIRTIO_NET_OK;
}

static u8 mnet_ctrl_mq(struct mnet *mn, struct siov_virtio_queue *vq, u8 cmd)
{
	struct virtio_net_ctrl_mq mq;
	u16 pairs;

	if (!mnet_has(mn, VIRTIO_NET_F_MQ) ||
	    cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ||
	    vringh_kiov_length(&vq->riov) != sizeof(mq) ||
	    vringh_iov_pull_ops(&vq->vrh, &vq->riov, &mq, sizeof(mq)) !=
	    sizeof(mq))
		return VIRTIO_NET_ERR;
	pairs = le16_to_cpu((__force __le16)mq.virtqueue_pairs);
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > mn->pairs)
		return VIRTIO_NET_ERR;
	if (pairs != mn->cur_pairs) {
		WRITE_ONCE(mn->cur_pairs, pairs);
		mnet_rx_pairs_changed(mn);
	}
	return VIRTIO_NET_OK;
}

/* One command; returns the ack. */
static u8 mnet_ctrl_command(struct mnet *mn, struct siov_virtio_queue *vq)
{
	struct virtio_net_ctrl_hdr hdr;

	if (vringh_iov_pull_ops(&vq->vrh, &vq->riov, &hdr, sizeof(hdr)) !=
	    sizeof(hdr))
		return VIRTIO_NET_ERR;
	switch (hdr.class) {
	case VIRTIO_NET_CTRL_RX:
		return mnet_ctrl_rx(mn, vq, hdr.cmd);
	case VIRTIO_NET_CTRL_MAC:
		return mnet_ctrl_mac(mn, vq, hdr.cmd);
	case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
		return mnet_ctrl_offloads(mn, vq, hdr.cmd);
	case VIRTIO_NET_CTRL_MQ:
		return mnet_ctrl_mq(mn, vq, hdr.cmd);
	}
	return VIRTIO_NET_ERR;
}

/**
 * mnet_ctrl_run() - run the control queue
 * @mn: the device
 * @vq: the queue (the last one)
 * @batch: the engine's budget
 *
 * Context: ops->queue_run of the virtio layer.
 *
 * Return: what the layer should do next (see enum siov_virtio_run).
 */
enum siov_virtio_run mnet_ctrl_run(struct mnet *mn,
				   struct siov_virtio_queue *vq,
				   struct siov_mdev_batch *batch)
{
	while (batch->descs < batch->budget_descs) {
		u32 written = 0;
		u8 ack;
		u16 head;
		int ret;

		if (siov_mdev_engine_stopping(&mn->vdev.smdev))
			return SIOV_VIRTIO_RUN_EMPTY;
		ret = vringh_getdesc_ops(&vq->vrh, &vq->riov, &vq->wiov, &head,
					 GFP_KERNEL);
		if (ret <= 0) {
			if (ret < 0)
				siov_virtio_queue_error(vq, ret);
			return SIOV_VIRTIO_RUN_EMPTY;
		}
		ack = mnet_ctrl_command(mn, vq);
		if (ack != VIRTIO_NET_OK)
			atomic64_inc(&mn->stats.ctrl_errors);
		/* The ack is the chain's last writable byte. */
		if (vringh_kiov_length(&vq->wiov)) {
			vringh_kiov_advance(&vq->wiov,
					    vringh_kiov_length(&vq->wiov) - 1);
			if (vringh_iov_push_ops(&vq->vrh, &vq->wiov, &ack,
						sizeof(ack)) == sizeof(ack))
				written = sizeof(ack);
		}
		if (siov_virtio_queue_complete(vq, head, written))
			return SIOV_VIRTIO_RUN_EMPTY;
		batch->descs++;
	}
	return SIOV_VIRTIO_RUN_MORE;
}
