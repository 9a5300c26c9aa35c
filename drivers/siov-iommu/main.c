// SPDX-License-Identifier: GPL-2.0
/*
 * The software IOMMU of the simulated Scalable-IOV platform.
 *
 * In a VM without a hardware IOMMU it registers with the IOMMU core, which
 * in Linux 6.1 hands it every bus the core knows (platform, PCI, ...).  It
 * takes only the endpoints of drivers/siov-pci (PCI vendor
 * SIOV_PCI_VENDOR_ID); probe_device declines everything else, so virtio and
 * the rest keep direct DMA.  For its endpoints it offers:
 *
 * - unmanaged domains with real page tables (pgtable.c);
 * - an identity default domain, so the endpoint's own kernel driver keeps
 *   direct DMA (its device model reaches memory with requests without PASID
 *   through the identity domain);
 * - IOMMU_DEV_FEAT_AUX on endpoints with the PASID capability, and the aux
 *   ops of the aux-domain series: a PASID per (domain, endpoint), allocated
 *   on the first aux attach of the pair and freed on its last detach
 *   (pasid.c);
 * - the reserved x86 MSI window;
 * - the DMA interface the device models use (dma.c), with faults recorded
 *   (fault.c).
 *
 * Each endpoint gets an IOMMU group of its own: the endpoints are software,
 * with no peer-to-peer path that could bypass translation.
 *
 * Unloading: the IOMMU core holds a reference on this module for every
 * endpoint it probed, so unload drivers/siov-pci first.  Plain 6.1's
 * iommu_device_unregister() would leave bus->iommu_ops pointing into the
 * unloaded module; the patch "iommu: Clear bus iommu_ops when the last IOMMU
 * instance unregisters" of patches/ fixes that, and this module relies on
 * it.  (Without that patch, do not rmmod it.)
 *
 * Refusal: when another IOMMU driver already owns the buses (VT-d or AMD-Vi
 * enabled on this machine) the core allows no second one; the module says so
 * and fails to load with -EBUSY (tests/platform/siov_iommu_test.c, with a
 * stand-in for such a driver).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <siov/pci_ids.h>

#include "siov_iommu.h"

/* The x86 MSI window (IOAPIC/LAPIC interrupt messages). */
#define SIOV_MSI_BASE		0xfee00000UL
#define SIOV_MSI_SIZE		0x00100000UL

/* Max PASID Width in the PASID Capability register (PCIe 6.0 7.8.8.2). */
#define SIOV_PASID_CAP_WIDTH	GENMASK(12, 8)

/*
 * Aux attachments, endpoint domains, enabled features and the list of
 * endpoints change under it.
 */
DEFINE_MUTEX(siov_aux_lock);
LIST_HEAD(siov_eps);

static struct iommu_device siov_iommu;
static const struct iommu_ops siov_iommu_ops;
static const struct iommu_domain_ops siov_domain_ops;

/**
 * siov_dev_ep() - the endpoint state of a device behind this IOMMU
 * @dev: any device
 *
 * Return: the state, NULL if @dev is not one of ours.
 */
struct siov_ep *siov_dev_ep(struct device *dev)
{
	if (!dev->iommu || dev->iommu->iommu_dev != &siov_iommu)
		return NULL;
	return dev_iommu_priv_get(dev);
}

/* Domains */

/*
 * A domain holds a reference on this module: the iommu core frees a group's
 * default domain when the group's kobject is released, which can come
 * after the group's devices are gone, seconds later with
 * CONFIG_DEBUG_KOBJECT_RELEASE, or whenever the last holder of the group
 * lets go.  Until then, rmmod fails with EBUSY instead of leaving
 * domain->ops->free pointing at freed module text.
 */
static struct iommu_domain *siov_domain_alloc(unsigned int type)
{
	struct siov_domain *dom;

