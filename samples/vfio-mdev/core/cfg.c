// SPDX-License-Identifier: GPL-2.0
/*
 * Config space of the mdevs: a 4 KiB PCI Express config space built once
 * per parent, and the side effects of config writes.
 *
 * The layout (struct siov_mdev_cfg) holds the power-on contents and, per
 * byte, the bits a write changes and the bits a write of 1 clears; every
 * mdev of a parent shares it and keeps only its own contents.  The header
 * is a type-0 function with 32-bit memory BARs and INTA#; capabilities are
 * allocated one after the other from 40h, 4-byte aligned, and linked in
 * the order they are added: power management, MSI, MSI-X (when the model
 * has vectors), PCI Express (a Root Complex Integrated Endpoint, as
 * Scalable-IOV devices are), then whatever the model adds in
 * ops->config_caps (a virtio device's vendor capabilities).  The extended
 * space from 100h has no capabilities.
 *
 * A write goes through the masks byte by byte; then:
 * - Bus Master Enable 1 -> 0 stops the engine and waits for the batch in
 *   flight, as a function stops mastering; 0 -> 1 lets it be kicked again.
 * - Interrupt Disable 1 -> 0 delivers an INTx latched while it was set.
 * - Memory Space Enable gates BAR access (bar.c).
 * - the model's ops->config_access sees the range.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core.h"

/* Status bits a write of 1 clears (the error bits). */
#define SMDEV_CFG_STATUS_W1C	0xf900
/* Command bits a guest may set: no I/O space (the BARs are memory). */
#define SMDEV_CFG_CMD_RW	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)

static void smdev_cfg_put(u8 *space, unsigned int pos, unsigned int size,
			  u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		space[pos + i] = val >> (8 * i);
}

/**
 * siov_mdev_cfg_reg() - define a config space register
 * @cfg: the layout being built
 * @pos: its position
 * @size: its size in bytes (1 to 4)
 * @val: its power-on value
 * @wmask: the bits a write changes
 * @w1c: the bits a write of 1 clears
 *
 * Context: ops->config_caps (process context).
 */
void siov_mdev_cfg_reg(struct siov_mdev_cfg *cfg, unsigned int pos,
		       unsigned int size, u32 val, u32 wmask, u32 w1c)
{
	if (WARN_ON(size > 4 || pos >= SMDEV_CFG_SIZE ||
		    size > SMDEV_CFG_SIZE - pos))
		return;
	smdev_cfg_put(cfg->init, pos, size, val);
	smdev_cfg_put(cfg->wmask, pos, size, wmask);
	smdev_cfg_put(cfg->w1c, pos, size, w1c);
}
EXPORT_SYMBOL_GPL(siov_mdev_cfg_reg);

/**
 * siov_mdev_cfg_add_cap() - allocate a capability in config space
 * @cfg: the layout being built
 * @id: its capability ID (PCI_CAP_ID_*)
 * @len: its length in bytes, the ID and next bytes included
 *
 * Places the capability after the last one, 4-byte aligned, writes its ID
 * and links it at the end of the chain.  Its other bytes are 0 and
 * read-only until siov_mdev_cfg_reg() defines them.
 *
 * Context: ops->config_caps (process context).
 *
 * Return: its position; -EINVAL for a @len below 2; -ENOSPC when it does
 * not fit below 100h.
 */
int siov_mdev_cfg_add_cap(struct siov_mdev_cfg *cfg, u8 id, unsigned int len)
{
	unsigned int pos = ALIGN(cfg->free, 4);

	if (len < 2)
		return -EINVAL;
	if (pos + len > PCI_CFG_SPACE_SIZE)
		return -ENOSPC;
	cfg->init[cfg->last_next] = pos;
	cfg->init[pos] = id;
	cfg->init[pos + PCI_CAP_LIST_NEXT] = 0;
	cfg->last_next = pos + PCI_CAP_LIST_NEXT;
	cfg->free = pos + len;
	return pos;
}
EXPORT_SYMBOL_GPL(siov_mdev_cfg_add_cap);

