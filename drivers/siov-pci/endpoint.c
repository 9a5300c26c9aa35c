// SPDX-License-Identifier: GPL-2.0
/*
 * Config space of one simulated Scalable-IOV endpoint.
 *
 * Each endpoint is a single-function, type-0 PCI Express function with a
 * full 4 KiB config space, built once at creation and then changed only by
 * config writes, which honour per-bit RW and RW1C masks (everything else is
 * read-only, reserved space reads as 0):
 *
 *   000h  type-0 header.  Command: Bus Master, Parity Error Response, SERR#
 *         Enable and Interrupt Disable are RW; I/O and Memory Space are
 *         hardwired to 0 because the function has no BARs (see below).
 *         Status: Capabilities List set, error bits RW1C.  Cache Line Size
 *         and Interrupt Line are RW scratch registers.  Interrupt Pin 0.
 *   040h  PCI Express capability, version 2.  Device/port type is Root
 *         Complex Integrated Endpoint (the default, as Intel's SIOV devices
 *         are) or, with pcie_type=endpoint, PCI Express Endpoint with a
 *         trained link (8 GT/s x8, ASPM not supported).  No FLR.
 *         DevCap2 advertises End-End TLP Prefix support, which PASID-tagged
 *         requests need.
 *   080h  Power Management capability, version 3: D0 and D3hot only,
 *         No_Soft_Reset set, no PME.  PowerState is RW; writes of the
 *         unsupported D1/D2 are discarded, as the PM spec requires.
 *   100h  PASID extended capability: Max PASID Width from pasid_width=
 *         (default 20), Execute and Privileged modes not supported, so
 *         only PASID Enable is RW.
 *   108h  SIOV DVSEC (DVSEC vendor 8086h, ID 5, revision 0, 18h bytes), laid
 *         out as in the Intel Scalable I/O Virtualization spec rev 1.1:
 *           08h DVSEC ID, 0Ah Function Dependency Link (our own function
 *           number: no dependency), 0Bh Flags (Homogeneous clear: a single
 *           function), 0Ch Supported Page Sizes (4K, 8K, 64K, 256K, 1M,
 *           4M, the SR-IOV encoding), 10h System Page Size (RW within the
 *           supported sizes, default 4K), 14h Capabilities (bit 0, IMS
 *           support, clear: the endpoints raise no interrupts).
 *         Only the DVSEC ID and the Capabilities offset are cross-checked
 *         against Linux code (the idxd SIOV patches); the rest is our
 *         reading of the spec.
 *
 * The nopasid kind has neither the PASID capability nor the DVSEC; its
 * extended config space holds only a null header at 100h.
 *
 * No BARs, no expansion ROM, no MSI/MSI-X: nothing in the lab backs MMIO on
 * this software bus, the device models run in the host kernel and reach
 * guest memory through the software IOMMU's DMA interface, and their
 * interrupts are eventfds.  BAR registers read 0 and ignore writes, which
 * sizing reads as "not implemented".  pci_enable_device() and
 * pci_set_master() still work: there is nothing to enable but bus
 * mastering, and Bus Master Enable is RW.
 */

#include <linux/bits.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <siov/pci_ids.h>

#include "endpoint.h"

#define SIOV_EP_REVISION		0x01

#define SIOV_EP_PCIE_POS		0x40
#define SIOV_EP_PCIE_SIZEOF		0x3c	/* v2, through Slot Status 2 */
#define SIOV_EP_PM_POS			0x80
#define SIOV_EP_PMCSR			(SIOV_EP_PM_POS + PCI_PM_CTRL)
#define SIOV_EP_PM_D1			1
#define SIOV_EP_PM_D2			2
#define SIOV_EP_PASID_POS		0x100
#define SIOV_EP_DVSEC_POS		0x108

/* SIOV DVSEC registers (offsets from the start of the DVSEC). */
#define SIOV_DVSEC_ID_REG		0x08
#define SIOV_DVSEC_FDL			0x0a
#define SIOV_DVSEC_FLAGS		0x0b
#define SIOV_DVSEC_SUPP_PGSIZES		0x0c
#define SIOV_DVSEC_SYS_PGSIZE		0x10
#define SIOV_DVSEC_CAP			0x14
#define SIOV_DVSEC_LEN			0x18
#define SIOV_DVSEC_REV			0
#define SIOV_DVSEC_PGSIZES		0x00000553	/* 4K 8K 64K 256K 1M 4M */

