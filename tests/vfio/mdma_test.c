// SPDX-License-Identifier: GPL-2.0
/*
 * The mdma sample (samples/vfio-mdev/mdma.c) through VFIO, with no guest:
 * mdevs are created in sysfs, opened through a type1 container whose domain
 * vfio attaches as an aux domain of the simulated DMA endpoint, buffers are
 * mapped with VFIO_IOMMU_MAP_DMA, and the plx_dma register interface in
 * BAR0 is driven to copy; the engine reaches the buffers only through the
 * PASID of the aux domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "mdma_dev.h"

/* Functional tests, for each type1 flavour */

FIXTURE(mdma) {
	struct mdma m;
};

FIXTURE_VARIANT(mdma) {
	int iommu_type;
};

FIXTURE_VARIANT_ADD(mdma, type1) {
	.iommu_type = VFIO_TYPE1_IOMMU,
};

FIXTURE_VARIANT_ADD(mdma, type1v2) {
	.iommu_type = VFIO_TYPE1v2_IOMMU,
};

FIXTURE_SETUP(mdma)
{
	ASSERT_EQ(0, mdma_up(&self->m, MDMA_TYPE, variant->iommu_type));
}

FIXTURE_TEARDOWN(mdma)
{
	mdma_down(&self->m);
}

