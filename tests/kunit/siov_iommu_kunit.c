// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the software IOMMU (drivers/siov-iommu).
 *
 * They run in the lab VM after siov_iommu.ko is loaded, which owns the PCI
 * bus from then on: domains come from iommu_domain_alloc(&pci_bus_type) and
 * are driven through the public IOMMU API.  The PASID and DMA-interface
 * suites use "test endpoints" (the IOMMU's per-endpoint state without a PCI
 * device, include/siov/iommu_test.h) so they need no drivers/siov-pci; the
 * siov_iommu_endpoint suite uses a real simulated endpoint when one is
 * present and skips otherwise.
 *
 * Every test frees what it allocated in the exit hook, also when an
 * assertion stopped it, so kmemleak stays quiet.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/unaligned.h>

#include <siov/dma.h>
#include <siov/iommu_test.h>
#include <siov/pci_ids.h>

#define T_IOVA_TOP	BIT_ULL(48)

/* What a test allocated; the exit hook frees it. */
struct t_ctx {
	struct iommu_domain *dom[4];
	struct siov_ep *ep[3];
	struct page *page[16];
	struct {
		struct siov_ep *ep;
		struct iommu_domain *dom;
	} att[16];
	unsigned int nr_dom, nr_ep, nr_page, nr_att;
	unsigned long violations;
	struct device *limited;		/* PASID limit to restore */
	u32 limit_was;
};

static int t_init(struct kunit *test)
{
	struct t_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	ctx->violations = siov_contract_violations();
	test->priv = ctx;
	return 0;
}

static void t_exit(struct kunit *test)
{
	struct t_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < ctx->nr_att; i++)
		if (ctx->att[i].ep)
			siov_ep_aux_detach(ctx->att[i].ep, ctx->att[i].dom);
	for (i = 0; i < ctx->nr_ep; i++)
		siov_ep_destroy(ctx->ep[i]);
	for (i = 0; i < ctx->nr_dom; i++)
		iommu_domain_free(ctx->dom[i]);
	for (i = 0; i < ctx->nr_page; i++)
		__free_page(ctx->page[i]);
	if (ctx->limited) {
		u32 limit;

		KUNIT_EXPECT_EQ(test, siov_dev_limit_pasids(ctx->limited,
							    ctx->limit_was,
							    &limit), 0);
		put_device(ctx->limited);
	}
	/* Nothing the tests did may count as misuse of the IOMMU. */
	KUNIT_EXPECT_EQ(test, siov_contract_violations(), ctx->violations);
}

static struct iommu_domain *t_domain(struct kunit *test)
{
	struct t_ctx *ctx = test->priv;
	struct iommu_domain *dom;

	KUNIT_ASSERT_LT(test, ctx->nr_dom, ARRAY_SIZE(ctx->dom));
	dom = iommu_domain_alloc(&pci_bus_type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dom);
	ctx->dom[ctx->nr_dom++] = dom;
	return dom;
}

static struct page *t_page(struct kunit *test)
{
	struct t_ctx *ctx = test->priv;
	struct page *page;

	KUNIT_ASSERT_LT(test, ctx->nr_page, ARRAY_SIZE(ctx->page));
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, page);
	ctx->page[ctx->nr_page++] = page;
	return page;
}

static struct siov_ep *t_ep(struct kunit *test, const char *name,
			    unsigned int bits)
{
	struct t_ctx *ctx = test->priv;
	struct siov_ep *ep;

	KUNIT_ASSERT_LT(test, ctx->nr_ep, ARRAY_SIZE(ctx->ep));
	ep = siov_ep_create(name, bits);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ep);
	ctx->ep[ctx->nr_ep++] = ep;
	return ep;
}

/* Aux-attach and return the PASID; the exit hook detaches. */
static u32 t_attach(struct kunit *test, struct siov_ep *ep,
		    struct iommu_domain *dom)
{
	struct t_ctx *ctx = test->priv;
	int pasid;

	KUNIT_ASSERT_LT(test, ctx->nr_att, ARRAY_SIZE(ctx->att));
	KUNIT_ASSERT_EQ(test, siov_ep_aux_attach(ep, dom), 0);
	ctx->att[ctx->nr_att].ep = ep;
	ctx->att[ctx->nr_att].dom = dom;
	ctx->nr_att++;
	pasid = siov_ep_aux_get_pasid(ep, dom);
	KUNIT_ASSERT_GT(test, pasid, 0);
	return pasid;
}

/* Detach the @n-th attachment now (the exit hook then skips it). */
static void t_detach(struct kunit *test, unsigned int n)
{
	struct t_ctx *ctx = test->priv;

	KUNIT_ASSERT_LT(test, n, ctx->nr_att);
	siov_ep_aux_detach(ctx->att[n].ep, ctx->att[n].dom);
	ctx->att[n].ep = NULL;
}

/*
 * The test misused the IOMMU on purpose @n times since @before (a count of
 * @kind): expect exactly that, and let the exit hook know.
 */
static void t_violated(struct kunit *test, enum siov_contract kind,
		       unsigned long before, unsigned long n)
{
	struct t_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, siov_contract_count(kind), before + n);
	ctx->violations += n;
}

static int t_map(struct iommu_domain *dom, u64 iova, struct page *page,
		 size_t size, int prot)
{
	return iommu_map(dom, iova, page_to_phys(page), size, prot);
}

/* ---- page tables, through the IOMMU API ---- */

static void pt_domain_shape(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);

	KUNIT_EXPECT_EQ(test, dom->type, IOMMU_DOMAIN_UNMANAGED);
	KUNIT_EXPECT_EQ(test, dom->pgsize_bitmap, (unsigned long)SZ_4K);
	KUNIT_EXPECT_EQ(test, dom->geometry.aperture_end, T_IOVA_TOP - 1);
	KUNIT_EXPECT_TRUE(test, dom->geometry.force_aperture);
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, 0), (phys_addr_t)0);
}

static void pt_unaligned(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	phys_addr_t pa = page_to_phys(t_page(test));

	KUNIT_EXPECT_EQ(test, iommu_map(dom, 0x10001, pa, SZ_4K, IOMMU_READ),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, 0x10000, pa + 8, SZ_4K,
					IOMMU_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, 0x10000, pa, SZ_2K, IOMMU_READ),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, 0x10000), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
}

