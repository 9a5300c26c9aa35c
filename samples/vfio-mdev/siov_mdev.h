/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sample core of the Scalable-IOV mdev samples (siov_mdev_core.ko):
 * vfio-pci emulation, the device context and the engine worker, shared by
 * every sample parent driver.
 *
 * A sample supplies a struct siov_mdev_model: the PCI identity, its BARs as
 * a table of regions with their handlers, the capabilities it adds to
 * config space, the size of its per-mdev state, and struct siov_mdev_ops
 * (register model, engine, PASID programming).  It binds its PCI endpoint
 * with siov_mdev_pci_probe() (or siov_mdev_parent_register()).  The core does the rest: the mdev
 * parent and types drawn from a pool of the endpoint's queues, the vfio
 * device (config space with Bus Master and Memory Space semantics, BAR
 * dispatch, INTx/MSI/MSI-X/error/request interrupts, reset, open and
 * close), the device context (see "Device context" below), and a worker per
 * open device that runs the engine in bounded batches, charged to the
 * cgroups of the process that opened the device.
 *
 * Files of the core, in the order a guest access flows through them:
 * vfio.c (vfio_device_ops, region dispatch), cfg.c (config space), bar.c
 * (BAR regions), irq.c (interrupts), engine.c (the worker), ctx.c (device
 * context, DMA through the PASID), main.c (parents, types, module).
 */
#ifndef _SIOV_MDEV_H
#define _SIOV_MDEV_H

#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>

#include <siov/dma.h>

struct eventfd_ctx;
struct siov_dma_handle;
struct siov_mdev;
struct siov_mdev_cfg;
struct siov_mdev_parent;

/**
 * DOC: Device context
 *
 * An mdev of a Scalable-IOV device owns queues of the physical device (the
 * mdev's iommu_device, named with mdev_set_iommu_device() at probe).  A
 * queue reaches memory with requests tagged with a PASID, and the IOMMU
 * translates each PASID through its own domain.  vfio type1 attaches the
 * container's domain to the iommu_device as an aux domain when the mdev's
 * group joins a container; the domain then has a PASID on the
 * iommu_device, and VFIO_IOMMU_MAP_DMA/UNMAP_DMA change what that PASID
 * reaches.  The device context is that triple: the domain, its PASID, and
 * (in this simulation only) the DMA handle through which the simulated
 * queue's requests are translated.
 *
 * The core programs the context when the device is opened (the container
 * is set by then, and cannot change while the device is open) and again
 * after a function reset; this is the sequence a real parent driver needs::
 *
 *	domain = iommu_aux_get_domain_for_dev(mdev_dev(mdev));
 *	pasid = iommu_aux_get_pasid(domain, iommu_device);
 *	ops->program_pasid(smdev, pasid);   // write the queue's PASID register
 *
 * and unprograms it on close and reset, before the domain can go away
 * (close is followed by the group leaving the container, which detaches
 * the domain and frees the PASID)::
 *
 *	stop the engine and wait for the work in flight;   // ops->quiesce
 *	ops->unprogram_pasid(smdev);        // clear the queue's PASID register
 *
 * Nothing else is needed: the domain stays attached, and its PASID valid,
 * from the container's attach until its detach, which vfio does only when
 * no device of the group is open.  A queue is never left programmed with a
 * PASID that may be given to another domain.  PASID 0 is refused: it
 * would mean "no PASID", the endpoint's own domain.
 *
 * The engine then reaches memory only through siov_mdev_dma_read(),
 * siov_mdev_dma_write(), siov_mdev_dma_copy() and the single-copy-atomic
 * siov_mdev_dma_read16() and friends, which tag every access with the
 * programmed PASID.  On real hardware those are the device's own bus
 * master requests; here they go through the software IOMMU's DMA
 * interface, which is the only simulation-specific part of the sequence.
 */

