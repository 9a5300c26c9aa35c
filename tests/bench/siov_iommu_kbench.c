// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the software IOMMU (drivers/siov-iommu), run in the lab VM
 * by `make bench`: insmod it after siov_iommu.ko, read the "bench: " lines
 * from the kernel log, then rmmod it (loading does the whole run and
 * returns 0; nothing stays allocated).
 *
 * It reports, and asserts nothing about:
 * - map and unmap of 1 GiB (map_mib) in 4 KiB pages, one iommu_map() /
 *   iommu_unmap() call per page, cycling over a few physical pages;
 * - translation per 4 KiB page: iommu_iova_to_phys() over that range, and a
 *   one-byte DMA-interface read per page (lookup, checks, fault pass, copy);
 * - throughput of the DMA interface next to a plain (out-of-line) memcpy()
 *   of the same size and memory, at 4 KiB, 64 KiB and 1 MiB: a device read
 *   of memory into a kernel buffer, and a memory-to-memory copy (two
 *   translations per chunk), with the ratio to memcpy in per cent;
 * - the per-page read and the throughputs again through a DMA handle (the
 *   domain behind the PASID looked up once, as a device model's queue does).
 *
 * It uses a test endpoint (no drivers/siov-pci needed) and an unmanaged
 * domain aux-attached to it, like a vfio container's domain under a PASID.
 */
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <siov/dma.h>
#include <siov/iommu_test.h>

static unsigned int map_mib = 1024;
module_param(map_mib, uint, 0444);
MODULE_PARM_DESC(map_mib, "MiB mapped and unmapped in 4 KiB pages (default 1024)");

static unsigned int copy_mib = 64;
module_param(copy_mib, uint, 0444);
MODULE_PARM_DESC(copy_mib, "MiB moved per throughput figure (default 64)");

#define BENCH_POOL	16		/* physical pages the big map cycles over */
#define BENCH_MAP_IOVA	0x100000000ULL	/* 4 GiB */
#define BENCH_BUF_ORDER	8		/* 1 MiB buffers */
#define BENCH_SRC_IOVA	0x7f0000000000ULL
#define BENCH_DST_IOVA	0x7f0010000000ULL

struct bench {
	struct siov_ep *ep;
	struct iommu_domain *dom;
	u32 pasid;
	struct siov_dma_handle *h;
	struct page *pool[BENCH_POOL];
	struct page *src, *dst, *buf;
};

static u64 bench_mbps(u64 bytes, u64 ns)
{
	return ns ? div64_u64(bytes * 1000, ns) : 0;	/* bytes/us = MB/s */
}

static int bench_map(struct bench *b)
{
	u64 pages = (u64)map_mib << (20 - PAGE_SHIFT), i, t0, map_ns, unmap_ns;
	u64 xlate_ns, dma_ns, h_ns;
	phys_addr_t sum = 0;
	int ret = 0;
	u8 byte;

	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		ret = iommu_map(b->dom, BENCH_MAP_IOVA + (i << PAGE_SHIFT),
				page_to_phys(b->pool[i % BENCH_POOL]), SZ_4K,
				IOMMU_READ | IOMMU_WRITE);
		if (ret)
			break;
		if (!(i & 4095))
			cond_resched();
	}
	map_ns = ktime_get_ns() - t0;
	if (ret) {
		pr_err("bench: map failed at page %llu: %d\n", i, ret);
		iommu_unmap(b->dom, BENCH_MAP_IOVA, i << PAGE_SHIFT);
		return ret;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		sum += iommu_iova_to_phys(b->dom,
					  BENCH_MAP_IOVA + (i << PAGE_SHIFT));
		if (!(i & 4095))
			cond_resched();
	}
	xlate_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < pages && !ret; i++) {
		ret = siov_ep_dma_read(b->ep, b->pasid,
				       BENCH_MAP_IOVA + (i << PAGE_SHIFT),
				       &byte, 1);
		if (!(i & 4095))
			cond_resched();
	}
	dma_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < pages && !ret; i++) {
		ret = siov_dma_handle_read(b->h,
					   BENCH_MAP_IOVA + (i << PAGE_SHIFT),
					   &byte, 1);
		if (!(i & 4095))
			cond_resched();
	}
	h_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		iommu_unmap(b->dom, BENCH_MAP_IOVA + (i << PAGE_SHIFT), SZ_4K);
		if (!(i & 4095))
			cond_resched();
	}
	unmap_ns = ktime_get_ns() - t0;

	pr_info("bench: map %u MiB in 4 KiB pages: %llu ms (%llu ns/page)\n",
		map_mib, div64_u64(map_ns, NSEC_PER_MSEC),
		div64_u64(map_ns, pages));
	pr_info("bench: unmap %u MiB in 4 KiB pages: %llu ms (%llu ns/page)\n",
		map_mib, div64_u64(unmap_ns, NSEC_PER_MSEC),
		div64_u64(unmap_ns, pages));
	pr_info("bench: translate per 4 KiB page (iommu_iova_to_phys): %llu ns (%s)\n",
		div64_u64(xlate_ns, pages), sum ? "ok" : "nothing mapped?");
	pr_info("bench: 1-byte DMA-interface read per 4 KiB page (lookup, check, copy): %llu ns%s\n",
		div64_u64(dma_ns, pages), ret ? " (FAILED)" : "");
	pr_info("bench: 1-byte DMA read per 4 KiB page through a handle (check, copy): %llu ns%s\n",
		div64_u64(h_ns, pages), ret ? " (FAILED)" : "");
	pr_info("bench: page-table pages left after unmap: %lu (1: the root only)\n",
		siov_domain_table_pages(b->dom));
	return ret;
}

