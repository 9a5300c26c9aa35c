// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio device of an mdev: its lifetime (init, open, close, function
 * reset, release) and the vfio-pci interface a VMM drives (region access,
 * GET_INFO, GET_REGION_INFO, GET_IRQ_INFO, SET_IRQS, RESET).
 *
 * Regions are addressed like vfio-pci's: region index << 40 | offset.
 * Config space accepts reads and writes of any length inside its 4 KiB;
 * BARs accept single naturally aligned accesses of 1, 2, 4 or 8 bytes.
 * Anything else fails with -EINVAL.
 *
 * Open, reset and close share one order, which the device context needs:
 *
 *	open:  power on -> worker -> program the context -> allow the engine
 *	reset: stop the engine -> unprogram -> power on -> program -> allow
 *	close: stop the engine, end the worker -> unprogram -> free the IRQs
 *
 * An open device holds a reference on the sample's module (model->owner),
 * as vfio holds one on the driver's: rmmod of the sample then fails with
 * EBUSY instead of waiting for the VMM.
 */
#include <linux/module.h>
#include <linux/uaccess.h>

#include "core.h"

/* The function's registers at power-on; the engine is stopped. */
static void smdev_vfio_power_on(struct siov_mdev *smdev)
{
	lockdep_assert_held(&smdev->lock);
	smdev_cfg_reset(smdev);
	smdev_irq_reset(smdev);
	smdev->model->ops->reset(smdev);
}

static int smdev_vfio_open(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	int ret;

	if (!try_module_get(smdev->model->owner))
		return -ENODEV;
	mutex_lock(&smdev->lock);
	smdev_vfio_power_on(smdev);
	ret = smdev_engine_open(smdev);
	if (!ret) {
		ret = smdev_ctx_program(smdev);
		if (ret)
			smdev_engine_close(smdev);
	}
	if (!ret)
		smdev_engine_allow(smdev);
	mutex_unlock(&smdev->lock);
	if (ret) {
		dev_err(vdev->dev, "cannot program the device context: %d\n",
			ret);
		module_put(smdev->model->owner);
	}
	return ret;
}

static void smdev_vfio_close(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);

	mutex_lock(&smdev->lock);
	smdev_engine_close(smdev);
	smdev_ctx_unprogram(smdev);
	smdev_irq_release(smdev);
	/*
	 * Nothing of the guest outlives its VMM's use of the function (a
	 * crypto sample's sessions hold its keys); open resets it anyway.
	 */
	smdev->model->ops->reset(smdev);
	mutex_unlock(&smdev->lock);
	module_put(smdev->model->owner);
}

/**
 * siov_mdev_is_open() - does a vfio client have the device open
 * @smdev: the mdev
 *
 * For settings a model takes only while no VM uses the device, such as a
 * network sample's MAC address.
 *
 * Context: the mdev lock held.
 *
 * Return: true between open_device and close_device.
 */
bool siov_mdev_is_open(struct siov_mdev *smdev)
{
	lockdep_assert_held(&smdev->lock);
	return smdev->engine.worker;
}
EXPORT_SYMBOL_GPL(siov_mdev_is_open);

/* VFIO_DEVICE_RESET: a function-level reset; the interrupts stay armed. */
static int smdev_vfio_reset(struct siov_mdev *smdev)
{
	int ret;

	mutex_lock(&smdev->lock);
	smdev_engine_stop(smdev);
	smdev_ctx_unprogram(smdev);
	smdev_vfio_power_on(smdev);
	ret = smdev_ctx_program(smdev);
	/* Bus Master Enable is clear again: the engine waits for it. */
	smdev_engine_allow(smdev);
	atomic64_inc(&smdev->stats.resets);
	mutex_unlock(&smdev->lock);
	return ret;
}

static ssize_t smdev_vfio_rw(struct siov_mdev *smdev, char __user *ubuf,
			     size_t count, loff_t *ppos, bool write)
{
	u64 pos = *ppos, off = pos & SMDEV_OFFSET_MASK;
	u64 index = pos >> SMDEV_OFFSET_SHIFT;
	ssize_t ret;

	if (*ppos < 0 || !count)
		return -EINVAL;
	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		ret = smdev_cfg_rw(smdev, ubuf, count, off, write);
	else if (index <= VFIO_PCI_BAR5_REGION_INDEX)
		ret = smdev_bar_rw(smdev, index, ubuf, count, off, write);
	else
		ret = -EINVAL;
	if (ret > 0)
		*ppos += ret;
	if (write)
		smdev_engine_doorbell(smdev);
	return ret;
}