static void pt_map_translate(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	phys_addr_t pa = page_to_phys(t_page(test));
	u64 iova = 0x12345000;

	KUNIT_ASSERT_EQ(test, iommu_map(dom, iova, pa, SZ_4K,
					IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova), pa);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + 0x123), pa + 0x123);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + SZ_4K),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova - 1), (phys_addr_t)0);
	/* root + one table per lower level */
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 4UL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, iova, SZ_4K), (size_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova), (phys_addr_t)0);
	/* Emptied tables are unhooked (and freed after a grace period). */
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
}

static void pt_overlap(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	struct page *p = t_page(test), *q = t_page(test);
	unsigned long exists = siov_contract_count(SIOV_CONTRACT_MAP_EXISTS);
	u64 base = 0x100000;
	int i;

	/* four pages at base, all backed by p (a page may be mapped twice) */
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, t_map(dom, base + i * SZ_4K, p, SZ_4K,
					    IOMMU_READ), 0);
	/* exactly on top */
	KUNIT_EXPECT_EQ(test, t_map(dom, base, q, SZ_4K, IOMMU_READ), -EEXIST);
	/* starting inside */
	KUNIT_EXPECT_EQ(test, iommu_map(dom, base + 2 * SZ_4K, page_to_phys(q),
					4 * SZ_4K, IOMMU_READ), -EEXIST);
	/* starting below, running into it: the core unrolls the part mapped */
	KUNIT_EXPECT_EQ(test, iommu_map(dom, base - 2 * SZ_4K, page_to_phys(q),
					4 * SZ_4K, IOMMU_READ), -EEXIST);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base - 2 * SZ_4K),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base - SZ_4K),
			(phys_addr_t)0);
	/* the existing mapping is untouched */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base + i * SZ_4K),
				page_to_phys(p));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base + 4 * SZ_4K),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base, 4 * SZ_4K),
			(size_t)(4 * SZ_4K));
	/* each overlapping map is a contract violation, counted */
	t_violated(test, SIOV_CONTRACT_MAP_EXISTS, exists, 3);
}

static void pt_partial_unmap(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	struct page *p = t_page(test);
	u64 base = 0x40000000 - 8 * SZ_4K;	/* 16 pages across a 1 GiB line */
	unsigned long holes = siov_contract_count(SIOV_CONTRACT_UNMAP_HOLE);
	phys_addr_t pa;
	int i;

	/* 16 contiguous physical pages would need order-4; reuse p per page */
	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_EQ(test, t_map(dom, base + i * SZ_4K, p, SZ_4K,
					    IOMMU_READ | IOMMU_WRITE), 0);
	pa = page_to_phys(p);
	/* the middle four of one map call's worth */
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base + 6 * SZ_4K, 4 * SZ_4K),
			(size_t)(4 * SZ_4K));
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base + i * SZ_4K),
				(i >= 6 && i < 10) ? (phys_addr_t)0 : pa);
	/* unmapping a hole unmaps nothing */
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base + 6 * SZ_4K, SZ_4K),
			(size_t)0);
	/* a range that runs into the hole stops there */
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base + 4 * SZ_4K, 4 * SZ_4K),
			(size_t)(2 * SZ_4K));
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base, 4 * SZ_4K),
			(size_t)(4 * SZ_4K));
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, base + 10 * SZ_4K, 6 * SZ_4K),
			(size_t)(6 * SZ_4K));
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	/* the two unmaps of a hole are counted */
	t_violated(test, SIOV_CONTRACT_UNMAP_HOLE, holes, 2);
}

/* Map a few pages on both sides of each table boundary, in one call each. */
static void pt_cross_levels(struct kunit *test)
{
	static const u64 lines[] = {
		SZ_2M,			/* level-0 tables */
		SZ_1G,			/* level-1 tables */
		512ULL * SZ_1G,		/* level-2 tables */
		T_IOVA_TOP / 2,		/* the middle of the root */
	};
	struct iommu_domain *dom = t_domain(test);
	struct page *pages;
	phys_addr_t pa;
	unsigned int i, j;

	/* 4 physically contiguous pages, so each range is one map call */
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pages);
	pa = page_to_phys(pages);
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		u64 base = lines[i] - 2 * SZ_4K;

		KUNIT_EXPECT_EQ(test, iommu_map(dom, base, pa, 4 * SZ_4K,
						IOMMU_READ), 0);
		for (j = 0; j < 4; j++)
			KUNIT_EXPECT_EQ(test,
					iommu_iova_to_phys(dom, base + j * SZ_4K + 7),
					pa + j * SZ_4K + 7);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base - SZ_4K),
				(phys_addr_t)0);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, base + 4 * SZ_4K),
				(phys_addr_t)0);
	}
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		KUNIT_EXPECT_EQ(test, iommu_unmap(dom, lines[i] - 2 * SZ_4K,
						  4 * SZ_4K),
				(size_t)(4 * SZ_4K));
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	__free_pages(pages, 2);
}

static void pt_top_of_space(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	phys_addr_t pa = page_to_phys(t_page(test));
	unsigned long exists = siov_contract_count(SIOV_CONTRACT_MAP_EXISTS);
	u64 last = T_IOVA_TOP - SZ_4K;

	KUNIT_EXPECT_EQ(test, iommu_map(dom, last, pa, SZ_4K, IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, T_IOVA_TOP - 1),
			pa + SZ_4K - 1);
	/* beyond 48 bits */
	KUNIT_EXPECT_EQ(test, iommu_map(dom, T_IOVA_TOP, pa, SZ_4K, IOMMU_READ),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, T_IOVA_TOP),
			(phys_addr_t)0);
	/* up to the top, into the mapped last page */
	KUNIT_EXPECT_EQ(test, iommu_map(dom, last - SZ_4K, pa, 2 * SZ_4K,
					IOMMU_READ), -EEXIST);
	/* running over the top: nothing is mapped, the last page stays */
	KUNIT_EXPECT_EQ(test, iommu_map(dom, last - SZ_4K, pa, 3 * SZ_4K,
					IOMMU_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, last - SZ_4K),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, last), pa);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, last, 2 * SZ_4K),
			(size_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	t_violated(test, SIOV_CONTRACT_MAP_EXISTS, exists, 1);
}

