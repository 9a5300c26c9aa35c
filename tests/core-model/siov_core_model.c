// SPDX-License-Identifier: GPL-2.0
/*
 * A model that exercises what the sample core offers the virtio samples,
 * for tests/vfio/siov_core_test.c (not a lab module: the test loads it and
 * unloads it again).  The test binds it to the simulated net endpoint
 * with driver_override, away from mnet.
 *
 * Config space: two vendor capabilities (16 and 20 bytes) after the
 * core's own, each with a read-write byte at offset 4; byte 5 of the first
 * reads as byte 4 plus one, computed in ops->config_access.
 *
 * BAR0 (4 KiB; MSI-X table at 800h, PBA at C00h), three regions:
 *   000h-003h  doorbell: a write kicks the engine
 *   100h-10Fh  control: 0 STATUS (writing 0 resets the engine, reads 1
 *              while it runs), 4 RING_LO, 8 RING_HI (the IOVA of a
 *              counter page), C DONE (batches run, read-only)
 *   200h-207h  ID: reads 0x4c444f4d45524f43 ("COREMODL")
 * Everything else reads 0 and ignores writes.
 *
 * The engine runs until it is reset or stopped: each batch reads the
 * 16-bit word at RING (single-copy atomic), stores it plus one there, and
 * stores DONE as a 32-bit word at RING + 4.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include <siov/pci_ids.h>

#include "../../samples/vfio-mdev/siov_mdev.h"

#define CM_BAR0_SIZE	SZ_4K
#define CM_ID		0x4c444f4d45524f43ULL

/**
 * struct core_model - one mdev of the model
 * @smdev: the core's part (must stay first)
 * @ring: RING_HI:RING_LO
 * @done: batches run; written by the engine, read under the mdev lock
 * @running: kicked and not stopped since
 */
struct core_model {
	struct siov_mdev smdev;
	u64 ring;
	atomic_t done;
	bool running;
};

static int cm_cap;	/* the first vendor capability, the same for every mdev */

static struct core_model *to_cm(struct siov_mdev *smdev)
{
	return container_of(smdev, struct core_model, smdev);
}

static u64 cm_doorbell_read(struct siov_mdev *smdev, u32 off,
			    unsigned int size)
{
	return 0;
}

static void cm_doorbell_write(struct siov_mdev *smdev, u32 off,
			      unsigned int size, u64 val)
{
	if (siov_mdev_engine_kick(smdev))
		WRITE_ONCE(to_cm(smdev)->running, true);
}

static u64 cm_control_read(struct siov_mdev *smdev, u32 off,
			   unsigned int size)
{
	struct core_model *cm = to_cm(smdev);

	switch (off) {
	case 0:
		return READ_ONCE(cm->running);
	case 4:
		return lower_32_bits(cm->ring);
	case 8:
		return upper_32_bits(cm->ring);
	case 12:
		return atomic_read(&cm->done);
	default:
		return 0;
	}
}

static void cm_control_write(struct siov_mdev *smdev, u32 off,
			     unsigned int size, u64 val)
{
	struct core_model *cm = to_cm(smdev);

	if (size != 4)
		return;
	switch (off) {
	case 0:
		if (!val)
			siov_mdev_engine_reset(smdev);
		break;
	case 4:
		cm->ring = (cm->ring & ~0xffffffffULL) | (u32)val;
		break;
	case 8:
		cm->ring = (cm->ring & 0xffffffffULL) | (u64)val << 32;
		break;
	}
}

static u64 cm_id_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	return (CM_ID >> (8 * off)) & GENMASK_ULL(8 * size - 1, 0);
}

static void cm_id_write(struct siov_mdev *smdev, u32 off, unsigned int size,
			u64 val)
{
}

static const struct siov_mdev_region cm_regions[] = {
	{ .bar = 0, .offset = 0x000, .size = 4,
	  .read = cm_doorbell_read, .write = cm_doorbell_write },
	{ .bar = 0, .offset = 0x100, .size = 16,
	  .read = cm_control_read, .write = cm_control_write },
	{ .bar = 0, .offset = 0x200, .size = 8,
	  .read = cm_id_read, .write = cm_id_write },
};