	if (type != IOMMU_DOMAIN_UNMANAGED && type != IOMMU_DOMAIN_IDENTITY)
		return NULL;
	if (!try_module_get(THIS_MODULE))
		return NULL;
	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		goto err;
	dom->domain.type = type;
	INIT_LIST_HEAD(&dom->aux);
	if (type == IOMMU_DOMAIN_UNMANAGED) {
		if (siov_pt_init(&dom->pt)) {
			kfree(dom);
			goto err;
		}
		dom->domain.geometry.aperture_start = 0;
		dom->domain.geometry.aperture_end = SIOV_IOVA_MAX;
		dom->domain.geometry.force_aperture = true;
	}
	return &dom->domain;
err:
	module_put(THIS_MODULE);
	return NULL;
}

static void siov_aux_drop(struct siov_aux *aux)
{
	lockdep_assert_held(&siov_aux_lock);
	siov_pasid_free(&aux->ep->pasids, aux->pasid);
	siov_dma_handles_detach(aux->ep, aux->pasid);
	list_del(&aux->node);
	aux->ep->nr_aux--;
}

static void siov_domain_free(struct iommu_domain *domain)
{
	struct siov_domain *dom = to_siov_domain(domain);
	struct siov_aux *aux, *next;
	LIST_HEAD(stale);

	/* A domain freed while aux-attached: take its PASIDs away first. */
	mutex_lock(&siov_aux_lock);
	list_for_each_entry_safe(aux, next, &dom->aux, node) {
		pr_err("domain freed while aux-attached to %s (PASID %u)\n",
		       aux->ep->name, aux->pasid);
		siov_contract_violation(SIOV_CONTRACT_AUX_LEFT);
		siov_aux_drop(aux);
		list_add(&aux->node, &stale);
	}
	mutex_unlock(&siov_aux_lock);
	if (!list_empty(&stale)) {
		synchronize_rcu();
		list_for_each_entry_safe(aux, next, &stale, node)
			kfree(aux);
	}
	/*
	 * Every path that removes a domain from where the DMA interface finds
	 * it (detach, re-attach, aux detach) waits for a grace period, so no
	 * access is walking this table any more.  Mappings may remain: vfio
	 * type1 frees a domain with mappings when another domain of the
	 * container still carries them.
	 */
	if (domain->type == IOMMU_DOMAIN_UNMANAGED)
		siov_pt_destroy(&dom->pt);
	kfree(dom);
	/*
	 * Last, as for any module reference an object holds: the return
	 * still runs in this module's text after the put.  An unload needs a
	 * delete_module() that finds the count at zero, then the module's
	 * exit, so that window is narrow, not closed.
	 */
	module_put(THIS_MODULE);
}

/**
 * siov_domain_table_pages() - page-table pages an unmanaged domain holds
 * @domain: an unmanaged domain of this IOMMU
 *
 * Return: the count, the root table included (1 for an empty domain).
 */
unsigned long siov_domain_table_pages(struct iommu_domain *domain)
{
	struct siov_domain *dom = to_siov_domain(domain);
	unsigned long n;

	spin_lock(&dom->pt.lock);
	n = dom->pt.nr_tables;
	spin_unlock(&dom->pt.lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(siov_domain_table_pages, SIOV_IOMMU);

static int siov_attach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct siov_domain *dom = to_siov_domain(domain);
	struct siov_ep *ep = dev_iommu_priv_get(dev);
	struct siov_domain *old;
	unsigned int nr_aux;

	mutex_lock(&siov_aux_lock);
	/* The whole function cannot be assigned while PASID users exist. */
	nr_aux = ep->nr_aux;
	if (domain->type == IOMMU_DOMAIN_UNMANAGED && nr_aux) {
		mutex_unlock(&siov_aux_lock);
		dev_info(dev, "%u aux domains attached: cannot attach an unmanaged domain to the whole device\n",
			 nr_aux);
		return -EBUSY;
	}
	old = rcu_replace_pointer(ep->rid_domain, dom,
				  lockdep_is_held(&siov_aux_lock));
	mutex_unlock(&siov_aux_lock);
	if (old && old != dom)
		synchronize_rcu();
	return 0;
}

static void siov_detach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct siov_domain *dom = to_siov_domain(domain);
	struct siov_ep *ep = dev_iommu_priv_get(dev);
	bool was = false;

	mutex_lock(&siov_aux_lock);
	if (rcu_access_pointer(ep->rid_domain) == dom) {
		RCU_INIT_POINTER(ep->rid_domain, NULL);
		was = true;
	}
	mutex_unlock(&siov_aux_lock);
	if (was)
		synchronize_rcu();
}

