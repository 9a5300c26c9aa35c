/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every in-guest VFIO test needs: create and remove an mdev through
 * sysfs, and open it through a VFIO type1 container.
 */
#ifndef MDEV_VFIO_H
#define MDEV_VFIO_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/vfio.h>

#define MDEV_UUID_LEN 36

struct vfio_mdev {
	int container;
	int group;
	int device;
};

int mdev_create(const char *parent, const char *type, char uuid[MDEV_UUID_LEN + 1]);
int mdev_remove(const char *uuid);
int mdev_exists(const char *uuid);
int mdev_available_instances(const char *parent, const char *type);
int mdev_iommu_group(const char *uuid);

int mdev_find_parent(const char *type, char *parent, size_t size);
int mdev_attr_read(const char *uuid, const char *attr, char *buf, size_t size);
int sysfs_read_str(const char *path, char *buf, size_t size);
int sysfs_write_str(const char *path, const char *val);

/* A simulated endpoint bound to a test's driver through driver_override. */
struct pci_override {
	char bdf[32];
	char old_driver[64];
};

int pci_override_bind(unsigned int device, const char *driver, struct pci_override *o);
void pci_override_unbind(const char *driver, struct pci_override *o);

int module_load(const char *ko);
int module_unload(const char *name);

int vfio_mdev_open(const char *uuid, int iommu_type, struct vfio_mdev *vm);
void vfio_mdev_close(struct vfio_mdev *vm);

int vfio_dma_map(int container, __u64 iova, void *vaddr, __u64 size, __u32 flags);
int vfio_dma_unmap(int container, __u64 iova, __u64 size);
int vfio_region_info(int device, __u32 index, struct vfio_region_info *info);
int vfio_irq_info(int device, __u32 index, struct vfio_irq_info *info);
int vfio_irq_set_eventfds(int device, __u32 index, __u32 start, __u32 count,
			  const int *fds);
int vfio_irq_set_none(int device, __u32 index, __u32 action, __u32 start, __u32 count);

#endif
