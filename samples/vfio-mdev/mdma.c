// SPDX-License-Identifier: GPL-2.0
/*
 * mdma: a memcpy DMA engine mdev that a guest drives with Linux's stock
 * plx_dma driver (drivers/dma/plx_dma.c, PCI 10b5:87d0).
 *
 * The parent is a simulated Scalable-IOV DMA endpoint of drivers/siov-pci;
 * the sample core (siov_mdev_core.ko) does the vfio-pci emulation and the
 * device context.  This file holds the register model and the engine.
 *
 * Registers, in BAR0 (4 KiB; the MSI-X table is at 800h, its PBA at C00h):
 *   214h RING_ADDR       ring base, low 32 bits (RW, 16-byte aligned)
 *   218h RING_ADDR_HI    ring base, high bits (RW; the ring lies below 2^48)
 *   21Ch NEXT_ADDR       low 32 bits of the next descriptor (RW)
 *   220h RING_COUNT      descriptors in the ring, 1..MDMA_RING_MAX (RW)
 *   224h LAST_ADDR       low 32 bits of the last descriptor done (RO)
 *   228h LAST_SIZE       bytes it moved (RO)
 *   234h PREF_LIMIT      prefetch limit (RW, stored only)
 *   238h CTRL            0 GRACEFUL_PAUSE, 1 ABORT, 2 WRITE_BACK_EN,
 *                        3 START, 4 RING_STOP_MODE, 5-6 DESC_MODE (RW);
 *                        8 DESC_INVALID, 9 GRACEFUL_PAUSE_DONE,
 *                        10 ABORT_DONE, 12 IMM_PAUSE_DONE (RW1C, set at
 *                        reset); 16-18 max transfer size (RW, stored);
 *                        30 IN_PROGRESS (RO)
 *   23Ch INTR_CTRL       0 ERROR_EN, 1 INV_DESC_EN (RW)
 *   23Eh INTR_STATUS     0 ERROR, 1 INV_DESC, 2 DESC_DONE (RW1C)
 * Everything else reads 0 and ignores writes, read-only registers too.
 * A CTRL write with ABORT set stops the engine and ignores the START and
 * GRACEFUL_PAUSE of the same write (plx_dma writes ABORT alone).
 *
 * A descriptor is 16 bytes: flags_and_size (31 VALID, 30 INT_WHEN_DONE,
 * 26-0 size), dst_hi:16, src_hi:16, dst_lo, src_lo.  Writing START makes
 * the engine (on the core's worker) process descriptors from NEXT_ADDR until one is
 * not VALID: it copies size bytes, then, with WRITE_BACK_EN, writes back
 * flags_and_size with VALID clear, bit 30 SUCCESS or bit 29 RD_FAIL /
 * bit 28 WR_FAIL, and the bytes moved in the size field; then DESC_DONE and
 * an interrupt if INT_WHEN_DONE (ERROR too if the copy failed).  A size of
 * 0 completes with SUCCESS.  A ring the engine cannot use (count 0 or above
 * MDMA_RING_MAX, base not aligned or beyond 2^48, NEXT_ADDR outside the
 * ring) or a descriptor it cannot fetch or write back stops it with
 * DESC_INVALID, INTR_STATUS ERROR and an interrupt.
 *
 * Every descriptor fetch, data read and write, and status write-back goes
 * through the DMA interface with the PASID of the mdev's queue.  A fault on
 * the ring itself (a descriptor fetch or write-back) also signals the VFIO
 * error interrupt: the guest's ring is beyond what the registers can
 * report.  A ring must not cross a 4 GiB boundary (NEXT_ADDR holds 32
 * bits); one that does is refused at START with DESC_INVALID.
 *
 * The engine runs in the core's batches of at most SIOV_MDEV_BATCH_DESCS
 * descriptors or SIOV_MDEV_BATCH_BYTES bytes, the first after START in the
 * thread that wrote it and the rest on the open device's worker: a
 * guest that keeps it busy for ever (a VALID descriptor with write-back
 * off, which the engine finds again each time round the ring, as hardware
 * would) costs CPU time in its own VMM's cgroup, nowhere else.  Keep that
 * shape when copying this sample.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <siov/pci_ids.h>
#include <siov/plx_dma_regs.h>

#include "siov_mdev.h"

/* What the emulated control registers let a guest write */
#define MDMA_CTRL_RW		(PLX_CTRL_PAUSE | PLX_CTRL_WRITE_BACK_EN | \
				 PLX_CTRL_RING_STOP | PLX_CTRL_DESC_MODE | \
				 PLX_CTRL_MAX_TXFR)