/* Page-table allocations fail (fault injection): -ENOMEM, nothing left. */
static void pt_alloc_failure(struct kunit *test)
{
	struct iommu_domain *dom = t_domain(test);
	u64 iova = 512ULL * SZ_1G + SZ_2M - 2 * SZ_4K;
	struct page *pages;
	unsigned int nth;
	phys_addr_t pa;

	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pages);
	pa = page_to_phys(pages);
	/*
	 * Four pages across a 2 MiB line in an empty 512 GiB span need four
	 * tables: levels 2, 1, 0, and level 0 again after the line.  Fail
	 * each in turn.
	 */
	for (nth = 1; nth <= 4; nth++) {
		siov_pt_fail_nth(nth);
		KUNIT_EXPECT_EQ(test, iommu_map(dom, iova, pa, 4 * SZ_4K,
						IOMMU_READ), -ENOMEM);
		siov_pt_fail_nth(0);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova),
				(phys_addr_t)0);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + 3 * SZ_4K),
				(phys_addr_t)0);
		/* nothing half-built is left behind */
		KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	}
	KUNIT_EXPECT_EQ(test, iommu_map(dom, iova, pa, 4 * SZ_4K, IOMMU_READ),
			0);
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 5UL);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + 3 * SZ_4K),
			pa + 3 * SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, iova, 4 * SZ_4K),
			(size_t)(4 * SZ_4K));
	KUNIT_EXPECT_EQ(test, siov_domain_table_pages(dom), 1UL);
	__free_pages(pages, 2);
}

static struct kunit_case siov_pt_cases[] = {
	KUNIT_CASE(pt_domain_shape),
	KUNIT_CASE(pt_unaligned),
	KUNIT_CASE(pt_map_translate),
	KUNIT_CASE(pt_overlap),
	KUNIT_CASE(pt_partial_unmap),
	KUNIT_CASE(pt_cross_levels),
	KUNIT_CASE(pt_top_of_space),
	KUNIT_CASE(pt_alloc_failure),
	{}
};

static struct kunit_suite siov_pt_suite = {
	.name = "siov_iommu_pgtable",
	.init = t_init,
	.exit = t_exit,
	.test_cases = siov_pt_cases,
};

/* ---- PASIDs ---- */

static void pasid_alloc_free(struct kunit *test)
{
	struct siov_pasid_space space;
	int a, b;
	u32 p1, p2, p3;

	siov_pasid_space_init(&space, 20);
	KUNIT_EXPECT_EQ(test, space.max, (1U << 20) - 1);
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &p1), 0);
	KUNIT_EXPECT_EQ(test, p1, 1U);		/* PASID 0 is never handed out */
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &b, &p2), 0);
	KUNIT_EXPECT_EQ(test, p2, 2U);
	KUNIT_EXPECT_PTR_EQ(test, siov_pasid_lookup(&space, p1), (void *)&a);
	KUNIT_EXPECT_PTR_EQ(test, siov_pasid_lookup(&space, p2), (void *)&b);
	KUNIT_EXPECT_NULL(test, siov_pasid_lookup(&space, 0));
	KUNIT_EXPECT_NULL(test, siov_pasid_lookup(&space, 3));
	KUNIT_EXPECT_NULL(test, siov_pasid_lookup(&space, 1U << 20));
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, NULL, &p3), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, siov_pasid_free(&space, p1), (void *)&a);
	KUNIT_EXPECT_NULL(test, siov_pasid_free(&space, p1));
	KUNIT_EXPECT_NULL(test, siov_pasid_lookup(&space, p1));
	/* cyclic: the one just freed is not the next one handed out */
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &p3), 0);
	KUNIT_EXPECT_EQ(test, p3, 3U);
	KUNIT_EXPECT_EQ(test, siov_pasid_space_destroy(&space), 2U);
}

static void pasid_width(struct kunit *test)
{
	struct siov_pasid_space space;
	u32 pasid;
	int a;

	siov_pasid_space_init(&space, 24);	/* more than PCIe allows */
	KUNIT_EXPECT_EQ(test, space.max, (1U << 20) - 1);
	KUNIT_EXPECT_EQ(test, siov_pasid_space_destroy(&space), 0U);

	siov_pasid_space_init(&space, 0);	/* no PASID capability */
	KUNIT_EXPECT_EQ(test, space.max, 0U);
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &pasid), -ENOSPC);
	KUNIT_EXPECT_EQ(test, siov_pasid_space_destroy(&space), 0U);
}

static void pasid_exhaustion(struct kunit *test)
{
	struct siov_pasid_space space;
	u32 pasid, i;
	int a;

	siov_pasid_space_init(&space, 2);	/* PASIDs 1, 2, 3 */
	for (i = 1; i <= 3; i++) {
		KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &pasid), 0);
		KUNIT_EXPECT_EQ(test, pasid, i);
	}
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &pasid), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, siov_pasid_free(&space, 2));
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &pasid), 0);
	KUNIT_EXPECT_EQ(test, pasid, 2U);
	KUNIT_EXPECT_EQ(test, siov_pasid_alloc(&space, &a, &pasid), -ENOSPC);
	KUNIT_EXPECT_EQ(test, siov_pasid_space_destroy(&space), 3U);
}

/* A PASID per (domain, endpoint), counted, freed with the last detach. */
static void pasid_aux_attach(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-ep1", 1);	/* one PASID */
	struct siov_ep *ep2 = t_ep(test, "test-ep2", 20);
	struct iommu_domain *a = t_domain(test), *b = t_domain(test);
	u32 pa;

	pa = t_attach(test, ep, a);
	KUNIT_EXPECT_EQ(test, pa, 1U);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_attach(ep, b), -ENOSPC);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_get_pasid(ep, b), -EINVAL);
	/* the same pair again: same PASID, one more user */
	KUNIT_EXPECT_EQ(test, t_attach(test, ep, a), pa);
	t_detach(test, 1);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_get_pasid(ep, a), (int)pa);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_attach(ep, b), -ENOSPC);
	t_detach(test, 0);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_get_pasid(ep, a), -EINVAL);
	/* freed: b can have it now */
	KUNIT_EXPECT_EQ(test, t_attach(test, ep, b), 1U);
	/* one domain on two endpoints: a PASID on each */
	KUNIT_EXPECT_GT(test, t_attach(test, ep2, b), 0U);
	KUNIT_EXPECT_GT(test, t_attach(test, ep2, a), 0U);
	KUNIT_EXPECT_NE(test, siov_ep_aux_get_pasid(ep2, a),
			siov_ep_aux_get_pasid(ep2, b));
}