/*
 * Map and unmap run in process context only: the page-table lock is a plain
 * spinlock (no caller maps from interrupt context, iommu_map_atomic()
 * included), and unmap waits for the DMA-interface accesses in flight.
 */
static int siov_map_pages(struct iommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct siov_domain *dom = to_siov_domain(domain);

	*mapped = 0;
	if (pgsize != PAGE_SIZE)
		return -EINVAL;
	return siov_pt_map(&dom->pt, iova, paddr, pgcount, prot, gfp, mapped);
}

static size_t siov_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			       size_t pgsize, size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct siov_domain *dom = to_siov_domain(domain);

	if (pgsize != PAGE_SIZE)
		return 0;
	/* Waits for accesses in flight: nothing is left for iotlb_sync. */
	return siov_pt_unmap(&dom->pt, iova, pgcount);
}

static void siov_iotlb_sync(struct iommu_domain *domain,
			    struct iommu_iotlb_gather *gather)
{
	/*
	 * Nothing to flush: there is no TLB, and unmap_pages already waited
	 * for the DMA-interface accesses that could have used a cleared entry.
	 */
}

static void siov_flush_iotlb_all(struct iommu_domain *domain)
{
}

static phys_addr_t siov_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	struct siov_domain *dom = to_siov_domain(domain);
	u64 pte;

	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	rcu_read_lock();
	pte = siov_pt_lookup(&dom->pt, iova);
	rcu_read_unlock();
	if (!(pte & SIOV_PTE_PRESENT))
		return 0;
	return (pte & SIOV_PTE_ADDR) | offset_in_page(iova);
}

static bool siov_enforce_cache_coherency(struct iommu_domain *domain)
{
	return true;	/* software: every access is coherent */
}

/* Aux domains */

static struct siov_aux *siov_aux_find(struct siov_domain *dom,
				      struct siov_ep *ep)
{
	struct siov_aux *aux;

	lockdep_assert_held(&siov_aux_lock);
	list_for_each_entry(aux, &dom->aux, node)
		if (aux->ep == ep)
			return aux;
	return NULL;
}

/**
 * siov_ep_aux_attach() - attach a domain to an endpoint under a new PASID
 * @ep: the endpoint; IOMMU_DEV_FEAT_AUX enabled
 * @domain: an unmanaged domain of this IOMMU
 *
 * The first attach of a (domain, endpoint) pair allocates the PASID, later
 * ones only count users.  May sleep.
 *
 * Return: 0; -EINVAL for a domain that is not unmanaged or not ours;
 * -ENODEV if aux is not enabled on @ep; -EBUSY if @ep as a whole is attached
 * to an unmanaged domain (assigned); -ENOSPC when the PASIDs are exhausted;
 * -ENOMEM.
 */