#define MDMA_CTRL_W1C		(PLX_CTRL_DESC_INVALID | PLX_CTRL_PAUSE_DONE | \
				 PLX_CTRL_ABORT_DONE | PLX_CTRL_IMM_PAUSE_DONE)
#define MDMA_INTR_CTRL_RW	(PLX_INTR_ERROR_EN | PLX_INTR_INV_DESC_EN)
#define MDMA_STATUS_ALL		(PLX_STATUS_ERROR | PLX_STATUS_INV_DESC | \
				 PLX_STATUS_DESC_DONE)
#define MDMA_REG_INTR		PLX_REG_INTR_CTRL	/* INTR_CTRL, INTR_STATUS << 16 */

#define MDMA_DESC_BYTES		16
#define MDMA_FETCH		8	/* descriptors fetched at once */
#define MDMA_RING_MAX		65536
#define MDMA_ADDR_LIMIT		BIT_ULL(48)
/* The engine copies in chunks of this much, checking for stop in between. */
#define MDMA_CHUNK		SZ_1M
#define MDMA_BAR0_SIZE		SZ_4K

static unsigned int queues = 8;
module_param_cb(queues, &siov_mdev_queues_param_ops, &queues, 0444);
MODULE_PARM_DESC(queues, "hardware queues per endpoint for mdevs (1-64, default 8)");

/**
 * struct mdma - one mdma mdev
 * @smdev: the core's part (must stay first)
 * @lock: the registers, against the engine
 * @ring_lo: RING_ADDR
 * @ring_hi: RING_ADDR_HI
 * @next: NEXT_ADDR
 * @count: RING_COUNT
 * @last_addr: LAST_ADDR
 * @last_size: LAST_SIZE
 * @pref_limit: PREF_LIMIT
 * @ctrl: CTRL (with CTRL2 in bits 16-31)
 * @intr_ctrl: INTR_CTRL
 * @intr_status: INTR_STATUS
 * @running: the engine is queued or running (IN_PROGRESS)
 * @kick: START was written since the engine last fetched a descriptor
 * @aborting: ABORT was written while the engine ran
 */
struct mdma {
	struct siov_mdev smdev;
	spinlock_t lock;	/* registers vs engine */
	u32 ring_lo;
	u32 ring_hi;
	u32 next;
	u32 count;
	u32 last_addr;
	u32 last_size;
	u32 pref_limit;
	u32 ctrl;
	u16 intr_ctrl;
	u16 intr_status;
	bool running;
	bool kick;
	bool aborting;
};

static struct mdma *to_mdma(struct siov_mdev *smdev)
{
	return container_of(smdev, struct mdma, smdev);
}

/* The engine */

/* Called with the lock held when the engine stops; says why. */
static void mdma_stopped(struct mdma *md)
{
	lockdep_assert_held(&md->lock);
	md->running = false;
	md->ctrl &= ~(PLX_CTRL_START | PLX_CTRL_IN_PROGRESS);
	if (md->ctrl & PLX_CTRL_PAUSE)
		md->ctrl |= PLX_CTRL_PAUSE_DONE;
	if (md->aborting) {
		md->aborting = false;
		md->ctrl |= PLX_CTRL_ABORT_DONE;
	}
}

/* The ring as programmed, or false if the engine cannot use it. */
static bool mdma_ring_ok(struct mdma *md, u64 *desc)
{
	u64 base = (u64)md->ring_hi << 32 | md->ring_lo;
	u64 addr = (u64)md->ring_hi << 32 | md->next;
	u64 end;

	if (!md->count || md->count > MDMA_RING_MAX || base % MDMA_DESC_BYTES)
		return false;
	end = base + (u64)md->count * MDMA_DESC_BYTES;
	if (base >= MDMA_ADDR_LIMIT || end > MDMA_ADDR_LIMIT)
		return false;
	/* NEXT_ADDR has the low 32 bits only: no 4 GiB boundary inside. */
	if (upper_32_bits(base) != upper_32_bits(end - 1))
		return false;
	if (addr < base || addr >= end || addr % MDMA_DESC_BYTES)
		return false;
	*desc = addr;
	return true;
}