static void pasid_aux_refused(struct kunit *test)
{
	struct siov_ep *none = t_ep(test, "test-nopasid", 0);
	struct iommu_domain *a = t_domain(test);

	/* no PASID capability: no aux */
	KUNIT_EXPECT_EQ(test, siov_ep_aux_attach(none, a), -ENODEV);
	KUNIT_EXPECT_EQ(test, siov_ep_aux_get_pasid(none, a), -EINVAL);
}

static struct kunit_case siov_pasid_cases[] = {
	KUNIT_CASE(pasid_alloc_free),
	KUNIT_CASE(pasid_width),
	KUNIT_CASE(pasid_exhaustion),
	KUNIT_CASE(pasid_aux_attach),
	KUNIT_CASE(pasid_aux_refused),
	{}
};

static struct kunit_suite siov_pasid_suite = {
	.name = "siov_iommu_pasid",
	.init = t_init,
	.exit = t_exit,
	.test_cases = siov_pasid_cases,
};

/* ---- the DMA interface ---- */

#define T_IOVA	0x7f0000000000ULL	/* high, to cross into fresh tables */

/* Three scattered pages at T_IOVA.. under one PASID; pages to @pg. */
static u32 t_three_pages(struct kunit *test, struct siov_ep *ep,
			 struct iommu_domain *dom, struct page **pg, int prot)
{
	int i;

	for (i = 0; i < 3; i++) {
		pg[i] = t_page(test);
		KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA + i * SZ_4K, pg[i],
					    SZ_4K, prot), 0);
	}
	return t_attach(test, ep, dom);
}

static void dma_cross_pages(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-dma", 20);
	struct iommu_domain *dom = t_domain(test);
	const size_t len = 2 * SZ_4K + 200, off = 100;
	struct page *pg[3];
	u8 *buf, *back;
	u32 pasid;
	size_t i;

	pasid = t_three_pages(test, ep, dom, pg, IOMMU_READ | IOMMU_WRITE);
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	back = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, back);
	for (i = 0; i < len; i++)
		buf[i] = i * 7 + 1;

	KUNIT_ASSERT_EQ(test, siov_ep_dma_write(ep, pasid, T_IOVA + off, buf,
						len), 0);
	/* landed in the three pages, where the page table says */
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg[0]))[off - 1], 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg[0]) + off, buf,
				     SZ_4K - off), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg[1]), buf + SZ_4K - off,
				     SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg[2]),
				     buf + 2 * SZ_4K - off, off + 200), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg[2]))[off + 200], 0);

	KUNIT_ASSERT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA + off, back,
					       len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, buf, len), 0);

	/* memory to memory, both sides unaligned and crossing pages */
	KUNIT_ASSERT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA + 5,
					       T_IOVA + off + 1000, 5000, NULL), 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA + 5, back,
					       5000), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, buf + 1000, 5000), 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA, back, 0), 0);
}

static void t_expect_fault(struct kunit *test, unsigned long before,
			   const char *ep, u32 pasid, u64 iova, bool write,
			   int error)
{
	struct siov_fault f;

	KUNIT_EXPECT_EQ(test, siov_fault_count(), before + 1);
	KUNIT_ASSERT_TRUE(test, siov_fault_last(&f));
	KUNIT_EXPECT_STREQ(test, f.endpoint, ep);
	KUNIT_EXPECT_EQ(test, f.pasid, pasid);
	KUNIT_EXPECT_EQ(test, f.iova, iova);
	KUNIT_EXPECT_EQ(test, f.write, write);
	KUNIT_EXPECT_EQ(test, f.error, error);
	KUNIT_EXPECT_EQ(test, f.seq, before + 1);
}

static void dma_fault_unmapped(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-fault", 20);
	struct iommu_domain *dom = t_domain(test);
	u8 buf[64], data[64];
	unsigned long before;
	struct page *pg[3];
	u32 pasid;

	pasid = t_three_pages(test, ep, dom, pg, IOMMU_READ | IOMMU_WRITE);
	memset(page_address(pg[2]), 0x5a, SZ_4K);
	memset(buf, 0xee, sizeof(buf));
	memset(data, 0x11, sizeof(data));

	/* a read of a page never mapped */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA + 3 * SZ_4K + 8,
					       buf, sizeof(buf)), -EFAULT);
	t_expect_fault(test, before, "test-fault", pasid, T_IOVA + 3 * SZ_4K + 8,
		       false, -EFAULT);
	KUNIT_EXPECT_EQ(test, buf[0], 0xee);	/* the buffer is untouched */

	/* a write that starts mapped and runs into the hole: nothing moves */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid,
						T_IOVA + 3 * SZ_4K - 32,
						data, sizeof(data)), -EFAULT);
	t_expect_fault(test, before, "test-fault", pasid, T_IOVA + 3 * SZ_4K,
		       true, -EFAULT);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg[2]))[SZ_4K - 32], 0x5a);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg[2]))[SZ_4K - 1], 0x5a);

	/* a copy whose destination is not mapped: the source is not read */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA - SZ_4K,
					       T_IOVA, 16, NULL), -EFAULT);
	t_expect_fault(test, before, "test-fault", pasid, T_IOVA - SZ_4K,
		       true, -EFAULT);

	/* beyond the 48-bit space */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA_TOP, buf, 1),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, siov_fault_count(), before + 1);
}

/*
 * A DMA handle does what the PASID does, and follows it: through the domain
 * attached under it, faulting like the plain calls when none is.
 */
