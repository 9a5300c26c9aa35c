// SPDX-License-Identifier: GPL-2.0
/*
 * BAR access: single naturally aligned accesses of 1, 2, 4 or 8 bytes,
 * dispatched to the MSI-X table and PBA (irq.c) or to the model's region
 * that holds them (struct siov_mdev_region), with the offset made relative
 * to the region.  A BAR can hold several regions with their own handlers,
 * as a virtio device packs its common, notify, ISR and device structures
 * into one BAR.  Bytes in no region read 0 and ignore writes.
 *
 * With Memory Space Enable clear the function does not decode its BARs:
 * accesses fail with -EIO, as vfio-pci returns for a disabled device.
 */
#include <linux/uaccess.h>

#include "core.h"

static bool smdev_bar_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* Is every region inside its BAR, and clear of the others and of MSI-X? */
bool smdev_bar_model_ok(const struct siov_mdev_model *m)
{
	unsigned int i, j;

	if (m->nr_regions > SIOV_MDEV_REGIONS_MAX || (m->nr_regions && !m->regions))
		return false;
	for (i = 0; i < m->nr_regions; i++) {
		const struct siov_mdev_region *r = &m->regions[i];

		if (r->bar >= PCI_STD_NUM_BARS || !r->size || !r->read ||
		    !r->write || (u64)r->offset + r->size > m->bar_size[r->bar])
			return false;
		if (m->msix_vectors && r->bar == m->msix_bar &&
		    (smdev_bar_overlap(r->offset, r->size, m->msix_table,
				       m->msix_vectors * PCI_MSIX_ENTRY_SIZE) ||
		     smdev_bar_overlap(r->offset, r->size, m->msix_pba,
				       sizeof(u64))))
			return false;
		for (j = 0; j < i; j++)
			if (m->regions[j].bar == r->bar &&
			    smdev_bar_overlap(r->offset, r->size,
					      m->regions[j].offset,
					      m->regions[j].size))
				return false;
	}
	return true;
}

/* The region an access lies in entirely, or NULL. */
static const struct siov_mdev_region *
smdev_bar_region(const struct siov_mdev_model *m, unsigned int bar, u64 off,
		 size_t count)
{
	unsigned int i;

	for (i = 0; i < m->nr_regions; i++) {
		const struct siov_mdev_region *r = &m->regions[i];

		if (r->bar == bar && off >= r->offset &&
		    off + count <= (u64)r->offset + r->size)
			return r;
	}
	return NULL;
}

/**
 * smdev_bar_rw() - a BAR access of the vfio client
 * @smdev: the mdev
 * @bar: the BAR
 * @ubuf: the client's buffer
 * @count: 1, 2, 4 or 8
 * @off: where in the BAR, aligned to @count
 * @write: a write
 *
 * Return: @count; -EINVAL for a bad size, alignment or offset, or a BAR
 * the model does not have; -EIO while Memory Space Enable is clear;
 * -EFAULT.
 */
ssize_t smdev_bar_rw(struct siov_mdev *smdev, unsigned int bar,
		     char __user *ubuf, size_t count, u64 off, bool write)
{
	const struct siov_mdev_model *m = smdev->model;
	const struct siov_mdev_region *r;
	u32 size = m->bar_size[bar];
	ssize_t ret = count;
	__le64 le = 0;
	u64 val = 0;

	if (!size || (count != 1 && count != 2 && count != 4 && count != 8) ||
	    off >= size || count > size - off || off & (count - 1))
		return -EINVAL;
	if (write) {
		if (copy_from_user(&le, ubuf, count))
			return -EFAULT;
		val = le64_to_cpu(le);
	}
	mutex_lock(&smdev->lock);
	if (!(smdev_cfg_command(smdev) & PCI_COMMAND_MEMORY)) {
		ret = -EIO;
	} else if (!smdev_irq_msix_access(smdev, bar, off, count, write,
					  &val)) {
		r = smdev_bar_region(m, bar, off, count);
		if (r && write)
			r->write(smdev, off - r->offset, count, val);
		else if (r)
			val = r->read(smdev, off - r->offset, count);
	}
	mutex_unlock(&smdev->lock);
	if (ret < 0 || write)
		return ret;
	le = cpu_to_le64(val);
	return copy_to_user(ubuf, &le, count) ? -EFAULT : ret;
}