/**
 * DOC: Engine worker
 *
 * A software model does on a host CPU what hardware does in silicon, so a
 * guest that keeps its device busy must not get host CPU for free.  Each
 * open device has a worker thread (a kthread_worker, "siov-<pid>" after the
 * opener) attached to the cgroups of the process that opened it, the way
 * vhost attaches its worker: cpu.max on a VM's cgroup limits its device
 * work too.  The engine runs in bounded batches, ops->engine_run() (at most
 * SIOV_MDEV_BATCH_DESCS descriptors and about SIOV_MDEV_BATCH_BYTES bytes,
 * see struct siov_mdev_batch), one at a time, and the worker runs them
 * again while they return true, yielding in between.
 *
 * A model starts it with siov_mdev_engine_kick() from a doorbell register;
 * the kick is refused while the function may not master (Bus Master
 * Enable clear, device closed, engine stopped).  The first batch after a
 * kick runs in the thread that wrote the doorbell (a VMM thread, charged
 * to the same VM), once the write is done and the mdev lock dropped, so a
 * burst of descriptors completes without a wakeup of the worker and one
 * back; whatever the burst leaves goes to the worker.  A doorbell write
 * therefore returns after at most one batch, as a register write of
 * QEMU's own emulated devices returns after their handler.
 *
 * A model that must stop and restart its engine from a register (virtio's
 * device reset) calls siov_mdev_engine_reset(), which keeps the device
 * context programmed.
 */

/* Most MSI-X vectors a model may have. */
#define SIOV_MDEV_MSIX_MAX	32
/* Most BAR regions a model may declare. */
#define SIOV_MDEV_REGIONS_MAX	8

/* The budget of one engine batch. */
#define SIOV_MDEV_BATCH_DESCS	256
#define SIOV_MDEV_BATCH_BYTES	SZ_4M

/**
 * struct siov_mdev_batch - one run of the engine
 * @budget_descs: descriptors (or requests) the engine may complete
 * @budget_bytes: bytes it should move; it may finish the descriptor that
 *	crosses the budget
 * @descs: what it completed (set by the engine)
 * @bytes: what it moved (set by the engine)
 */
struct siov_mdev_batch {
	unsigned int budget_descs;
	size_t budget_bytes;
	unsigned int descs;
	u64 bytes;
};

/**
 * struct siov_mdev_region - a register block inside a BAR
 * @bar: the BAR (0-5)
 * @offset: where it starts in the BAR
 * @size: its length in bytes
 *
 * Accesses that fall in no region read 0 and ignore writes.  The core adds
 * the MSI-X table and PBA itself.
 */
struct siov_mdev_region {
	unsigned int bar;
	u32 offset;
	u32 size;
	/**
	 * @read: read @size (1, 2, 4 or 8) bytes at @off into the region;
	 * @off is naturally aligned and the access lies inside the region.
	 *
	 * Context: the mdev lock held; may sleep, must not take that lock or
	 * wait for anything that takes it.
	 */
	u64 (*read)(struct siov_mdev *smdev, u32 off, unsigned int size);
	/**
	 * @write: write to the region, same rules as @read.
	 *
	 * Context: as for @read.
	 */
	void (*write)(struct siov_mdev *smdev, u32 off, unsigned int size,
		      u64 val);
};

/**
 * struct siov_mdev_ops - what a sample supplies: its register model and engine
 *
 * Only @init, @release, @config_caps and @config_access are optional.
 */