static void dma_handle(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-handle", 20);
	struct iommu_domain *dom = t_domain(test), *dom2 = t_domain(test);
	struct siov_dma_handle *h, *none, *rid;
	u8 buf[64], back[64];
	unsigned long before;
	struct page *pg[3];
	u32 pasid, pasid2;
	int i;

	pasid = t_three_pages(test, ep, dom, pg, IOMMU_READ | IOMMU_WRITE);
	h = siov_ep_dma_handle_get(ep, pasid);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	none = siov_ep_dma_handle_get(ep, pasid + 1);
	rid = siov_ep_dma_handle_get(ep, SIOV_DMA_NO_PASID);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, none);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, rid);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 3 + 1;

	/* write, copy across a page boundary, read: where the PASID maps */
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(h, T_IOVA + SZ_4K - 32, buf,
						    sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg[0]) + SZ_4K - 32, buf, 32),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg[1]), buf + 32, 32), 0);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_copy(h, T_IOVA + 2 * SZ_4K + 8,
						   T_IOVA + SZ_4K - 32,
						   sizeof(buf), NULL), 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA + 2 * SZ_4K + 8,
					       back, sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, buf, sizeof(buf)), 0);
	memset(back, 0, sizeof(back));
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(h, T_IOVA + SZ_4K - 32, back,
						   sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, buf, sizeof(buf)), 0);

	/* a fault: nothing moves, recorded under the handle's PASID */
	before = siov_fault_count();
	memset(back, 0xee, sizeof(back));
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(h, T_IOVA + 3 * SZ_4K - 8,
						   back, 16), -EFAULT);
	t_expect_fault(test, before, "test-handle", pasid, T_IOVA + 3 * SZ_4K,
		       false, -EFAULT);
	KUNIT_EXPECT_EQ(test, back[0], 0xee);

	/* nothing attached under the PASID, or for requests without one */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(none, T_IOVA, back, 1),
			-EFAULT);
	t_expect_fault(test, before, "test-handle", pasid + 1, T_IOVA, false,
		       -EFAULT);
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(rid, T_IOVA, buf, 1),
			-EFAULT);
	t_expect_fault(test, before, "test-handle", SIOV_DMA_NO_PASID, T_IOVA,
		       true, -EFAULT);

	/* detached: the handle reaches nothing */
	t_detach(test, 0);
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(h, T_IOVA, back, 1),
			-EFAULT);
	t_expect_fault(test, before, "test-handle", pasid, T_IOVA, false,
		       -EFAULT);

	/* another domain attached: a new PASID, and the old handle stays dead */
	KUNIT_EXPECT_EQ(test, t_map(dom2, T_IOVA, t_page(test), SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	pasid2 = t_attach(test, ep, dom2);
	KUNIT_EXPECT_NE(test, pasid2, pasid);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(h, T_IOVA, buf, 8),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg[0]))[0], 0);

	siov_dma_handle_put(rid);
	siov_dma_handle_put(none);
	siov_dma_handle_put(h);
}

static void dma_fault_permission(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-perm", 20);
	struct iommu_domain *ro = t_domain(test), *wo = t_domain(test);
	struct page *rpg[3], *wpg[3];
	u8 buf[16] = { 1, 2, 3 };
	unsigned long before;
	u32 rp, wp;

	rp = t_three_pages(test, ep, ro, rpg, IOMMU_READ);
	wp = t_three_pages(test, ep, wo, wpg, IOMMU_WRITE);

	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, rp, T_IOVA + 8, buf,
						sizeof(buf)), -EPERM);
	t_expect_fault(test, before, "test-perm", rp, T_IOVA + 8, true, -EPERM);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(rpg[0]))[8], 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, rp, T_IOVA + 8, buf,
					       sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0);

	buf[0] = 9;
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, wp, T_IOVA + SZ_4K, buf,
					       sizeof(buf)), -EPERM);
	t_expect_fault(test, before, "test-perm", wp, T_IOVA + SZ_4K, false,
		       -EPERM);
	KUNIT_EXPECT_EQ(test, buf[0], 9);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, wp, T_IOVA + SZ_4K, buf,
						sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(wpg[1]))[0], 9);
	/* a copy within the write-only domain cannot read its source */
	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, wp, T_IOVA, T_IOVA + SZ_4K,
					       4, NULL), -EPERM);
}

/*
 * A handle is bound to its attachment: when the PASID number comes back
 * for another domain (one PASID only here), the old handle still reaches
 * nothing, and a new handle reaches the new domain.
 */
static void dma_handle_bound_to_attachment(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-bound", 1);
	struct iommu_domain *dom = t_domain(test), *dom2 = t_domain(test);
	struct page *pg = t_page(test), *pg2 = t_page(test);
	struct siov_dma_handle *h, *h2;
	u8 buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	u32 pasid, pasid2;

	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, pg, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_ASSERT_EQ(test, t_map(dom2, T_IOVA, pg2, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	pasid = t_attach(test, ep, dom);
	h = siov_ep_dma_handle_get(ep, pasid);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(h, T_IOVA, buf, 1), 0);
	t_detach(test, 0);
	pasid2 = t_attach(test, ep, dom2);
	KUNIT_EXPECT_EQ(test, pasid2, pasid);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(h, T_IOVA, buf, 8),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pg2))[0], 0);
	h2 = siov_ep_dma_handle_get(ep, pasid2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h2);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write(h2, T_IOVA, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pg2), buf, 8), 0);
	siov_dma_handle_put(h2);
	siov_dma_handle_put(h);
}

/* A handle still held when its endpoint goes reaches nothing, safely. */
static void dma_handle_outlives_endpoint(struct kunit *test)
{
	struct siov_ep *ep = siov_ep_create("test-gone", 20);
	struct siov_dma_handle *h, *rid;
	unsigned long before;
	u8 buf[4];

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ep);
	h = siov_ep_dma_handle_get(ep, 1);
	rid = siov_ep_dma_handle_get(ep, SIOV_DMA_NO_PASID);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rid);
	siov_ep_destroy(ep);	/* with handles left: the caller's bug */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(h, T_IOVA, buf, 4), -ENODEV);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read(rid, T_IOVA, buf, 4),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, siov_fault_count(), before);
	siov_dma_handle_put(rid);
	siov_dma_handle_put(h);
}

