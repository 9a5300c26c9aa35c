// SPDX-License-Identifier: GPL-2.0
/*
 * The sample core module: the mdev driver every sample's parents share,
 * the parents themselves with their types and queue pool, and the per-mdev
 * sysfs attributes.
 *
 * A parent is one physical endpoint.  Each type takes a share of the
 * endpoint's pool of queues; available_instances counts how many more fit,
 * and a create beyond that fails with -ENOSPC and leaves nothing behind.
 * The vfio device of each mdev is IOMMU-backed (mdev_set_iommu_device() and
 * vfio_register_aux_iommu_dev()), so vfio type1 attaches the container's
 * domain as an aux domain of the endpoint.
 */
#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "core.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/* Queue pool */

/*
 * Instances of @share queues that still fit.  First-fit allocation of
 * equal-sized windows leaves exactly this many places for the next ones.
 */
static unsigned int smdev_main_pool_fit(struct siov_mdev_parent *parent,
					unsigned int share)
{
	unsigned long pos, start = 0;
	unsigned int n = 0;

	lockdep_assert_held(&parent->lock);
	for (;;) {
		pos = bitmap_find_next_zero_area(parent->queue_map,
						 parent->nr_queues, start,
						 share, 0);
		if (pos >= parent->nr_queues)
			return n;
		n++;
		start = pos + share;
	}
}

/* Take @share queues for a new mdev. */
int smdev_main_queues_get(struct siov_mdev *smdev, unsigned int share)
{
	struct siov_mdev_parent *parent = smdev->parent;
	unsigned long pos;
	int ret = 0;

	mutex_lock(&parent->lock);
	pos = bitmap_find_next_zero_area(parent->queue_map, parent->nr_queues,
					 0, share, 0);
	if (pos >= parent->nr_queues) {
		ret = -ENOSPC;
	} else {
		bitmap_set(parent->queue_map, pos, share);
		smdev->queue = pos;
		smdev->nr_queues = share;
	}
	mutex_unlock(&parent->lock);
	return ret;
}

/*
 * Give the queues back, once, when the mdev is torn down: a new mdev can
 * have them at once.  The parent may be freed after the last call returns.
 */
void smdev_main_queues_put(struct siov_mdev *smdev)
{
	struct siov_mdev_parent *parent = smdev->parent;

	if (!smdev->nr_queues)
		return;
	mutex_lock(&parent->lock);
	bitmap_clear(parent->queue_map, smdev->queue, smdev->nr_queues);
	mutex_unlock(&parent->lock);
	smdev->nr_queues = 0;
}

/**
 * siov_mdev_queue_set_pasid() - write a queue's PASID context register
 * @smdev: the mdev
 * @queue: which of its queues, from 0
 * @pasid: the PASID, 0 to unprogram
 *
 * The register write ops->program_pasid() does on a real endpoint; the
 * simulated endpoint keeps the register in the parent.
 *
 * Context: the mdev lock held (ops->program_pasid, ops->unprogram_pasid).
 */
void siov_mdev_queue_set_pasid(struct siov_mdev *smdev, unsigned int queue,
			       u32 pasid)
{
	lockdep_assert_held(&smdev->lock);
	if (WARN_ON_ONCE(queue >= smdev->nr_queues))
		return;
	WRITE_ONCE(smdev->parent->queues[smdev->queue + queue].pasid, pasid);
}
EXPORT_SYMBOL_GPL(siov_mdev_queue_set_pasid);

/* The mdev driver, shared by every sample's parents */

static struct siov_mdev_parent *smdev_main_parent(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct siov_mdev_parent, mparent);
}

static const struct siov_mdev_type_desc *
smdev_main_type_desc(struct mdev_type *mtype)
{
	return container_of(mtype, struct siov_mdev_mtype, type)->desc;
}