TEST_F(mdma, device_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info r;
	struct vfio_irq_info irq;

	ASSERT_EQ(0, ioctl(self->m.vm.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);

	ASSERT_EQ(0, vfio_region_info(self->m.vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &r));
	EXPECT_EQ(4096, r.size);
	ASSERT_EQ(0, vfio_region_info(self->m.vm.device, VFIO_PCI_BAR0_REGION_INDEX, &r));
	EXPECT_EQ(4096, r.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE, r.flags);
	for (int i = VFIO_PCI_BAR1_REGION_INDEX; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (i == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		ASSERT_EQ(0, vfio_region_info(self->m.vm.device, i, &r));
		EXPECT_EQ(0, r.size);
	}

	ASSERT_EQ(0, vfio_irq_info(self->m.vm.device, VFIO_PCI_INTX_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED,
		  irq.flags);
	ASSERT_EQ(0, vfio_irq_info(self->m.vm.device, VFIO_PCI_MSI_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
	ASSERT_EQ(0, vfio_irq_info(self->m.vm.device, VFIO_PCI_MSIX_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
	/* A PCI Express function: it has the error interrupt. */
	ASSERT_EQ(0, vfio_irq_info(self->m.vm.device, VFIO_PCI_ERR_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, irq.flags);
	ASSERT_EQ(0, vfio_irq_info(self->m.vm.device, VFIO_PCI_REQ_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
}

TEST_F(mdma, config_space)
{
	struct vfio_region_info r;
	__u8 cfg[4096];
	unsigned int pos, seen = 0, guard = 0;
	__u32 bar, ones = 0xffffffff;

	ASSERT_EQ(0, vfio_region_info(self->m.vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &r));
	/* The whole 4 KiB in one read, and the last dword on its own. */
	ASSERT_EQ(sizeof(cfg), pread(self->m.vm.device, cfg, sizeof(cfg), r.offset));
	ASSERT_EQ(4, pread(self->m.vm.device, &bar, 4, r.offset + 0xffc));
	EXPECT_EQ(0x10b5, cfg[0] | cfg[1] << 8);
	EXPECT_EQ(0x87d0, cfg[2] | cfg[3] << 8);
	EXPECT_EQ(0x088000, cfg[9] | cfg[10] << 8 | cfg[11] << 16);
	EXPECT_EQ(1, cfg[PCI_INTERRUPT_PIN]);
	EXPECT_TRUE(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST);

	/* The capability chain: PM, MSI, MSI-X, PCI Express. */
	for (pos = cfg[PCI_CAPABILITY_LIST]; pos && guard < 48; pos = cfg[pos + 1], guard++) {
		ASSERT_LT(pos, 0x100);
		seen |= 1u << cfg[pos];
	}
	EXPECT_TRUE(seen & (1u << PCI_CAP_ID_PM));
	EXPECT_TRUE(seen & (1u << PCI_CAP_ID_MSI));
	EXPECT_TRUE(seen & (1u << PCI_CAP_ID_EXP));
	EXPECT_TRUE(seen & (1u << PCI_CAP_ID_MSIX));

	/* BAR sizing: all ones read back as the size mask. */
	ASSERT_EQ(4, pwrite(self->m.vm.device, &ones, 4, r.offset + PCI_BASE_ADDRESS_0));
	ASSERT_EQ(4, pread(self->m.vm.device, &bar, 4, r.offset + PCI_BASE_ADDRESS_0));
	EXPECT_EQ(0xfffff000, bar);
	ASSERT_EQ(4, pwrite(self->m.vm.device, &ones, 4, r.offset + PCI_BASE_ADDRESS_1));
	ASSERT_EQ(4, pread(self->m.vm.device, &bar, 4, r.offset + PCI_BASE_ADDRESS_1));
	EXPECT_EQ(0, bar);
	/* Read-only IDs stay. */
	ASSERT_EQ(4, pwrite(self->m.vm.device, &ones, 4, r.offset + PCI_VENDOR_ID));
	ASSERT_EQ(4, pread(self->m.vm.device, &bar, 4, r.offset + PCI_VENDOR_ID));
	EXPECT_EQ(0x87d010b5, bar);
	/* Out of bounds. */
	EXPECT_EQ(-1, pread(self->m.vm.device, &bar, 4, r.offset + 4094));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(self->m.vm.device, &bar, 1, r.offset + 4096));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(self->m.vm.device, &bar, 4, r.offset + 4093));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(mdma, pasid_programmed)
{
	EXPECT_GT(mdev_pasid(self->m.uuid), 0);
	/* mdma_ring_program() wrote the reset value, whose status bits are write-1-to-clear. */
	EXPECT_EQ(0, mdma_rd32(&self->m, PLX_REG_CTRL));
	EXPECT_EQ(RING_N, mdma_rd32(&self->m, PLX_REG_RING_COUNT));
}

/* Copies of 1 byte to 1 MiB, aligned, unaligned, page-crossing. */
TEST_F(mdma, copy_sizes)
{
	static const struct { __u32 len, soff, doff; } cases[] = {
		{ 1, 0, 0 }, { 1, 4095, 17 }, { 2, 4095, 4095 }, { 3, 1, 2 },
		{ 7, 4093, 0 }, { 64, 0, 0 }, { 64, 4064, 4090 }, { 100, 5, 3 },
		{ 4095, 1, 0 }, { 4096, 0, 0 }, { 4096, 1, 4095 }, { 4097, 4095, 1 },
		{ 8192, 2048, 100 }, { 65536, 0, 0 }, { 65536, 123, 4001 },
		{ 300000, 7, 9 }, { 1 << 20, 0, 0 }, { 1 << 20, 4095, 1 },
	};
	struct mdma *m = &self->m;
	__u8 *src = m->mem + SRC_OFF, *dst = m->mem + DST_OFF;

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		__u32 len = cases[i].len, soff = cases[i].soff, doff = cases[i].doff;
		__u32 wb;

		bytes_fill(src, BUF_SIZE, i + 1);
		memset(dst, 0xa5, BUF_SIZE);
		wb = mdma_run_one(m, DST_IOVA + doff, SRC_IOVA + soff, len);
		EXPECT_EQ(PLX_WB_SUCCESS | len, wb) {
			TH_LOG("case %u: len %u src+%u dst+%u", i, len, soff, doff);
		}
		EXPECT_EQ(0, memcmp(dst + doff, src + soff, len)) {
			TH_LOG("case %u: data differs", i);
		}
		/* Not a byte more. */
		EXPECT_TRUE(bytes_all(dst, doff, 0xa5));
		EXPECT_TRUE(bytes_all(dst + doff + len, 64, 0xa5));
		EXPECT_EQ((__u32)IOVA_BASE + ((m->head + RING_N - 1) % RING_N) * 16,
			  mdma_rd32(m, PLX_REG_LAST_ADDR));
		EXPECT_EQ(len, mdma_rd32(m, PLX_REG_LAST_SIZE));
	}
}

/* More descriptors than the ring holds, in batches; one interrupt each batch. */
TEST_F(mdma, ring_wraps)
{
	struct mdma *m = &self->m;
	__u8 *src = m->mem + SRC_OFF, *dst = m->mem + DST_OFF;
	struct plx_dma_desc *last = NULL;

	bytes_fill(src, 64 * 600, 3);
	memset(dst, 0, 64 * 600);
	for (int batch = 0; batch < 3; batch++) {
		for (int i = 0; i < 200; i++) {
			__u64 off = (batch * 200 + i) * 64;

			last = mdma_submit(m, DST_IOVA + off, SRC_IOVA + off, 64,
					   i == 199 ? PLX_DESC_INT : 0);
		}
		ASSERT_EQ(0, mdma_kick(m));
		ASSERT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
		ASSERT_EQ(0, mdma_wait_desc(last, 1000));
		EXPECT_EQ(PLX_WB_SUCCESS | 64, mdma_desc_flags(last));
		EXPECT_TRUE(mdma_rd16(m, PLX_REG_INTR_STATUS) & PLX_STATUS_DESC_DONE);
		ASSERT_EQ(0, mdma_wr16(m, PLX_REG_INTR_STATUS, PLX_STATUS_DESC_DONE));
		EXPECT_EQ(0, mdma_rd16(m, PLX_REG_INTR_STATUS));
	}
	EXPECT_EQ(0, memcmp(dst, src, 64 * 600));
}

/* Descriptors queued while the engine runs, each with a START, as plx_dma does. */
TEST_F(mdma, submit_while_running)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d[40];

	bytes_fill(m->mem + SRC_OFF, BUF_SIZE, 6);
	memset(m->mem + DST_OFF, 0, BUF_SIZE);
	d[0] = mdma_submit(m, DST_IOVA, SRC_IOVA, 1 << 20, 0);
	ASSERT_EQ(0, mdma_kick(m));
	for (int i = 1; i < 40; i++) {
		__u64 off = (__u64)i * 1000;

		d[i] = mdma_submit(m, DST_IOVA + off, SRC_IOVA + off, 1000,
				   i == 39 ? PLX_DESC_INT : 0);
		ASSERT_EQ(0, mdma_kick(m));
	}
	ASSERT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	for (int i = 0; i < 40; i++) {
		ASSERT_EQ(0, mdma_wait_desc(d[i], 5000));
		EXPECT_EQ(PLX_WB_SUCCESS | (i ? 1000 : 1 << 20), mdma_desc_flags(d[i]));
	}
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF, m->mem + SRC_OFF, 1 << 20));
}

/* Moving NEXT_ADDR back while the engine is idle replays from there. */
TEST_F(mdma, next_addr_rewind)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d;

	bytes_fill(m->mem + SRC_OFF, 64, 8);
	EXPECT_EQ(PLX_WB_SUCCESS | 64, mdma_run_one(m, DST_IOVA, SRC_IOVA, 64));
	memset(m->mem + DST_OFF, 0, 64);
	/* Make descriptor 0 valid again and point NEXT_ADDR at it. */
	d = &mdma_ring(m)[0];
	__atomic_store_n(&d->flags_and_size, 64 | PLX_DESC_INT | PLX_DESC_VALID, __ATOMIC_RELEASE);
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_NEXT_ADDR, (__u32)IOVA_BASE));
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	EXPECT_EQ(PLX_WB_SUCCESS | 64, mdma_desc_flags(d));
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF, m->mem + SRC_OFF, 64));
	EXPECT_EQ((__u32)IOVA_BASE + 16, mdma_rd32(m, PLX_REG_NEXT_ADDR));
}