/* A failed copy says which side faulted, and where. */
static void dma_copy_fault_side(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-side", 20);
	struct iommu_domain *dom = t_domain(test);
	struct siov_dma_fault f = { };
	struct page *pg[3];
	u32 pasid;

	/* T_IOVA: write-only; +4K: read-write; +8K: read-only */
	pg[0] = t_page(test);
	pg[1] = t_page(test);
	pg[2] = t_page(test);
	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, pg[0], SZ_4K, IOMMU_WRITE), 0);
	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA + SZ_4K, pg[1], SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA + 2 * SZ_4K, pg[2], SZ_4K,
				    IOMMU_READ), 0);
	pasid = t_attach(test, ep, dom);

	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA + SZ_4K,
					       T_IOVA + 16, 8, &f), -EPERM);
	KUNIT_EXPECT_FALSE(test, f.write);
	KUNIT_EXPECT_EQ(test, f.iova, T_IOVA + 16);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA + 2 * SZ_4K + 8,
					       T_IOVA + SZ_4K, 8, &f), -EPERM);
	KUNIT_EXPECT_TRUE(test, f.write);
	KUNIT_EXPECT_EQ(test, f.iova, T_IOVA + 2 * SZ_4K + 8);
	/* running off the mapped pages: the destination, at the first hole */
	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA + 2 * SZ_4K - 8,
					       T_IOVA + SZ_4K, 64, &f), -EPERM);
	KUNIT_EXPECT_TRUE(test, f.write);
	KUNIT_EXPECT_EQ(test, f.iova, T_IOVA + 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_copy(ep, pasid, T_IOVA + SZ_4K,
					       T_IOVA + 3 * SZ_4K, 8, &f),
			-EFAULT);
	KUNIT_EXPECT_FALSE(test, f.write);
	KUNIT_EXPECT_EQ(test, f.iova, T_IOVA + 3 * SZ_4K);
}

/* The 16- and 32-bit accessors: values, alignment, faults, permissions. */
static void dma_word_access(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-word", 20);
	struct iommu_domain *dom = t_domain(test);
	struct siov_dma_handle *h;
	struct page *pg = t_page(test);
	__le16 v16;
	__le32 v32;
	u8 *p;

	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, pg, SZ_4K, IOMMU_READ), 0);
	h = siov_ep_dma_handle_get(ep, t_attach(test, ep, dom));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	p = page_address(pg);
	put_unaligned_le32(0x12345678, p + 8);
	put_unaligned_le16(0xabcd, p + 14);

	KUNIT_EXPECT_EQ(test, siov_dma_handle_read32(h, T_IOVA + 8, &v32), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(v32), 0x12345678U);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read16(h, T_IOVA + 14, &v16), 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(v16), 0xabcd);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read32(h, T_IOVA + 10, &v32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read16(h, T_IOVA + 1, &v16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_read32(h, T_IOVA + SZ_4K, &v32),
			-EFAULT);
	/* read-only mapping: the writes fault and change nothing */
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write32(h, T_IOVA + 8,
						      cpu_to_le32(1)), -EPERM);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write16(h, T_IOVA + 14,
						      cpu_to_le16(1)), -EPERM);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 8), 0x12345678U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(p + 14), 0xabcd);
	siov_dma_handle_put(h);

	KUNIT_ASSERT_EQ(test, iommu_unmap(dom, T_IOVA, SZ_4K), SZ_4K);
	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, pg, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	h = siov_ep_dma_handle_get(ep, siov_ep_aux_get_pasid(ep, dom));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write32(h, T_IOVA + 8,
						      cpu_to_le32(0xcafef00d)), 0);
	KUNIT_EXPECT_EQ(test, siov_dma_handle_write16(h, T_IOVA + 14,
						      cpu_to_le16(0x4242)), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 8), 0xcafef00dU);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(p + 14), 0x4242);
	siov_dma_handle_put(h);
}

/*
 * A page that pfn_valid() accepts but that is not plain RAM in the direct
 * map (PageReserved, as firmware holes inside a memory section are) is
 * never reached: mapped, it faults instead of being copied through
 * phys_to_virt().
 */
static void dma_reserved_page(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-reserved", 20);
	struct iommu_domain *dom = t_domain(test);
	struct page *pg = t_page(test);
	u8 buf[8] = { 0 };
	u32 pasid;

	SetPageReserved(pg);
	KUNIT_EXPECT_EQ(test, t_map(dom, T_IOVA, pg, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	pasid = t_attach(test, ep, dom);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid, T_IOVA, buf, 8),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid, T_IOVA, buf, 8),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, T_IOVA, SZ_4K), SZ_4K);
	ClearPageReserved(pg);
}

static void dma_isolation(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-iso", 20);
	struct iommu_domain *a = t_domain(test), *b = t_domain(test);
	struct iommu_domain *empty = t_domain(test);
	struct page *pa = t_page(test), *pb = t_page(test);
	unsigned long before;
	u32 pasid_a, pasid_b, pasid_e;
	u8 buf[8];

	KUNIT_ASSERT_EQ(test, t_map(a, T_IOVA, pa, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_ASSERT_EQ(test, t_map(b, T_IOVA, pb, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	pasid_a = t_attach(test, ep, a);
	pasid_b = t_attach(test, ep, b);
	pasid_e = t_attach(test, ep, empty);
	KUNIT_EXPECT_NE(test, pasid_a, pasid_b);

	/* the same IOVA under two PASIDs reaches two different pages */
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid_a, T_IOVA, "AAAA", 4),
			0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid_b, T_IOVA, "BBBB", 4),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pa), "AAAA", 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pb), "BBBB", 4), 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid_a, T_IOVA, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "AAAA", 4), 0);

	/* a PASID whose domain maps nothing reaches nothing */
	before = siov_fault_count();
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid_e, T_IOVA, "EEEE", 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, pasid_e, T_IOVA, buf, 4),
			-EFAULT);
	/* nor does a PASID never allocated, or no PASID with no domain */
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, 77, T_IOVA, buf, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_read(ep, SIOV_DMA_NO_PASID, T_IOVA,
					       buf, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, siov_fault_count(), before + 4);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pa), "AAAA", 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pb), "BBBB", 4), 0);

	/* after detach, the old PASID reaches nothing */
	t_detach(test, 0);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid_a, T_IOVA, "XXXX", 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pa), "AAAA", 4), 0);
	/* after unmap, the IOVA reaches nothing */
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, T_IOVA, SZ_4K), (size_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, pasid_b, T_IOVA, "XXXX", 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(pb), "BBBB", 4), 0);
}

