// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio layer (samples/vfio-mdev/siov_virtio.h) through VFIO, as a
 * virtio-pci driver sees it: identity and capabilities, feature
 * negotiation, queue setup, a request on the queue through the mdev's
 * PASID, reset, INTx with the ISR, the PCI_CFG window, and what a driver
 * must not do (DEVICE_NEEDS_RESET).  The device is a test model
 * (tests/virtio-model/), bound with driver_override to a crypto endpoint.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "kselftest_harness.h"
#include "mdma_dev.h"
#include "siov/pci_ids.h"

#define MODEL		"siov_virtio_model"
#define MODEL_TYPE	MODEL "-1"
#define LAYER		"siov_virtio"

#define VT_BAR		VFIO_PCI_BAR4_REGION_INDEX
#define VT_ISR		0x1000
#define VT_DEVICE	0x2000
#define VT_NOTIFY	0x3000
#define VT_NUM		8
#define VT_MAX		256
#define VT_MEM		BIT(20)
#define VT_IOVA		0x10000000ull
#define VT_DESC		0x0000		/* offsets into the memory */
#define VT_AVAIL	0x1000
#define VT_USED		0x2000
#define VT_DATA		0x10000
#define VT_UNMAPPED	0x70000000ull
#define BIT_ULL(n)	(1ull << (n))
#define VT_VERSION_1	BIT_ULL(VIRTIO_F_VERSION_1)
#define VT_FEATURES	(VT_VERSION_1 | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))

/* Loaded and bound once for all the tests (main() below). */
static struct {
	struct pci_override ep;
	bool layer, model, bound;
} lab;

struct vt {
	char uuid[MDEV_UUID_LEN + 1];
	struct vfio_mdev vm;
	__u64 bar, cfg;
	__u8 *mem;
	int irq[2];		/* MSI-X vectors 0 (config) and 1 (queue) */
};

static int vt_rd(struct vt *t, __u32 off, void *val, size_t size)
{
	return pread(t->vm.device, val, size, t->bar + off) == (ssize_t)size ? 0 : -errno;
}

static __u32 vt_rd32(struct vt *t, __u32 off, size_t size)
{
	__u32 v = 0;

	return vt_rd(t, off, &v, size) ? 0xdeadbeef : v;
}

static int vt_wr(struct vt *t, __u32 off, __u32 val, size_t size)
{
	return pwrite(t->vm.device, &val, size, t->bar + off) == (ssize_t)size ? 0 : -errno;
}

static __u8 vt_status(struct vt *t)
{
	return vt_rd32(t, VIRTIO_PCI_COMMON_STATUS, 1);
}

static int vt_cfg_rd(struct vt *t, __u32 off, void *val, size_t size)
{
	return pread(t->vm.device, val, size, t->cfg + off) == (ssize_t)size ? 0 : -errno;
}

static int vt_cfg_wr(struct vt *t, __u32 off, __u32 val, size_t size)
{
	return pwrite(t->vm.device, &val, size, t->cfg + off) == (ssize_t)size ? 0 : -errno;
}

/* Bind the model to the crypto endpoint, away from whatever driver had it. */
static int vt_bind(void)
{
	return pci_override_bind(SIOV_PCI_DEVICE_CRYPTO, MODEL, &lab.ep);
}

static void vt_unbind(void)
{
	pci_override_unbind(MODEL, &lab.ep);
}

