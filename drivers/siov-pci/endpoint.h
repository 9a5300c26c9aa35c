/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The config-space model of one simulated endpoint (endpoint.c), as the
 * software host bridge (bridge.c) uses it.
 */
#ifndef _SIOV_PCI_ENDPOINT_H
#define _SIOV_PCI_ENDPOINT_H

#include <linux/pci.h>
#include <linux/types.h>
#include <siov/siov_pci.h>

/* Widest Max PASID Width the PASID capability can advertise (PCIe r6.0). */
#define SIOV_PCI_PASID_WIDTH_MAX	20

/**
 * struct siov_pci_ep - one simulated endpoint function
 * @pub: what device models see (siov_pci_to_endpoint())
 * @cfg: the 4 KiB config space, little-endian as on the wire
 * @wmask: per bit, 1 where software writes take effect (RW)
 * @w1cmask: per bit, 1 where writing 1 clears the bit (RW1C)
 *
 * Accesses are serialised by the caller (bridge.c holds its config lock).
 */
struct siov_pci_ep {
	struct siov_pci_endpoint pub;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	u8 wmask[PCI_CFG_SPACE_EXP_SIZE];
	u8 w1cmask[PCI_CFG_SPACE_EXP_SIZE];
};

struct siov_pci_ep *siov_pci_ep_create(enum siov_pci_kind kind,
				       unsigned int index,
				       unsigned int pasid_width, bool link);
u32 siov_pci_ep_read(const struct siov_pci_ep *ep, unsigned int where,
		     unsigned int size);
void siov_pci_ep_write(struct siov_pci_ep *ep, unsigned int where,
		       unsigned int size, u32 val);
const char *siov_pci_kind_name(enum siov_pci_kind kind);

#endif /* _SIOV_PCI_ENDPOINT_H */