/*
 * With INTx masked, a completed interrupting descriptor raises nothing until
 * the user unmasks; then the pending interrupt is delivered.
 */
static void expect_intx_held_until_unmask(struct __test_metadata *_metadata,
					  struct mdma *m, int efd)
{
	mdma_submit(m, DST_IOVA, SRC_IOVA, 16, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, mdma_wait_desc(&mdma_ring(m)[(m->head + RING_N - 1) % RING_N], 5000));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_NE(0, eventfd_wait(efd, IRQ_TIMEOUT_MS));
}

TEST_F(mdma, intx_and_msix)
{
	struct mdma *m = &self->m;
	int efd = eventfd(0, EFD_NONBLOCK), off = -1, msi = m->irq;
	__u32 wb;

	ASSERT_GE(efd, 0);
	/* MSI is armed: INTx and MSI-X cannot be armed at the same time. */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
						 &efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1,
						 &efd));
	ASSERT_EQ(0, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &off));

	/* INTx: delivered, then masked until unmasked; one raised meanwhile waits. */
	ASSERT_EQ(0, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	m->irq = efd;
	wb = mdma_run_one(m, DST_IOVA, SRC_IOVA, 16);
	EXPECT_EQ(PLX_WB_SUCCESS | 16, wb);
	expect_intx_held_until_unmask(_metadata, m, efd);
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	/* Masked by the user: nothing until unmasked. */
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	expect_intx_held_until_unmask(_metadata, m, efd);

	/* Disable INTx, then MSI-X vector 0. */
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0));
	ASSERT_EQ(0, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &efd));
	wb = mdma_run_one(m, DST_IOVA, SRC_IOVA, 32);
	EXPECT_EQ(PLX_WB_SUCCESS | 32, wb);
	/* Loopback trigger of vector 0. */
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_MSIX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1));
	EXPECT_EQ(1, eventfd_wait(efd, IRQ_TIMEOUT_MS));
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_MSIX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0));
	m->irq = msi;
	close(efd);
}

/* An IOVA the container did not map: error status, a fault, nothing else changes. */
TEST_F(mdma, unmapped_iova)
{
	struct mdma *m = &self->m;
	__u8 *snap = malloc(MEM_SIZE);
	long before = siov_fault_count();
	struct plx_dma_desc *d;
	__u32 wb;

	ASSERT_NE(NULL, snap);
	ASSERT_GE(before, 0);
	bytes_fill(m->mem + SRC_OFF, BUF_SIZE, 9);
	memset(m->mem + DST_OFF, 0x3c, BUF_SIZE);

	/* Source not mapped. */
	d = &mdma_ring(m)[m->head];
	memcpy(snap, m->mem, MEM_SIZE);
	wb = mdma_run_one(m, DST_IOVA, IOVA_UNMAPPED, 8192);
	EXPECT_EQ(PLX_WB_RD_FAIL, wb & ~PLX_DESC_SIZE);
	EXPECT_EQ(0, wb & PLX_DESC_SIZE);
	EXPECT_GT(siov_fault_count(), before);
	memcpy(&((struct plx_dma_desc *)snap)[d - mdma_ring(m)], d, sizeof(*d));
	EXPECT_EQ(0, memcmp(snap, m->mem, MEM_SIZE));

	/* Destination not mapped; and one that runs off the end of the mapping. */
	before = siov_fault_count();
	d = &mdma_ring(m)[m->head];
	memcpy(snap, m->mem, MEM_SIZE);
	wb = mdma_run_one(m, IOVA_UNMAPPED + 4095, SRC_IOVA, 2);
	EXPECT_EQ(PLX_WB_WR_FAIL, wb & ~PLX_DESC_SIZE);
	EXPECT_GT(siov_fault_count(), before);
	memcpy(&((struct plx_dma_desc *)snap)[d - mdma_ring(m)], d, sizeof(*d));
	EXPECT_EQ(0, memcmp(snap, m->mem, MEM_SIZE));

	d = &mdma_ring(m)[m->head];
	memcpy(snap, m->mem, MEM_SIZE);
	wb = mdma_run_one(m, IOVA_BASE + MEM_SIZE - 100, SRC_IOVA, 200);
	EXPECT_EQ(PLX_WB_WR_FAIL, wb & ~PLX_DESC_SIZE);
	memcpy(&((struct plx_dma_desc *)snap)[d - mdma_ring(m)], d, sizeof(*d));
	EXPECT_EQ(0, memcmp(snap, m->mem, MEM_SIZE));

	/* The engine goes on with the next descriptor. */
	wb = mdma_run_one(m, DST_IOVA, SRC_IOVA, 4096);
	EXPECT_EQ(PLX_WB_SUCCESS | 4096, wb);
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF, m->mem + SRC_OFF, 4096));
	free(snap);
}

/*
 * A source the container mapped write-only: the read side faults with a
 * permission error, and the write-back says RD_FAIL, not WR_FAIL.
 */