static ssize_t smdev_vfio_read(struct vfio_device *vdev, char __user *buf,
			       size_t count, loff_t *ppos)
{
	return smdev_vfio_rw(vdev_to_smdev(vdev), buf, count, ppos, false);
}

static ssize_t smdev_vfio_write(struct vfio_device *vdev,
				const char __user *buf, size_t count,
				loff_t *ppos)
{
	return smdev_vfio_rw(vdev_to_smdev(vdev), (char __user *)buf, count,
			     ppos, true);
}

static long smdev_vfio_get_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long smdev_vfio_region_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.cap_offset = 0;
	info.offset = (u64)info.index << SMDEV_OFFSET_SHIFT;
	info.size = 0;
	info.flags = 0;
	if (info.index == VFIO_PCI_CONFIG_REGION_INDEX)
		info.size = SMDEV_CFG_SIZE;
	else if (info.index <= VFIO_PCI_BAR5_REGION_INDEX)
		info.size = smdev->model->bar_size[info.index];
	if (info.size)
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long smdev_vfio_irq_info(struct siov_mdev *smdev, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.count = smdev_irq_count(smdev, info.index);
	info.flags = 0;
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED;
	else if (info.count)
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long smdev_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return smdev_vfio_get_info(smdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return smdev_vfio_region_info(smdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return smdev_vfio_irq_info(smdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return smdev_irq_set_irqs(smdev, uarg);
	case VFIO_DEVICE_RESET:
		return smdev_vfio_reset(smdev);
	default:
		return -ENOTTY;
	}
}

static void smdev_vfio_request(struct vfio_device *vdev, unsigned int count)
{
	smdev_irq_request(vdev_to_smdev(vdev), count);
}

static int smdev_vfio_init(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct siov_mdev_mtype *mtype = container_of(mdev->type,
						     struct siov_mdev_mtype,
						     type);
	struct siov_mdev_parent *parent = container_of(mdev->type->parent,
						       struct siov_mdev_parent,
						       mparent);
	int ret;

	smdev->mdev = mdev;
	smdev->parent = parent;
	smdev->model = parent->model;
	mutex_init(&smdev->lock);
	spin_lock_init(&smdev->irq_lock);
	smdev_engine_init(smdev);
	ret = smdev_main_queues_get(smdev, mtype->desc->queues);
	if (ret)
		goto err;
	smdev_cfg_reset(smdev);
	smdev_irq_reset(smdev);
	/* Before ops->init, which may add its own files to the directory. */
	smdev_debugfs_add(smdev);
	if (smdev->model->ops->init) {
		ret = smdev->model->ops->init(smdev);
		if (ret) {
			smdev_debugfs_remove(smdev);
			smdev_main_queues_put(smdev);
			goto err;
		}
	}
	return 0;
err:
	smdev_engine_destroy(smdev);
	mutex_destroy(&smdev->lock);
	return ret;
}

/**
 * smdev_vfio_teardown() - undo what smdev_vfio_init() set up
 * @smdev: the mdev, closed and unregistered (or never registered)
 *
 * Called from the mdev's removal, not from the vfio device's release: that
 * release runs when the last reference goes, which may be after the parent,
 * and even the sample's module, are gone.
 */
void smdev_vfio_teardown(struct siov_mdev *smdev)
{
	smdev_debugfs_remove(smdev);
	if (smdev->model->ops->release)
		smdev->model->ops->release(smdev);
	smdev_main_queues_put(smdev);
}

/* The last reference: only the core's own memory is left. */
static void smdev_vfio_release(struct vfio_device *vdev)
{
	struct siov_mdev *smdev = vdev_to_smdev(vdev);

	smdev_engine_destroy(smdev);
	mutex_destroy(&smdev->lock);
	vfio_free_device(vdev);
}

const struct vfio_device_ops smdev_vfio_ops = {
	.name		= "siov-mdev",
	.init		= smdev_vfio_init,
	.release	= smdev_vfio_release,
	.open_device	= smdev_vfio_open,
	.close_device	= smdev_vfio_close,
	.read		= smdev_vfio_read,
	.write		= smdev_vfio_write,
	.ioctl		= smdev_vfio_ioctl,
	.request	= smdev_vfio_request,
};