struct siov_mdev_ops {
	/**
	 * @init: set up the per-mdev state after allocation.  The mdev's
	 * queues are taken and its debugfs directory (@debugfs) exists.
	 *
	 * Context: process; no lock held.
	 */
	int (*init)(struct siov_mdev *smdev);
	/**
	 * @release: undo @init when the mdev is removed; the device is
	 * closed.
	 *
	 * Context: process; no lock held.
	 */
	void (*release)(struct siov_mdev *smdev);
	/**
	 * @config_caps: add the model's capabilities to config space with
	 * siov_mdev_cfg_add_cap() and siov_mdev_cfg_reg().  Called once per
	 * parent: every mdev of it gets the same layout.
	 *
	 * Context: process, in siov_mdev_parent_register().
	 */
	int (*config_caps)(struct siov_mdev_cfg *cfg);
	/**
	 * @config_access: a config access touched [@pos, @pos + @len):
	 * before a read, so the model can update bytes it computes, and
	 * after a write, which the core has applied through the register
	 * masks.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*config_access)(struct siov_mdev *smdev, unsigned int pos,
			      unsigned int len, bool write);
	/**
	 * @program_pasid: write @pasid into the context of every queue the
	 * mdev holds (siov_mdev_queue_set_pasid()).  Called when the device
	 * is opened and after a function reset, before any engine run.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*program_pasid)(struct siov_mdev *smdev, u32 pasid);
	/**
	 * @unprogram_pasid: clear it again; the engine is stopped.
	 *
	 * Context: the mdev lock held; may sleep.
	 */
	void (*unprogram_pasid)(struct siov_mdev *smdev);
	/**
	 * @engine_run: run the engine for one batch; return true to be run
	 * again.  Check siov_mdev_engine_stopping() between descriptors and
	 * return at once when it is true.  Never two at once.
	 *
	 * Context: process: the device's worker, or the vfio client's thread
	 * after the write that kicked the engine; no core lock held (do not
	 * take the mdev lock); may sleep.
	 */
	bool (*engine_run)(struct siov_mdev *smdev,
			   struct siov_mdev_batch *batch);
	/**
	 * @quiesce: the engine has stopped (no @engine_run in flight, none
	 * starts): put the registers in their stopped state.
	 *
	 * Context: the mdev lock held, and on close vfio's group lock too;
	 * may sleep.
	 */
	void (*quiesce)(struct siov_mdev *smdev);
	/**
	 * @reset: put the registers in their power-on state and drop what
	 * the guest left in the device; the engine is stopped.  Called on
	 * open, on close and for a function reset.
	 *
	 * Context: the mdev lock held, and on close vfio's device-set lock
	 * too; may sleep.
	 */
	void (*reset)(struct siov_mdev *smdev);
};

/**
 * struct siov_mdev_model - the guest-visible PCI function a sample emulates
 * @owner: the sample's module (THIS_MODULE); an open mdev pins it
 * @vendor: PCI vendor ID
 * @device: PCI device ID
 * @subvendor: subsystem vendor ID
 * @subdevice: subsystem ID
 * @class: class code, (base << 16) | (sub << 8) | prog-if
 * @revision: revision ID
 * @bar_size: size of each 32-bit memory BAR: 0 (none) or a power of two
 *	from 16 bytes to 1 GiB
 * @regions: the register blocks in the BARs, not overlapping each other or
 *	the MSI-X table and PBA
 * @nr_regions: how many, at most SIOV_MDEV_REGIONS_MAX
 * @msix_vectors: MSI-X vectors (0: no MSI-X capability), at most
 *	SIOV_MDEV_MSIX_MAX
 * @msix_bar: BAR holding the MSI-X table and PBA (emulated by the core)
 * @msix_table: offset of the table in @msix_bar
 * @msix_pba: offset of the PBA in @msix_bar
 * @size: size of the sample's per-mdev structure, which embeds struct
 *	siov_mdev at offset 0
 * @groups: the model's own sysfs attributes of each mdev (NULL-terminated,
 *	or NULL), such as settings a management tool makes before the
 *	device is opened; dev_get_drvdata() of the mdev's device is the
 *	struct siov_mdev
 * @ops: the register model and engine
 */
struct siov_mdev_model {
	struct module *owner;
	u16 vendor;
	u16 device;
	u16 subvendor;
	u16 subdevice;
	u32 class;
	u8 revision;
	u32 bar_size[PCI_STD_NUM_BARS];
	const struct siov_mdev_region *regions;
	unsigned int nr_regions;
	unsigned int msix_vectors;
	unsigned int msix_bar;
	u32 msix_table;
	u32 msix_pba;
	size_t size;
	const struct attribute_group **groups;
	const struct siov_mdev_ops *ops;
};