static int cm_config_caps(struct siov_mdev_cfg *cfg)
{
	int pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_VNDR, 16);

	if (pos < 0)
		return pos;
	cm_cap = pos;
	siov_mdev_cfg_reg(cfg, pos + 2, 1, 16, 0, 0);	/* cap_len */
	siov_mdev_cfg_reg(cfg, pos + 4, 1, 0, 0xff, 0);
	pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_VNDR, 20);
	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + 2, 1, 20, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + 4, 1, 0, 0xff, 0);
	return 0;
}

static void cm_config_access(struct siov_mdev *smdev, unsigned int pos,
			     unsigned int len, bool write)
{
	/* Byte 5 of the first capability: byte 4 plus one, when read. */
	if (!write && pos <= cm_cap + 5 && pos + len > cm_cap + 5)
		smdev->cfg[cm_cap + 5] = smdev->cfg[cm_cap + 4] + 1;
}

static void cm_program_pasid(struct siov_mdev *smdev, u32 pasid)
{
	siov_mdev_queue_set_pasid(smdev, 0, pasid);
}

static void cm_unprogram_pasid(struct siov_mdev *smdev)
{
	siov_mdev_queue_set_pasid(smdev, 0, 0);
}

static bool cm_engine_run(struct siov_mdev *smdev,
			  struct siov_mdev_batch *batch)
{
	struct core_model *cm = to_cm(smdev);
	u64 ring = READ_ONCE(cm->ring);
	__le16 head;

	if (siov_mdev_dma_read16(smdev, ring, &head) ||
	    siov_mdev_dma_write16(smdev, ring,
				  cpu_to_le16(le16_to_cpu(head) + 1)) ||
	    siov_mdev_dma_write32(smdev, ring + 4,
				  cpu_to_le32(atomic_inc_return(&cm->done)))) {
		WRITE_ONCE(cm->running, false);
		return false;
	}
	batch->descs = 1;
	batch->bytes = 6;
	return true;
}

static void cm_quiesce(struct siov_mdev *smdev)
{
	WRITE_ONCE(to_cm(smdev)->running, false);
}

static void cm_reset(struct siov_mdev *smdev)
{
	struct core_model *cm = to_cm(smdev);

	cm->ring = 0;
	atomic_set(&cm->done, 0);
	cm->running = false;
}

static const struct siov_mdev_ops cm_ops = {
	.config_caps	 = cm_config_caps,
	.config_access	 = cm_config_access,
	.program_pasid	 = cm_program_pasid,
	.unprogram_pasid = cm_unprogram_pasid,
	.engine_run	 = cm_engine_run,
	.quiesce	 = cm_quiesce,
	.reset		 = cm_reset,
};

static const struct siov_mdev_model cm_model = {
	.owner		= THIS_MODULE,
	.vendor		= SIOV_PCI_VENDOR_ID,
	.device		= 0x00ff,
	.subvendor	= SIOV_PCI_VENDOR_ID,
	.subdevice	= 0x00ff,
	.class		= PCI_CLASS_SYSTEM_OTHER << 8,
	.bar_size	= { CM_BAR0_SIZE },
	.regions	= cm_regions,
	.nr_regions	= ARRAY_SIZE(cm_regions),
	.msix_vectors	= 1,
	.msix_bar	= 0,
	.msix_table	= 0x800,
	.msix_pba	= 0xc00,
	.size		= sizeof(struct core_model),
	.ops		= &cm_ops,
};

static const struct siov_mdev_type_desc cm_types[] = {
	{
		.sysfs_name	= "1",
		.pretty_name	= "core-model",
		.description	= "exercises the sample core (tests only)",
		.queues		= 1,
	},
};

static int cm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return siov_mdev_pci_probe(pdev, &cm_model, cm_types,
				   ARRAY_SIZE(cm_types), 4);
}

/* No ID table: bound to the net endpoint only through driver_override. */
static struct pci_driver cm_driver = {
	.name		= "siov_core_model",
	.probe		= cm_probe,
	.remove		= siov_mdev_pci_remove,
};
module_pci_driver(cm_driver);

MODULE_DESCRIPTION("A test model of the Scalable-IOV sample core's seams");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