/* The trained link of pcie_type=endpoint: 8 GT/s, x8. */
#define SIOV_EP_LINK_SPEED		PCI_EXP_LNKCAP_SLS_8_0GB
#define SIOV_EP_LINK_WIDTH		8
/* Link Status 2: equalization complete, phases 1-3 successful. */
#define SIOV_EP_LNKSTA2_EQ_DONE		0x001e
/* Link Capabilities: ASPM Optionality Compliance. */
#define SIOV_EP_LNKCAP_ASPM_OPT		BIT(22)
/* Device Capabilities 2: Extended Fmt Field, one End-End TLP Prefix. */
#define SIOV_EP_DEVCAP2_EXT_FMT		BIT(20)
#define SIOV_EP_DEVCAP2_EE_PREFIX_MAX1	BIT(22)

struct siov_pci_kind_desc {
	const char *name;
	u16 device;
	u32 class;
	bool has_pasid;
};

static const struct siov_pci_kind_desc siov_pci_kinds[SIOV_PCI_NR_KINDS] = {
	[SIOV_PCI_KIND_DMA] = {
		"dma", SIOV_PCI_DEVICE_DMA, SIOV_PCI_CLASS_DMA, true },
	[SIOV_PCI_KIND_CRYPTO] = {
		"crypto", SIOV_PCI_DEVICE_CRYPTO, SIOV_PCI_CLASS_CRYPTO, true },
	[SIOV_PCI_KIND_NET] = {
		"net", SIOV_PCI_DEVICE_NET, SIOV_PCI_CLASS_NET, true },
	[SIOV_PCI_KIND_NOPASID] = {
		"nopasid", SIOV_PCI_DEVICE_NOPASID, SIOV_PCI_CLASS_DMA, false },
};

/**
 * siov_pci_kind_name() - the name of a kind in the devices= parameter
 * @kind: an endpoint kind
 *
 * Return: "dma", "crypto", "net" or "nopasid".
 */
const char *siov_pci_kind_name(enum siov_pci_kind kind)
{
	return siov_pci_kinds[kind].name;
}

/* Little-endian stores of a register's reset value and its masks. */
static void ep_set(u8 *space, unsigned int pos, unsigned int size, u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		space[pos + i] = val >> (8 * i);
}

static void ep_ro(struct siov_pci_ep *ep, unsigned int pos, unsigned int size,
		  u32 val)
{
	ep_set(ep->cfg, pos, size, val);
}

static void ep_rw(struct siov_pci_ep *ep, unsigned int pos, unsigned int size,
		  u32 val, u32 rw)
{
	ep_set(ep->cfg, pos, size, val);
	ep_set(ep->wmask, pos, size, rw);
}

static void ep_w1c(struct siov_pci_ep *ep, unsigned int pos, unsigned int size,
		   u32 w1c)
{
	ep_set(ep->w1cmask, pos, size, w1c);
}

