/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every in-guest VFIO test needs: create and remove an mdev through
 * sysfs, and open it through a VFIO type1 container.
 */
#ifndef MDEV_VFIO_H
#define MDEV_VFIO_H

#include <stddef.h>

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

int vfio_mdev_open(const char *uuid, int iommu_type, struct vfio_mdev *vm);
void vfio_mdev_close(struct vfio_mdev *vm);

#endif
