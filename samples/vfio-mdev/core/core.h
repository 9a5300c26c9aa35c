/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample core's private definitions, shared by its files.
 *
 * Naming: siov_mdev_* is the API samples use (siov_mdev.h); smdev_<file>_*
 * is internal, named after the file that defines it (smdev_cfg_*, smdev_irq_*,
 * smdev_bar_*, smdev_engine_*, smdev_ctx_*, smdev_vfio_*, smdev_debugfs_*).
 */
#ifndef _SIOV_MDEV_CORE_H
#define _SIOV_MDEV_CORE_H

#include "../siov_mdev.h"

#define SMDEV_CFG_SIZE		PCI_CFG_SPACE_EXP_SIZE

/* Regions are addressed like vfio-pci's: region index << 40 | offset. */
#define SMDEV_OFFSET_SHIFT	40
#define SMDEV_OFFSET_MASK	(BIT_ULL(SMDEV_OFFSET_SHIFT) - 1)

/**
 * struct siov_mdev_cfg - the config space layout of a parent's mdevs
 * @init: the power-on contents
 * @wmask: per byte, the bits a config write changes
 * @w1c: per byte, the bits a config write of 1 clears
 * @last_next: position of the "next" byte of the last capability linked
 * @free: first free byte for the next capability
 */
struct siov_mdev_cfg {
	u8 init[SMDEV_CFG_SIZE];
	u8 wmask[SMDEV_CFG_SIZE];
	u8 w1c[SMDEV_CFG_SIZE];
	unsigned int last_next;
	unsigned int free;
};

/**
 * struct siov_mdev_queue_ctx - the context register of one endpoint queue
 * @pasid: the PASID the queue tags its requests with, 0 while unprogrammed
 *
 * A real endpoint has these in MMIO; the simulated one keeps them here.
 */
struct siov_mdev_queue_ctx {
	u32 pasid;
};

/**
 * struct siov_mdev_mtype - an mdev type of a parent
 * @type: the mdev core's view
 * @desc: the sample's description of it
 */
struct siov_mdev_mtype {
	struct mdev_type type;
	const struct siov_mdev_type_desc *desc;
};

/**
 * struct siov_mdev_parent - one physical endpoint serving mdevs
 * @mparent: the mdev core's view
 * @pdev: the endpoint; the mdevs' iommu_device
 * @model: what its mdevs emulate
 * @cfg: their config space layout
 * @lock: protects @queue_map
 * @nr_queues: size of the queue pool
 * @queue_map: queues taken by mdevs
 * @queues: the queues' context registers
 * @type_ptrs: the types, as mdev_register_parent() wants them
 * @nr_types: how many
 * @types: the types
 */
struct siov_mdev_parent {
	struct mdev_parent mparent;
	struct pci_dev *pdev;
	const struct siov_mdev_model *model;
	struct siov_mdev_cfg *cfg;
	struct mutex lock;	/* the queue pool */
	unsigned int nr_queues;
	unsigned long *queue_map;
	struct siov_mdev_queue_ctx *queues;
	struct mdev_type **type_ptrs;
	unsigned int nr_types;
	struct siov_mdev_mtype types[];
};

static inline struct siov_mdev *vdev_to_smdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct siov_mdev, vdev);
}

static inline u16 smdev_cfg_command(struct siov_mdev *smdev)
{
	return READ_ONCE(smdev->cfg[PCI_COMMAND]) |
	       READ_ONCE(smdev->cfg[PCI_COMMAND + 1]) << 8;
}

/* main.c */
int smdev_main_queues_get(struct siov_mdev *smdev, unsigned int share);
void smdev_main_queues_put(struct siov_mdev *smdev);
extern struct mdev_driver smdev_main_driver;

/* vfio.c */
extern const struct vfio_device_ops smdev_vfio_ops;
void smdev_vfio_teardown(struct siov_mdev *smdev);

/* cfg.c */
struct siov_mdev_cfg *smdev_cfg_build(const struct siov_mdev_model *model);
void smdev_cfg_reset(struct siov_mdev *smdev);
ssize_t smdev_cfg_rw(struct siov_mdev *smdev, char __user *ubuf,
		     size_t count, u64 off, bool write);

/* bar.c */
bool smdev_bar_model_ok(const struct siov_mdev_model *model);
ssize_t smdev_bar_rw(struct siov_mdev *smdev, unsigned int bar,
		     char __user *ubuf, size_t count, u64 off, bool write);

/* irq.c */
unsigned int smdev_irq_count(struct siov_mdev *smdev, unsigned int index);
long smdev_irq_set_irqs(struct siov_mdev *smdev, void __user *arg);
void smdev_irq_reset(struct siov_mdev *smdev);
void smdev_irq_release(struct siov_mdev *smdev);
void smdev_irq_intx_enable(struct siov_mdev *smdev);
bool smdev_irq_msix_access(struct siov_mdev *smdev, unsigned int bar,
			   u64 off, size_t count, bool write, u64 *val);
void smdev_irq_request(struct siov_mdev *smdev, unsigned int count);

/* engine.c */
void smdev_engine_init(struct siov_mdev *smdev);
void smdev_engine_destroy(struct siov_mdev *smdev);
void smdev_engine_doorbell(struct siov_mdev *smdev);
int smdev_engine_open(struct siov_mdev *smdev);
void smdev_engine_close(struct siov_mdev *smdev);
void smdev_engine_stop(struct siov_mdev *smdev);
void smdev_engine_allow(struct siov_mdev *smdev);

/* ctx.c */
int smdev_ctx_program(struct siov_mdev *smdev);
void smdev_ctx_unprogram(struct siov_mdev *smdev);

/* debugfs.c */
void smdev_debugfs_add(struct siov_mdev *smdev);
void smdev_debugfs_remove(struct siov_mdev *smdev);
int smdev_debugfs_init(void);
void smdev_debugfs_exit(void);

#endif /* _SIOV_MDEV_CORE_H */