/*
 * Stop on a ring-level error: DESC_INVALID, ERROR, and an interrupt; a DMA
 * fault on the ring itself also goes to the VMM as an error interrupt.
 */
static void mdma_ring_error(struct mdma *md, bool fault)
{
	spin_lock(&md->lock);
	md->ctrl |= PLX_CTRL_DESC_INVALID;
	md->intr_status |= PLX_STATUS_ERROR;
	mdma_stopped(md);
	spin_unlock(&md->lock);
	siov_mdev_raise_irq(&md->smdev, 0);
	if (fault)
		siov_mdev_raise_err(&md->smdev);
}

static bool mdma_stop_now(struct mdma *md)
{
	return siov_mdev_engine_stopping(&md->smdev) || READ_ONCE(md->aborting);
}

/*
 * Copy one descriptor's data.  Returns 0, PLX_WB_RD_FAIL or
 * PLX_WB_WR_FAIL, or -EINTR when told to stop half-way; *@done is set to
 * the bytes moved.
 */
static int mdma_copy(struct mdma *md, u64 dst, u64 src, u32 size, u32 *done)
{
	u32 chunk;
	int ret;

	*done = 0;
	if (src + size > MDMA_ADDR_LIMIT)
		return PLX_WB_RD_FAIL;
	if (dst + size > MDMA_ADDR_LIMIT)
		return PLX_WB_WR_FAIL;
	while (*done < size) {
		struct siov_dma_fault fault;

		if (mdma_stop_now(md))
			return -EINTR;
		chunk = min_t(u32, size - *done, MDMA_CHUNK);
		ret = siov_mdev_dma_copy(&md->smdev, dst + *done, src + *done,
					 chunk, &fault);
		if (ret)
			return fault.write ? PLX_WB_WR_FAIL : PLX_WB_RD_FAIL;
		*done += chunk;
		cond_resched();
	}
	return 0;
}

/*
 * Descriptors fetched ahead: up to MDMA_FETCH consecutive ones in one read,
 * never past the end of the ring or a page boundary (so a fetch faults only
 * where fetching the first descriptor alone would).  Descriptors the guest
 * has made VALID stay untouched until written back, so only an invalid one
 * must be fetched again, after a START.
 */
struct mdma_fetch {
	struct plx_dma_desc desc[MDMA_FETCH];
	u64 addr;		/* of desc[0] */
	unsigned int n;		/* fetched */
	unsigned int i;		/* next to process */
};

static unsigned int mdma_fetch_count(struct mdma *md, u64 addr)
{
	u64 end = ((u64)md->ring_hi << 32 | md->ring_lo) +
		  (u64)md->count * MDMA_DESC_BYTES;
	u64 n = min_t(u64, (end - addr) / MDMA_DESC_BYTES, MDMA_FETCH);

	return min_t(u64, n, (PAGE_SIZE - offset_in_page(addr)) /
			     MDMA_DESC_BYTES);
}

/*
 * The engine: one batch.  One critical section per descriptor: the
 * bookkeeping of the one done and the checks before the next one share it
 * (on a lockdep kernel each lock round trip costs about a microsecond); the
 * completion interrupt of a descriptor is raised right after it, before the
 * next copy.  Returns true when the ring goes on past the batch's budget.
 */
static bool mdma_engine_run(struct siov_mdev *smdev,
			    struct siov_mdev_batch *batch)
{
	struct mdma *md = to_mdma(smdev);
	struct mdma_fetch f = { .n = 0 };
	unsigned int fetch = 0;
	bool irq = false, more = false;