int siov_ep_aux_attach(struct siov_ep *ep, struct iommu_domain *domain)
{
	struct siov_domain *dom = to_siov_domain(domain);
	struct siov_domain *rid;
	struct siov_aux *aux;
	int ret = 0;

	if (domain->ops != &siov_domain_ops ||
	    domain->type != IOMMU_DOMAIN_UNMANAGED)
		return -EINVAL;
	mutex_lock(&siov_aux_lock);
	rid = rcu_dereference_protected(ep->rid_domain,
					lockdep_is_held(&siov_aux_lock));
	if (!ep->aux_enabled) {
		ret = -ENODEV;
	} else if (rid && rid->domain.type == IOMMU_DOMAIN_UNMANAGED) {
		ret = -EBUSY;
	} else {
		aux = siov_aux_find(dom, ep);
		if (aux) {
			aux->users++;
			goto out;
		}
		aux = kzalloc(sizeof(*aux), GFP_KERNEL);
		if (!aux) {
			ret = -ENOMEM;
			goto out;
		}
		aux->domain = dom;
		aux->ep = ep;
		aux->users = 1;
		ret = siov_pasid_alloc(&ep->pasids, aux, &aux->pasid);
		if (ret) {
			kfree(aux);
			goto out;
		}
		list_add(&aux->node, &dom->aux);
		ep->nr_aux++;
	}
out:
	mutex_unlock(&siov_aux_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(siov_ep_aux_attach, SIOV_IOMMU);

/**
 * siov_ep_aux_detach() - undo one siov_ep_aux_attach()
 * @ep: the endpoint
 * @domain: the domain
 *
 * The last detach of the pair frees its PASID and waits until no
 * DMA-interface access is still using the domain through it.  May sleep.
 */
void siov_ep_aux_detach(struct siov_ep *ep, struct iommu_domain *domain)
{
	struct siov_domain *dom = to_siov_domain(domain);
	struct siov_aux *aux;

	mutex_lock(&siov_aux_lock);
	aux = domain->ops == &siov_domain_ops ? siov_aux_find(dom, ep) : NULL;
	if (!aux) {
		mutex_unlock(&siov_aux_lock);
		pr_err("aux detach of a domain not aux-attached to %s\n",
		       ep->name);
		siov_contract_violation(SIOV_CONTRACT_AUX_UNKNOWN);
		return;
	}
	if (--aux->users) {
		mutex_unlock(&siov_aux_lock);
		return;
	}
	siov_aux_drop(aux);
	mutex_unlock(&siov_aux_lock);
	synchronize_rcu();
	kfree(aux);
}
EXPORT_SYMBOL_NS_GPL(siov_ep_aux_detach, SIOV_IOMMU);

/**
 * siov_ep_aux_get_pasid() - the PASID of an aux-attached domain
 * @ep: the endpoint
 * @domain: the domain
 *
 * Return: the PASID (at least 1), -EINVAL if @domain is not aux-attached to
 * @ep.
 */
int siov_ep_aux_get_pasid(struct siov_ep *ep, struct iommu_domain *domain)
{
	struct siov_aux *aux;
	int ret;

	mutex_lock(&siov_aux_lock);
	aux = domain->ops == &siov_domain_ops ?
	      siov_aux_find(to_siov_domain(domain), ep) : NULL;
	ret = aux ? aux->pasid : -EINVAL;
	mutex_unlock(&siov_aux_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(siov_ep_aux_get_pasid, SIOV_IOMMU);

static int siov_aux_attach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct siov_ep *ep = siov_dev_ep(dev);

	return ep ? siov_ep_aux_attach(ep, domain) : -ENODEV;
}

static void siov_aux_detach_dev(struct iommu_domain *domain,
				struct device *dev)
{
	struct siov_ep *ep = siov_dev_ep(dev);

	if (ep)
		siov_ep_aux_detach(ep, domain);
}

static int siov_aux_get_pasid(struct iommu_domain *domain, struct device *dev)
{
	struct siov_ep *ep = siov_dev_ep(dev);

	return ep ? siov_ep_aux_get_pasid(ep, domain) : -ENODEV;
}

/* Endpoints */

static struct siov_ep *siov_ep_alloc(const char *name, unsigned int pasid_bits)
{
	struct siov_ep *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (!ep)
		return NULL;
	strscpy(ep->name, name, sizeof(ep->name));
	siov_pasid_space_init(&ep->pasids, pasid_bits);
	ep->pasid_cap_max = ep->pasids.max;
	atomic_long_set(&ep->faults, 0);
	INIT_LIST_HEAD(&ep->handles);
	mutex_lock(&siov_aux_lock);
	list_add_tail(&ep->node, &siov_eps);
	mutex_unlock(&siov_aux_lock);
	return ep;
}

static void siov_ep_free(struct siov_ep *ep)
{
	struct siov_aux *aux;
	unsigned long pasid;
	LIST_HEAD(stale);

	mutex_lock(&siov_aux_lock);
	if (!list_empty(&ep->handles)) {
		struct siov_dma_handle *h, *next;

		/* Handles are put before their endpoint goes. */
		pr_err("%s removed with DMA handles left\n", ep->name);
		list_for_each_entry_safe(h, next, &ep->handles, node) {
			RCU_INIT_POINTER(h->domain, NULL);
			WRITE_ONCE(h->ep, NULL);
			list_del_init(&h->node);
		}
	}
	list_del(&ep->node);
	RCU_INIT_POINTER(ep->rid_domain, NULL);
	xa_for_each(&ep->pasids.xa, pasid, aux) {
		pr_err("%s removed with a domain aux-attached (PASID %lu)\n",
		       ep->name, pasid);
		siov_contract_violation(SIOV_CONTRACT_AUX_LEFT);
		siov_aux_drop(aux);
		list_add(&aux->node, &stale);
	}
	mutex_unlock(&siov_aux_lock);
	synchronize_rcu();
	while (!list_empty(&stale)) {
		aux = list_first_entry(&stale, struct siov_aux, node);
		list_del(&aux->node);
		kfree(aux);
	}
	siov_pasid_space_destroy(&ep->pasids);
	kfree(ep);
}

/**
 * siov_ep_create() - endpoint state without a device, for tests
 * @name: how faults name it
 * @pasid_bits: its Max PASID Width (0 to 20)
 *
 * IOMMU_DEV_FEAT_AUX is enabled on it from the start (when @pasid_bits is
 * not 0); nothing is attached for requests without PASID.
 *
 * Return: the endpoint, NULL without memory.
 */
struct siov_ep *siov_ep_create(const char *name, unsigned int pasid_bits)
{
	struct siov_ep *ep = siov_ep_alloc(name, pasid_bits);

	if (ep)
		ep->aux_enabled = pasid_bits;
	return ep;
}
EXPORT_SYMBOL_NS_GPL(siov_ep_create, SIOV_IOMMU);

/**
 * siov_ep_destroy() - free a test endpoint
 * @ep: from siov_ep_create(); domains still aux-attached are detached
 *	(and counted as contract violations)
 */
void siov_ep_destroy(struct siov_ep *ep)
{
	siov_ep_free(ep);
}
EXPORT_SYMBOL_NS_GPL(siov_ep_destroy, SIOV_IOMMU);

/**
 * siov_dev_limit_pasids() - set the highest PASID of an endpoint, for tests
 * @dev: an endpoint behind this IOMMU
 * @max: the new highest PASID: 1 up to what the endpoint's PASID capability
 *	 allows
 * @old: set to the highest PASID it had, to restore it with
 *
 * Lets a test run an endpoint's PASIDs out through the IOMMU core without
 * attaching a million domains.  The PASIDs allocated stay valid, so the
 * limit cannot go below one of them.
 *
 * Return: 0; -ENODEV if @dev is not behind this IOMMU; -EINVAL if @max is 0
 * or above the capability's limit; -EBUSY if a PASID above @max is
 * allocated.
 */
int siov_dev_limit_pasids(struct device *dev, u32 max, u32 *old)
{
	struct siov_ep *ep = siov_dev_ep(dev);
	unsigned long index = (unsigned long)max + 1;
	int ret = 0;

	if (!ep)
		return -ENODEV;
	if (!max || max > ep->pasid_cap_max)
		return -EINVAL;
	mutex_lock(&siov_aux_lock);
	if (xa_find(&ep->pasids.xa, &index, ULONG_MAX, XA_PRESENT)) {
		ret = -EBUSY;
	} else {
		*old = ep->pasids.max;
		WRITE_ONCE(ep->pasids.max, max);
	}
	mutex_unlock(&siov_aux_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(siov_dev_limit_pasids, SIOV_IOMMU);

static unsigned int siov_pci_pasid_bits(struct pci_dev *pdev)
{
	int pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_PASID);
	u16 cap;

	if (!pos || pci_read_config_word(pdev, pos + PCI_PASID_CAP, &cap))
		return 0;
	return FIELD_GET(SIOV_PASID_CAP_WIDTH, cap);
}

static struct iommu_device *siov_probe_device(struct device *dev)
{
	struct pci_dev *pdev;
	struct siov_ep *ep;

	if (!dev_is_pci(dev))
		return ERR_PTR(-ENODEV);
	pdev = to_pci_dev(dev);
	if (pdev->vendor != SIOV_PCI_VENDOR_ID)
		return ERR_PTR(-ENODEV);
	ep = siov_ep_alloc(pci_name(pdev), siov_pci_pasid_bits(pdev));
	if (!ep)
		return ERR_PTR(-ENOMEM);
	ep->dev = dev;
	dev_iommu_priv_set(dev, ep);
	if (ep->pasids.max)
		dev_info(dev, "behind the software IOMMU, PASIDs 1-%u\n",
			 ep->pasids.max);
	else
		dev_info(dev, "behind the software IOMMU, no PASID capability\n");
	return &siov_iommu;
}

static void siov_release_device(struct device *dev)
{
	struct siov_ep *ep = dev_iommu_priv_get(dev);

	dev_iommu_priv_set(dev, NULL);
	siov_ep_free(ep);
}

static int siov_def_domain_type(struct device *dev)
{
	return IOMMU_DOMAIN_IDENTITY;
}

static bool siov_capable(struct device *dev, enum iommu_cap cap)
{
	switch (cap) {
	case IOMMU_CAP_CACHE_COHERENCY:
		return true;
	case IOMMU_CAP_INTR_REMAP:
		/*
		 * The endpoints cannot forge interrupts: their MSIs are raised
		 * by drivers/siov-pci, never by a DMA write, and the DMA
		 * interface reaches only what is mapped.
		 */
		return true;
	default:
		return false;
	}
}

static void siov_get_resv_regions(struct device *dev, struct list_head *head)
{
	struct iommu_resv_region *region;

	region = iommu_alloc_resv_region(SIOV_MSI_BASE, SIOV_MSI_SIZE,
					 IOMMU_WRITE | IOMMU_MMIO,
					 IOMMU_RESV_MSI, GFP_KERNEL);
	if (region)
		list_add_tail(&region->list, head);
}

static int siov_dev_enable_feat(struct device *dev, enum iommu_dev_features f)
{
	struct siov_ep *ep = siov_dev_ep(dev);

	if (!ep || f != IOMMU_DEV_FEAT_AUX || !READ_ONCE(ep->pasids.max))
		return -ENODEV;
	mutex_lock(&siov_aux_lock);
	ep->aux_enabled = true;
	mutex_unlock(&siov_aux_lock);
	return 0;
}

static int siov_dev_disable_feat(struct device *dev, enum iommu_dev_features f)
{
	struct siov_ep *ep = siov_dev_ep(dev);
	int ret = 0;

	if (!ep || f != IOMMU_DEV_FEAT_AUX)
		return -ENODEV;
	mutex_lock(&siov_aux_lock);
	if (ep->nr_aux)
		ret = -EBUSY;
	else
		ep->aux_enabled = false;
	mutex_unlock(&siov_aux_lock);
	return ret;
}

static const struct iommu_domain_ops siov_domain_ops = {
	.attach_dev		= siov_attach_dev,
	.detach_dev		= siov_detach_dev,
	.map_pages		= siov_map_pages,
	.unmap_pages		= siov_unmap_pages,
	.flush_iotlb_all	= siov_flush_iotlb_all,
	.iotlb_sync		= siov_iotlb_sync,
	.iova_to_phys		= siov_iova_to_phys,
	.enforce_cache_coherency = siov_enforce_cache_coherency,
	.aux_attach_dev		= siov_aux_attach_dev,
	.aux_detach_dev		= siov_aux_detach_dev,
	.aux_get_pasid		= siov_aux_get_pasid,
	.free			= siov_domain_free,
};

static const struct iommu_ops siov_iommu_ops = {
	.capable		= siov_capable,
	.domain_alloc		= siov_domain_alloc,
	.probe_device		= siov_probe_device,
	.release_device		= siov_release_device,
	.device_group		= generic_device_group,
	.get_resv_regions	= siov_get_resv_regions,
	.dev_enable_feat	= siov_dev_enable_feat,
	.dev_disable_feat	= siov_dev_disable_feat,
	.def_domain_type	= siov_def_domain_type,
	.default_domain_ops	= &siov_domain_ops,
	.pgsize_bitmap		= SZ_4K,
	.owner			= THIS_MODULE,
};

static const struct iommu_ops *siov_bus_owner(void)
{
	if (platform_bus_type.iommu_ops)
		return platform_bus_type.iommu_ops;
	return pci_bus_type.iommu_ops;
}

static void siov_refuse(const struct iommu_ops *owner)
{
	pr_err("refusing to load: another IOMMU driver (ops %ps) already owns the platform and PCI buses, and Linux 6.1 allows only one; boot with the hardware IOMMU disabled (intel_iommu=off / amd_iommu=off) to use the simulated SIOV platform\n",
	       owner);
}

static int __init siov_iommu_init(void)
{
	const struct iommu_ops *owner = siov_bus_owner();
	int ret;

	if (owner) {
		siov_refuse(owner);
		return -EBUSY;
	}
	siov_fault_debugfs_init();
	ret = iommu_device_sysfs_add(&siov_iommu, NULL, NULL, "siov-iommu");
	if (ret)
		goto err_debugfs;
	ret = iommu_device_register(&siov_iommu, &siov_iommu_ops, NULL);
	if (ret == -EBUSY) {
		siov_refuse(siov_bus_owner());
		goto err_sysfs;
	}
	if (ret && siov_bus_owner() == &siov_iommu_ops) {
		/* A core without the fix kept our ops on the buses: stay. */
		pr_err("registration failed (%d) but the IOMMU core kept our ops; staying loaded\n",
		       ret);
		__module_get(THIS_MODULE);
		return 0;
	}
	if (ret)
		goto err_sysfs;
	pr_info("software IOMMU registered: %d-bit IOVA, %d-bit PASIDs; it owns the PCI bus\n",
		SIOV_IOVA_BITS, SIOV_PASID_BITS);
	return 0;

err_sysfs:
	iommu_device_sysfs_remove(&siov_iommu);
err_debugfs:
	siov_fault_debugfs_exit();
	return ret;
}

static void __exit siov_iommu_exit(void)
{
	/* Takes our ops off the buses again (see the top of the file). */
	iommu_device_unregister(&siov_iommu);
	iommu_device_sysfs_remove(&siov_iommu);
	siov_fault_debugfs_exit();
	rcu_barrier();	/* page-table pages still waiting to be freed */
}

module_init(siov_iommu_init);
module_exit(siov_iommu_exit);

MODULE_DESCRIPTION("Software IOMMU with aux domains for the simulated Scalable-IOV platform");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
