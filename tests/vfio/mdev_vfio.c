// SPDX-License-Identifier: GPL-2.0
/*
 * Create and remove mdevs through sysfs, and open them through a VFIO type1
 * container, for the in-guest VFIO tests.  Functions return 0 or a negative
 * errno; they print nothing, so each test decides what a failure means.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "mdev_vfio.h"
#include "siov/pci_ids.h"

#define MDEV_TYPES "/sys/class/mdev_bus/%s/mdev_supported_types/%s/%s"
#define MDEV_DEVICES "/sys/bus/mdev/devices/%s%s"

static int sysfs_write(const char *path, const char *val)
{
	ssize_t len = strlen(val), ret;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -errno;
	ret = write(fd, val, len);
	ret = ret < 0 ? -errno : ret == len ? 0 : -EIO;
	close(fd);
	return ret;
}

static int sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int sysfs_write_str(const char *path, const char *val)
{
	return sysfs_write(path, val);
}

int sysfs_read_str(const char *path, char *buf, size_t size)
{
	return sysfs_read(path, buf, size);
}

/* The first simulated endpoint (vendor SIOV_PCI_VENDOR_ID) with @device. */
static int pci_find_endpoint(unsigned int device, char *bdf, size_t size)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int ret = -ENODEV;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[PATH_MAX], buf[16];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (sysfs_read_str(path, buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 16) != SIOV_PCI_VENDOR_ID)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		if (sysfs_read_str(path, buf, sizeof(buf)) || strtoul(buf, NULL, 16) != device ||
		    strlen(e->d_name) >= size)
			continue;
		strcpy(bdf, e->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

/*
 * Bind @driver to the endpoint with @device, away from the driver that had
 * it (a lab sample), which pci_override_unbind() gives it back to.
 */
int pci_override_bind(unsigned int device, const char *driver, struct pci_override *o)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	int ret;

	memset(o, 0, sizeof(*o));
	ret = pci_find_endpoint(device, o->bdf, sizeof(o->bdf));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", o->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		snprintf(o->old_driver, sizeof(o->old_driver), "%s", strrchr(link, '/') + 1);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", o->bdf);
		ret = sysfs_write_str(path, o->bdf);
		if (ret)
			return ret;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", o->bdf);
	ret = sysfs_write_str(path, driver);
	return ret ? ret : sysfs_write_str("/sys/bus/pci/drivers_probe", o->bdf);
}

void pci_override_unbind(const char *driver, struct pci_override *o)
{
	char path[PATH_MAX];

	if (!o->bdf[0])
		return;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", driver);
	sysfs_write_str(path, o->bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", o->bdf);
	sysfs_write_str(path, "\n");
	if (o->old_driver[0])
		sysfs_write_str("/sys/bus/pci/drivers_probe", o->bdf);
	o->bdf[0] = '\0';
}

/* The parent device (its name under /sys/class/mdev_bus) offering @type. */
int mdev_find_parent(const char *type, char *parent, size_t size)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir = opendir("/sys/class/mdev_bus");
	int ret = -ENOENT;

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), MDEV_TYPES, d->d_name, type, "create");
		if (access(path, W_OK) == 0) {
			snprintf(parent, size, "%s", d->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}

/* An attribute of an mdev, e.g. "siov/pasid", newline stripped. */
int mdev_attr_read(const char *uuid, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX], *nl;
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/%s", uuid, attr);
	ret = sysfs_read(path, buf, size);
	if (!ret) {
		nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
	}
	return ret;
}

int mdev_create(const char *parent, const char *type, char uuid[MDEV_UUID_LEN + 1])
{
	char path[PATH_MAX], buf[64];
	int ret;

	ret = sysfs_read("/proc/sys/kernel/random/uuid", buf, sizeof(buf));
	if (ret)
		return ret;
	memcpy(uuid, buf, MDEV_UUID_LEN);
	uuid[MDEV_UUID_LEN] = '\0';
	snprintf(path, sizeof(path), MDEV_TYPES, parent, type, "create");
	return sysfs_write(path, uuid);
}

