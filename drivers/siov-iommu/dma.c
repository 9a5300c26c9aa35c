// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA interface (include/siov/dma.h): how the device models of the
 * simulated endpoints reach memory, through the software IOMMU.
 *
 * One access is one read section: rcu_read_lock() for the PASID -> domain
 * lookup (RCU: detach and domain changes wait for a grace period before the
 * attachment or domain goes) and for the page-table pages (freed after a
 * grace period), and siov_pt_read_begin()/_end() on the domain's page table,
 * which unmap waits for (pgtable.c).  So once an unmap has returned, no
 * access that could have read the old entry is still moving data, and none
 * that starts later finds it.  No lock is taken; a walk is a handful of
 * loads, and consecutive pages of one 2 MiB span share the walk to their leaf
 * table.
 *
 * Inside the section an access runs in two passes.  The first translates
 * every page of the range and accesses nothing, so that a fault anywhere
 * leaves memory and the buffer untouched; the second translates again and
 * moves the data chunk by chunk (a chunk ends at a page boundary of either
 * side), with one memcpy() for a run of chunks that is physically
 * contiguous on both sides.  The second pass can only fail if an unmap of
 * the same range runs concurrently; the bytes before the unmapped page have
 * then moved.
 *
 * A DMA handle (siov_dma_handle_get()) caches the domain of one
 * attachment (endpoint, PASID): siov_dma_handles_detach() clears it under
 * siov_aux_lock where the attachment ends, for good, and every path that
 * removes a domain waits for a grace period before the domain or its
 * attachment can go.  An access through a handle reads the cached pointer with preemption
 * off instead of taking rcu_read_lock() and looking the PASID up (since the
 * RCU flavours were merged, synchronize_rcu() and call_rcu() wait for
 * preemption-off regions too, so that grace period and the one before a
 * page-table page is freed cover it): the same domain, the same guarantees,
 * and on a lockdep kernel a few microseconds less per access.
 *
 * Preemption is off during an access (the per-CPU count), so device models
 * should keep single accesses to a few MiB, as hardware would split them
 * into bus transactions anyway.
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <siov/dma.h>

#include "siov_iommu.h"

/**
 * siov_ep_domain() - the domain a request of @ep under @pasid goes through
 * @ep: the endpoint
 * @pasid: the PASID, SIOV_DMA_NO_PASID for a request without PASID
 *
 * Call under rcu_read_lock(); the domain stays until the read section ends.
 *
 * Return: the domain, NULL if nothing is attached there.
 */
struct siov_domain *siov_ep_domain(struct siov_ep *ep, u32 pasid)
{
	struct siov_aux *aux;

	if (pasid == SIOV_DMA_NO_PASID)
		return rcu_dereference(ep->rid_domain);
	aux = siov_pasid_lookup_rcu(&ep->pasids, pasid);
	return aux ? aux->domain : NULL;
}

static bool siov_dma_has_pt(struct siov_domain *dom)
{
	return dom->domain.type != IOMMU_DOMAIN_IDENTITY;
}

/* The leaf table last walked to, for the 2 MiB at @base. */
struct siov_dma_cursor {
	u64 base;
	u64 *leaf;
	bool valid;
};

/* Translate one address for an access of the given direction. */
static int siov_dma_translate(struct siov_domain *dom,
			      struct siov_dma_cursor *cur, u64 iova,
			      bool write, phys_addr_t *phys)
{
	u64 base = iova & ~(u64)(SIOV_PT_LEAF_SPAN - 1);
	u64 pte;

	if (!siov_dma_has_pt(dom)) {
		*phys = iova;
		/* Only RAM: there is no MMIO behind the DMA interface. */
		return siov_pfn_is_ram(PHYS_PFN(iova)) ? 0 : -EFAULT;
	}
	if (!cur->valid || cur->base != base) {
		cur->leaf = siov_pt_leaf(&dom->pt, iova);
		cur->base = base;
		cur->valid = true;
	}
	if (!cur->leaf)
		return -EFAULT;
	pte = READ_ONCE(cur->leaf[(iova >> PAGE_SHIFT) & (SIOV_PT_ENTRIES - 1)]);
	if (!(pte & SIOV_PTE_PRESENT))
		return -EFAULT;
	if (!(pte & (write ? SIOV_PTE_WRITE : SIOV_PTE_READ)))
		return -EPERM;
	/* A mapped MMIO page (a peer BAR) is not reachable here. */
	if (!(pte & SIOV_PTE_RAM))
		return -EFAULT;
	*phys = (pte & SIOV_PTE_ADDR) | offset_in_page(iova);
	return 0;
}

