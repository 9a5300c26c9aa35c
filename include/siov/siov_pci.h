/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated Scalable-IOV endpoints of drivers/siov-pci, as device models
 * see them.
 *
 * siov_pci.ko registers a PCI domain of its own (module parameter domain=,
 * default 0x5105) behind a software host bridge.  Its root bus 00 carries
 * one single-function endpoint per slot, assigned in kind order (all dma,
 * then crypto, net, nopasid) from the devices= parameter, e.g.
 * devices=dma:2,net:1 gives 5105:00:00.0 and 5105:00:01.0 (dma) and
 * 5105:00:02.0 (net).  IDs and class codes are in <siov/pci_ids.h>.
 */
#ifndef _SIOV_SIOV_PCI_H
#define _SIOV_SIOV_PCI_H

#include <linux/types.h>

struct pci_dev;

/**
 * enum siov_pci_kind - the engine kinds the endpoints simulate
 * @SIOV_PCI_KIND_DMA: memcpy engine (SIOV_PCI_DEVICE_DMA)
 * @SIOV_PCI_KIND_CRYPTO: cipher engine (SIOV_PCI_DEVICE_CRYPTO)
 * @SIOV_PCI_KIND_NET: packet engine (SIOV_PCI_DEVICE_NET)
 * @SIOV_PCI_KIND_NOPASID: DMA engine without the PASID capability or the
 *	SIOV DVSEC (SIOV_PCI_DEVICE_NOPASID), for negative tests
 * @SIOV_PCI_NR_KINDS: number of kinds
 */
enum siov_pci_kind {
	SIOV_PCI_KIND_DMA,
	SIOV_PCI_KIND_CRYPTO,
	SIOV_PCI_KIND_NET,
	SIOV_PCI_KIND_NOPASID,
	SIOV_PCI_NR_KINDS
};

/**
 * struct siov_pci_endpoint - what a device model may know of its endpoint
 * @kind: the engine kind
 * @index: position among the endpoints of the same kind, from 0
 * @has_pasid: the endpoint has the PASID extended capability (and the SIOV
 *	DVSEC)
 * @pasid_width: the Max PASID Width the PASID capability advertises
 *	(0..20; the endpoint can issue PASIDs 0 .. 2^@pasid_width - 1);
 *	0 when @has_pasid is false
 *
 * The fields never change while the endpoint exists.  Whether PASID is
 * enabled, bus mastering and the like are config-space state: read them
 * with pci_read_config_*() as for any PCI device.
 */
struct siov_pci_endpoint {
	enum siov_pci_kind kind;
	unsigned int index;
	bool has_pasid;
	unsigned int pasid_width;
};

struct siov_pci_endpoint *siov_pci_to_endpoint(struct pci_dev *pdev);

#endif /* _SIOV_SIOV_PCI_H */