/*
 * What the fixed costs of one access are made of on this kernel (a debug
 * kernel with lockdep and KASAN makes lock and RCU annotations expensive).
 */
static void bench_parts(struct bench *b)
{
	const u64 n = 100000;
	unsigned long pfn = page_to_pfn(b->src);
	u64 i, t0, rcu_ns, pfn_ns, xa_ns, hits = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		rcu_read_lock();
		rcu_read_unlock();
	}
	rcu_ns = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		hits += pfn_valid(pfn + (i & 255));
	pfn_ns = ktime_get_ns() - t0;
	cond_resched();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		hits += siov_ep_aux_get_pasid(b->ep, b->dom) > 0;
		if (!(i & 4095))
			cond_resched();
	}
	xa_ns = ktime_get_ns() - t0;
	pr_info("bench: parts: rcu_read_lock+unlock %llu ns, pfn_valid %llu ns, aux_get_pasid (mutex) %llu ns (%llu)\n",
		div64_u64(rcu_ns, n), div64_u64(pfn_ns, n),
		div64_u64(xa_ns, n), hits);
}

static int bench_copy(struct bench *b, size_t size)
{
	/*
	 * The baseline calls the kernel's out-of-line memcpy(), as the DMA
	 * interface does.  Called directly, GCC may expand it inline as
	 * `rep movsb`, which TCG runs a byte at a time (252 MB/s against
	 * 2.4 GB/s on the bench kernel): the ratios would measure TCG.
	 */
	void *(*cpy)(void *dst, const void *src, size_t n) = memcpy;
	u64 iters = max_t(u64, 16, ((u64)copy_mib << 20) / size);
	u64 bytes = iters * size, i, t0, cpy_ns, rd_ns, cp_ns, hrd_ns, hcp_ns;
	void *src = page_address(b->src), *dst = page_address(b->dst);
	void *buf = page_address(b->buf);
	int ret = 0;

	OPTIMIZER_HIDE_VAR(cpy);
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		cpy(buf, src, size);
		if (!(i & 255))
			cond_resched();
	}
	cpy_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++) {
		ret = siov_ep_dma_read(b->ep, b->pasid, BENCH_SRC_IOVA, buf,
				       size);
		if (!(i & 255))
			cond_resched();
	}
	rd_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++) {
		ret = siov_ep_dma_copy(b->ep, b->pasid, BENCH_DST_IOVA,
				       BENCH_SRC_IOVA, size, NULL);
		if (!(i & 255))
			cond_resched();
	}
	cp_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++) {
		ret = siov_dma_handle_read(b->h, BENCH_SRC_IOVA, buf, size);
		if (!(i & 255))
			cond_resched();
	}
	hrd_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++) {
		ret = siov_dma_handle_copy(b->h, BENCH_DST_IOVA, BENCH_SRC_IOVA,
					   size, NULL);
		if (!(i & 255))
			cond_resched();
	}
	hcp_ns = ktime_get_ns() - t0;
	if (ret) {
		pr_err("bench: DMA interface failed at %zu bytes: %d\n", size,
		       ret);
		return ret;
	}
	if (memcmp(dst, src, size) || memcmp(buf, src, size)) {
		pr_err("bench: DMA interface moved wrong data at %zu bytes\n",
		       size);
		return -EIO;
	}
	pr_info("bench: %4zu KiB: memcpy %llu MB/s, DMA read %llu MB/s (%llu%%), DMA copy %llu MB/s (%llu%%)\n",
		size >> 10, bench_mbps(bytes, cpy_ns),
		bench_mbps(bytes, rd_ns), div64_u64(cpy_ns * 100, rd_ns ?: 1),
		bench_mbps(bytes, cp_ns), div64_u64(cpy_ns * 100, cp_ns ?: 1));
	pr_info("bench: %4zu KiB through a handle: DMA read %llu MB/s (%llu%%), DMA copy %llu MB/s (%llu%%)\n",
		size >> 10, bench_mbps(bytes, hrd_ns),
		div64_u64(cpy_ns * 100, hrd_ns ?: 1), bench_mbps(bytes, hcp_ns),
		div64_u64(cpy_ns * 100, hcp_ns ?: 1));
	return 0;
}