struct t_writer {
	struct siov_ep *ep;
	u32 pasid;
	unsigned long writes;
	int error;
	struct completion started;
};

static int t_writer_fn(void *data)
{
	struct t_writer *w = data;
	static const u8 ones[256] = { [0 ... 255] = 0xff };

	complete(&w->started);
	while (!kthread_should_stop()) {
		if (!w->error) {
			w->error = siov_ep_dma_write(w->ep, w->pasid, T_IOVA,
						     ones, sizeof(ones));
			if (!w->error)
				w->writes++;
		}
		cond_resched();
	}
	return 0;
}

/* Wait until the writer got through at least once (so the race is real). */
static void t_writer_busy(struct kunit *test, struct t_writer *w)
{
	unsigned long end = jiffies + 5 * HZ;

	while (!READ_ONCE(w->writes) && !READ_ONCE(w->error) &&
	       time_before(jiffies, end))
		usleep_range(50, 100);
	KUNIT_EXPECT_GT(test, READ_ONCE(w->writes), 0UL);
}

/*
 * Translation does not outlive an unmap: a device model keeps writing to a
 * page while the page is unmapped; once iommu_unmap() has returned, the page
 * is cleared (as if reused) and must stay clear.
 */
static void dma_unmap_waits(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-race", 20);
	struct iommu_domain *dom = t_domain(test);
	struct page *page = t_page(test);
	struct task_struct *task;
	struct t_writer w = { .ep = ep };
	int round;

	w.pasid = t_attach(test, ep, dom);
	for (round = 0; round < 20; round++) {
		KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, page, SZ_4K,
					    IOMMU_WRITE), 0);
		w.error = 0;
		w.writes = 0;
		init_completion(&w.started);
		task = kthread_run(t_writer_fn, &w, "siov-kunit-writer");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
		wait_for_completion(&w.started);
		t_writer_busy(test, &w);
		usleep_range(200 + round * 50, 300 + round * 50);
		KUNIT_EXPECT_EQ(test, iommu_unmap(dom, T_IOVA, SZ_4K),
				(size_t)SZ_4K);
		memset(page_address(page), 0, 256);
		usleep_range(500, 600);
		kthread_stop(task);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(page_address(page), 0, 256),
				    NULL);
		KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, w.pasid, T_IOVA,
							"late", 4), -EFAULT);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(page_address(page), 0, 256),
				    NULL);
	}
}

/* The same for aux detach: once it returns, nothing reaches the domain. */
static void dma_detach_waits(struct kunit *test)
{
	struct siov_ep *ep = t_ep(test, "test-race2", 20);
	struct iommu_domain *dom = t_domain(test);
	struct page *page = t_page(test);
	struct t_writer w = { .ep = ep };
	struct task_struct *task;
	int round;

	KUNIT_ASSERT_EQ(test, t_map(dom, T_IOVA, page, SZ_4K, IOMMU_WRITE), 0);
	for (round = 0; round < 10; round++) {
		w.pasid = t_attach(test, ep, dom);
		w.error = 0;
		w.writes = 0;
		init_completion(&w.started);
		task = kthread_run(t_writer_fn, &w, "siov-kunit-writer");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
		wait_for_completion(&w.started);
		t_writer_busy(test, &w);
		usleep_range(200 + round * 50, 300 + round * 50);
		t_detach(test, round);
		memset(page_address(page), 0, 256);
		usleep_range(500, 600);
		kthread_stop(task);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(page_address(page), 0, 256),
				    NULL);
		KUNIT_EXPECT_EQ(test, siov_ep_dma_write(ep, w.pasid, T_IOVA,
							"late", 4), -EFAULT);
	}
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, T_IOVA, SZ_4K), (size_t)SZ_4K);
}

static struct kunit_case siov_dma_cases[] = {
	KUNIT_CASE(dma_handle),
	KUNIT_CASE(dma_handle_bound_to_attachment),
	KUNIT_CASE(dma_handle_outlives_endpoint),
	KUNIT_CASE(dma_copy_fault_side),
	KUNIT_CASE(dma_word_access),
	KUNIT_CASE(dma_reserved_page),
	KUNIT_CASE(dma_cross_pages),
	KUNIT_CASE(dma_fault_unmapped),
	KUNIT_CASE(dma_fault_permission),
	KUNIT_CASE(dma_isolation),
	KUNIT_CASE(dma_unmap_waits),
	KUNIT_CASE(dma_detach_waits),
	{}
};

static struct kunit_suite siov_dma_suite = {
	.name = "siov_iommu_dma",
	.init = t_init,
	.exit = t_exit,
	.test_cases = siov_dma_cases,
};

/* ---- real endpoints of drivers/siov-pci, when present ---- */

static struct pci_dev *t_find_pci(bool ours)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		bool siov = pdev->vendor == SIOV_PCI_VENDOR_ID;

		if (siov == ours &&
		    (!ours || pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_PASID)))
			return pdev;	/* with a reference */
	}
	return NULL;
}

/*
 * Enable AUX on an endpoint for a test, returning whether it already was on
 * (the lab's samples may have enabled it); t_aux_restore() puts it back.
 */
static bool t_aux_enable(struct kunit *test, struct pci_dev *pdev)
{
	bool was_enabled = iommu_dev_feature_enabled(&pdev->dev, IOMMU_DEV_FEAT_AUX);

	KUNIT_ASSERT_EQ(test, iommu_dev_enable_feature(&pdev->dev,
						       IOMMU_DEV_FEAT_AUX), 0);
	return was_enabled;
}

static void t_aux_restore(struct kunit *test, struct pci_dev *pdev, bool was_enabled)
{
	if (!was_enabled)
		KUNIT_EXPECT_EQ(test, iommu_dev_disable_feature(&pdev->dev,
								IOMMU_DEV_FEAT_AUX),
				0);
}