static void smdev_cfg_header(struct siov_mdev_cfg *cfg,
			     const struct siov_mdev_model *m)
{
	unsigned int bar;

	siov_mdev_cfg_reg(cfg, PCI_VENDOR_ID, 2, m->vendor, 0, 0);
	siov_mdev_cfg_reg(cfg, PCI_DEVICE_ID, 2, m->device, 0, 0);
	siov_mdev_cfg_reg(cfg, PCI_COMMAND, 2, 0, SMDEV_CFG_CMD_RW, 0);
	siov_mdev_cfg_reg(cfg, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
			  SMDEV_CFG_STATUS_W1C);
	siov_mdev_cfg_reg(cfg, PCI_CLASS_REVISION, 4,
			  m->class << 8 | m->revision, 0, 0);
	siov_mdev_cfg_reg(cfg, PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0);
	siov_mdev_cfg_reg(cfg, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL, 0, 0);
	/* 32-bit memory BARs: the size bits read back as 0 (sizing). */
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (m->bar_size[bar])
			siov_mdev_cfg_reg(cfg, PCI_BASE_ADDRESS_0 + 4 * bar, 4,
					  PCI_BASE_ADDRESS_SPACE_MEMORY |
					  PCI_BASE_ADDRESS_MEM_TYPE_32,
					  ~(m->bar_size[bar] - 1), 0);
	siov_mdev_cfg_reg(cfg, PCI_SUBSYSTEM_VENDOR_ID, 2, m->subvendor, 0, 0);
	siov_mdev_cfg_reg(cfg, PCI_SUBSYSTEM_ID, 2, m->subdevice, 0, 0);
	siov_mdev_cfg_reg(cfg, PCI_INTERRUPT_LINE, 1, 0, 0xff, 0);
	siov_mdev_cfg_reg(cfg, PCI_INTERRUPT_PIN, 1, 1, 0, 0);	/* INTA# */
}

/* Power management, MSI, MSI-X and PCI Express. */
static int smdev_cfg_std_caps(struct siov_mdev_cfg *cfg,
			      const struct siov_mdev_model *m)
{
	int pos;

	/* Power management v3: D0 and D3hot, no soft reset on D3hot->D0. */
	pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_PM, PCI_PM_SIZEOF);
	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + PCI_PM_PMC, 2, 3, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET,
			  PCI_PM_CTRL_STATE_MASK, 0);

	/* MSI: one vector, 64-bit address. */
	pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_MSI, PCI_MSI_DATA_64 + 2);
	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT,
			  PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_MSI_ADDRESS_LO, 4, 0, 0xfffffffc, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_MSI_ADDRESS_HI, 4, 0, 0xffffffff, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_MSI_DATA_64, 2, 0, 0xffff, 0);

	if (m->msix_vectors) {
		pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_MSIX,
					    PCI_CAP_MSIX_SIZEOF);
		if (pos < 0)
			return pos;
		siov_mdev_cfg_reg(cfg, pos + PCI_MSIX_FLAGS, 2,
				  m->msix_vectors - 1,
				  PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
				  0);
		siov_mdev_cfg_reg(cfg, pos + PCI_MSIX_TABLE, 4,
				  m->msix_table | m->msix_bar, 0, 0);
		siov_mdev_cfg_reg(cfg, pos + PCI_MSIX_PBA, 4,
				  m->msix_pba | m->msix_bar, 0, 0);
	}

	/* PCI Express v2, Root Complex Integrated Endpoint: no link. */
	pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_EXP, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2);
	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + PCI_EXP_FLAGS, 2,
			  PCI_EXP_TYPE_RC_END << 4 | 2, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_EXP_DEVCTL, 2,
			  PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN,
			  PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
			  PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
			  PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
			  PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ, 0);
	siov_mdev_cfg_reg(cfg, pos + PCI_EXP_DEVSTA, 2, 0, 0,
			  PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
			  PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	return 0;
}

