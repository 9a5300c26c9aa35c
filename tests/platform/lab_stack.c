// SPDX-License-Identifier: GPL-2.0
/*
 * Taking the lab's module stack down and putting it back as it was
 * (lab_stack.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab_stack.h"

/* In load order; unloaded in the reverse order. */
static const struct {
	const char *name;
	const char *ko;
} lab_mods[LAB_STACK_MODS] = {
	{ "siov_iommu", "drivers/siov-iommu/siov_iommu.ko" },
	{ "siov_pci", "drivers/siov-pci/siov_pci.ko" },
	{ "siov_mdev_core", "samples/vfio-mdev/siov_mdev_core.ko" },
	{ "mdma", "samples/vfio-mdev/mdma.ko" },
	{ "siov_virtio", "samples/vfio-mdev/siov_virtio.ko" },
	{ "mcrypto", "samples/vfio-mdev/mcrypto.ko" },
	{ "mnet", "samples/vfio-mdev/mnet.ko" },
};

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * A file of the lab tree, by its path in the tree: under the current
 * directory, in the tree this program was built in (build/tests/bin/), or
 * under $LAB_DIR.  NULL if there is none.  The result is good until the
 * next call.
 */
const char *lab_path(const char *rel)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	const char *env;
	ssize_t n;

	if (exists(rel))
		return rel;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/../../../%s", dirname(exe),
			 rel);
		if (exists(path))
			return path;
	}
	env = getenv("LAB_DIR");
	if (env) {
		snprintf(path, sizeof(path), "%s/%s", env, rel);
		if (exists(path))
			return path;
	}
	return NULL;
}

/* finit_module(2) of a .ko of the lab tree; 0 or -errno. */
int lab_load(const char *rel, const char *params)
{
	const char *ko = lab_path(rel);
	int fd, ret = 0;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * delete_module(2); 0 or -errno.  A module still in use is tried again for
 * up to LAB_UNLOAD_MS: references can go asynchronously after what held
 * them is gone (siov_iommu's domains go with their iommu_group's kobject,
 * which CONFIG_DEBUG_KOBJECT_RELEASE releases seconds later).
 */
#define LAB_UNLOAD_MS	10000

int lab_unload(const char *name)
{
	for (int ms = 0;; ms += 50) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if ((errno != EWOULDBLOCK && errno != EBUSY) || ms >= LAB_UNLOAD_MS)
			return -errno;
		usleep(50000);
	}
}

/* The first line of a (sysfs) file, without its newline; 0 or -errno. */
int lab_read_line(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

bool lab_module_loaded(const char *name)
{
	char path[PATH_MAX], state[32];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !lab_read_line(path, state, sizeof(state)) && !strcmp(state, "live");
}

/* The module's parameters as sysfs shows them, as a load would take them. */
static int save_params(const char *name, char *params, size_t size)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], val[256];
	size_t len = 0;
	struct dirent *de;
	DIR *d;

	params[0] = '\0';
	snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", name);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		int n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* Unreadable (mode 0), or a string that was never set. */
		if (lab_read_line(path, val, sizeof(val)) || !strcmp(val, "(null)"))
			continue;
		n = snprintf(params + len, size - len, "%s%s=\"%s\"",
			     len ? " " : "", de->d_name, val);
		if (n < 0 || (size_t)n >= size - len) {
			closedir(d);
			return -E2BIG;
		}
		len += n;
	}
	closedir(d);
	return 0;
}

static int stack_index(const char *name)
{
	int i;

	for (i = 0; i < LAB_STACK_MODS; i++)
		if (!strcmp(lab_mods[i].name, name))
			return i;
	return -1;
}

/* Why a loaded module of the stack cannot go, as far as sysfs tells. */
static const char *stack_user(int i, char *why, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX], *mod;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/module/%s/holders",
		 lab_mods[i].name);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || stack_index(de->d_name) >= 0)
			continue;
		snprintf(why, size, "module %s depends on %s", de->d_name,
			 lab_mods[i].name);
		closedir(d);
		return why;
	}
	if (d)
		closedir(d);

	/* Unloading a parent driver would remove its mdevs for good. */
	d = opendir("/sys/bus/mdev/devices");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
			 "/sys/bus/mdev/devices/%s/../driver/module", de->d_name);
		if (!realpath(path, link))
			continue;
		mod = basename(link);
		if (strcmp(mod, lab_mods[i].name))
			continue;
		snprintf(why, size, "mdev %s of %s exists", de->d_name, mod);
		closedir(d);
		return why;
	}
	if (d)
		closedir(d);
	return NULL;
}

/**
 * lab_stack_down() - unload the lab's module stack
 * @stack: records what was loaded, with which parameters
 *
 * Return: NULL when none of the stack's modules is loaded any more; else why
 * not (a module outside the stack uses it, an mdev exists, a module would not
 * unload), with whatever was unloaded loaded again.
 */
const char *lab_stack_down(struct lab_stack *stack)
{
	static char why[512];
	int i, ret;

	memset(stack, 0, sizeof(*stack));
	for (i = 0; i < LAB_STACK_MODS; i++) {
		stack->loaded[i] = lab_module_loaded(lab_mods[i].name);
		if (!stack->loaded[i])
			continue;
		if (save_params(lab_mods[i].name, stack->params[i],
				sizeof(stack->params[i])))
			snprintf(why, sizeof(why),
				 "cannot read the parameters of %s",
				 lab_mods[i].name);
		else if (!lab_path(lab_mods[i].ko))
			snprintf(why, sizeof(why), "%s not found",
				 lab_mods[i].ko);
		else if (!stack_user(i, why, sizeof(why)))
			continue;
		return why;
	}
	for (i = LAB_STACK_MODS - 1; i >= 0; i--) {
		if (!stack->loaded[i])
			continue;
		ret = lab_unload(lab_mods[i].name);
		if (ret) {
			snprintf(why, sizeof(why), "cannot unload %s: %s",
				 lab_mods[i].name, strerror(-ret));
			lab_stack_restore(stack);
			return why;
		}
	}
	stack->down = true;
	return NULL;
}

/**
 * lab_stack_restore() - load what lab_stack_down() unloaded
 * @stack: as lab_stack_down() left it
 *
 * Loads, in the stack's order and with the parameters they had, the modules
 * that were loaded then and are not now.
 *
 * Return: 0, or the -errno of the first module that did not load.
 */
int lab_stack_restore(struct lab_stack *stack)
{
	int i, ret, first = 0;

	for (i = 0; i < LAB_STACK_MODS; i++) {
		if (!stack->loaded[i] || lab_module_loaded(lab_mods[i].name))
			continue;
		ret = lab_load(lab_mods[i].ko, stack->params[i]);
		if (ret) {
			fprintf(stderr, "# could not load %s %s: %s\n",
				lab_mods[i].ko, stack->params[i],
				strerror(-ret));
			if (!first)
				first = ret;
		}
	}
	stack->down = false;
	return first;
}