static void ep_aux_through_core(struct kunit *test)
{
	struct pci_dev *pdev = t_find_pci(true);
	struct iommu_domain *dom;
	struct page *page;
	bool was_enabled;
	int pasid;

	if (!pdev)
		kunit_skip(test, "no drivers/siov-pci endpoint with PASID");
	dom = t_domain(test);
	page = t_page(test);
	KUNIT_EXPECT_NOT_NULL(test, pdev->dev.iommu_group);
	was_enabled = t_aux_enable(test, pdev);
	KUNIT_ASSERT_EQ(test, iommu_aux_attach_device(dom, &pdev->dev), 0);
	pasid = iommu_aux_get_pasid(dom, &pdev->dev);
	KUNIT_EXPECT_GT(test, pasid, 0);
	KUNIT_EXPECT_EQ(test, t_map(dom, T_IOVA, page, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, siov_dma_write(pdev, pasid, T_IOVA + 16, "siov", 4),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(page) + 16, "siov", 4), 0);
	/* the whole function cannot be attached elsewhere meanwhile */
	KUNIT_EXPECT_NE(test, iommu_attach_device(dom, &pdev->dev), 0);
	iommu_aux_detach_device(dom, &pdev->dev);
	KUNIT_EXPECT_EQ(test, siov_dma_write(pdev, pasid, T_IOVA + 16, "XXXX", 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, memcmp(page_address(page) + 16, "siov", 4), 0);
	t_aux_restore(test, pdev, was_enabled);
	pci_dev_put(pdev);
}

/*
 * The PASID space of a real endpoint is as wide as its PASID capability says,
 * and aux attaches through the core run out with -ENOSPC.  20 bits are too
 * many to use up, so the test lowers the endpoint's limit to 7 PASIDs (the
 * exit hook puts it back).
 */
static void ep_pasid_exhaustion(struct kunit *test)
{
	struct t_ctx *ctx = test->priv;
	struct iommu_domain *dom[8] = {};
	struct pci_dev *pdev = t_find_pci(true);
	unsigned int width, max, n = 0, i;
	bool was_enabled;
	int pos, ret = 0;
	u32 seen = 0, unused;
	u16 cap;

	if (!pdev)
		kunit_skip(test, "no drivers/siov-pci endpoint with PASID");
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_PASID);
	KUNIT_ASSERT_EQ(test, pci_read_config_word(pdev, pos + PCI_PASID_CAP,
						   &cap), 0);
	width = min((cap >> 8) & 0x1f, SIOV_PASID_BITS);
	KUNIT_ASSERT_GT(test, width, 0U);
	max = min((1U << width) - 1, 7U);
	/* Nothing to put back when the limit cannot be set. */
	KUNIT_ASSERT_EQ(test, siov_dev_limit_pasids(&pdev->dev, max,
						    &ctx->limit_was), 0);
	ctx->limited = get_device(&pdev->dev);
	/* The limit it had came from the capability. */
	KUNIT_EXPECT_EQ(test, ctx->limit_was, (1U << width) - 1);
	/* A limit is never above the capability, and never 0. */
	KUNIT_EXPECT_EQ(test, siov_dev_limit_pasids(&pdev->dev, 1U << width,
						    &unused), -EINVAL);
	KUNIT_EXPECT_EQ(test, siov_dev_limit_pasids(&pdev->dev, 0, &unused),
			-EINVAL);

	was_enabled = t_aux_enable(test, pdev);
	/* Others may hold PASIDs of this endpoint: attach until it runs out. */
	for (i = 0; i <= max && !ret; i++) {
		dom[i] = iommu_domain_alloc(&pci_bus_type);
		if (!dom[i])
			break;
		ret = iommu_aux_attach_device(dom[i], &pdev->dev);
		if (!ret) {
			int pasid = iommu_aux_get_pasid(dom[i], &pdev->dev);

			KUNIT_EXPECT_GE(test, pasid, 1);
			KUNIT_EXPECT_LE(test, pasid, (int)max);
			KUNIT_EXPECT_FALSE(test, seen & BIT(pasid & 7));
			seen |= BIT(pasid & 7);
			n++;
		}
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_LE(test, n, max);
	KUNIT_EXPECT_GT(test, n, 0U);
	/* All of 1..max are in use now: the limit cannot drop below them. */
	if (max > 1)
		KUNIT_EXPECT_EQ(test, siov_dev_limit_pasids(&pdev->dev, 1,
							    &unused),
				-EBUSY);
	/* one PASID back, and the refused domain gets it */
	if (n) {
		iommu_aux_detach_device(dom[0], &pdev->dev);
		KUNIT_EXPECT_EQ(test, iommu_aux_attach_device(dom[n], &pdev->dev),
				0);
		iommu_aux_detach_device(dom[n], &pdev->dev);
	}
	for (i = 1; i < n; i++)
		iommu_aux_detach_device(dom[i], &pdev->dev);
	for (i = 0; i < ARRAY_SIZE(dom); i++)
		if (dom[i])
			iommu_domain_free(dom[i]);
	t_aux_restore(test, pdev, was_enabled);
	pci_dev_put(pdev);
}

static void ep_foreign_declined(struct kunit *test)
{
	struct pci_dev *pdev = t_find_pci(false);
	u8 byte;

	if (!pdev)
		kunit_skip(test, "no PCI device other than ours");
	/* not probed by the software IOMMU: direct DMA, no AUX, no DMA interface */
	KUNIT_EXPECT_NE(test, iommu_dev_enable_feature(&pdev->dev,
						       IOMMU_DEV_FEAT_AUX), 0);
	KUNIT_EXPECT_EQ(test, siov_dma_read(pdev, 1, 0, &byte, 1), -ENODEV);
	pci_dev_put(pdev);
}

static struct kunit_case siov_ep_cases[] = {
	KUNIT_CASE(ep_aux_through_core),
	KUNIT_CASE(ep_pasid_exhaustion),
	KUNIT_CASE(ep_foreign_declined),
	{}
};

static struct kunit_suite siov_ep_suite = {
	.name = "siov_iommu_endpoint",
	.init = t_init,
	.exit = t_exit,
	.test_cases = siov_ep_cases,
};

kunit_test_suites(&siov_pt_suite, &siov_pasid_suite, &siov_dma_suite,
		  &siov_ep_suite);

MODULE_DESCRIPTION("KUnit tests of the software IOMMU of the simulated SIOV platform");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SIOV_IOMMU);