/**
 * smdev_cfg_build() - the config space layout of a model's mdevs
 * @model: the model
 *
 * Return: the layout (kvfree() it), or an ERR_PTR(): -ENOMEM, -ENOSPC when
 * the model's capabilities do not fit, or what ops->config_caps returns.
 */
struct siov_mdev_cfg *smdev_cfg_build(const struct siov_mdev_model *model)
{
	struct siov_mdev_cfg *cfg = kvzalloc(sizeof(*cfg), GFP_KERNEL);
	int ret;

	if (!cfg)
		return ERR_PTR(-ENOMEM);
	cfg->last_next = PCI_CAPABILITY_LIST;
	cfg->free = PCI_STD_HEADER_SIZEOF;
	smdev_cfg_header(cfg, model);
	ret = smdev_cfg_std_caps(cfg, model);
	if (!ret && model->ops->config_caps)
		ret = model->ops->config_caps(cfg);
	if (ret) {
		kvfree(cfg);
		return ERR_PTR(ret);
	}
	return cfg;
}

/* Config space at power-on. */
void smdev_cfg_reset(struct siov_mdev *smdev)
{
	memcpy(smdev->cfg, smdev->parent->cfg->init, sizeof(smdev->cfg));
}

static void smdev_cfg_write(struct siov_mdev *smdev, unsigned int pos,
			    const u8 *buf, size_t count)
{
	const struct siov_mdev_cfg *cfg = smdev->parent->cfg;
	u16 old = smdev_cfg_command(smdev), new;
	unsigned int i;

	lockdep_assert_held(&smdev->lock);
	for (i = 0; i < count; i++) {
		u8 wm = cfg->wmask[pos + i], w1c = cfg->w1c[pos + i];
		u8 val = (smdev->cfg[pos + i] & ~wm) | (buf[i] & wm);

		WRITE_ONCE(smdev->cfg[pos + i], val & ~(buf[i] & w1c));
	}

	new = smdev_cfg_command(smdev);
	if (old & ~new & PCI_COMMAND_MASTER)
		smdev_engine_stop(smdev);	/* no more DMA, no more MSIs */
	else if (new & ~old & PCI_COMMAND_MASTER)
		smdev_engine_allow(smdev);
	if (old & ~new & PCI_COMMAND_INTX_DISABLE)
		smdev_irq_intx_enable(smdev);
	if (smdev->model->ops->config_access)
		smdev->model->ops->config_access(smdev, pos, count, true);
}

/**
 * smdev_cfg_rw() - a config space access of the vfio client
 * @smdev: the mdev
 * @ubuf: the client's buffer
 * @count: bytes, any number inside the 4 KiB
 * @off: where
 * @write: a write
 *
 * Return: @count, -EINVAL outside config space, -EFAULT, -ENOMEM.
 */
ssize_t smdev_cfg_rw(struct siov_mdev *smdev, char __user *ubuf,
		     size_t count, u64 off, bool write)
{
	const struct siov_mdev_ops *ops = smdev->model->ops;
	ssize_t ret = count;
	u8 *buf;

	if (off >= SMDEV_CFG_SIZE || count > SMDEV_CFG_SIZE - off)
		return -EINVAL;
	if (write) {
		buf = memdup_user(ubuf, count);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		mutex_lock(&smdev->lock);
		smdev_cfg_write(smdev, off, buf, count);
		mutex_unlock(&smdev->lock);
	} else {
		buf = kmalloc(count, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		mutex_lock(&smdev->lock);
		if (ops->config_access)
			ops->config_access(smdev, off, count, false);
		memcpy(buf, smdev->cfg + off, count);
		mutex_unlock(&smdev->lock);
		if (copy_to_user(ubuf, buf, count))
			ret = -EFAULT;
	}
	kfree(buf);
	return ret;
}