TEST_F(mdma, read_permission_fault)
{
	struct mdma *m = &self->m;
	const __u64 iova = 0x50000000ull;
	__u8 *wo = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, wo);
	memset(wo, 0x5a, PAGE);
	ASSERT_EQ(0, vfio_dma_map(m->vm.container, iova, wo, PAGE, VFIO_DMA_MAP_FLAG_WRITE));
	memset(m->mem + DST_OFF, 0, PAGE);
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, iova, 64) & ~PLX_DESC_SIZE);
	EXPECT_TRUE(bytes_all(m->mem + DST_OFF, PAGE, 0));
	/* Writing it is allowed. */
	bytes_fill(m->mem + SRC_OFF, 64, 3);
	EXPECT_EQ(PLX_WB_SUCCESS | 64, mdma_run_one(m, iova, SRC_IOVA, 64));
	EXPECT_EQ(0, memcmp(wo, m->mem + SRC_OFF, 64));
	ASSERT_EQ(0, vfio_dma_unmap(m->vm.container, iova, PAGE));
	munmap(wo, PAGE);
}

/*
 * A ring that crosses a 4 GiB boundary cannot be followed with a 32-bit
 * NEXT_ADDR: START refuses it before any descriptor runs, rather than
 * failing half-way round.
 */
TEST_F(mdma, ring_across_4g)
{
	struct mdma *m = &self->m;
	const __u64 iova = 0xfffff000ull;
	struct plx_dma_desc *r;
	__u8 *mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 0, 2 * PAGE);
	ASSERT_EQ(0, vfio_dma_map(m->vm.container, iova, mem, 2 * PAGE,
				  VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE));
	r = (struct plx_dma_desc *)mem;
	r[0].dst_lo = (__u32)(DST_IOVA);
	r[0].src_lo = (__u32)(SRC_IOVA);
	r[0].flags_and_size = PLX_DESC_VALID | PLX_DESC_INT | 8;
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_ADDR, (__u32)iova));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_ADDR_HI, 0));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_NEXT_ADDR, (__u32)iova));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_COUNT, 512));
	ASSERT_EQ(0, mdma_kick(m));
	EXPECT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	EXPECT_EQ(PLX_DESC_VALID | PLX_DESC_INT | 8, mdma_desc_flags(&r[0]));
	EXPECT_TRUE(mdma_rd32(m, PLX_REG_CTRL) & PLX_CTRL_DESC_INVALID);
	EXPECT_TRUE(mdma_rd16(m, PLX_REG_INTR_STATUS) & PLX_STATUS_ERROR);
	ASSERT_EQ(0, vfio_dma_unmap(m->vm.container, iova, 2 * PAGE));
	munmap(mem, 2 * PAGE);
}

/* After VFIO_IOMMU_UNMAP_DMA the engine cannot reach the old pages. */
TEST_F(mdma, unmap_dma)
{
	struct mdma *m = &self->m;
	const __u64 iova = 0x40000000ull;
	__u8 *extra = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, extra);
	memset(extra, 0, 4 * PAGE);
	bytes_fill(m->mem + SRC_OFF, 4 * PAGE, 5);
	ASSERT_EQ(0, vfio_dma_map(m->vm.container, iova, extra, 4 * PAGE,
				  VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE));
	EXPECT_EQ(PLX_WB_SUCCESS | (4 * PAGE), mdma_run_one(m, iova, SRC_IOVA, 4 * PAGE));
	EXPECT_EQ(0, memcmp(extra, m->mem + SRC_OFF, 4 * PAGE));

	ASSERT_EQ(0, vfio_dma_unmap(m->vm.container, iova, 4 * PAGE));
	memset(extra, 0x77, 4 * PAGE);
	EXPECT_EQ(PLX_WB_WR_FAIL, mdma_run_one(m, iova, SRC_IOVA, 4 * PAGE) & ~PLX_DESC_SIZE);
	EXPECT_EQ(PLX_WB_WR_FAIL, mdma_run_one(m, iova + 3 * PAGE, SRC_IOVA, 1));
	EXPECT_TRUE(bytes_all(extra, 4 * PAGE, 0x77));
	memset(m->mem + DST_OFF, 0, 4 * PAGE);
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, iova, 4 * PAGE) & ~PLX_DESC_SIZE);
	EXPECT_TRUE(bytes_all(m->mem + DST_OFF, 4 * PAGE, 0));
	munmap(extra, 4 * PAGE);
}

/* Unmapping part of the container's main buffer stops the engine there too. */
TEST_F(mdma, unmap_partial)
{
	struct mdma *m = &self->m;

	bytes_fill(m->mem + SRC_OFF, 4096, 2);
	EXPECT_EQ(PLX_WB_SUCCESS | 4096,
		  mdma_run_one(m, DST_IOVA, SRC_IOVA, 4096));
	ASSERT_EQ(0, vfio_dma_unmap(m->vm.container, DST_IOVA, MEM_SIZE - DST_OFF));
	memset(m->mem + DST_OFF, 0x11, 4096);
	EXPECT_EQ(PLX_WB_WR_FAIL, mdma_run_one(m, DST_IOVA, SRC_IOVA, 4096) &
		  ~PLX_DESC_SIZE);
	EXPECT_TRUE(bytes_all(m->mem + DST_OFF, 4096, 0x11));
}

