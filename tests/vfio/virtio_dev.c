// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio-pci driver in userspace, over VFIO: see virtio_dev.h.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>

#include "virtio_dev.h"

/* How long a request may take before the test calls it lost. */
#define VD_TIMEOUT_MS	10000

int vd_rd(struct vdev *d, __u32 off, void *val, size_t size)
{
	return pread(d->vm.device, val, size, d->bar + off) == (ssize_t)size ? 0 : -errno;
}

__u32 vd_rd32(struct vdev *d, __u32 off, size_t size)
{
	__u32 v = 0;

	return vd_rd(d, off, &v, size) ? 0xdeadbeef : v;
}

int vd_wr(struct vdev *d, __u32 off, __u32 val, size_t size)
{
	return pwrite(d->vm.device, &val, size, d->bar + off) == (ssize_t)size ? 0 : -errno;
}

int vd_cfg_rd(struct vdev *d, __u32 off, void *val, size_t size)
{
	return pread(d->vm.device, val, size, d->cfg + off) == (ssize_t)size ? 0 : -errno;
}

int vd_cfg_wr(struct vdev *d, __u32 off, __u32 val, size_t size)
{
	return pwrite(d->vm.device, &val, size, d->cfg + off) == (ssize_t)size ? 0 : -errno;
}

__u8 vd_status(struct vdev *d)
{
	return vd_rd32(d, VIRTIO_PCI_COMMON_STATUS, 1);
}

/* Create an mdev of @type, open it, map the memory, arm @vectors MSI-X vectors. */
int vd_open(struct vdev *d, const char *type, unsigned int vectors)
{
	struct vfio_region_info bar, cfg;
	char parent[64];
	int ret;

	memset(d, 0, sizeof(*d));
	d->vm.container = -1;
	d->vm.group = -1;
	d->vm.device = -1;
	for (int i = 0; i < VD_VECTORS; i++)
		d->irq[i] = -1;
	if (vectors > VD_VECTORS)
		return -EINVAL;
	d->mem = mmap(NULL, VD_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->mem == MAP_FAILED) {
		d->mem = NULL;
		return -errno;
	}
	memset(d->mem, 0, VD_MEM);
	ret = mdev_find_parent(type, parent, sizeof(parent));
	if (!ret)
		ret = mdev_create(parent, type, d->uuid);
	if (!ret)
		ret = vfio_mdev_open(d->uuid, VFIO_TYPE1v2_IOMMU, &d->vm);
	if (!ret)
		ret = vfio_region_info(d->vm.device, VD_BAR, &bar);
	if (!ret)
		ret = vfio_region_info(d->vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (ret)
		return ret;
	d->bar = bar.offset;
	d->cfg = cfg.offset;
	ret = vd_cfg_wr(d, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	if (!ret)
		ret = vfio_dma_map(d->vm.container, VD_IOVA, d->mem, VD_MEM,
				   VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < vectors; i++) {
		d->irq[i] = eventfd(0, EFD_NONBLOCK);
		if (d->irq[i] < 0)
			return -errno;
	}
	return vectors ? vfio_irq_set_eventfds(d->vm.device, VFIO_PCI_MSIX_IRQ_INDEX, 0,
					       vectors, d->irq) : 0;
}

void vd_close(struct vdev *d)
{
	vfio_mdev_close(&d->vm);
	for (int i = 0; i < VD_VECTORS; i++)
		if (d->irq[i] >= 0)
			close(d->irq[i]);
	if (d->uuid[0])
		mdev_remove(d->uuid);
	if (d->mem)
		munmap(d->mem, VD_MEM);
	d->mem = NULL;
}

/* The driver's probe up to FEATURES_OK: the status it reads back. */
__u8 vd_negotiate(struct vdev *d, __u64 features)
{
	__u8 s = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

	vd_wr(d, VIRTIO_PCI_COMMON_STATUS, 0, 1);
	vd_wr(d, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	vd_wr(d, VIRTIO_PCI_COMMON_STATUS, s, 1);
	vd_wr(d, VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_GF, (__u32)features, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_GF, features >> 32, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_STATUS, s | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	memset(d->q, 0, sizeof(d->q));
	s = vd_status(d);
	d->features = s & VIRTIO_CONFIG_S_FEATURES_OK ? features : 0;
	return s;
}

/* Queue @q of @num entries on @vector, enabled (the device starts at DRIVER_OK). */
int vd_queue_setup(struct vdev *d, unsigned int q, __u16 num, unsigned int vector)
{
	__u64 ring = VD_IOVA + q * VD_RING_SPAN;

	if (q >= VD_QUEUES)
		return -EINVAL;
	memset(d->mem + q * VD_RING_SPAN, 0, VD_RING_SPAN);
	d->q[q] = (struct vd_queue){ .num = num, .vector = vector };
	vd_wr(d, VIRTIO_PCI_COMMON_MSIX, 0, 2);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_SELECT, q, 2);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_SIZE, num, 2);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_MSIX, vector, 2);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_DESCLO, (__u32)ring, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_DESCHI, ring >> 32, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_AVAILLO, (__u32)(ring + VD_RING_AVAIL), 4);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_AVAILHI, (ring + VD_RING_AVAIL) >> 32, 4);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_USEDLO, (__u32)(ring + VD_RING_USED), 4);
	vd_wr(d, VIRTIO_PCI_COMMON_Q_USEDHI, (ring + VD_RING_USED) >> 32, 4);
	return vd_wr(d, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
}