/*
 * One side of an access: an IOVA range the endpoint reads or writes, or the
 * caller's buffer.
 */
struct siov_dma_side {
	u64 iova;
	u8 *buf;	/* NULL: the side is @iova */
	bool write;	/* the endpoint writes memory on this side */
	unsigned int word;	/* 2 or 4: one single-copy-atomic access */
	struct siov_dma_cursor cur;
};

/* First pass: is every page of @side, @len bytes, reachable?  Nothing moves. */
static int siov_dma_check(struct siov_domain *dom, struct siov_dma_side *side,
			  size_t len, u64 *fault_iova)
{
	u64 iova = side->iova;
	phys_addr_t phys;
	int ret;

	if (side->buf)
		return 0;
	while (len) {
		size_t chunk = min_t(size_t, len,
				     PAGE_SIZE - offset_in_page(iova));

		ret = siov_dma_translate(dom, &side->cur, iova, side->write,
					 &phys);
		if (ret) {
			*fault_iova = iova;
			return ret;
		}
		iova += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Where the CPU reaches RAM directly (no highmem, no forced kmap_local
 * mappings), physically contiguous pages are contiguous in the direct map,
 * so the move pass copies a run of them with one memcpy().
 */
#define SIOV_DMA_DIRECT_MAP	(!IS_ENABLED(CONFIG_HIGHMEM) && \
				 !IS_ENABLED(CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP))

/* Bytes to move, contiguous on both sides. */
struct siov_dma_run {
	phys_addr_t sphys, dphys;	/* of an IOVA side */
	u8 *s, *d;			/* of a buffer side */
	size_t len;
};

static void *siov_dma_map_local(phys_addr_t phys)
{
	if (SIOV_DMA_DIRECT_MAP)
		return phys_to_virt(phys);
	return kmap_local_page(pfn_to_page(PHYS_PFN(phys))) +
	       offset_in_page(phys);
}

static void siov_dma_unmap_local(void *addr)
{
	if (!SIOV_DMA_DIRECT_MAP)
		kunmap_local(addr);
}

static void siov_dma_flush(struct siov_dma_side *dst,
			   struct siov_dma_side *src, struct siov_dma_run *run)
{
	void *s, *d;

	if (!run->len)
		return;
	s = src->buf ? run->s : siov_dma_map_local(run->sphys);
	d = dst->buf ? run->d : siov_dma_map_local(run->dphys);
	/* An aligned word moves with one load and one store. */
	if (dst->word == sizeof(u16))
		WRITE_ONCE(*(u16 *)d, READ_ONCE(*(u16 *)s));
	else if (dst->word == sizeof(u32))
		WRITE_ONCE(*(u32 *)d, READ_ONCE(*(u32 *)s));
	else
		memcpy(d, s, run->len);
	if (!dst->buf)
		siov_dma_unmap_local(d);
	if (!src->buf)
		siov_dma_unmap_local(s);
	run->len = 0;
}

/*
 * Second pass: move the data.  Chunks end at page boundaries of either side
 * and are translated one by one; consecutive chunks that continue the
 * current run on both sides join it (with the direct map only), and a run is
 * copied when the next chunk does not continue it or at the end.
 */
static int siov_dma_move(struct siov_domain *dom, struct siov_dma_side *dst,
			 struct siov_dma_side *src, size_t len,
			 struct siov_dma_side **fault)
{
	struct siov_dma_run run = { .len = 0 };

	while (len) {
		size_t chunk = len;
		phys_addr_t sphys = 0, dphys = 0;
		int ret;

		if (!src->buf) {
			chunk = min_t(size_t, chunk,
				      PAGE_SIZE - offset_in_page(src->iova));
			ret = siov_dma_translate(dom, &src->cur, src->iova,
						 false, &sphys);
			if (ret) {
				siov_dma_flush(dst, src, &run);
				*fault = src;
				return ret;
			}
		}
		if (!dst->buf) {
			chunk = min_t(size_t, chunk,
				      PAGE_SIZE - offset_in_page(dst->iova));
			ret = siov_dma_translate(dom, &dst->cur, dst->iova,
						 true, &dphys);
			if (ret) {
				siov_dma_flush(dst, src, &run);
				*fault = dst;
				return ret;
			}
		}
		if (!SIOV_DMA_DIRECT_MAP || !run.len ||
		    (!src->buf && sphys != run.sphys + run.len) ||
		    (!dst->buf && dphys != run.dphys + run.len)) {
			siov_dma_flush(dst, src, &run);
			run.sphys = sphys;
			run.dphys = dphys;
			run.s = src->buf;
			run.d = dst->buf;
		}
		run.len += chunk;
		len -= chunk;
		if (src->buf)
			src->buf += chunk;
		else
			src->iova += chunk;
		if (dst->buf)
			dst->buf += chunk;
		else
			dst->iova += chunk;
	}
	siov_dma_flush(dst, src, &run);
	return 0;
}

static struct siov_ep *siov_pdev_ep(struct pci_dev *pdev)
{
	return siov_dev_ep(&pdev->dev);
}

/*
 * The access itself, through @dom (NULL: nothing attached), in a read
 * section of RCU or with preemption off that keeps @dom alive.  On failure
 * *@fault is the side that faulted and *@fault_iova where.
 */
static int siov_dma_run(struct siov_domain *dom, struct siov_dma_side *dst,
			struct siov_dma_side *src, size_t len,
			struct siov_dma_side **fault, u64 *fault_iova)
{
	int ret;

	if (!dom)
		return -EFAULT;
	if (siov_dma_has_pt(dom))
		siov_pt_read_begin(&dom->pt);
	*fault = src;
	ret = siov_dma_check(dom, src, len, fault_iova);
	if (!ret) {
		*fault = dst;
		ret = siov_dma_check(dom, dst, len, fault_iova);
	}
	if (!ret) {
		ret = siov_dma_move(dom, dst, src, len, fault);
		if (ret)
			*fault_iova = (*fault)->iova;
	}
	if (siov_dma_has_pt(dom))
		siov_pt_read_end(&dom->pt);
	return ret;
}

static void siov_dma_fault_out(struct siov_dma_fault *out, u64 iova,
			       bool write)
{
	if (out) {
		out->iova = iova;
		out->write = write;
	}
}

static int siov_dma_access(struct siov_ep *ep, u32 pasid,
			   struct siov_dma_side *dst,
			   struct siov_dma_side *src, size_t len,
			   struct siov_dma_fault *out)
{
	struct siov_dma_side *fault = src->buf ? dst : src;
	u64 fault_iova = fault->iova;
	int ret;

	if (!len)
		return 0;
	rcu_read_lock();
	ret = siov_dma_run(siov_ep_domain(ep, pasid), dst, src, len, &fault,
			   &fault_iova);
	rcu_read_unlock();
	if (ret) {
		siov_fault_report(ep, pasid, fault_iova, fault->write, ret);
		siov_dma_fault_out(out, fault_iova, fault->write);
	}
	return ret;
}

/*
 * The same through a handle: its cached domain instead of the lookup, with
 * preemption off for the read section (siov_dma_handles_detach() waits for
 * a grace period, which covers it, before the domain can go).  A handle
 * whose endpoint went away (siov_ep_free() with handles left, a contract
 * violation) reaches nothing and reports nowhere.
 */
static int siov_dma_handle_access(struct siov_dma_handle *h,
				  struct siov_dma_side *dst,
				  struct siov_dma_side *src, size_t len,
				  struct siov_dma_fault *out)
{
	struct siov_dma_side *fault = src->buf ? dst : src;
	struct siov_ep *ep = READ_ONCE(h->ep);
	u64 fault_iova = fault->iova;
	int ret;

	if (!ep)
		return -ENODEV;
	if (h->pasid == SIOV_DMA_NO_PASID)
		return siov_dma_access(ep, h->pasid, dst, src, len, out);
	if (!len)
		return 0;
	preempt_disable();
	ret = siov_dma_run(rcu_dereference_sched(h->domain), dst, src, len,
			   &fault, &fault_iova);
	preempt_enable();
	if (ret) {
		siov_fault_report(ep, h->pasid, fault_iova, fault->write, ret);
		siov_dma_fault_out(out, fault_iova, fault->write);
	}
	return ret;
}

/**
 * siov_dma_handles_detach() - a PASID lost its domain
 * @ep: the endpoint
 * @pasid: the PASID (not SIOV_DMA_NO_PASID)
 *
 * The handles taken on that attachment go dead for good: they fault with
 * -EFAULT even if the PASID number is later given to another domain, so a
 * model that kept a handle past detach cannot reach the next tenant.  Call
 * under siov_aux_lock where the attachment ends, and wait for a grace
 * period before freeing the domain or the attachment.
 */
void siov_dma_handles_detach(struct siov_ep *ep, u32 pasid)
{
	struct siov_dma_handle *h;

	lockdep_assert_held(&siov_aux_lock);
	list_for_each_entry(h, &ep->handles, node)
		if (h->pasid == pasid)
			rcu_assign_pointer(h->domain, NULL);
}

/**
 * siov_ep_dma_handle_get() - a DMA handle for (endpoint, PASID)
 * @ep: the endpoint
 * @pasid: PASID of the requests, SIOV_DMA_NO_PASID for none
 *
 * See siov_dma_handle_get().
 *
 * Context: process; may sleep.
 *
 * Return: the handle, ERR_PTR(-ENOMEM).
 */
struct siov_dma_handle *siov_ep_dma_handle_get(struct siov_ep *ep, u32 pasid)
{
	struct siov_dma_handle *h = kzalloc(sizeof(*h), GFP_KERNEL);
	struct siov_aux *aux;

	if (!h)
		return ERR_PTR(-ENOMEM);
	h->ep = ep;
	h->pasid = pasid;
	mutex_lock(&siov_aux_lock);
	if (pasid != SIOV_DMA_NO_PASID) {
		aux = siov_pasid_lookup(&ep->pasids, pasid);
		RCU_INIT_POINTER(h->domain, aux ? aux->domain : NULL);
	}
	list_add(&h->node, &ep->handles);
	mutex_unlock(&siov_aux_lock);
	return h;
}
EXPORT_SYMBOL_NS_GPL(siov_ep_dma_handle_get, SIOV_IOMMU);

/**
 * siov_dma_handle_get() - a DMA handle: an endpoint's PASID, looked up ahead
 * @pdev: the endpoint (one of drivers/siov-pci), as for siov_dma_read()
 * @pasid: PASID of the requests, SIOV_DMA_NO_PASID for none
 *
 * siov_dma_handle_read(), siov_dma_handle_write() and siov_dma_handle_copy()
 * do what siov_dma_read(), siov_dma_write() and siov_dma_copy() do with
 * @pdev and @pasid, with the same guarantees, but without looking up the
 * domain behind @pasid on every access, and without taking the RCU read
 * lock.  Like a device's queue programmed with a PASID, the handle is
 * bound to the attachment it was taken on: once that domain is detached
 * from @pasid, every access faults with -EFAULT, even after the PASID
 * number is given to another domain (take a new handle then).  A handle
 * taken while nothing is attached under @pasid faults from the start.
 * Handles of SIOV_DMA_NO_PASID look the endpoint's domain up every time.
 *
 * Context: process; may sleep.
 *
 * Return: the handle; ERR_PTR(-ENODEV) if @pdev is not behind the software
 * IOMMU, ERR_PTR(-ENOMEM).
 */
struct siov_dma_handle *siov_dma_handle_get(struct pci_dev *pdev, u32 pasid)
{
	struct siov_ep *ep = siov_pdev_ep(pdev);

	return ep ? siov_ep_dma_handle_get(ep, pasid) : ERR_PTR(-ENODEV);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_get);

/**
 * siov_dma_handle_put() - free a DMA handle
 * @h: the handle, or NULL; no access through it may be in flight or start
 *
 * Put every handle of an endpoint before the endpoint goes away (its driver
 * unbinds).
 *
 * Context: process; may sleep.
 */
void siov_dma_handle_put(struct siov_dma_handle *h)
{
	if (!h)
		return;
	mutex_lock(&siov_aux_lock);
	list_del(&h->node);	/* self-linked if its endpoint went first */
	mutex_unlock(&siov_aux_lock);
	kfree(h);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_put);

/**
 * siov_dma_handle_read() - siov_dma_read() through a handle
 * @h: the handle (endpoint and PASID)
 * @iova: where, in the domain behind the handle's PASID
 * @buf: where the bytes go (kernel memory)
 * @len: how many
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT or -EPERM as for siov_dma_read().
 */
int siov_dma_handle_read(struct siov_dma_handle *h, u64 iova, void *buf,
			 size_t len)
{
	struct siov_dma_side src = { .iova = iova };
	struct siov_dma_side dst = { .buf = buf, .write = false };

	return siov_dma_handle_access(h, &dst, &src, len, NULL);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_read);

/**
 * siov_dma_handle_write() - siov_dma_write() through a handle
 * @h: the handle (endpoint and PASID)
 * @iova: where, in the domain behind the handle's PASID
 * @buf: the bytes (kernel memory)
 * @len: how many
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT or -EPERM as for siov_dma_write().
 */
int siov_dma_handle_write(struct siov_dma_handle *h, u64 iova,
			  const void *buf, size_t len)
{
	struct siov_dma_side src = { .buf = (u8 *)buf };
	struct siov_dma_side dst = { .iova = iova, .write = true };

	return siov_dma_handle_access(h, &dst, &src, len, NULL);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_write);

/**
 * siov_dma_handle_copy() - siov_dma_copy() through a handle
 * @h: the handle (endpoint and PASID)
 * @dst_iova: destination (must be writable)
 * @src_iova: source (must be readable); not overlapping
 * @len: how many bytes
 * @fault: where to say which side faulted, or NULL
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT or -EPERM as for siov_dma_copy().
 */
int siov_dma_handle_copy(struct siov_dma_handle *h, u64 dst_iova,
			 u64 src_iova, size_t len,
			 struct siov_dma_fault *fault)
{
	struct siov_dma_side src = { .iova = src_iova };
	struct siov_dma_side dst = { .iova = dst_iova, .write = true };

	return siov_dma_handle_access(h, &dst, &src, len, fault);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_copy);

static int siov_dma_handle_word(struct siov_dma_handle *h, u64 iova,
				void *val, unsigned int size, bool write)
{
	struct siov_dma_side mem = { .iova = iova, .write = write, .word = size };
	struct siov_dma_side buf = { .buf = val, .word = size };

	if (!IS_ALIGNED(iova, size))
		return -EINVAL;
	return write ? siov_dma_handle_access(h, &mem, &buf, size, NULL) :
		       siov_dma_handle_access(h, &buf, &mem, size, NULL);
}

/**
 * siov_dma_handle_read16() - read a 16-bit word, single-copy atomic
 * @h: the handle (endpoint and PASID)
 * @iova: where; 2-byte aligned
 * @val: the word, as stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EINVAL if @iova is not aligned; -EFAULT or -EPERM as for
 * siov_dma_read().
 */
int siov_dma_handle_read16(struct siov_dma_handle *h, u64 iova, __le16 *val)
{
	return siov_dma_handle_word(h, iova, val, sizeof(*val), false);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_read16);

/**
 * siov_dma_handle_read32() - read a 32-bit word, single-copy atomic
 * @h: the handle (endpoint and PASID)
 * @iova: where; 4-byte aligned
 * @val: the word, as stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: as for siov_dma_handle_read16().
 */
int siov_dma_handle_read32(struct siov_dma_handle *h, u64 iova, __le32 *val)
{
	return siov_dma_handle_word(h, iova, val, sizeof(*val), false);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_read32);

/**
 * siov_dma_handle_write16() - write a 16-bit word, single-copy atomic
 * @h: the handle (endpoint and PASID)
 * @iova: where; 2-byte aligned
 * @val: the word, as it is to be stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EINVAL if @iova is not aligned; -EFAULT or -EPERM as for
 * siov_dma_write().
 */
int siov_dma_handle_write16(struct siov_dma_handle *h, u64 iova, __le16 val)
{
	return siov_dma_handle_word(h, iova, &val, sizeof(val), true);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_write16);

/**
 * siov_dma_handle_write32() - write a 32-bit word, single-copy atomic
 * @h: the handle (endpoint and PASID)
 * @iova: where; 4-byte aligned
 * @val: the word, as it is to be stored in memory
 *
 * Context: any; does not sleep.
 *
 * Return: as for siov_dma_handle_write16().
 */
int siov_dma_handle_write32(struct siov_dma_handle *h, u64 iova, __le32 val)
{
	return siov_dma_handle_word(h, iova, &val, sizeof(val), true);
}
EXPORT_SYMBOL_GPL(siov_dma_handle_write32);

/**
 * siov_ep_dma_read() - the endpoint reads memory
 * @ep: the endpoint
 * @pasid: PASID of the request, SIOV_DMA_NO_PASID for none
 * @iova: where, in the domain behind @pasid
 * @buf: where the bytes go
 * @len: how many
 *
 * Return: 0; -EFAULT or -EPERM (see include/siov/dma.h).
 */
int siov_ep_dma_read(struct siov_ep *ep, u32 pasid, u64 iova, void *buf,
		     size_t len)
{
	struct siov_dma_side src = { .iova = iova };
	struct siov_dma_side dst = { .buf = buf, .write = false };

	return siov_dma_access(ep, pasid, &dst, &src, len, NULL);
}
EXPORT_SYMBOL_NS_GPL(siov_ep_dma_read, SIOV_IOMMU);

/**
 * siov_ep_dma_write() - the endpoint writes memory
 * @ep: the endpoint
 * @pasid: PASID of the request, SIOV_DMA_NO_PASID for none
 * @iova: where, in the domain behind @pasid
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0; -EFAULT or -EPERM (see include/siov/dma.h).
 */
int siov_ep_dma_write(struct siov_ep *ep, u32 pasid, u64 iova,
		      const void *buf, size_t len)
{
	struct siov_dma_side src = { .buf = (u8 *)buf };
	struct siov_dma_side dst = { .iova = iova, .write = true };

	return siov_dma_access(ep, pasid, &dst, &src, len, NULL);
}
EXPORT_SYMBOL_NS_GPL(siov_ep_dma_write, SIOV_IOMMU);

/**
 * siov_ep_dma_copy() - the endpoint copies memory to memory
 * @ep: the endpoint
 * @pasid: PASID of both requests, SIOV_DMA_NO_PASID for none
 * @dst_iova: destination, in the domain behind @pasid
 * @src_iova: source, same domain
 * @len: how many bytes
 * @fault: where to say which side faulted, or NULL
 *
 * The ranges should not overlap (the copy runs forwards, chunk by chunk).
 *
 * Return: 0; -EFAULT or -EPERM (see include/siov/dma.h).
 */
int siov_ep_dma_copy(struct siov_ep *ep, u32 pasid, u64 dst_iova,
		     u64 src_iova, size_t len, struct siov_dma_fault *fault)
{
	struct siov_dma_side src = { .iova = src_iova };
	struct siov_dma_side dst = { .iova = dst_iova, .write = true };

	return siov_dma_access(ep, pasid, &dst, &src, len, fault);
}
EXPORT_SYMBOL_NS_GPL(siov_ep_dma_copy, SIOV_IOMMU);

/**
 * siov_dma_read() - an endpoint reads memory through the software IOMMU
 * @pdev: the endpoint (one of drivers/siov-pci); the caller must be its
 *	  driver, or act for it, and stop DMA before it unbinds
 * @pasid: PASID of the request, SIOV_DMA_NO_PASID for a request without
 * @iova: where, in the domain behind @pasid
 * @buf: where the bytes go (kernel memory)
 * @len: how many
 *
 * See include/siov/dma.h for the semantics.
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT if a page is not mapped or no domain is attached under
 * @pasid, -EPERM if a page is not readable (nothing was read, a fault is
 * recorded); -ENODEV if @pdev is not behind the software IOMMU.
 */
int siov_dma_read(struct pci_dev *pdev, u32 pasid, u64 iova, void *buf,
		  size_t len)
{
	struct siov_ep *ep = siov_pdev_ep(pdev);

	return ep ? siov_ep_dma_read(ep, pasid, iova, buf, len) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_dma_read);

/**
 * siov_dma_write() - an endpoint writes memory through the software IOMMU
 * @pdev: the endpoint (one of drivers/siov-pci); the caller must be its
 *	  driver, or act for it, and stop DMA before it unbinds
 * @pasid: PASID of the request, SIOV_DMA_NO_PASID for a request without
 * @iova: where, in the domain behind @pasid
 * @buf: the bytes (kernel memory)
 * @len: how many
 *
 * See include/siov/dma.h for the semantics.
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT if a page is not mapped or no domain is attached under
 * @pasid, -EPERM if a page is not writable (nothing was written, a fault is
 * recorded); -ENODEV if @pdev is not behind the software IOMMU.
 */
int siov_dma_write(struct pci_dev *pdev, u32 pasid, u64 iova, const void *buf,
		   size_t len)
{
	struct siov_ep *ep = siov_pdev_ep(pdev);

	return ep ? siov_ep_dma_write(ep, pasid, iova, buf, len) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_dma_write);

/**
 * siov_dma_copy() - an endpoint copies memory to memory (one PASID)
 * @pdev: the endpoint (one of drivers/siov-pci); the caller must be its
 *	  driver, or act for it, and stop DMA before it unbinds
 * @pasid: PASID of both requests, SIOV_DMA_NO_PASID for requests without
 * @dst_iova: destination, in the domain behind @pasid (must be writable)
 * @src_iova: source, same domain (must be readable); not overlapping
 * @len: how many bytes
 * @fault: where to say which side faulted (the source or the destination,
 *	   and the address), or NULL
 *
 * See include/siov/dma.h for the semantics.
 *
 * Context: any; does not sleep.
 *
 * Return: 0; -EFAULT or -EPERM as for siov_dma_read() and siov_dma_write();
 * -ENODEV if @pdev is not behind the software IOMMU.
 */
int siov_dma_copy(struct pci_dev *pdev, u32 pasid, u64 dst_iova, u64 src_iova,
		  size_t len, struct siov_dma_fault *fault)
{
	struct siov_ep *ep = siov_pdev_ep(pdev);

	return ep ? siov_ep_dma_copy(ep, pasid, dst_iova, src_iova, len,
				     fault) : -ENODEV;
}
EXPORT_SYMBOL_GPL(siov_dma_copy);