/* Reset during a transfer: the queue stops, registers reset, the PASID stays usable. */
TEST_F(mdma, reset_during_transfer)
{
	struct mdma *m = &self->m;
	int pasid = mdev_pasid(m->uuid);

	ASSERT_GT(pasid, 0);
	for (int i = 0; i < 64; i++)
		mdma_submit(m, DST_IOVA, SRC_IOVA, 1 << 20, 0);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, ioctl(m->vm.device, VFIO_DEVICE_RESET));
	/* Command is back at 0: BAR access fails until Memory Space is on again. */
	EXPECT_EQ(-EIO, mdma_rd(m, PLX_REG_CTRL, &(__u32){ 0 }, 4));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_EQ(PLX_CTRL_RESET_VAL, mdma_rd32(m, PLX_REG_CTRL));
	EXPECT_EQ(0, mdma_rd32(m, PLX_REG_RING_COUNT));
	EXPECT_EQ(0, mdma_rd32(m, PLX_REG_RING_ADDR));
	for (int i = 0; i < 64; i++) {
		__u32 f = mdma_desc_flags(&mdma_ring(m)[i]);

		EXPECT_TRUE(f == (PLX_DESC_VALID | (1 << 20)) ||
			    f == (PLX_WB_SUCCESS | (1 << 20))) {
			TH_LOG("descriptor %d: %#x", i, f);
		}
	}
	EXPECT_EQ(pasid, mdev_pasid(m->uuid));
	/* Still works after the reset (interrupts stay armed). */
	ASSERT_EQ(0, mdma_ring_program(m));
	bytes_fill(m->mem + SRC_OFF, 4096, 1);
	EXPECT_EQ(PLX_WB_SUCCESS | 4096,
		  mdma_run_one(m, DST_IOVA, SRC_IOVA, 4096));
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF, m->mem + SRC_OFF, 4096));
}

/* Close during a transfer: the queue is quiesced and unprogrammed; reopen works. */
TEST_F(mdma, close_during_transfer)
{
	struct mdma *m = &self->m;
	__u32 flags[64], later[64];

	for (int i = 0; i < 64; i++)
		mdma_submit(m, DST_IOVA, SRC_IOVA, 1 << 20, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, close(m->vm.device));
	m->vm.device = -1;
	EXPECT_EQ(0, mdev_pasid(m->uuid));
	/* Nothing moves any more. */
	for (int i = 0; i < 64; i++)
		flags[i] = mdma_desc_flags(&mdma_ring(m)[i]);
	usleep(20000);
	for (int i = 0; i < 64; i++)
		later[i] = mdma_desc_flags(&mdma_ring(m)[i]);
	EXPECT_EQ(0, memcmp(flags, later, sizeof(flags)));

	m->vm.device = ioctl(m->vm.group, VFIO_GROUP_GET_DEVICE_FD, m->uuid);
	ASSERT_GE(m->vm.device, 0);
	EXPECT_GT(mdev_pasid(m->uuid), 0);
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_EQ(0, mdma_rd32(m, PLX_REG_RING_COUNT));
	/* The close released the MSI eventfd: a completion does not reach it. */
	ASSERT_EQ(0, mdma_ring_program(m));
	eventfd_wait(m->irq, 0);
	mdma_submit(m, DST_IOVA, SRC_IOVA, 8, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, mdma_wait_desc(&mdma_ring(m)[0], 5000));
	EXPECT_EQ(PLX_WB_SUCCESS | 8, mdma_desc_flags(&mdma_ring(m)[0]));
	EXPECT_EQ(0, eventfd_wait(m->irq, 0));
	close(m->irq);
	ASSERT_EQ(0, mdma_arm_msi(m));
	ASSERT_EQ(0, mdma_ring_program(m));
	bytes_fill(m->mem + SRC_OFF, 100, 4);
	EXPECT_EQ(PLX_WB_SUCCESS | 100,
		  mdma_run_one(m, DST_IOVA + 1, SRC_IOVA, 100));
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF + 1, m->mem + SRC_OFF, 100));
}

/* Bad ring programming: the engine refuses with DESC_INVALID and ERROR. */
TEST_F(mdma, bad_ring)
{
	static const struct { __u32 lo, hi, next, count; } cases[] = {
		{ (__u32)IOVA_BASE, 0, (__u32)IOVA_BASE, 0 },		/* no descriptors */
		{ (__u32)IOVA_BASE, 0, (__u32)IOVA_BASE, 0xffffffff },	/* count overflows */
		{ (__u32)IOVA_BASE, 0, (__u32)IOVA_BASE, 65537 },	/* above the maximum */
		{ (__u32)IOVA_BASE + 8, 0, (__u32)IOVA_BASE + 8, 4 },	/* misaligned */
		{ 0xfffffff0, 0xffff, 0xfffffff0, 2 },			/* wraps past 2^48 */
		{ 0, 0x10000, 0, 1 },					/* beyond 2^48 */
		{ (__u32)IOVA_BASE, 0, (__u32)IOVA_BASE + RING_N * 16, RING_N }, /* next outside */
		{ (__u32)IOVA_UNMAPPED, 0, (__u32)IOVA_UNMAPPED, 4 },	/* not mapped */
	};
	struct mdma *m = &self->m;

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		__u32 ctrl = 0;

		ASSERT_EQ(0, mdma_wr32(m, PLX_REG_CTRL, PLX_CTRL_RESET_VAL));
		ASSERT_EQ(0, mdma_wr16(m, PLX_REG_INTR_STATUS, 0xffff));
		ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_ADDR, cases[i].lo));
		ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_ADDR_HI, cases[i].hi));
		ASSERT_EQ(0, mdma_wr32(m, PLX_REG_NEXT_ADDR, cases[i].next));
		ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_COUNT, cases[i].count));
		ASSERT_EQ(0, mdma_kick(m));
		EXPECT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS)) {
			TH_LOG("case %u: no interrupt", i);
		}
		for (int t = 0; t < 10000; t++) {
			ctrl = mdma_rd32(m, PLX_REG_CTRL);
			if (!(ctrl & PLX_CTRL_IN_PROGRESS))
				break;
			usleep(100);
		}
		EXPECT_TRUE(ctrl & PLX_CTRL_DESC_INVALID) {
			TH_LOG("case %u: ctrl %#x", i, ctrl);
		}
		EXPECT_FALSE(ctrl & PLX_CTRL_START);
		EXPECT_TRUE(mdma_rd16(m, PLX_REG_INTR_STATUS) & PLX_STATUS_ERROR);
	}
	/* A good ring works again. */
	ASSERT_EQ(0, mdma_wr16(m, PLX_REG_INTR_STATUS, 0xffff));
	ASSERT_EQ(0, mdma_ring_program(m));
	EXPECT_EQ(PLX_WB_SUCCESS | 8, mdma_run_one(m, DST_IOVA, SRC_IOVA, 8));
}