int mdev_remove(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_DEVICES, uuid, "/remove");
	return sysfs_write(path, "1");
}

int mdev_exists(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), MDEV_DEVICES, uuid, "");
	return access(path, F_OK) == 0;
}

int mdev_available_instances(const char *parent, const char *type)
{
	char path[PATH_MAX], buf[32];
	int ret;

	snprintf(path, sizeof(path), MDEV_TYPES, parent, type, "available_instances");
	ret = sysfs_read(path, buf, sizeof(buf));
	return ret ? ret : atoi(buf);
}

int mdev_iommu_group(const char *uuid)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(path, sizeof(path), MDEV_DEVICES, uuid, "/iommu_group");
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

int vfio_mdev_open(const char *uuid, int iommu_type, struct vfio_mdev *vm)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int group, ret;

	vm->container = -1;
	vm->group = -1;
	vm->device = -1;
	group = mdev_iommu_group(uuid);
	if (group < 0)
		return group;

	vm->container = open("/dev/vfio/vfio", O_RDWR);
	if (vm->container < 0)
		goto fail;
	if (ioctl(vm->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(vm->container, VFIO_CHECK_EXTENSION, iommu_type) != 1) {
		errno = EINVAL;
		goto fail;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	vm->group = open(path, O_RDWR);
	if (vm->group < 0)
		goto fail;
	if (ioctl(vm->group, VFIO_GROUP_GET_STATUS, &status))
		goto fail;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EPERM;
		goto fail;
	}
	if (ioctl(vm->group, VFIO_GROUP_SET_CONTAINER, &vm->container) ||
	    ioctl(vm->container, VFIO_SET_IOMMU, iommu_type))
		goto fail;
	vm->device = ioctl(vm->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (vm->device < 0)
		goto fail;
	return 0;
fail:
	ret = -errno;
	vfio_mdev_close(vm);
	return ret;
}

void vfio_mdev_close(struct vfio_mdev *vm)
{
	if (vm->device >= 0)
		close(vm->device);
	if (vm->group >= 0)
		close(vm->group);
	if (vm->container >= 0)
		close(vm->container);
	vm->container = -1;
	vm->group = -1;
	vm->device = -1;
}

int vfio_dma_map(int container, __u64 iova, void *vaddr, __u64 size, __u32 flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (__u64)(unsigned long)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

int vfio_dma_unmap(int container, __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;
}

int vfio_region_info(int device, __u32 index, struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(device, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

int vfio_irq_info(int device, __u32 index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

/* Arm (fd >= 0) or disarm (-1) @count eventfds from @start of IRQ @index. */
int vfio_irq_set_eventfds(int device, __u32 index, __u32 start, __u32 count,
			  const int *fds)
{
	size_t size = sizeof(struct vfio_irq_set) + count * sizeof(int);
	struct vfio_irq_set *set = calloc(1, size);
	int ret;

	if (!set)
		return -ENOMEM;
	set->argsz = size;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = start;
	set->count = count;
	memcpy(set->data, fds, count * sizeof(int));
	ret = ioctl(device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
	free(set);
	return ret;
}

/* SET_IRQS with DATA_NONE: @action on @count IRQs from @start (0: disable). */
int vfio_irq_set_none(int device, __u32 index, __u32 action, __u32 start, __u32 count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.start = start,
		.count = count,
	};

	return ioctl(device, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

/* Load one of our modules, @ko relative to $LAB_KO_DIR (default: here). */
int module_load(const char *ko)
{
	const char *dir = getenv("LAB_KO_DIR");
	char path[PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", ko);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Unload a module; one still in use is tried again for up to 10 s, since
 * references can go asynchronously (delayed kobject releases on the debug
 * kernel).  0 or -errno.
 */
int module_unload(const char *name)
{
	for (int ms = 0;; ms += 50) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if ((errno != EWOULDBLOCK && errno != EBUSY) || ms >= 10000)
			return -errno;
		usleep(50000);
	}
}
