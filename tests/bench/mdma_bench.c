// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of one mdma mdev (samples/vfio-mdev/mdma.c) driven through
 * VFIO as plx_dma drives it, next to memcpy() of the same sizes in the same
 * VM; and 64-byte descriptors per second.  Prints figures, judges nothing.
 *
 * Build: with tests/vfio/mdev_vfio.c (-I tests/vfio).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "mdev_vfio.h"
#include "siov/plx_dma_regs.h"

#define BIT(n)			(1u << (n))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define RING_N			256
#define BATCH			(RING_N - 1)
#define MAX_SIZE		BIT(20)
#define RING_IOVA		0x10000000ull
#define SRC_IOVA		0x20000000ull
#define DST_IOVA		0x30000000ull
#define SECONDS			1.0

static struct vfio_mdev vm;
static __u64 bar0;
static struct plx_dma_desc *ring;
static __u8 *src, *dst;
static unsigned int head;
static int irq = -1;

static int wr(__u32 off, __u32 val, size_t size)
{
	return pwrite(vm.device, &val, size, bar0 + off) == (ssize_t)size ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 1, size);
	return p;
}

/* @n descriptors of @size bytes, the last one interrupting; wait for it. */
static int batch(unsigned int n, __u32 size, unsigned int spread)
{
	struct pollfd p = { .fd = irq, .events = POLLIN };
	struct plx_dma_desc *d = NULL;
	__u64 cnt;

	for (unsigned int i = 0; i < n; i++) {
		__u64 off = (__u64)(i % spread) * size;

		d = &ring[head];
		head = (head + 1) % RING_N;
		d->src_lo = (__u32)(SRC_IOVA + off);
		d->src_hi = (SRC_IOVA + off) >> 32;
		d->dst_lo = (__u32)(DST_IOVA + off);
		d->dst_hi = (DST_IOVA + off) >> 32;
		__atomic_store_n(&d->flags_and_size,
				 size | PLX_DESC_VALID | (i == n - 1 ? PLX_DESC_INT : 0),
				 __ATOMIC_RELEASE);
	}
	if (wr(PLX_REG_CTRL, PLX_CTRL_START_VAL, 2))
		return -1;
	if (poll(&p, 1, 30000) != 1 || read(irq, &cnt, sizeof(cnt)) != sizeof(cnt))
		return -1;
	wr(PLX_REG_INTR_STATUS, 0xffff, 2);
	while (__atomic_load_n(&d->flags_and_size, __ATOMIC_ACQUIRE) & PLX_DESC_VALID)
		;
	return (d->flags_and_size & PLX_WB_SUCCESS) ? 0 : -1;
}

/* Bytes per second of the engine copying @size-byte descriptors. */
static double engine_rate(__u32 size, double *descs_per_s)
{
	unsigned int spread = MAX_SIZE / size < BATCH ? MAX_SIZE / size : BATCH;
	unsigned int per = size >= (256u << 10) ? 16 : BATCH;
	double t0 = now(), t;
	unsigned long n = 0;

	batch(per, size, spread);	/* warm up */
	t0 = now();
	do {
		if (batch(per, size, spread))
			return -1;
		n += per;
		t = now() - t0;
	} while (t < SECONDS);
	if (descs_per_s)
		*descs_per_s = n / t;
	return (double)n * size / t;
}

static double memcpy_rate(__u32 size)
{
	unsigned int spread = MAX_SIZE / size < BATCH ? MAX_SIZE / size : BATCH;
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		for (unsigned int i = 0; i < 64; i++, n++) {
			size_t off = (size_t)(n % spread) * size;

			memcpy(dst + off, src + off, size);
		}
		__asm__ volatile("" ::: "memory");
		t = now() - t0;
	} while (t < SECONDS);
	return (double)n * size / t;
}

int main(void)
{
	static const __u32 sizes[] = { 4096, 65536, 1u << 20 };
	char parent[64], uuid[MDEV_UUID_LEN + 1];
	struct vfio_region_info r, c;
	__u16 cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	double dps;
	int ret;

	if (mdev_find_parent("mdma-1q", parent, sizeof(parent)) ||
	    mdev_create(parent, "mdma-1q", uuid)) {
		printf("skip: no mdma parent\n");
		return 0;
	}
	ret = vfio_mdev_open(uuid, VFIO_TYPE1v2_IOMMU, &vm);
	ring = alloc(4096);
	src = alloc(MAX_SIZE + 4096);
	dst = alloc(MAX_SIZE + 4096);
	irq = eventfd(0, EFD_NONBLOCK);
	if (ret || !ring || !src || !dst || irq < 0 ||
	    vfio_region_info(vm.device, VFIO_PCI_BAR0_REGION_INDEX, &r) ||
	    vfio_dma_map(vm.container, RING_IOVA, ring, 4096,
			 VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE) ||
	    vfio_dma_map(vm.container, SRC_IOVA, src, MAX_SIZE + 4096,
			 VFIO_DMA_MAP_FLAG_READ) ||
	    vfio_dma_map(vm.container, DST_IOVA, dst, MAX_SIZE + 4096,
			 VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE) ||
	    vfio_irq_set_eventfds(vm.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &irq)) {
		printf("error: setting up the mdev failed (%d)\n", ret);
		ret = 1;
		goto out;
	}
	bar0 = r.offset;
	/* Memory Space and Bus Master on, as a guest driver's enable does. */
	if (vfio_region_info(vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &c) ||
	    pwrite(vm.device, &cmd, 2, c.offset + PCI_COMMAND) != 2) {
		printf("error: enabling the function failed\n");
		ret = 1;
		goto out;
	}
	if (wr(PLX_REG_CTRL, PLX_CTRL_RESET_VAL, 4) || wr(PLX_REG_RING_ADDR, (__u32)RING_IOVA, 4) ||
	    wr(PLX_REG_RING_ADDR_HI, RING_IOVA >> 32, 4) ||
	    wr(PLX_REG_NEXT_ADDR, (__u32)RING_IOVA, 4) ||
	    wr(PLX_REG_RING_COUNT, RING_N, 4)) {
		printf("error: programming the ring failed\n");
		ret = 1;
		goto out;
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		double e = engine_rate(sizes[i], NULL), m = memcpy_rate(sizes[i]);

		if (e < 0) {
			printf("error: copy of %u bytes failed\n", sizes[i]);
			ret = 1;
			goto out;
		}
		printf("copy %7u B: mdma %8.1f MB/s  memcpy %8.1f MB/s  ratio %.2f\n",
		       sizes[i], e / 1e6, m / 1e6, e / m);
	}
	if (engine_rate(64, &dps) < 0) {
		printf("error: 64-byte descriptors failed\n");
		ret = 1;
		goto out;
	}
	printf("64-byte descriptors: %.0f per second\n", dps);
	ret = 0;
out:
	vfio_mdev_close(&vm);
	if (irq >= 0)
		close(irq);
	mdev_remove(uuid);
	return ret;
}