/* Bad descriptors: zero length, IOVA wrap-around, huge sizes. */
TEST_F(mdma, bad_descriptors)
{
	struct mdma *m = &self->m;
	__u8 *snap = malloc(MEM_SIZE);
	struct plx_dma_desc *d;

	ASSERT_NE(NULL, snap);
	memset(m->mem + DST_OFF, 0x42, BUF_SIZE);
	EXPECT_EQ(PLX_WB_SUCCESS | 0, mdma_run_one(m, DST_IOVA, SRC_IOVA, 0));
	EXPECT_EQ(0x42, m->mem[DST_OFF]);

	/* Source and destination that wrap past 2^48 (and 2^64 with the high bits). */
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, 0xfffffffff000ull, 0x2000));
	EXPECT_EQ(PLX_WB_WR_FAIL, mdma_run_one(m, 0xffffffffffffull, SRC_IOVA, 2));
	/* The largest size a descriptor holds, from a small mapping. */
	d = &mdma_ring(m)[m->head];
	memcpy(snap, m->mem, MEM_SIZE);
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, IOVA_BASE + MEM_SIZE - PAGE,
					       PLX_DESC_SIZE));
	memcpy(&((struct plx_dma_desc *)snap)[d - mdma_ring(m)], d, sizeof(*d));
	EXPECT_EQ(0, memcmp(snap, m->mem, MEM_SIZE));
	free(snap);
}

/* Register writes the model must ignore, and what reads back. */
TEST_F(mdma, readonly_registers)
{
	struct mdma *m = &self->m;
	__u64 v = 0;

	EXPECT_EQ(PLX_WB_SUCCESS | 24, mdma_run_one(m, DST_IOVA, SRC_IOVA, 24));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_LAST_ADDR, 0x12345678));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_LAST_SIZE, 0x12345678));
	EXPECT_EQ((__u32)IOVA_BASE, mdma_rd32(m, PLX_REG_LAST_ADDR));
	EXPECT_EQ(24, mdma_rd32(m, PLX_REG_LAST_SIZE));
	/* IN_PROGRESS cannot be set by a write. */
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_CTRL, PLX_CTRL_IN_PROGRESS));
	EXPECT_FALSE(mdma_rd32(m, PLX_REG_CTRL) & PLX_CTRL_IN_PROGRESS);
	/* Unimplemented registers read 0 and ignore writes. */
	ASSERT_EQ(0, mdma_wr32(m, 0x100, 0xffffffff));
	EXPECT_EQ(0, mdma_rd32(m, 0x100));
	ASSERT_EQ(0, mdma_wr32(m, 0x0, 0xffffffff));
	EXPECT_EQ(0, mdma_rd32(m, 0x0));
	/* 64-bit access to a pair of registers: RING_ADDR_HI and NEXT_ADDR. */
	ASSERT_EQ(0, mdma_rd(m, PLX_REG_RING_ADDR_HI, &v, 8));
	EXPECT_EQ((IOVA_BASE >> 32) | (((IOVA_BASE + 16) & 0xffffffffull) << 32), v);
}

/* Region accesses out of bounds or of a bad size fail with EINVAL. */
TEST_F(mdma, region_bounds)
{
	struct mdma *m = &self->m;
	int fd = m->vm.device;
	struct vfio_region_info r;
	struct vfio_irq_info irq;
	__u8 buf[16];
	static const struct { __u64 off; size_t size; } bad[] = {
		{ 4096, 1 }, { 4095, 2 }, { 4094, 4 }, { 4092, 8 }, { 0x215, 4 }, { 0x216, 4 },
		{ 0x214, 3 }, { 0x214, 16 }, { 0x214, 6 }, { 1ull << 39, 4 }, { 0x21d, 2 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, pread(fd, buf, bad[i].size, m->bar0 + bad[i].off)) {
			TH_LOG("read case %u", i);
		}
		EXPECT_EQ(EINVAL, errno);
		errno = 0;
		EXPECT_EQ(-1, pwrite(fd, buf, bad[i].size, m->bar0 + bad[i].off)) {
			TH_LOG("write case %u", i);
		}
		EXPECT_EQ(EINVAL, errno);
	}
	/* BARs without memory, ROM, VGA, regions beyond the last. */
	for (__u64 index = VFIO_PCI_BAR1_REGION_INDEX; index < 20; index++) {
		if (index == VFIO_PCI_CONFIG_REGION_INDEX)
			continue;
		errno = 0;
		EXPECT_EQ(-1, pread(fd, buf, 4, index << 40));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, pread(fd, buf, 4, 0x7fffffffffffff00ll));
	/* Good accesses at the edges. */
	EXPECT_EQ(8, pread(fd, buf, 8, m->bar0 + 4088));
	EXPECT_EQ(1, pread(fd, buf, 1, m->bar0 + 4095));
	EXPECT_EQ(2, pread(fd, buf, 2, m->bar0 + 0x23e));
	/* Unknown ioctls and bad info indices. */
	EXPECT_EQ(-EINVAL, vfio_region_info(fd, VFIO_PCI_NUM_REGIONS, &r));
	EXPECT_EQ(-EINVAL, vfio_region_info(fd, 0xffffffff, &r));
	EXPECT_EQ(-EINVAL, vfio_irq_info(fd, VFIO_PCI_NUM_IRQS, &irq));
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_GFX_DMABUF, 0));
	EXPECT_EQ(ENOTTY, errno);
	r.argsz = 4;
	r.index = 0;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* SET_IRQS with bad index, start, count, flags or eventfds. */