static int smdev_main_probe(struct mdev_device *mdev)
{
	struct siov_mdev_parent *parent = smdev_main_parent(mdev->type);
	struct vfio_device *vdev;
	int ret;

	vdev = _vfio_alloc_device(parent->model->size, &mdev->dev,
				  &smdev_vfio_ops);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	mdev_set_iommu_device(mdev, &parent->pdev->dev);
	dev_set_drvdata(&mdev->dev, vdev_to_smdev(vdev));
	/* The model's own attributes, before a client can open the device. */
	ret = device_add_groups(&mdev->dev, parent->model->groups);
	if (!ret) {
		ret = vfio_register_aux_iommu_dev(vdev);
		if (ret)
			device_remove_groups(&mdev->dev, parent->model->groups);
	}
	if (ret) {
		dev_set_drvdata(&mdev->dev, NULL);
		mdev_set_iommu_device(mdev, NULL);
		smdev_vfio_teardown(vdev_to_smdev(vdev));
		vfio_put_device(vdev);
		return ret;
	}
	return 0;
}

static void smdev_main_remove(struct mdev_device *mdev)
{
	struct siov_mdev *smdev = dev_get_drvdata(&mdev->dev);

	/* Waits until the user has closed the device (see .request). */
	vfio_unregister_group_dev(&smdev->vdev);
	device_remove_groups(&mdev->dev, smdev->model->groups);
	/* The queues are unprogrammed and idle: back to the pool at once. */
	smdev_vfio_teardown(smdev);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&smdev->vdev);
}

static unsigned int smdev_main_get_available(struct mdev_type *mtype)
{
	struct siov_mdev_parent *parent = smdev_main_parent(mtype);
	unsigned int n;

	mutex_lock(&parent->lock);
	n = smdev_main_pool_fit(parent, smdev_main_type_desc(mtype)->queues);
	mutex_unlock(&parent->lock);
	return n;
}

static ssize_t smdev_main_show_description(struct mdev_type *mtype,
					   char *buf)
{
	return sysfs_emit(buf, "%s\n", smdev_main_type_desc(mtype)->description);
}

/* Per mdev: siov/pasid (the first queue's PASID, or "none") and siov/queue. */
static ssize_t pasid_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct siov_mdev *smdev = dev_get_drvdata(dev);
	u32 pasid = READ_ONCE(smdev->parent->queues[smdev->queue].pasid);

	return pasid ? sysfs_emit(buf, "%u\n", pasid) : sysfs_emit(buf, "none\n");
}
static DEVICE_ATTR_RO(pasid);

static ssize_t queue_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct siov_mdev *smdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u %u\n", smdev->queue,
			  smdev_main_type_desc(smdev->mdev->type)->queues);
}
static DEVICE_ATTR_RO(queue);

static struct attribute *smdev_main_attrs[] = {
	&dev_attr_pasid.attr,
	&dev_attr_queue.attr,
	NULL
};

static const struct attribute_group smdev_main_group = {
	.name = "siov",
	.attrs = smdev_main_attrs,
};

static const struct attribute_group *smdev_main_groups[] = {
	&smdev_main_group,
	NULL
};

struct mdev_driver smdev_main_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "siov_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = smdev_main_groups,
	},
	.probe = smdev_main_probe,
	.remove = smdev_main_remove,
	.get_available = smdev_main_get_available,
	.show_description = smdev_main_show_description,
};

/* Parents */

static bool smdev_main_model_ok(const struct siov_mdev_model *m)
{
	const struct siov_mdev_ops *ops = m->ops;
	unsigned int bar;

	if (!m->owner || !ops || !ops->program_pasid ||
	    !ops->unprogram_pasid || !ops->engine_run || !ops->quiesce ||
	    !ops->reset || m->size < sizeof(struct siov_mdev) ||
	    m->msix_vectors > SIOV_MDEV_MSIX_MAX)
		return false;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		u32 size = m->bar_size[bar];

		if (size && (!is_power_of_2(size) || size < 16 || size > SZ_1G))
			return false;
	}
	if (m->msix_vectors) {
		u32 size = m->msix_bar < PCI_STD_NUM_BARS ?
			   m->bar_size[m->msix_bar] : 0;

		if (m->msix_table & 7 || m->msix_pba & 7 ||
		    m->msix_table + m->msix_vectors * PCI_MSIX_ENTRY_SIZE > size ||
		    m->msix_pba + sizeof(u64) > size)
			return false;
	}
	return smdev_bar_model_ok(m);
}