	spin_lock(&md->lock);
	for (;;) {
		struct plx_dma_desc desc;
		u32 flags, size, done, wb;
		u64 addr, src, dst;
		int ret;

		lockdep_assert_held(&md->lock);
		if (mdma_stop_now(md) || !(md->ctrl & PLX_CTRL_START) ||
		    md->ctrl & PLX_CTRL_PAUSE) {
			mdma_stopped(md);
			spin_unlock(&md->lock);
			break;
		}
		if (batch->descs >= batch->budget_descs ||
		    batch->bytes >= batch->budget_bytes) {
			spin_unlock(&md->lock);
			more = true;
			break;
		}
		if (!mdma_ring_ok(md, &addr)) {
			spin_unlock(&md->lock);
			if (irq)
				siov_mdev_raise_irq(smdev, 0);
			mdma_ring_error(md, false);
			return false;
		}
		/* The guest moved the ring or NEXT_ADDR: forget what we have. */
		if (f.i >= f.n || addr != f.addr + f.i * MDMA_DESC_BYTES) {
			f.n = 0;
			fetch = mdma_fetch_count(md, addr);
			md->kick = false;
		}
		spin_unlock(&md->lock);
		if (irq) {
			siov_mdev_raise_irq(smdev, 0);
			irq = false;
		}

		if (!f.n) {
			if (siov_mdev_dma_read(smdev, addr, f.desc,
					       fetch * sizeof(f.desc[0]))) {
				mdma_ring_error(md, true);
				return false;
			}
			f.addr = addr;
			f.n = fetch;
			f.i = 0;
		}
		desc = f.desc[f.i];
		flags = le32_to_cpu(desc.flags_and_size);
		if (!(flags & PLX_DESC_VALID)) {
			f.n = 0;	/* fetch it again after a START */
			spin_lock(&md->lock);
			if (md->kick)
				continue;
			mdma_stopped(md);
			spin_unlock(&md->lock);
			return false;
		}

		f.i++;
		size = flags & PLX_DESC_SIZE;
		src = (u64)le16_to_cpu(desc.src_hi) << 32 | le32_to_cpu(desc.src_lo);
		dst = (u64)le16_to_cpu(desc.dst_hi) << 32 | le32_to_cpu(desc.dst_lo);
		ret = mdma_copy(md, dst, src, size, &done);
		if (ret < 0) {
			/* Aborted or stopped half-way: no write-back. */
			spin_lock(&md->lock);
			mdma_stopped(md);
			spin_unlock(&md->lock);
			return false;
		}

		if (READ_ONCE(md->ctrl) & PLX_CTRL_WRITE_BACK_EN) {
			wb = done | (ret ? ret : PLX_WB_SUCCESS);
			desc.flags_and_size = cpu_to_le32(wb);
			if (siov_mdev_dma_write(smdev, addr,
						&desc.flags_and_size,
						sizeof(desc.flags_and_size))) {
				mdma_ring_error(md, true);
				return false;
			}
		}

		spin_lock(&md->lock);
		md->last_addr = lower_32_bits(addr);
		md->last_size = done;
		addr += MDMA_DESC_BYTES;
		if (addr == ((u64)md->ring_hi << 32 | md->ring_lo) +
			    (u64)md->count * MDMA_DESC_BYTES)
			addr = (u64)md->ring_hi << 32 | md->ring_lo;
		md->next = lower_32_bits(addr);
		irq = flags & PLX_DESC_INT;
		if (irq)
			md->intr_status |= PLX_STATUS_DESC_DONE;
		if (ret) {
			md->intr_status |= PLX_STATUS_ERROR;
			if (md->intr_ctrl & PLX_INTR_ERROR_EN)
				irq = true;
		}
		batch->descs++;
		batch->bytes += done;
	}
	if (irq)
		siov_mdev_raise_irq(smdev, 0);
	return more;
}

/* The register model */

static u32 mdma_reg_read(struct mdma *md, u32 reg)
{
	u32 val = 0;

	spin_lock(&md->lock);
	switch (reg) {
	case PLX_REG_RING_ADDR:
		val = md->ring_lo;
		break;
	case PLX_REG_RING_ADDR_HI:
		val = md->ring_hi;
		break;
	case PLX_REG_NEXT_ADDR:
		val = md->next;
		break;
	case PLX_REG_RING_COUNT:
		val = md->count;
		break;
	case PLX_REG_LAST_ADDR:
		val = md->last_addr;
		break;
	case PLX_REG_LAST_SIZE:
		val = md->last_size;
		break;
	case PLX_REG_PREF_LIMIT:
		val = md->pref_limit;
		break;
	case PLX_REG_CTRL:
		val = md->ctrl;
		break;
	case MDMA_REG_INTR:
		val = md->intr_ctrl | (u32)md->intr_status << 16;
		break;
	}
	spin_unlock(&md->lock);
	return val;
}