TEST_F(mdma, set_irqs_bad)
{
	struct mdma *m = &self->m;
	int fd = m->vm.device, bad_fd = -5, not_eventfd = m->vm.container, efd[2];
	struct {
		struct vfio_irq_set set;
		int fds[4];
	} s;

	efd[0] = m->irq;
	efd[1] = m->irq;
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_NUM_IRQS, 0, 1, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, 100, 0, 1, efd));
	/* The error index has one eventfd: start 1 or two of them are refused. */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_ERR_IRQ_INDEX, 1, 1, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_ERR_IRQ_INDEX, 0, 2, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_INTX_IRQ_INDEX, 1, 1, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 2, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_MSIX_IRQ_INDEX, 1, 1, efd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_none(fd, VFIO_PCI_MSI_IRQ_INDEX,
					     VFIO_IRQ_SET_ACTION_TRIGGER, 1, 0xffffffff));
	EXPECT_EQ(-EINVAL, vfio_irq_set_none(fd, VFIO_PCI_MSI_IRQ_INDEX,
					     VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	EXPECT_EQ(-EINVAL, vfio_irq_set_none(fd, VFIO_PCI_MSI_IRQ_INDEX,
					     VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	/* INTx mask while INTx is not armed. */
	EXPECT_EQ(-EINVAL, vfio_irq_set_none(fd, VFIO_PCI_INTX_IRQ_INDEX,
					     VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &bad_fd));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &not_eventfd));
	bad_fd = 9999;
	EXPECT_EQ(-EBADF, vfio_irq_set_eventfds(fd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &bad_fd));

	memset(&s, 0, sizeof(s));
	s.set.argsz = sizeof(s);
	s.set.index = VFIO_PCI_MSI_IRQ_INDEX;
	s.set.count = 1;
	s.fds[0] = m->irq;
	/* Two data types, two actions, no action, unknown flags, short argsz. */
	s.set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER |
		      VFIO_IRQ_SET_ACTION_MASK;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER | BIT(20);
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	s.set.argsz = sizeof(s.set);	/* no room for the eventfd */
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.argsz = 8;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);

	/* DATA_BOOL and DATA_EVENTFD with no entries at all. */
	s.set.argsz = sizeof(s);
	s.set.count = 0;
	s.set.index = VFIO_PCI_INTX_IRQ_INDEX;
	s.set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_MASK;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_UNMASK;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.index = VFIO_PCI_REQ_IRQ_INDEX;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.index = VFIO_PCI_MSIX_IRQ_INDEX;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);
	s.set.index = VFIO_PCI_MSI_IRQ_INDEX;
	s.set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, &s));
	EXPECT_EQ(EINVAL, errno);

	/* After all that, the armed MSI still works. */
	EXPECT_EQ(PLX_WB_SUCCESS | 4, mdma_run_one(m, DST_IOVA, SRC_IOVA, 4));
}