static int vt_open(struct vt *t)
{
	struct vfio_region_info bar, cfg;
	char parent[64];
	int ret;

	ret = mdev_find_parent(MODEL_TYPE, parent, sizeof(parent));
	if (!ret)
		ret = mdev_create(parent, MODEL_TYPE, t->uuid);
	if (!ret)
		ret = vfio_mdev_open(t->uuid, VFIO_TYPE1v2_IOMMU, &t->vm);
	if (!ret)
		ret = vfio_region_info(t->vm.device, VT_BAR, &bar);
	if (!ret)
		ret = vfio_region_info(t->vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (ret)
		return ret;
	t->bar = bar.offset;
	t->cfg = cfg.offset;
	ret = vt_cfg_wr(t, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	if (!ret)
		ret = vfio_dma_map(t->vm.container, VT_IOVA, t->mem, VT_MEM,
				   VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	if (ret)
		return ret;
	for (int i = 0; i < 2; i++) {
		t->irq[i] = eventfd(0, EFD_NONBLOCK);
		if (t->irq[i] < 0)
			return -errno;
	}
	return vfio_irq_set_eventfds(t->vm.device, VFIO_PCI_MSIX_IRQ_INDEX, 0, 2, t->irq);
}

/* The virtio driver's probe, up to FEATURES_OK: the status it reads back. */
static __u8 vt_negotiate(struct vt *t, __u64 features)
{
	vt_wr(t, VIRTIO_PCI_COMMON_STATUS, 0, 1);
	vt_wr(t, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE, 1);
	vt_wr(t, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER, 1);
	vt_wr(t, VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_GF, (__u32)features, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_GF, features >> 32, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK, 1);
	return vt_status(t);
}

/* Queue 0 of @num entries, vector 1, enabled; then DRIVER_OK. */
static void vt_queue_setup(struct vt *t, __u16 num)
{
	memset(t->mem, 0, VT_DATA);
	vt_wr(t, VIRTIO_PCI_COMMON_MSIX, 0, 2);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_SIZE, num, 2);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_MSIX, 1, 2);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_DESCLO, (__u32)(VT_IOVA + VT_DESC), 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_DESCHI, (VT_IOVA + VT_DESC) >> 32, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_AVAILLO, (__u32)(VT_IOVA + VT_AVAIL), 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_AVAILHI, (VT_IOVA + VT_AVAIL) >> 32, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_USEDLO, (__u32)(VT_IOVA + VT_USED), 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_USEDHI, (VT_IOVA + VT_USED) >> 32, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
	vt_wr(t, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
	      VIRTIO_CONFIG_S_DRIVER_OK, 1);
}

static struct vring_desc *vt_desc(struct vt *t, unsigned int i)
{
	return (struct vring_desc *)(t->mem + VT_DESC) + i;
}

static struct vring_avail *vt_avail(struct vt *t)
{
	return (struct vring_avail *)(t->mem + VT_AVAIL);
}

static struct vring_used *vt_used(struct vt *t)
{
	return (struct vring_used *)(t->mem + VT_USED);
}

static void vt_set_desc(struct vt *t, unsigned int i, __u64 iova, __u32 len, __u16 flags,
			__u16 next)
{
	*vt_desc(t, i) = (struct vring_desc){ .addr = iova, .len = len, .flags = flags,
					      .next = next };
}

/* Make @head available and ring the queue's doorbell. */
static int vt_kick(struct vt *t, __u16 head)
{
	struct vring_avail *avail = vt_avail(t);
	__u16 idx = avail->idx;

	avail->ring[idx % VT_NUM] = head;
	__atomic_store_n(&avail->idx, idx + 1, __ATOMIC_RELEASE);
	return vt_wr(t, VT_NOTIFY, 0, 2);
}

static __u16 vt_used_idx(struct vt *t)
{
	return __atomic_load_n(&vt_used(t)->idx, __ATOMIC_ACQUIRE);
}

FIXTURE(virtio) {
	struct vt t;
};

FIXTURE_SETUP(virtio)
{
	struct vt *t = &self->t;

	memset(t, 0, sizeof(*t));
	t->vm.container = -1;
	t->vm.group = -1;
	t->vm.device = -1;
	t->irq[0] = -1;
	t->irq[1] = -1;
	ASSERT_TRUE(lab.bound) TH_LOG("the test device is not bound (see the first lines)");
	t->mem = mmap(NULL, VT_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t->mem);
	memset(t->mem, 0, VT_MEM);
	ASSERT_EQ(0, vt_open(t));
}

FIXTURE_TEARDOWN(virtio)
{
	struct vt *t = &self->t;

	vfio_mdev_close(&t->vm);
	for (int i = 0; i < 2; i++)
		if (t->irq[i] >= 0)
			close(t->irq[i]);
	if (t->uuid[0])
		mdev_remove(t->uuid);
	if (t->mem && t->mem != MAP_FAILED)
		munmap(t->mem, VT_MEM);
}

/* What virtio_pci_modern_probe() looks for, where QEMU puts it. */
TEST_F(virtio, identity_and_capabilities)
{
	static const struct { __u8 type; __u32 offset; } want[] = {
		{ VIRTIO_PCI_CAP_COMMON_CFG, 0 }, { VIRTIO_PCI_CAP_NOTIFY_CFG, VT_NOTIFY },
		{ VIRTIO_PCI_CAP_ISR_CFG, VT_ISR }, { VIRTIO_PCI_CAP_DEVICE_CFG, VT_DEVICE },
		{ VIRTIO_PCI_CAP_PCI_CFG, 0 },
	};
	struct vt *t = &self->t;
	__u16 vendor, device;
	__u8 pos, rev, seen = 0;
	__u32 mult, config;

	ASSERT_EQ(0, vt_cfg_rd(t, PCI_VENDOR_ID, &vendor, 2));
	ASSERT_EQ(0, vt_cfg_rd(t, PCI_DEVICE_ID, &device, 2));
	ASSERT_EQ(0, vt_cfg_rd(t, PCI_REVISION_ID, &rev, 1));
	EXPECT_EQ(0x1af4, vendor);
	EXPECT_EQ(0x1040 + 0x3f, device);
	EXPECT_LE(1, rev);

	ASSERT_EQ(0, vt_cfg_rd(t, PCI_CAPABILITY_LIST, &pos, 1));
	for (int n = 0; pos && n < 48; n++) {
		struct virtio_pci_cap cap;

		ASSERT_EQ(0, vt_cfg_rd(t, pos, &cap, sizeof(cap)));
		if (cap.cap_vndr == PCI_CAP_ID_VNDR) {
			ASSERT_GE(cap.cfg_type, 1);
			ASSERT_LE(cap.cfg_type, 5);
			EXPECT_EQ(0, seen & (1 << cap.cfg_type)) {
				TH_LOG("capability type %u twice", cap.cfg_type);
			}
			seen |= 1 << cap.cfg_type;
			EXPECT_EQ(want[cap.cfg_type - 1].offset, cap.offset);
			if (cap.cfg_type != VIRTIO_PCI_CAP_PCI_CFG) {
				EXPECT_EQ(4, cap.bar);
				EXPECT_NE(0, cap.length);
			}
			if (cap.cfg_type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
				ASSERT_EQ(0, vt_cfg_rd(t, pos + sizeof(cap), &mult, 4));
				EXPECT_EQ(4, mult);
			}
		}
		pos = cap.cap_next;
	}
	EXPECT_EQ(0x3e, seen);
	EXPECT_EQ(1, vt_rd32(t, VIRTIO_PCI_COMMON_NUMQ, 2));
	EXPECT_EQ(VT_MAX, vt_rd32(t, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	ASSERT_EQ(0, vt_rd(t, VT_DEVICE, &config, 4));
	EXPECT_EQ(0x12345678, config);
}

/* FEATURES_OK reads back only for a subset of the offer with VERSION_1. */
TEST_F(virtio, feature_negotiation)
{
	struct vt *t = &self->t;
	__u64 offered;

	vt_wr(t, VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	offered = vt_rd32(t, VIRTIO_PCI_COMMON_DF, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	offered |= (__u64)vt_rd32(t, VIRTIO_PCI_COMMON_DF, 4) << 32;
	EXPECT_EQ(VT_FEATURES | BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
		  BIT_ULL(VIRTIO_RING_F_EVENT_IDX), offered);
	vt_wr(t, VIRTIO_PCI_COMMON_DFSELECT, 2, 4);
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_DF, 4));

	EXPECT_FALSE(vt_negotiate(t, BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)) &
		     VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_FALSE(vt_negotiate(t, VT_FEATURES | 1) & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	/* Latched: after FEATURES_OK a write does not change them. */
	vt_wr(t, VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	vt_wr(t, VIRTIO_PCI_COMMON_GF, 1, 4);
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_GF, 4));
}

/* A request through the queue: data, used element, the queue's vector. */
TEST_F(virtio, request_on_queue)
{
	struct vt *t = &self->t;
	__u64 n;

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	EXPECT_EQ(1, vt_rd32(t, VIRTIO_PCI_COMMON_Q_MSIX, 2));
	EXPECT_EQ(1, vt_rd32(t, VIRTIO_PCI_COMMON_Q_ENABLE, 2));
	bytes_fill(t->mem + VT_DATA, 3000, 11);
	vt_set_desc(t, 0, VT_IOVA + VT_DATA, 1000, VRING_DESC_F_NEXT, 1);
	vt_set_desc(t, 1, VT_IOVA + VT_DATA + 1000, 2000, VRING_DESC_F_NEXT, 2);
	vt_set_desc(t, 2, VT_IOVA + VT_DATA + 0x4000, 4096, VRING_DESC_F_WRITE, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	ASSERT_EQ(1, read(t->irq[1], &n, sizeof(n)) == sizeof(n)) {
		TH_LOG("no interrupt on the queue's vector when the doorbell write returned");
	}
	EXPECT_EQ(1, vt_used_idx(t));
	EXPECT_EQ(0, vt_used(t)->ring[0].id);
	EXPECT_EQ(3000, vt_used(t)->ring[0].len);
	EXPECT_EQ(0, memcmp(t->mem + VT_DATA, t->mem + VT_DATA + 0x4000, 3000));
	EXPECT_FALSE(vt_status(t) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

/* Status 0 puts the device back to its reset state, and it works again. */
TEST_F(virtio, reset)
{
	struct vt *t = &self->t;

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	vt_set_desc(t, 0, VT_IOVA + VT_DATA, 64, VRING_DESC_F_WRITE, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	ASSERT_EQ(1, vt_used_idx(t));

	ASSERT_EQ(0, vt_wr(t, VIRTIO_PCI_COMMON_STATUS, 0, 1));
	EXPECT_EQ(0, vt_status(t));
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_Q_ENABLE, 2));
	EXPECT_EQ(VT_MAX, vt_rd32(t, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	EXPECT_EQ(VIRTIO_MSI_NO_VECTOR, vt_rd32(t, VIRTIO_PCI_COMMON_Q_MSIX, 2));
	EXPECT_EQ(VIRTIO_MSI_NO_VECTOR, vt_rd32(t, VIRTIO_PCI_COMMON_MSIX, 2));
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_Q_DESCLO, 4));
	vt_wr(t, VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_GF, 4));

	/* A doorbell now is ignored: no queue is set up. */
	ASSERT_EQ(0, vt_kick(t, 0));
	EXPECT_EQ(1, vt_used_idx(t));

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	vt_set_desc(t, 0, VT_IOVA + VT_DATA, 64, VRING_DESC_F_WRITE, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	EXPECT_EQ(1, vt_used_idx(t));
}

/* DEVICE_NEEDS_RESET, and the config vector, for a ring it cannot use. */
static void vt_expect_needs_reset(struct __test_metadata *_metadata, struct vt *t)
{
	__u64 n;

	EXPECT_TRUE(vt_status(t) & VIRTIO_CONFIG_S_NEEDS_RESET);
	EXPECT_EQ(sizeof(n), read(t->irq[0], &n, sizeof(n)));
	EXPECT_EQ(0, vt_used_idx(t));
	/* Reset clears it. */
	ASSERT_EQ(0, vt_wr(t, VIRTIO_PCI_COMMON_STATUS, 0, 1));
	EXPECT_EQ(0, vt_status(t));
}

TEST_F(virtio, queue_size_not_power_of_2)
{
	struct vt *t = &self->t;

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, 6);
	EXPECT_EQ(0, vt_rd32(t, VIRTIO_PCI_COMMON_Q_ENABLE, 2));
	vt_expect_needs_reset(_metadata, t);
}

TEST_F(virtio, buffer_at_unmapped_iova)
{
	struct vt *t = &self->t;
	long faults = siov_fault_count();

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	vt_set_desc(t, 0, VT_UNMAPPED, 64, 0, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	EXPECT_LT(faults, siov_fault_count());
	vt_expect_needs_reset(_metadata, t);
}

TEST_F(virtio, descriptor_loop)
{
	struct vt *t = &self->t;

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	vt_set_desc(t, 0, VT_IOVA + VT_DATA, 64, VRING_DESC_F_NEXT, 1);
	vt_set_desc(t, 1, VT_IOVA + VT_DATA, 64, VRING_DESC_F_NEXT, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	vt_expect_needs_reset(_metadata, t);
}

TEST_F(virtio, head_out_of_range)
{
	struct vt *t = &self->t;

	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	ASSERT_EQ(0, vt_kick(t, VT_NUM));
	vt_expect_needs_reset(_metadata, t);
}

/* INTx: the ISR says why, and reading it clears it. */
TEST_F(virtio, intx_and_isr)
{
	struct vt *t = &self->t;
	int intx = eventfd(0, EFD_NONBLOCK);
	__u64 n;

	ASSERT_LE(0, intx);
	ASSERT_EQ(0, vfio_irq_set_none(t->vm.device, VFIO_PCI_MSIX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0));
	ASSERT_EQ(0, vfio_irq_set_eventfds(t->vm.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &intx));
	ASSERT_TRUE(vt_negotiate(t, VT_FEATURES) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_queue_setup(t, VT_NUM);
	vt_wr(t, VIRTIO_PCI_COMMON_Q_SELECT, 0, 2);
	vt_set_desc(t, 0, VT_IOVA + VT_DATA, 64, VRING_DESC_F_WRITE, 0);
	ASSERT_EQ(0, vt_kick(t, 0));
	EXPECT_EQ(sizeof(n), read(intx, &n, sizeof(n)));
	EXPECT_EQ(1, vt_rd32(t, VT_ISR, 1));	/* the queue bit */
	EXPECT_EQ(0, vt_rd32(t, VT_ISR, 1));
	close(intx);
}

/* The PCI_CFG window reaches the same registers as the BAR. */
TEST_F(virtio, pci_cfg_window)
{
	struct vt *t = &self->t;
	__u8 pos = 0, cap[4];
	__u32 data = 0;

	ASSERT_EQ(0, vt_cfg_rd(t, PCI_CAPABILITY_LIST, &pos, 1));
	for (int n = 0; pos && n < 48; n++) {
		ASSERT_EQ(0, vt_cfg_rd(t, pos, cap, 4));
		if (cap[0] == PCI_CAP_ID_VNDR && cap[3] == VIRTIO_PCI_CAP_PCI_CFG)
			break;
		pos = cap[1];
	}
	ASSERT_NE(0, pos);
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 4, 4, 1));		/* bar */
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 8, VIRTIO_PCI_COMMON_Q_SIZE, 4));
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 12, 2, 4));		/* length */
	ASSERT_EQ(0, vt_cfg_rd(t, pos + 16, &data, 4));
	EXPECT_EQ(VT_MAX, data & 0xffff);
	/* A write through it: device_status. */
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 8, VIRTIO_PCI_COMMON_STATUS, 4));
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 12, 1, 4));
	ASSERT_EQ(0, vt_cfg_wr(t, pos + 16, VIRTIO_CONFIG_S_ACKNOWLEDGE, 4));
	EXPECT_EQ(VIRTIO_CONFIG_S_ACKNOWLEDGE, vt_status(t));
}

