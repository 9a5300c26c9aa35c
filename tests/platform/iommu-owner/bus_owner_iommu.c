// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for a hardware IOMMU driver (VT-d, AMD-Vi) that owns the
 * buses: it registers with the IOMMU core, which in Linux 6.1 installs its
 * ops on every bus the core knows (platform, PCI, ...), and declines every
 * device, so nothing changes for the devices of the machine.  While it is
 * loaded, drivers/siov-iommu must refuse to load and say why; the test is
 * tests/platform/siov_iommu_test.c.
 *
 * Loading it fails with -EBUSY when another IOMMU driver (e.g. siov_iommu)
 * owns the buses already.  Unloading it takes its ops off the buses again
 * (the patch "iommu: Clear bus iommu_ops when the last IOMMU instance
 * unregisters" of patches/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/module.h>

static struct iommu_device bus_owner_iommu;

/* No device is ours: -ENODEV tells the core "not mine". */
static struct iommu_device *bus_owner_probe_device(struct device *dev)
{
	return ERR_PTR(-ENODEV);
}

static struct iommu_domain *bus_owner_domain_alloc(unsigned int type)
{
	return NULL;
}

static const struct iommu_ops bus_owner_iommu_ops = {
	.probe_device	= bus_owner_probe_device,
	.domain_alloc	= bus_owner_domain_alloc,
	.pgsize_bitmap	= SZ_4K,
	.owner		= THIS_MODULE,
};

static int __init bus_owner_iommu_init(void)
{
	int ret;

	ret = iommu_device_register(&bus_owner_iommu, &bus_owner_iommu_ops,
				    NULL);
	if (ret) {
		pr_err("cannot own the buses: %d\n", ret);
		return ret;
	}
	pr_info("owns the buses, declines every device\n");
	return 0;
}

static void __exit bus_owner_iommu_exit(void)
{
	iommu_device_unregister(&bus_owner_iommu);
}

module_init(bus_owner_iommu_init);
module_exit(bus_owner_iommu_exit);

MODULE_DESCRIPTION("Test IOMMU driver that owns the buses and declines every device");
MODULE_LICENSE("GPL");
