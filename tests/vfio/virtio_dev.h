/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio-pci driver in userspace, over VFIO, for the tests of the virtio
 * samples (samples/vfio-mdev/siov_virtio.h): the transport registers in
 * BAR 4 where the layer (and QEMU) puts them, split rings in one anonymous
 * mapping that the container maps at VD_IOVA, and requests as chains of
 * buffers from that mapping.
 */
#ifndef VIRTIO_DEV_H
#define VIRTIO_DEV_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/virtio_ring.h>

#include "mdev_vfio.h"

#define VD_BAR		VFIO_PCI_BAR4_REGION_INDEX
#define VD_ISR		0x1000
#define VD_DEVICE	0x2000
#define VD_NOTIFY	0x3000
#define VD_NOTIFY_MULT	4

#define VD_QUEUES	9
#define VD_VECTORS	(1 + VD_QUEUES)
#define VD_MEM		(8u << 20)
#define VD_IOVA		0x10000000ull
/* Each queue's rings, at q * VD_RING_SPAN: descriptors, avail, used. */
#define VD_RING_SPAN	0x4000
#define VD_RING_AVAIL	0x1000
#define VD_RING_USED	0x2000
/* Buffers come after the rings. */
#define VD_DATA		(VD_QUEUES * VD_RING_SPAN)
/* An IOVA the container does not map. */
#define VD_UNMAPPED	0x70000000ull

struct vd_queue {
	__u16 num;
	__u16 next_desc;	/* where the next request's chain starts */
	__u16 last_used;	/* the used index the test has seen */
	unsigned int vector;
	unsigned int doorbells;	/* notifications written */
};

struct vdev {
	char uuid[MDEV_UUID_LEN + 1];
	struct vfio_mdev vm;
	__u64 bar, cfg;
	__u8 *mem;
	__u64 features;		/* negotiated: FEATURES_OK read back */
	size_t data;		/* the next free byte after VD_DATA */
	int irq[VD_VECTORS];	/* MSI-X vector eventfds: 0 is the config's */
	struct vd_queue q[VD_QUEUES];
};

/* One buffer of a request: @len bytes at @iova, @write for the device's. */
struct vd_buf {
	__u64 iova;
	__u32 len;
	bool write;
};

int vd_open(struct vdev *d, const char *type, unsigned int vectors);
void vd_close(struct vdev *d);

int vd_rd(struct vdev *d, __u32 off, void *val, size_t size);
__u32 vd_rd32(struct vdev *d, __u32 off, size_t size);
int vd_wr(struct vdev *d, __u32 off, __u32 val, size_t size);
int vd_cfg_rd(struct vdev *d, __u32 off, void *val, size_t size);
int vd_cfg_wr(struct vdev *d, __u32 off, __u32 val, size_t size);
__u8 vd_status(struct vdev *d);

__u8 vd_negotiate(struct vdev *d, __u64 features);
int vd_queue_setup(struct vdev *d, unsigned int q, __u16 num, unsigned int vector);
void vd_driver_ok(struct vdev *d);

void *vd_alloc(struct vdev *d, size_t len, __u64 *iova);
void vd_free_all(struct vdev *d);
struct vring_desc *vd_desc(struct vdev *d, unsigned int q, unsigned int i);
struct vring_avail *vd_avail(struct vdev *d, unsigned int q);
struct vring_used *vd_used(struct vdev *d, unsigned int q);

int vd_add(struct vdev *d, unsigned int q, const struct vd_buf *bufs, unsigned int n);
/*
 * Publish @head and ring the doorbell, unless the device said it does not
 * need it: with VIRTIO_RING_F_EVENT_IDX, as Linux's virtqueue_kick() decides
 * (vring_need_event() against the device's avail event).
 */
int vd_kick(struct vdev *d, unsigned int q, __u16 head);
/* The avail event the device published in the used ring (EVENT_IDX). */
__u16 vd_avail_event(struct vdev *d, unsigned int q);
__u16 vd_used_idx(struct vdev *d, unsigned int q);
int vd_wait_used(struct vdev *d, unsigned int q, __u32 *id, __u32 *len);
int vd_request(struct vdev *d, unsigned int q, const struct vd_buf *bufs, unsigned int n,
	       __u32 *len);

#endif /* VIRTIO_DEV_H */