static void smdev_main_parent_free(struct siov_mdev_parent *parent)
{
	kvfree(parent->cfg);
	kfree(parent->type_ptrs);
	kfree(parent->queues);
	bitmap_free(parent->queue_map);
	mutex_destroy(&parent->lock);
	kfree(parent);
}

/**
 * siov_mdev_parent_register() - make a physical endpoint an mdev parent
 * @pdev: the endpoint, bound to the caller's PCI driver, behind an IOMMU
 *	with aux-domain support
 * @model: what the mdevs emulate; must outlive the parent
 * @types: the mdev types; must outlive the parent
 * @nr_types: how many
 * @nr_queues: the queues the endpoint has for mdevs
 *
 * Builds the mdevs' config space, enables IOMMU_DEV_FEAT_AUX on @pdev and
 * registers it with the mdev core.  Types are named
 * "<PCI driver name>-<sysfs_name>".
 *
 * Context: process; the caller's probe.
 *
 * Return: the parent, or an ERR_PTR(): -EINVAL for a bad model or type,
 * -ENOSPC if the model's capabilities do not fit in config space, -ENODEV
 * if @pdev cannot do aux domains, -ENOMEM, or what mdev_register_parent()
 * returns.
 */
struct siov_mdev_parent *
siov_mdev_parent_register(struct pci_dev *pdev,
			  const struct siov_mdev_model *model,
			  const struct siov_mdev_type_desc *types,
			  unsigned int nr_types, unsigned int nr_queues)
{
	struct siov_mdev_parent *parent;
	unsigned int i;
	int ret;

	if (!smdev_main_model_ok(model) || !nr_types || !nr_queues)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < nr_types; i++)
		if (!types[i].queues || types[i].queues > nr_queues)
			return ERR_PTR(-EINVAL);

	parent = kzalloc(struct_size(parent, types, nr_types), GFP_KERNEL);
	if (!parent)
		return ERR_PTR(-ENOMEM);
	parent->pdev = pdev;
	parent->model = model;
	parent->nr_queues = nr_queues;
	parent->nr_types = nr_types;
	mutex_init(&parent->lock);
	parent->cfg = smdev_cfg_build(model);
	if (IS_ERR(parent->cfg)) {
		ret = PTR_ERR(parent->cfg);
		parent->cfg = NULL;
		goto err_free;
	}
	parent->queue_map = bitmap_zalloc(nr_queues, GFP_KERNEL);
	parent->queues = kcalloc(nr_queues, sizeof(*parent->queues),
				 GFP_KERNEL);
	parent->type_ptrs = kcalloc(nr_types, sizeof(*parent->type_ptrs),
				    GFP_KERNEL);
	if (!parent->queue_map || !parent->queues || !parent->type_ptrs) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < nr_types; i++) {
		parent->types[i].desc = &types[i];
		parent->types[i].type.sysfs_name = types[i].sysfs_name;
		parent->types[i].type.pretty_name = types[i].pretty_name;
		parent->type_ptrs[i] = &parent->types[i].type;
	}

	ret = iommu_dev_enable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
	if (ret) {
		pci_err(pdev, "no aux-domain support (%d): cannot serve mdevs\n",
			ret);
		ret = -ENODEV;
		goto err_free;
	}
	ret = mdev_register_parent(&parent->mparent, &pdev->dev,
				   &smdev_main_driver, parent->type_ptrs,
				   nr_types);
	if (ret)
		goto err_aux;
	return parent;

err_aux:
	iommu_dev_disable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