static void mdma_start(struct mdma *md)
{
	lockdep_assert_held(&md->lock);
	/* Not while the function may not master (Bus Master Enable clear). */
	if (!siov_mdev_engine_kick(&md->smdev))
		return;
	md->ctrl |= PLX_CTRL_START | PLX_CTRL_IN_PROGRESS;
	md->ctrl &= ~(PLX_CTRL_PAUSE_DONE | PLX_CTRL_ABORT_DONE);
	md->kick = true;
	md->running = true;
}

static void mdma_ctrl_write(struct mdma *md, u32 val, u32 mask)
{
	lockdep_assert_held(&md->lock);
	md->ctrl = (md->ctrl & ~(MDMA_CTRL_RW & mask)) |
		   (val & MDMA_CTRL_RW & mask);
	md->ctrl &= ~(val & MDMA_CTRL_W1C & mask);
	val &= mask;
	if (val & PLX_CTRL_ABORT) {
		md->ctrl &= ~PLX_CTRL_START;
		if (md->running)
			md->aborting = true;
		else
			md->ctrl |= PLX_CTRL_ABORT_DONE;
		return;
	}
	if (md->ctrl & PLX_CTRL_PAUSE) {
		if (!md->running)
			md->ctrl |= PLX_CTRL_PAUSE_DONE;
		return;
	}
	md->ctrl &= ~PLX_CTRL_PAUSE_DONE;
	if (val & PLX_CTRL_START)
		mdma_start(md);
}

/* A write of the bytes of @val that @mask selects, to dword @reg. */
static void mdma_reg_write(struct mdma *md, u32 reg, u32 val, u32 mask)
{
	spin_lock(&md->lock);
	switch (reg) {
	case PLX_REG_RING_ADDR:
		md->ring_lo = (md->ring_lo & ~mask) | (val & mask);
		break;
	case PLX_REG_RING_ADDR_HI:
		md->ring_hi = (md->ring_hi & ~mask) | (val & mask);
		break;
	case PLX_REG_NEXT_ADDR:
		md->next = (md->next & ~mask) | (val & mask);
		break;
	case PLX_REG_RING_COUNT:
		md->count = (md->count & ~mask) | (val & mask);
		break;
	case PLX_REG_PREF_LIMIT:
		md->pref_limit = (md->pref_limit & ~(mask & 0xff)) |
				 (val & mask & 0xff);
		break;
	case PLX_REG_CTRL:
		mdma_ctrl_write(md, val, mask);
		break;
	case MDMA_REG_INTR:
		md->intr_ctrl = (md->intr_ctrl & ~(mask & MDMA_INTR_CTRL_RW)) |
				(val & mask & MDMA_INTR_CTRL_RW);
		md->intr_status &= ~((val & mask) >> 16 & MDMA_STATUS_ALL);
		break;
	default:
		break;	/* read-only or unimplemented: ignored */
	}
	spin_unlock(&md->lock);
}

static u64 mdma_regs_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	struct mdma *md = to_mdma(smdev);
	u64 val;

	if (size == 8)
		return mdma_reg_read(md, off) |
		       (u64)mdma_reg_read(md, off + 4) << 32;
	val = mdma_reg_read(md, off & ~3) >> (8 * (off & 3));
	return val & GENMASK_ULL(8 * size - 1, 0);
}

static void mdma_regs_write(struct siov_mdev *smdev, u32 off,
			    unsigned int size, u64 val)
{
	struct mdma *md = to_mdma(smdev);
	unsigned int shift = 8 * (off & 3);

	if (size == 8) {
		mdma_reg_write(md, off, lower_32_bits(val), U32_MAX);
		mdma_reg_write(md, off + 4, upper_32_bits(val), U32_MAX);
		return;
	}
	mdma_reg_write(md, off & ~3, (u32)val << shift,
		       (u32)GENMASK_ULL(8 * size - 1, 0) << shift);
}

/* The core stopped the engine: show it stopped. */
static void mdma_quiesce(struct siov_mdev *smdev)
{
	struct mdma *md = to_mdma(smdev);

	spin_lock(&md->lock);
	mdma_stopped(md);
	spin_unlock(&md->lock);
}

