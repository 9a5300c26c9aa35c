/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI identities of the simulated Scalable-IOV platform (drivers/siov-pci).
 *
 * SIOV_PCI_VENDOR_ID is not assigned by the PCI-SIG: it only ever appears on
 * the software host bridge that drivers/siov-pci registers inside the lab
 * VM, never on a real bus.  The SIOV DVSEC is the one the Intel Scalable I/O
 * Virtualization specification defines (DVSEC vendor 8086h, DVSEC ID 5).
 */
#ifndef _SIOV_PCI_IDS_H
#define _SIOV_PCI_IDS_H

#define SIOV_PCI_VENDOR_ID		0x5105

/* One device ID per engine kind the samples drive. */
#define SIOV_PCI_DEVICE_DMA		0x0001	/* memcpy engine, samples/vfio-mdev/mdma */
#define SIOV_PCI_DEVICE_CRYPTO		0x0002	/* cipher engine, samples/vfio-mdev/mcrypto */
#define SIOV_PCI_DEVICE_NET		0x0003	/* packet engine, samples/vfio-mdev/mnet */

/*
 * Added by drivers/siov-pci for negative tests: a DMA engine (class
 * SIOV_PCI_CLASS_DMA) with neither the PASID capability nor the SIOV DVSEC,
 * so that PASID and aux-domain checks have a device to refuse.  No sample
 * drives it.
 */
#define SIOV_PCI_DEVICE_NOPASID		0x0004

/* Class codes the endpoints report (PCI_CLASS_* << 8 | prog-if). */
#define SIOV_PCI_CLASS_DMA		0x080100	/* system peripheral: DMA controller */
#define SIOV_PCI_CLASS_CRYPTO		0x108000	/* encryption controller: other */
#define SIOV_PCI_CLASS_NET		0x020000	/* network: Ethernet */

/* The SIOV DVSEC (Intel Scalable I/O Virtualization spec, rev 1.1). */
#define SIOV_DVSEC_VENDOR_ID		0x8086
#define SIOV_DVSEC_ID			0x0005

#endif /* _SIOV_PCI_IDS_H */
