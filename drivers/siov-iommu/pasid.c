// SPDX-License-Identifier: GPL-2.0
/*
 * PASID spaces of the software IOMMU: one per physical endpoint, as wide as
 * the endpoint's PASID capability allows (at most the 20 bits of PCIe).
 * PASID 0 is never allocated: it stands for requests without PASID.
 */
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/xarray.h>

#include "siov_iommu.h"

/**
 * siov_pasid_space_init() - set up an empty PASID space
 * @space: the space
 * @bits: the endpoint's Max PASID Width; 0 for an endpoint without PASID.
 *	  Widths above 20 are cut to 20.
 */
void siov_pasid_space_init(struct siov_pasid_space *space, unsigned int bits)
{
	xa_init_flags(&space->xa, XA_FLAGS_ALLOC1);
	bits = min_t(unsigned int, bits, SIOV_PASID_BITS);
	space->max = bits ? (1U << bits) - 1 : 0;
	space->next = 1;
}
EXPORT_SYMBOL_NS_GPL(siov_pasid_space_init, SIOV_IOMMU);

/**
 * siov_pasid_alloc() - allocate a PASID, the next one after the last allocated
 * @space: the space
 * @owner: what the PASID stands for (not NULL); siov_pasid_lookup() finds it
 * @pasid: set to the PASID
 *
 * @owner is visible to lookups as soon as this returns, so set it up first.
 * May sleep.
 *
 * Return: 0; -ENOSPC when every PASID (1 to the maximum) is taken or the
 * endpoint has none; -ENOMEM; -EINVAL for a NULL @owner.
 */
int siov_pasid_alloc(struct siov_pasid_space *space, void *owner, u32 *pasid)
{
	u32 max = READ_ONCE(space->max);
	int ret;

	if (!owner)
		return -EINVAL;
	if (!max)
		return -ENOSPC;
	/*
	 * Cyclically, as Linux allocates PIDs: a PASID just freed is the last
	 * to be handed out again, so that anything still tagged with it
	 * (a device context not yet torn down) cannot reach the next owner.
	 */
	ret = xa_alloc_cyclic(&space->xa, pasid, owner, XA_LIMIT(1, max),
			      &space->next, GFP_KERNEL);
	if (ret == -EBUSY)
		return -ENOSPC;
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_NS_GPL(siov_pasid_alloc, SIOV_IOMMU);

/**
 * siov_pasid_free() - free a PASID
 * @space: the space
 * @pasid: the PASID
 *
 * Lookups under RCU may still return the owner until a grace period has
 * passed; the caller waits for one before freeing the owner.
 *
 * Return: the owner it had, NULL if it was not allocated.
 */
void *siov_pasid_free(struct siov_pasid_space *space, u32 pasid)
{
	return xa_erase(&space->xa, pasid);
}
EXPORT_SYMBOL_NS_GPL(siov_pasid_free, SIOV_IOMMU);

/**
 * siov_pasid_lookup() - the owner of a PASID
 * @space: the space
 * @pasid: the PASID
 *
 * Lock-free; call under rcu_read_lock() unless the owner is otherwise known
 * to stay.
 *
 * Return: the owner, NULL if @pasid is not allocated.
 */
void *siov_pasid_lookup(struct siov_pasid_space *space, u32 pasid)
{
	if (!pasid || pasid > READ_ONCE(space->max))
		return NULL;
	return xa_load(&space->xa, pasid);
}
EXPORT_SYMBOL_NS_GPL(siov_pasid_lookup, SIOV_IOMMU);

/**
 * siov_pasid_lookup_rcu() - siov_pasid_lookup() inside a read section
 * @space: the space
 * @pasid: the PASID
 *
 * Call under rcu_read_lock(): the DMA interface's lookup, which saves the
 * nested rcu_read_lock() of xa_load() (costly on a lockdep kernel).
 *
 * Return: the owner, NULL if @pasid is not allocated.
 */
void *siov_pasid_lookup_rcu(struct siov_pasid_space *space, u32 pasid)
{
	XA_STATE(xas, &space->xa, pasid);
	void *entry;

	if (!pasid || pasid > READ_ONCE(space->max))
		return NULL;
	do {
		entry = xas_load(&xas);
	} while (xas_retry(&xas, entry));
	return entry;
}

/**
 * siov_pasid_space_destroy() - free a PASID space
 * @space: the space
 *
 * Return: the number of PASIDs that were still allocated (the owners are the
 * caller's).
 */
unsigned int siov_pasid_space_destroy(struct siov_pasid_space *space)
{
	unsigned int left = 0;
	unsigned long index;
	void *owner;

	xa_for_each(&space->xa, index, owner)
		left++;
	xa_destroy(&space->xa);
	return left;
}
EXPORT_SYMBOL_NS_GPL(siov_pasid_space_destroy, SIOV_IOMMU);