/**
 * struct siov_mdev_type_desc - an mdev type: a share of the parent's queues
 * @sysfs_name: the type's name in sysfs (after "<driver>-")
 * @pretty_name: its "name" attribute
 * @description: its "description" attribute
 * @queues: queues one instance takes from the parent's pool
 */
struct siov_mdev_type_desc {
	const char *sysfs_name;
	const char *pretty_name;
	const char *description;
	unsigned int queues;
};

/* The interrupt an mdev raises through (chosen by VFIO_DEVICE_SET_IRQS). */
enum siov_mdev_irq_mode {
	SIOV_MDEV_IRQ_NONE,
	SIOV_MDEV_IRQ_INTX,
	SIOV_MDEV_IRQ_MSI,
	SIOV_MDEV_IRQ_MSIX,
};

/**
 * struct siov_mdev_ctx - the device context: what the queues are programmed with
 * @domain: the container's aux domain while programmed, else NULL
 * @pasid: its PASID on the parent endpoint, 0 while unprogrammed
 * @dma: simulation only: the DMA handle the simulated queues' requests go
 *	through, NULL while unprogrammed
 */
struct siov_mdev_ctx {
	struct iommu_domain *domain;
	u32 pasid;
	struct siov_dma_handle *dma;
};

/**
 * struct siov_mdev_engine - the worker that runs a device's engine
 * @worker: the thread, in the opener's cgroups; NULL while closed
 * @work: one batch
 * @run_lock: held for a batch, on the worker or in a doorbell writer
 * @kicked: a doorbell was written; its batch runs when the write is done
 * @enabled: the engine may run: open, programmed, Bus Master Enable set,
 *	not being stopped (written under the mdev lock)
 * @wake_pending: siov_mdev_engine_wake() was called and its batch is not
 *	queued yet (the engine was stopped)
 */
struct siov_mdev_engine {
	struct kthread_worker *worker;
	struct kthread_work work;
	struct mutex run_lock;	/* one batch at a time */
	atomic_t kicked;
	bool enabled;
	atomic_t wake_pending;
};

/**
 * struct siov_mdev_stats - per-mdev counters, in debugfs
 * @bytes: bytes the engine moved
 * @descs: descriptors it completed
 * @batches: engine batches run
 * @faults: DMA faults
 * @irqs: interrupts delivered
 * @resets: function and engine resets
 */
struct siov_mdev_stats {
	atomic64_t bytes;
	atomic64_t descs;
	atomic64_t batches;
	atomic64_t faults;
	atomic64_t irqs;
	atomic64_t resets;
};

/**
 * struct siov_mdev - one mediated device, as the core keeps it
 * @vdev: the vfio device (must stay first)
 * @mdev: the mdev
 * @parent: the parent it was created on
 * @model: its model
 * @queue: first of its queues in the parent's pool
 * @nr_queues: how many it holds
 * @lock: serialises config space, region access, ioctls, open and close
 * @ctx: the device context
 * @engine: the engine's worker
 * @cfg: config space (the register masks are the parent's)
 * @msix: MSI-X table, 4 dwords per vector
 * @irq_lock: protects the interrupt state below against the engine
 * @irq_mode: which interrupt is armed
 * @intx_trigger: INTx eventfd
 * @intx_masked: INTx masked (by SET_IRQS or automatically on delivery)
 * @intx_pending: an INTx raised while masked or while Interrupt Disable
 *	was set, delivered when both clear
 * @msi_trigger: MSI eventfd
 * @msix_trigger: MSI-X eventfds
 * @err_trigger: error eventfd, signalled on an unrecoverable DMA fault
 * @req_trigger: request eventfd, signalled when the mdev is being removed
 * @stats: counters
 * @debugfs: its debugfs directory
 */