static void ep_build_header(struct siov_pci_ep *ep,
			    const struct siov_pci_kind_desc *desc)
{
	ep_ro(ep, PCI_VENDOR_ID, 2, SIOV_PCI_VENDOR_ID);
	ep_ro(ep, PCI_DEVICE_ID, 2, desc->device);
	ep_rw(ep, PCI_COMMAND, 2, 0,
	      PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
	      PCI_COMMAND_INTX_DISABLE);
	ep_ro(ep, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	ep_w1c(ep, PCI_STATUS, 2,
	       PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
	       PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
	       PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
	ep_ro(ep, PCI_CLASS_REVISION, 4, desc->class << 8 | SIOV_EP_REVISION);
	ep_rw(ep, PCI_CACHE_LINE_SIZE, 1, 0, 0xff);
	ep_ro(ep, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL);
	ep_ro(ep, PCI_SUBSYSTEM_VENDOR_ID, 2, SIOV_PCI_VENDOR_ID);
	ep_ro(ep, PCI_SUBSYSTEM_ID, 2, desc->device);
	ep_ro(ep, PCI_CAPABILITY_LIST, 1, SIOV_EP_PCIE_POS);
	ep_rw(ep, PCI_INTERRUPT_LINE, 1, 0, 0xff);
}

static void ep_build_pcie(struct siov_pci_ep *ep, bool link)
{
	const unsigned int pos = SIOV_EP_PCIE_POS;
	u32 devcap = PCI_EXP_DEVCAP_EXT_TAG | PCI_EXP_DEVCAP_RBER |
		     1;	/* Max_Payload_Size Supported: 256 bytes */
	u16 type = link ? PCI_EXP_TYPE_ENDPOINT : PCI_EXP_TYPE_RC_END;

	ep_ro(ep, pos + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_EXP);
	ep_ro(ep, pos + PCI_CAP_LIST_NEXT, 1, SIOV_EP_PM_POS);
	ep_ro(ep, pos + PCI_EXP_FLAGS, 2, 2 | type << 4);

	/* Endpoints report L0s/L1 acceptable latency; "no limit" here. */
	if (link)
		devcap |= PCI_EXP_DEVCAP_L0S | PCI_EXP_DEVCAP_L1;
	ep_ro(ep, pos + PCI_EXP_DEVCAP, 4, devcap);
	/* Reset value: Relaxed Ordering, No Snoop, 512-byte read requests. */
	ep_rw(ep, pos + PCI_EXP_DEVCTL, 2,
	      PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
	      PCI_EXP_DEVCTL_READRQ_512B,
	      PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
	      PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
	      PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
	      PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_NOSNOOP_EN |
	      PCI_EXP_DEVCTL_READRQ);
	ep_w1c(ep, pos + PCI_EXP_DEVSTA, 2,
	       PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
	       PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	ep_ro(ep, pos + PCI_EXP_DEVCAP2, 4,
	      SIOV_EP_DEVCAP2_EXT_FMT | PCI_EXP_DEVCAP2_EE_PREFIX |
	      SIOV_EP_DEVCAP2_EE_PREFIX_MAX1);

	if (!link)
		return;	/* an RCiEP has no link registers */

	ep_ro(ep, pos + PCI_EXP_LNKCAP, 4,
	      SIOV_EP_LINK_SPEED | SIOV_EP_LINK_WIDTH << 4 |
	      SIOV_EP_LNKCAP_ASPM_OPT);
	ep_rw(ep, pos + PCI_EXP_LNKCTL, 2, 0,
	      PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB |
	      PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES);
	ep_ro(ep, pos + PCI_EXP_LNKSTA, 2,
	      SIOV_EP_LINK_SPEED | SIOV_EP_LINK_WIDTH << 4 |
	      PCI_EXP_LNKSTA_SLC);
	ep_ro(ep, pos + PCI_EXP_LNKCAP2, 4,
	      PCI_EXP_LNKCAP2_SLS_2_5GB | PCI_EXP_LNKCAP2_SLS_5_0GB |
	      PCI_EXP_LNKCAP2_SLS_8_0GB);
	/* Target Link Speed is RW; the compliance controls are not modelled. */
	ep_rw(ep, pos + PCI_EXP_LNKCTL2, 2, PCI_EXP_LNKCTL2_TLS_8_0GT,
	      PCI_EXP_LNKCTL2_TLS);
	ep_ro(ep, pos + PCI_EXP_LNKSTA2, 2, SIOV_EP_LNKSTA2_EQ_DONE);
}

static void ep_build_pm(struct siov_pci_ep *ep)
{
	const unsigned int pos = SIOV_EP_PM_POS;

	ep_ro(ep, pos + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_PM);
	ep_ro(ep, pos + PCI_CAP_LIST_NEXT, 1, 0);
	ep_ro(ep, pos + PCI_PM_PMC, 2, 3);	/* version 3, D0/D3hot, no PME */
	ep_rw(ep, pos + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET,
	      PCI_PM_CTRL_STATE_MASK);
}

static void ep_build_pasid(struct siov_pci_ep *ep, unsigned int width)
{
	const unsigned int pos = SIOV_EP_PASID_POS;

	ep_ro(ep, pos, 4, PCI_EXT_CAP_ID_PASID | 1 << 16 |
	      SIOV_EP_DVSEC_POS << 20);
	ep_ro(ep, pos + PCI_PASID_CAP, 2, width << 8);
	ep_rw(ep, pos + PCI_PASID_CTRL, 2, 0, PCI_PASID_CTRL_ENABLE);
}

static void ep_build_dvsec(struct siov_pci_ep *ep)
{
	const unsigned int pos = SIOV_EP_DVSEC_POS;

	ep_ro(ep, pos, 4, PCI_EXT_CAP_ID_DVSEC | 1 << 16 | 0 << 20);
	ep_ro(ep, pos + PCI_DVSEC_HEADER1, 4, SIOV_DVSEC_VENDOR_ID |
	      SIOV_DVSEC_REV << 16 | SIOV_DVSEC_LEN << 20);
	ep_ro(ep, pos + SIOV_DVSEC_ID_REG, 2, SIOV_DVSEC_ID);
	ep_ro(ep, pos + SIOV_DVSEC_FDL, 1, 0);
	ep_ro(ep, pos + SIOV_DVSEC_FLAGS, 1, 0);
	ep_ro(ep, pos + SIOV_DVSEC_SUPP_PGSIZES, 4, SIOV_DVSEC_PGSIZES);
	ep_rw(ep, pos + SIOV_DVSEC_SYS_PGSIZE, 4, 1, SIOV_DVSEC_PGSIZES);
	ep_ro(ep, pos + SIOV_DVSEC_CAP, 4, 0);
}

/**
 * siov_pci_ep_create() - build the config space of a new endpoint
 * @kind: engine kind
 * @index: position among the endpoints of @kind
 * @pasid_width: Max PASID Width to advertise (0..20), if @kind has PASID
 * @link: a PCI Express Endpoint with a link rather than an RCiEP
 *
 * Return: the endpoint (free it with kfree()), or NULL without memory.
 */
struct siov_pci_ep *siov_pci_ep_create(enum siov_pci_kind kind,
				       unsigned int index,
				       unsigned int pasid_width, bool link)
{
	const struct siov_pci_kind_desc *desc = &siov_pci_kinds[kind];
	struct siov_pci_ep *ep;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return NULL;

	ep->pub.kind = kind;
	ep->pub.index = index;
	ep->pub.has_pasid = desc->has_pasid;
	ep->pub.pasid_width = desc->has_pasid ? pasid_width : 0;

	ep_build_header(ep, desc);
	ep_build_pcie(ep, link);
	ep_build_pm(ep);
	if (desc->has_pasid) {
		ep_build_pasid(ep, pasid_width);
		ep_build_dvsec(ep);
	}
	return ep;
}

/**
 * siov_pci_ep_read() - read a config register
 * @ep: the endpoint
 * @where: offset, naturally aligned for @size, within 4 KiB
 * @size: 1, 2 or 4 bytes
 *
 * Return: the value, in CPU order.
 */
u32 siov_pci_ep_read(const struct siov_pci_ep *ep, unsigned int where,
		     unsigned int size)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		val |= (u32)ep->cfg[where + i] << (8 * i);
	return val;
}

/**
 * siov_pci_ep_write() - write a config register
 * @ep: the endpoint
 * @where: offset, naturally aligned for @size, within 4 KiB
 * @size: 1, 2 or 4 bytes
 * @val: the value, in CPU order
 *
 * RW bits take the written value, RW1C bits written as 1 clear, all other
 * bits keep their value.
 */
void siov_pci_ep_write(struct siov_pci_ep *ep, unsigned int where,
		       unsigned int size, u32 val)
{
	unsigned int i;

	/* Writes of an unsupported power state (D1, D2) are discarded. */
	if (where <= SIOV_EP_PMCSR && SIOV_EP_PMCSR < where + size) {
		unsigned int shift = 8 * (SIOV_EP_PMCSR - where);
		u32 state = (val >> shift) & PCI_PM_CTRL_STATE_MASK;

		if (state == SIOV_EP_PM_D1 || state == SIOV_EP_PM_D2) {
			val &= ~(PCI_PM_CTRL_STATE_MASK << shift);
			val |= (ep->cfg[SIOV_EP_PMCSR] &
				PCI_PM_CTRL_STATE_MASK) << shift;
		}
	}

	for (i = 0; i < size; i++) {
		unsigned int off = where + i;
		u8 byte = val >> (8 * i);

		ep->cfg[off] = (ep->cfg[off] & ~ep->wmask[off]) |
			       (byte & ep->wmask[off]);
		ep->cfg[off] &= ~(byte & ep->w1cmask[off]);
	}
}