static void mdma_reset(struct siov_mdev *smdev)
{
	struct mdma *md = to_mdma(smdev);

	spin_lock(&md->lock);
	md->ring_lo = 0;
	md->ring_hi = 0;
	md->next = 0;
	md->count = 0;
	md->last_addr = 0;
	md->last_size = 0;
	md->pref_limit = 0;
	md->ctrl = PLX_CTRL_DESC_INVALID | PLX_CTRL_PAUSE_DONE |
		   PLX_CTRL_ABORT_DONE | PLX_CTRL_IMM_PAUSE_DONE;
	md->intr_ctrl = 0;
	md->intr_status = 0;
	md->running = false;
	md->kick = false;
	md->aborting = false;
	spin_unlock(&md->lock);
}

static int mdma_init(struct siov_mdev *smdev)
{
	spin_lock_init(&to_mdma(smdev)->lock);
	return 0;
}

/*
 * The device context: each queue the mdev holds gets the PASID in its
 * context register, so that its requests carry it.
 */
static void mdma_program_pasid(struct siov_mdev *smdev, u32 pasid)
{
	unsigned int q;

	for (q = 0; q < smdev->nr_queues; q++)
		siov_mdev_queue_set_pasid(smdev, q, pasid);
}

static void mdma_unprogram_pasid(struct siov_mdev *smdev)
{
	mdma_program_pasid(smdev, 0);
}

static const struct siov_mdev_ops mdma_ops = {
	.init		 = mdma_init,
	.program_pasid	 = mdma_program_pasid,
	.unprogram_pasid = mdma_unprogram_pasid,
	.engine_run	 = mdma_engine_run,
	.quiesce	 = mdma_quiesce,
	.reset		 = mdma_reset,
};

/* BAR0: the registers below the MSI-X table (800h) and PBA (C00h). */
static const struct siov_mdev_region mdma_regions[] = {
	{
		.bar	= 0,
		.offset	= 0,
		.size	= 0x800,
		.read	= mdma_regs_read,
		.write	= mdma_regs_write,
	},
};

static const struct siov_mdev_model mdma_model = {
	.owner		= THIS_MODULE,
	.vendor		= PLX_DMA_VENDOR_ID,
	.device		= PLX_DMA_DEVICE_ID,
	.subvendor	= PLX_DMA_VENDOR_ID,
	.subdevice	= PLX_DMA_DEVICE_ID,
	.class		= PCI_CLASS_SYSTEM_OTHER << 8,
	.revision	= 0x01,
	.bar_size	= { MDMA_BAR0_SIZE },
	.regions	= mdma_regions,
	.nr_regions	= ARRAY_SIZE(mdma_regions),
	.msix_vectors	= 1,
	.msix_bar	= 0,
	.msix_table	= 0x800,
	.msix_pba	= 0xc00,
	.size		= sizeof(struct mdma),
	.ops		= &mdma_ops,
};

static const struct siov_mdev_type_desc mdma_types[] = {
	{
		.sysfs_name	= "1q",
		.pretty_name	= "mdma-1q",
		.description	= "plx_dma-compatible DMA channel on one engine queue",
		.queues		= 1,
	}, {
		.sysfs_name	= "4q",
		.pretty_name	= "mdma-4q",
		.description	=
			"plx_dma-compatible DMA channel holding four engine queues: all four carry its PASID, the channel runs on the first",
		.queues		= 4,
	},
};

static int mdma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return siov_mdev_pci_probe(pdev, &mdma_model, mdma_types,
				   ARRAY_SIZE(mdma_types), queues);
}

static const struct pci_device_id mdma_ids[] = {
	{ PCI_DEVICE(SIOV_PCI_VENDOR_ID, SIOV_PCI_DEVICE_DMA) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mdma_ids);

static struct pci_driver mdma_driver = {
	.name		= "mdma",
	.id_table	= mdma_ids,
	.probe		= mdma_probe,
	.remove		= siov_mdev_pci_remove,
};

module_pci_driver(mdma_driver);

MODULE_DESCRIPTION("plx_dma-compatible DMA engine mdev on a simulated Scalable-IOV endpoint");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