struct siov_mdev {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	struct siov_mdev_parent *parent;
	const struct siov_mdev_model *model;
	unsigned int queue;
	unsigned int nr_queues;
	struct mutex lock;	/* config, regions, ioctls, open/close */
	struct siov_mdev_ctx ctx;
	struct siov_mdev_engine engine;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	__le32 msix[SIOV_MDEV_MSIX_MAX * 4];
	spinlock_t irq_lock;	/* interrupt state vs the engine */
	enum siov_mdev_irq_mode irq_mode;
	struct eventfd_ctx *intx_trigger;
	bool intx_masked;
	bool intx_pending;
	struct eventfd_ctx *msi_trigger;
	struct eventfd_ctx *msix_trigger[SIOV_MDEV_MSIX_MAX];
	struct eventfd_ctx *err_trigger;
	struct eventfd_ctx *req_trigger;
	struct siov_mdev_stats stats;
	struct dentry *debugfs;
};

/*
 * A sample's PCI driver (main.c): its probe and remove, and its queues=
 * parameter, which module_param_cb(queues, &siov_mdev_queues_param_ops,
 * &queues, 0444) checks: 1 to SIOV_MDEV_QUEUES_MAX, or the load fails.
 */
#define SIOV_MDEV_QUEUES_MAX	64
int siov_mdev_pci_probe(struct pci_dev *pdev,
			const struct siov_mdev_model *model,
			const struct siov_mdev_type_desc *types,
			unsigned int nr_types, unsigned int nr_queues);
void siov_mdev_pci_remove(struct pci_dev *pdev);
extern const struct kernel_param_ops siov_mdev_queues_param_ops;

/* Parents (main.c) */
struct siov_mdev_parent *
siov_mdev_parent_register(struct pci_dev *pdev,
			  const struct siov_mdev_model *model,
			  const struct siov_mdev_type_desc *types,
			  unsigned int nr_types, unsigned int nr_queues);
void siov_mdev_parent_unregister(struct siov_mdev_parent *parent);
void siov_mdev_queue_set_pasid(struct siov_mdev *smdev, unsigned int queue,
			       u32 pasid);

/* Config space capabilities (cfg.c), from ops->config_caps */
int siov_mdev_cfg_add_cap(struct siov_mdev_cfg *cfg, u8 id, unsigned int len);
void siov_mdev_cfg_reg(struct siov_mdev_cfg *cfg, unsigned int pos,
		       unsigned int size, u32 val, u32 wmask, u32 w1c);

/* Interrupts (irq.c) */
void siov_mdev_raise_irq(struct siov_mdev *smdev, unsigned int vector);
void siov_mdev_raise_err(struct siov_mdev *smdev);

/* The engine (engine.c) */
bool siov_mdev_engine_kick(struct siov_mdev *smdev);
bool siov_mdev_engine_stopping(struct siov_mdev *smdev);
void siov_mdev_engine_reset(struct siov_mdev *smdev);
void siov_mdev_engine_wake(struct siov_mdev *smdev);
bool siov_mdev_is_open(struct siov_mdev *smdev);

/* DMA through the device context (ctx.c) */
int siov_mdev_dma_read(struct siov_mdev *smdev, u64 iova, void *buf,
		       size_t len);
int siov_mdev_dma_write(struct siov_mdev *smdev, u64 iova, const void *buf,
			size_t len);
int siov_mdev_dma_copy(struct siov_mdev *smdev, u64 dst, u64 src, size_t len,
		       struct siov_dma_fault *fault);
int siov_mdev_dma_read16(struct siov_mdev *smdev, u64 iova, __le16 *val);
int siov_mdev_dma_read32(struct siov_mdev *smdev, u64 iova, __le32 *val);
int siov_mdev_dma_write16(struct siov_mdev *smdev, u64 iova, __le16 val);
int siov_mdev_dma_write32(struct siov_mdev *smdev, u64 iova, __le32 val);

#endif /* _SIOV_MDEV_H */