static void bench_free(struct bench *b)
{
	int i;

	if (!IS_ERR_OR_NULL(b->h))
		siov_dma_handle_put(b->h);
	if (b->pasid)
		siov_ep_aux_detach(b->ep, b->dom);
	if (b->dom)
		iommu_domain_free(b->dom);
	if (b->ep)
		siov_ep_destroy(b->ep);
	for (i = 0; i < BENCH_POOL; i++)
		if (b->pool[i])
			__free_page(b->pool[i]);
	if (b->src)
		__free_pages(b->src, BENCH_BUF_ORDER);
	if (b->dst)
		__free_pages(b->dst, BENCH_BUF_ORDER);
	if (b->buf)
		__free_pages(b->buf, BENCH_BUF_ORDER);
}

static int bench_setup(struct bench *b)
{
	size_t buf_size = PAGE_SIZE << BENCH_BUF_ORDER, i;
	int ret;

	b->ep = siov_ep_create("bench", SIOV_PASID_BITS);
	b->dom = iommu_domain_alloc(&pci_bus_type);
	if (!b->ep || !b->dom)
		return -ENOMEM;
	for (i = 0; i < BENCH_POOL; i++) {
		b->pool[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!b->pool[i])
			return -ENOMEM;
	}
	b->src = alloc_pages(GFP_KERNEL, BENCH_BUF_ORDER);
	b->dst = alloc_pages(GFP_KERNEL | __GFP_ZERO, BENCH_BUF_ORDER);
	b->buf = alloc_pages(GFP_KERNEL | __GFP_ZERO, BENCH_BUF_ORDER);
	if (!b->src || !b->dst || !b->buf)
		return -ENOMEM;
	for (i = 0; i < buf_size; i++)
		((u8 *)page_address(b->src))[i] = i * 31 + 7;

	ret = siov_ep_aux_attach(b->ep, b->dom);
	if (ret)
		return ret;
	b->pasid = siov_ep_aux_get_pasid(b->ep, b->dom);
	b->h = siov_ep_dma_handle_get(b->ep, b->pasid);
	return PTR_ERR_OR_ZERO(b->h);
}

static int bench_map_buffers(struct bench *b)
{
	size_t buf_size = PAGE_SIZE << BENCH_BUF_ORDER;
	int ret;

	ret = iommu_map(b->dom, BENCH_SRC_IOVA, page_to_phys(b->src), buf_size,
			IOMMU_READ);
	if (!ret)
		ret = iommu_map(b->dom, BENCH_DST_IOVA, page_to_phys(b->dst),
				buf_size, IOMMU_WRITE);
	return ret;
}

static int __init siov_iommu_kbench_init(void)
{
	struct bench b = {};
	int ret;

	pr_info("bench: software IOMMU, %u MiB map/unmap, %u MiB per copy figure\n",
		map_mib, copy_mib);
	ret = bench_setup(&b);
	if (!ret)
		ret = bench_map(&b);
	if (!ret)
		ret = bench_map_buffers(&b);
	if (!ret)
		bench_parts(&b);
	if (!ret)
		ret = bench_copy(&b, SZ_4K);
	if (!ret)
		ret = bench_copy(&b, SZ_64K);
	if (!ret)
		ret = bench_copy(&b, SZ_1M);
	if (b.dom) {
		iommu_unmap(b.dom, BENCH_SRC_IOVA, PAGE_SIZE << BENCH_BUF_ORDER);
		iommu_unmap(b.dom, BENCH_DST_IOVA, PAGE_SIZE << BENCH_BUF_ORDER);
	}
	bench_free(&b);
	if (ret)
		pr_err("bench: failed: %d\n", ret);
	else
		pr_info("bench: done\n");
	return ret;
}

static void __exit siov_iommu_kbench_exit(void)
{
}

module_init(siov_iommu_kbench_init);
module_exit(siov_iommu_kbench_exit);

MODULE_DESCRIPTION("Benchmark of the software IOMMU of the simulated SIOV platform");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SIOV_IOMMU);