void vd_driver_ok(struct vdev *d)
{
	vd_wr(d, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
	      VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

/* @len bytes of the mapped memory for buffers, 64-byte aligned; NULL when full. */
void *vd_alloc(struct vdev *d, size_t len, __u64 *iova)
{
	size_t at = VD_DATA + d->data;

	if (len > VD_MEM - at)
		return NULL;
	d->data += (len + 63) & ~(size_t)63;
	if (iova)
		*iova = VD_IOVA + at;
	return d->mem + at;
}

void vd_free_all(struct vdev *d)
{
	d->data = 0;
}

struct vring_desc *vd_desc(struct vdev *d, unsigned int q, unsigned int i)
{
	return (struct vring_desc *)(d->mem + q * VD_RING_SPAN) + i;
}

struct vring_avail *vd_avail(struct vdev *d, unsigned int q)
{
	return (struct vring_avail *)(d->mem + q * VD_RING_SPAN + VD_RING_AVAIL);
}

struct vring_used *vd_used(struct vdev *d, unsigned int q)
{
	return (struct vring_used *)(d->mem + q * VD_RING_SPAN + VD_RING_USED);
}

/* Chain @bufs into descriptors from the queue's cursor; the head, or -errno. */
int vd_add(struct vdev *d, unsigned int q, const struct vd_buf *bufs, unsigned int n)
{
	struct vd_queue *vq = &d->q[q];
	__u16 head = vq->next_desc;

	if (!n || n > vq->num)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		__u16 at = (head + i) % vq->num;

		*vd_desc(d, q, at) = (struct vring_desc){
			.addr = bufs[i].iova,
			.len = bufs[i].len,
			.flags = (bufs[i].write ? VRING_DESC_F_WRITE : 0) |
				 (i + 1 < n ? VRING_DESC_F_NEXT : 0),
			.next = (at + 1) % vq->num,
		};
	}
	vq->next_desc = (head + n) % vq->num;
	return head;
}

/* The device's avail event (EVENT_IDX), after the used ring's entries. */
__u16 vd_avail_event(struct vdev *d, unsigned int q)
{
	struct vring_used *used = vd_used(d, q);

	return __atomic_load_n((__u16 *)&used->ring[d->q[q].num], __ATOMIC_ACQUIRE);
}

/* Make @head available and ring the queue's doorbell, if the device wants it. */
int vd_kick(struct vdev *d, unsigned int q, __u16 head)
{
	struct vring_avail *avail = vd_avail(d, q);
	__u16 idx = avail->idx;

	avail->ring[idx % d->q[q].num] = head;
	__atomic_store_n(&avail->idx, idx + 1, __ATOMIC_RELEASE);
	/* The store before the load of the event: virtio_mb() in Linux. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (d->features & (1ull << VIRTIO_RING_F_EVENT_IDX) &&
	    !vring_need_event(vd_avail_event(d, q), idx + 1, idx))
		return 0;
	d->q[q].doorbells++;
	return vd_wr(d, VD_NOTIFY + q * VD_NOTIFY_MULT, q, 2);
}

__u16 vd_used_idx(struct vdev *d, unsigned int q)
{
	return __atomic_load_n(&vd_used(d, q)->idx, __ATOMIC_ACQUIRE);
}

/*
 * The next used element, waiting for the queue's interrupt if it is not
 * there yet: 0, -ETIMEDOUT, or -EIO when the device asks for a reset.
 */
int vd_wait_used(struct vdev *d, unsigned int q, __u32 *id, __u32 *len)
{
	struct vd_queue *vq = &d->q[q];
	struct pollfd p = { .fd = d->irq[vq->vector], .events = POLLIN };
	struct vring_used_elem *e;
	__u64 n;

	/*
	 * With EVENT_IDX, ask for an interrupt at the next used entry, as
	 * Linux's virtqueue_enable_cb() does (the used event, after the avail
	 * ring's entries); then look again, since it may be there already.
	 */
	if (d->features & (1ull << VIRTIO_RING_F_EVENT_IDX)) {
		struct vring_avail *avail = vd_avail(d, q);

		__atomic_store_n(&avail->ring[vq->num], vq->last_used, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	while (vd_used_idx(d, q) == vq->last_used) {
		if (vd_status(d) & VIRTIO_CONFIG_S_NEEDS_RESET)
			return -EIO;
		if (poll(&p, 1, VD_TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		if (read(p.fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
			return -errno;
	}
	e = &vd_used(d, q)->ring[vq->last_used % vq->num];
	vq->last_used++;
	if (id)
		*id = e->id;
	if (len)
		*len = e->len;
	return 0;
}

/* A whole request: add, kick, wait; the used length in @len. */
int vd_request(struct vdev *d, unsigned int q, const struct vd_buf *bufs, unsigned int n,
	       __u32 *len)
{
	__u32 id;
	int head = vd_add(d, q, bufs, n);
	int ret;

	if (head < 0)
		return head;
	ret = vd_kick(d, q, head);
	if (!ret)
		ret = vd_wait_used(d, q, &id, len);
	if (!ret && id != (__u32)head)
		ret = -EPROTO;
	return ret;
}