err_free:
	smdev_main_parent_free(parent);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(siov_mdev_parent_register);

/**
 * siov_mdev_parent_unregister() - undo siov_mdev_parent_register()
 * @parent: the parent
 *
 * Removes every mdev of the parent first, which waits until their users
 * have closed them (each is asked through its request eventfd).
 *
 * Context: process; the caller's remove.
 */
void siov_mdev_parent_unregister(struct siov_mdev_parent *parent)
{
	struct pci_dev *pdev = parent->pdev;
	int ret;

	mdev_unregister_parent(&parent->mparent);
	if (!bitmap_empty(parent->queue_map, parent->nr_queues))
		pci_err(pdev, "queues still taken after the last mdev went\n");
	ret = iommu_dev_disable_feature(&pdev->dev, IOMMU_DEV_FEAT_AUX);
	if (ret)
		pci_err(pdev, "cannot disable aux domains: %d\n", ret);
	smdev_main_parent_free(parent);
}
EXPORT_SYMBOL_GPL(siov_mdev_parent_unregister);

/**
 * siov_mdev_pci_probe() - the probe of a sample's PCI driver
 * @pdev: the endpoint being probed
 * @model: what its mdevs emulate
 * @types: the mdev types
 * @nr_types: how many
 * @nr_queues: the endpoint's queues for mdevs (the sample's queues=)
 *
 * Enables the endpoint (managed), lets it master, and makes it an mdev
 * parent with siov_mdev_parent_register(); the parent is its drvdata, for
 * siov_mdev_pci_remove().
 *
 * Context: process; the PCI driver's probe.
 *
 * Return: 0, or what pcim_enable_device() or siov_mdev_parent_register()
 * returned.
 */
int siov_mdev_pci_probe(struct pci_dev *pdev,
			const struct siov_mdev_model *model,
			const struct siov_mdev_type_desc *types,
			unsigned int nr_types, unsigned int nr_queues)
{
	struct siov_mdev_parent *parent;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* The endpoint masters for its mdevs, through their PASIDs. */
	pci_set_master(pdev);
	parent = siov_mdev_parent_register(pdev, model, types, nr_types,
					   nr_queues);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	pci_set_drvdata(pdev, parent);
	pci_info(pdev, "%u queues for mdevs\n", nr_queues);
	return 0;
}
EXPORT_SYMBOL_GPL(siov_mdev_pci_probe);

/**
 * siov_mdev_pci_remove() - the remove of a sample's PCI driver
 * @pdev: the endpoint, probed with siov_mdev_pci_probe()
 *
 * Removes its mdevs (waiting for their users) and the parent.
 *
 * Context: process; the PCI driver's remove.
 */
void siov_mdev_pci_remove(struct pci_dev *pdev)
{
	siov_mdev_parent_unregister(pci_get_drvdata(pdev));
}
EXPORT_SYMBOL_GPL(siov_mdev_pci_remove);

/* A sample's queues= parameter: 1 to SIOV_MDEV_QUEUES_MAX, or refused. */
static int smdev_main_queues_set(const char *val,
				 const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, SIOV_MDEV_QUEUES_MAX);
}

const struct kernel_param_ops siov_mdev_queues_param_ops = {
	.set = smdev_main_queues_set,
	.get = param_get_uint,
};
EXPORT_SYMBOL_GPL(siov_mdev_queues_param_ops);

static int __init smdev_main_init(void)
{
	int ret = smdev_debugfs_init();

	if (ret)
		return ret;
	ret = mdev_register_driver(&smdev_main_driver);
	if (ret)
		smdev_debugfs_exit();
	return ret;
}

static void __exit smdev_main_exit(void)
{
	mdev_unregister_driver(&smdev_main_driver);
	smdev_debugfs_exit();
}

module_init(smdev_main_init);
module_exit(smdev_main_exit);

MODULE_DESCRIPTION("vfio-pci emulation, device context and engine worker for the Scalable-IOV mdev samples");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
