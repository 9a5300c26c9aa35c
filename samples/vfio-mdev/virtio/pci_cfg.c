// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI configuration access capability (VIRTIO_PCI_CAP_PCI_CFG), which
 * the virtio spec requires: a window through config space into the BAR
 * structures.  The driver writes bar, offset and length (1, 2 or 4), then
 * reads or writes pci_cfg_data, and the access goes to the register it
 * names.  Linux 6.1 never uses it; firmware drivers may.
 */
#include <asm/unaligned.h>
#include <uapi/linux/virtio_pci.h>

#include "transport.h"

#define SV_PCI_CFG_DATA		offsetof(struct virtio_pci_cfg_cap, pci_cfg_data)
#define SV_PCI_CFG_LEN		sizeof(struct virtio_pci_cfg_cap)

int sv_pci_cfg_cap(struct siov_mdev_cfg *cfg)
{
	int pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_VNDR, SV_PCI_CFG_LEN);

	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_LEN, 1, SV_PCI_CFG_LEN,
			  0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_CFG_TYPE, 1,
			  VIRTIO_PCI_CAP_PCI_CFG, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_BAR, 1, 0, 0xff, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_OFFSET, 4, 0, ~0u, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_LENGTH, 4, 0, ~0u, 0);
	siov_mdev_cfg_reg(cfg, pos + SV_PCI_CFG_DATA, 4, 0, ~0u, 0);
	return pos;
}

/* Where the capability is: the chain is the same for every mdev. */
static int sv_pci_cfg_pos(const u8 *cfg)
{
	unsigned int pos = cfg[PCI_CAPABILITY_LIST], n;

	for (n = 0; n < 48 && pos >= PCI_STD_HEADER_SIZEOF &&
	     pos <= PCI_CFG_SPACE_SIZE - SV_PCI_CFG_LEN; n++) {
		if (cfg[pos] == PCI_CAP_ID_VNDR &&
		    cfg[pos + VIRTIO_PCI_CAP_CFG_TYPE] == VIRTIO_PCI_CAP_PCI_CFG)
			return pos;
		pos = cfg[pos + PCI_CAP_LIST_NEXT];
	}
	return -ENOENT;
}

/* The register the window names, or NULL if it names none. */
static const struct siov_mdev_region *sv_pci_cfg_target(const u8 *cfg,
							int pos, u32 *off,
							u32 *len)
{
	unsigned int i;

	*off = get_unaligned_le32(cfg + pos + VIRTIO_PCI_CAP_OFFSET);
	*len = get_unaligned_le32(cfg + pos + VIRTIO_PCI_CAP_LENGTH);
	if (cfg[pos + VIRTIO_PCI_CAP_BAR] != SIOV_VIRTIO_BAR ||
	    (*len != 1 && *len != 2 && *len != 4) || *off % *len)
		return NULL;
	for (i = 0; i < SIOV_VIRTIO_NR_REGIONS; i++) {
		const struct siov_mdev_region *r = &siov_virtio_regions[i];

		if (*off >= r->offset && *off + *len <= r->offset + r->size)
			return r;
	}
	return NULL;
}

void sv_config_access(struct siov_mdev *smdev, unsigned int pos,
		      unsigned int len, bool write)
{
	const struct siov_mdev_region *r;
	int cap = sv_pci_cfg_pos(smdev->cfg);
	u8 *data;
	u32 off, size;

	lockdep_assert_held(&smdev->lock);
	if (cap < 0 || pos + len <= cap + SV_PCI_CFG_DATA ||
	    pos >= cap + SV_PCI_CFG_LEN)
		return;
	data = smdev->cfg + cap + SV_PCI_CFG_DATA;
	r = sv_pci_cfg_target(smdev->cfg, cap, &off, &size);
	if (!r)
		return;
	if (write)
		r->write(smdev, off - r->offset, size,
			 get_unaligned_le32(data) & GENMASK(8 * size - 1, 0));
	else
		put_unaligned_le32(r->read(smdev, off - r->offset, size), data);
}