/*
 * TEST_HARNESS_MAIN, with the modules loaded and the endpoint bound once
 * around all the tests: each load, bind and unload costs seconds on the
 * debug kernel (delayed kobject releases).
 */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

static int vt_lab_up(void)
{
	int err;

	if (system("modprobe vringh"))
		return -ENOENT;
	/* The lab may have it loaded already (for mcrypto): then it stays. */
	err = module_load("samples/vfio-mdev/" LAYER ".ko");
	if (err && err != -EEXIST)
		return err;
	lab.layer = !err;
	err = module_load("tests/virtio-model/" MODEL ".ko");
	if (err)
		return err;
	lab.model = true;
	return vt_bind();
}

/*
 * At exit(): test_harness_run() ends with ksft_exit().  The tests' own
 * processes leave with _exit() and never get here; the check is for safety.
 */
static pid_t lab_pid;

static void vt_lab_down(void)
{
	if (getpid() != lab_pid)
		return;
	vt_unbind();
	if ((lab.model && module_unload(MODEL)) || (lab.layer && module_unload(LAYER))) {
		printf("# could not unload %s and %s\n", MODEL, LAYER);
		_exit(KSFT_FAIL);
	}
}

int main(int argc, char **argv)
{
	int err;

	lab_pid = getpid();
	atexit(vt_lab_down);
	err = vt_lab_up();
	lab.bound = !err;
	if (err)
		printf("# setting up %s: %s\n", MODEL, strerror(-err));
	return test_harness_run(argc, argv);
}
