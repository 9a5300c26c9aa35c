// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated mdev path (an mdev whose parent sets no iommu_device) works
 * as before: an mtty mdev is created through sysfs, accounted against its
 * parent's ports, opened through a type1 container, and its config space
 * and UART registers behave as mtty emulates them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "mdev_vfio.h"

#define MTTY_PARENT "mtty"
#define MTTY_TYPE "mtty-2"
#define MTTY_VENDOR_DEVICE 0x32534348	/* 4348:3253, as mtty emulates */

FIXTURE(mtty) {
	char uuid[MDEV_UUID_LEN + 1];
	int avail_before;
	struct vfio_mdev vm;
};

FIXTURE_VARIANT(mtty) {
	int iommu_type;
};

FIXTURE_VARIANT_ADD(mtty, type1) {
	.iommu_type = VFIO_TYPE1_IOMMU,
};

FIXTURE_VARIANT_ADD(mtty, type1v2) {
	.iommu_type = VFIO_TYPE1v2_IOMMU,
};

FIXTURE_SETUP(mtty)
{
	ASSERT_EQ(0, system("modprobe mtty"));
	self->avail_before = mdev_available_instances(MTTY_PARENT, MTTY_TYPE);
	ASSERT_GT(self->avail_before, 0);
	ASSERT_EQ(0, mdev_create(MTTY_PARENT, MTTY_TYPE, self->uuid));
	ASSERT_EQ(0, vfio_mdev_open(self->uuid, variant->iommu_type, &self->vm));
}

FIXTURE_TEARDOWN(mtty)
{
	vfio_mdev_close(&self->vm);
	EXPECT_EQ(0, mdev_remove(self->uuid));
	EXPECT_FALSE(mdev_exists(self->uuid));
	/*
	 * mtty gives its ports back when the vfio device is released, which
	 * may come after the removal (seconds after it on the debug kernel,
	 * which delays every kobject release): wait for it, with a bound.
	 */
	for (int i = 0; i < 1000; i++) {
		if (mdev_available_instances(MTTY_PARENT, MTTY_TYPE) == self->avail_before)
			break;
		usleep(10000);
	}
	EXPECT_EQ(self->avail_before, mdev_available_instances(MTTY_PARENT, MTTY_TYPE));
}

static int region_info(int device, int index, struct vfio_region_info *info)
{
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(device, VFIO_DEVICE_GET_REGION_INFO, info);
}

TEST_F(mtty, device_info)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->vm.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, info.num_irqs);
}

TEST_F(mtty, instance_accounted)
{
	EXPECT_EQ(self->avail_before - 1, mdev_available_instances(MTTY_PARENT, MTTY_TYPE));
}

TEST_F(mtty, config_space_ids)
{
	struct vfio_region_info cfg;
	__u32 id = 0;

	ASSERT_EQ(0, region_info(self->vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &cfg));
	ASSERT_EQ(sizeof(id), pread(self->vm.device, &id, sizeof(id), cfg.offset + PCI_VENDOR_ID));
	EXPECT_EQ(MTTY_VENDOR_DEVICE, id);
}

TEST_F(mtty, uart_loopback)
{
	struct vfio_region_info bar0;
	const char out = 'x';
	char in = 0;

	ASSERT_EQ(0, region_info(self->vm.device, VFIO_PCI_BAR0_REGION_INDEX, &bar0));
	ASSERT_GE(bar0.size, 8);
	/* THR and RBR share offset 0: mtty loops transmitted bytes back. */
	ASSERT_EQ(1, pwrite(self->vm.device, &out, 1, bar0.offset));
	ASSERT_EQ(1, pread(self->vm.device, &in, 1, bar0.offset));
	EXPECT_EQ(out, in);
}

TEST_HARNESS_MAIN