/* Isolation: two mdevs, two containers, the same IOVAs, different memory. */
TEST(isolation)
{
	struct mdma a, b;
	__u8 *asrc, *adst, *bsrc, *bdst;
	const __u64 only_b = 0x50000000ull;
	__u8 *bextra;

	ASSERT_EQ(0, mdma_up(&a, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, mdma_up(&b, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	EXPECT_NE(mdev_pasid(a.uuid), mdev_pasid(b.uuid));
	asrc = a.mem + SRC_OFF;
	adst = a.mem + DST_OFF;
	bsrc = b.mem + SRC_OFF;
	bdst = b.mem + DST_OFF;
	memset(asrc, 0x11, BUF_SIZE);
	memset(bsrc, 0x22, BUF_SIZE);
	memset(adst, 0, BUF_SIZE);
	memset(bdst, 0, BUF_SIZE);

	EXPECT_EQ(PLX_WB_SUCCESS | 65536,
		  mdma_run_one(&a, DST_IOVA, SRC_IOVA, 65536));
	EXPECT_TRUE(bytes_all(adst, 65536, 0x11));
	EXPECT_TRUE(bytes_all(bdst, BUF_SIZE, 0));
	EXPECT_EQ(PLX_WB_SUCCESS | 65536,
		  mdma_run_one(&b, DST_IOVA, SRC_IOVA, 65536));
	EXPECT_TRUE(bytes_all(adst, 65536, 0x11));
	EXPECT_TRUE(bytes_all(bdst, 65536, 0x22));
	EXPECT_TRUE(bytes_all(adst + 65536, BUF_SIZE - 65536, 0));
	EXPECT_TRUE(bytes_all(asrc, BUF_SIZE, 0x11));
	EXPECT_TRUE(bytes_all(bsrc, BUF_SIZE, 0x22));

	/* An IOVA only B's container maps is a fault for A, and B's page stays. */
	bextra = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, bextra);
	memset(bextra, 0x33, PAGE);
	ASSERT_EQ(0, vfio_dma_map(b.vm.container, only_b, bextra, PAGE,
				  VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE));
	EXPECT_EQ(PLX_WB_WR_FAIL, mdma_run_one(&a, only_b, SRC_IOVA, PAGE) & ~PLX_DESC_SIZE);
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(&a, DST_IOVA, only_b, PAGE) & ~PLX_DESC_SIZE);
	EXPECT_TRUE(bytes_all(bextra, PAGE, 0x33));
	EXPECT_EQ(PLX_WB_SUCCESS | PAGE, mdma_run_one(&b, DST_IOVA, only_b, PAGE));
	EXPECT_EQ(0x33, bdst[0]);

	mdma_down(&a);
	mdma_down(&b);
	munmap(bextra, PAGE);
}

/* available_instances comes from the queue pool; beyond it, ENOSPC and nothing left. */
TEST(instances)
{
	char parent[64], uuids[16][MDEV_UUID_LEN + 1], extra[MDEV_UUID_LEN + 1];
	int avail1, avail4, n = 0;

	ASSERT_EQ(0, mdev_find_parent(MDMA_TYPE, parent, sizeof(parent)));
	avail1 = mdev_available_instances(parent, MDMA_TYPE);
	avail4 = mdev_available_instances(parent, MDMA_TYPE_BIG);
	ASSERT_GT(avail1, 0);
	ASSERT_GE(avail1 / 4, avail4);
	ASSERT_LE(avail1, 16);

	/* One of the big type, then the small one until the pool is empty. */
	ASSERT_EQ(0, mdev_create(parent, MDMA_TYPE_BIG, uuids[n]));
	n++;
	EXPECT_EQ(avail1 - 4, mdev_available_instances(parent, MDMA_TYPE));
	EXPECT_EQ(avail4 - 1, mdev_available_instances(parent, MDMA_TYPE_BIG));
	while (mdev_available_instances(parent, MDMA_TYPE) > 0) {
		ASSERT_LT(n, 16);
		ASSERT_EQ(0, mdev_create(parent, MDMA_TYPE, uuids[n]));
		n++;
	}
	EXPECT_EQ(-ENOSPC, mdev_create(parent, MDMA_TYPE, extra));
	EXPECT_FALSE(mdev_exists(extra));
	EXPECT_EQ(-ENOSPC, mdev_create(parent, MDMA_TYPE_BIG, extra));
	EXPECT_FALSE(mdev_exists(extra));
	EXPECT_EQ(0, mdev_available_instances(parent, MDMA_TYPE));
	EXPECT_EQ(0, mdev_available_instances(parent, MDMA_TYPE_BIG));
	while (n--)
		EXPECT_EQ(0, mdev_remove(uuids[n]));
	EXPECT_EQ(avail1, mdev_available_instances(parent, MDMA_TYPE));
	EXPECT_EQ(avail4, mdev_available_instances(parent, MDMA_TYPE_BIG));
}

TEST(bad_create)
{
	static const char * const bad[] = {
		"not-a-uuid", "12345678-1234-1234-1234-1234567890", "1", "\n",
		"zzzzzzzz-1234-1234-1234-123456789abc",
		"12345678:1234-1234-1234-123456789abc",
	};
	char parent[64], path[256], uuid[MDEV_UUID_LEN + 1];
	int avail;

	ASSERT_EQ(0, mdev_find_parent(MDMA_TYPE, parent, sizeof(parent)));
	avail = mdev_available_instances(parent, MDMA_TYPE);
	snprintf(path, sizeof(path), "/sys/class/mdev_bus/%s/mdev_supported_types/%s/create",
		 parent, MDMA_TYPE);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, sysfs_write_str(path, bad[i])) {
			TH_LOG("uuid \"%s\"", bad[i]);
		}
	}
	/* The same UUID twice. */
	ASSERT_EQ(0, mdev_create(parent, MDMA_TYPE, uuid));
	EXPECT_EQ(-EEXIST, sysfs_write_str(path, uuid));
	EXPECT_EQ(0, mdev_remove(uuid));
	EXPECT_EQ(avail, mdev_available_instances(parent, MDMA_TYPE));
}

/* The PASID is programmed while open, and released when the container detaches. */
TEST(pasid_released_on_detach)
{
	struct mdma m;
	long aux0, aux;

	ASSERT_EQ(0, mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	aux = siov_aux_domains(m.parent);
	ASSERT_GE(aux, 1);
	EXPECT_GT(mdev_pasid(m.uuid), 0);

	close(m.vm.device);
	m.vm.device = -1;
	EXPECT_EQ(0, mdev_pasid(m.uuid));
	EXPECT_EQ(aux, siov_aux_domains(m.parent));	/* still in the container */

	close(m.vm.group);
	m.vm.group = -1;
	close(m.vm.container);
	m.vm.container = -1;
	aux0 = siov_aux_domains(m.parent);
	EXPECT_EQ(aux - 1, aux0);
	EXPECT_EQ(0, mdev_pasid(m.uuid));
	mdma_down(&m);
}

/* Removing an open mdev blocks until the user closes it, as vfio requires. */
TEST(remove_while_open)
{
	char path[128];
	struct mdma m;

	ASSERT_EQ(0, mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", m.uuid);
	EXPECT_EQ(0, mdma_removal_waits_for_close(&m, path, "1"));
	EXPECT_FALSE(mdev_exists(m.uuid));
	m.uuid[0] = '\0';
	mdma_down(&m);
}

TEST_HARNESS_MAIN
