// SPDX-License-Identifier: GPL-2.0
/*
 * The module of the software IOMMU (drivers/siov-iommu) on a machine where
 * another IOMMU driver already owns the buses, e.g. a host with VT-d
 * enabled: loading it must fail with -EBUSY and a kernel message saying
 * why, and leave nothing behind.  The other driver is
 * tests/platform/iommu-owner/bus_owner_iommu.ko, which owns the buses and
 * declines every device.
 *
 * The lab's module stack (siov_iommu and what sits on it) is taken down for
 * the test and put back as it was (lab_stack.c).  Run as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lab_stack.h"

#define SIOV_IOMMU	"siov_iommu"
#define SIOV_IOMMU_KO	"drivers/siov-iommu/siov_iommu.ko"
#define OWNER		"bus_owner_iommu"
#define OWNER_KO	"tests/platform/iommu-owner/bus_owner_iommu.ko"
#define SIOV_PCI	"siov_pci"
#define SIOV_PCI_KO	"drivers/siov-pci/siov_pci.ko"
#define REFUSAL		"siov_iommu: refusing to load: another IOMMU driver"

static bool path_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* /dev/kmsg, positioned after the last message so far. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Find a kernel message containing @text among those not read yet. */
static bool kmsg_find(int fd, const char *text, char *msg, size_t size)
{
	char rec[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			return false;	/* EAGAIN: no more messages */
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text\n" */
		if (strstr(rec, text)) {
			const char *start = strchr(rec, ';');
			size_t len;

			start = start ? start + 1 : rec;
			len = strcspn(start, "\n");
			len = len < size ? len : size - 1;
			memcpy(msg, start, len);
			msg[len] = '\0';
			return true;
		}
	}
}

FIXTURE(no_lab) {
	struct lab_stack stack;
	const char *busy;
};

FIXTURE_SETUP(no_lab)
{
	self->busy = lab_stack_down(&self->stack);
}

FIXTURE_TEARDOWN(no_lab)
{
	if (self->busy)
		return;
	if (lab_module_loaded(OWNER))
		EXPECT_EQ(0, lab_unload(OWNER));
	if (lab_module_loaded(SIOV_IOMMU))
		EXPECT_EQ(0, lab_unload(SIOV_IOMMU));
	EXPECT_EQ(0, lab_stack_restore(&self->stack))
		TH_LOG("could not restore the lab's modules");
}

/*
 * The lab's modules go and come back; on the debug kernel each unload
 * waits a second or more for its kobjects (DEBUG_KOBJECT_RELEASE).
 */
TEST_F_TIMEOUT(no_lab, refused_while_another_iommu_owns_the_buses, 600)
{
	char msg[512] = "";
	int fd, ret;

	if (self->busy)
		SKIP(return, "%s", self->busy);
	ASSERT_NE(NULL, lab_path(OWNER_KO)) TH_LOG("%s is not built", OWNER_KO);
	ASSERT_NE(NULL, lab_path(SIOV_IOMMU_KO));

	/* The IOMMU core allows one driver: the stand-in is a real rival. */
	ASSERT_EQ(0, lab_load(SIOV_IOMMU_KO, ""));
	EXPECT_EQ(-EBUSY, lab_load(OWNER_KO, ""));
	EXPECT_FALSE(lab_module_loaded(OWNER));
	/* Unloading siov_iommu takes its ops off the buses again. */
	ASSERT_EQ(0, lab_unload(SIOV_IOMMU));
	ret = lab_load(OWNER_KO, "");
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", OWNER_KO, strerror(-ret));

	fd = kmsg_open();
	ASSERT_LE(0, fd) TH_LOG("/dev/kmsg: %s", strerror(errno));
	ret = lab_load(SIOV_IOMMU_KO, "");
	EXPECT_EQ(-EBUSY, ret) TH_LOG("loading siov_iommu: %s",
				      ret ? strerror(-ret) : "loaded");
	EXPECT_FALSE(lab_module_loaded(SIOV_IOMMU));
	EXPECT_TRUE(kmsg_find(fd, REFUSAL, msg, sizeof(msg)))
		TH_LOG("no kernel message \"%s...\"", REFUSAL);
	TH_LOG("kernel: %s", msg);
	close(fd);
	/* Nothing of it is left behind. */
	EXPECT_FALSE(path_exists("/sys/class/iommu/siov-iommu"));
	EXPECT_FALSE(path_exists("/sys/kernel/debug/siov_iommu"));

	/* With the buses free again it loads. */
	ASSERT_EQ(0, lab_unload(OWNER));
	EXPECT_EQ(0, lab_load(SIOV_IOMMU_KO, ""));
}

static long module_refcnt(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return lab_read_line(path, buf, sizeof(buf)) ? -1 : atol(buf);
}

/*
 * Every domain of siov_iommu holds a reference on the module: the iommu
 * core frees a group's default domain at the group's kobject release,
 * which may come after the endpoints are gone (seconds later on the debug
 * kernel).  Without the references, siov_iommu unloaded in between and that
 * release called domain->ops->free in freed module text (an oops in
 * iommu_domain_free() from kobject_delayed_cleanup).
 */
TEST_F_TIMEOUT(no_lab, held_while_its_domains_live, 600)
{
	long alone, with_endpoints;

	if (self->busy)
		SKIP(return, "%s", self->busy);
	ASSERT_EQ(0, lab_load(SIOV_IOMMU_KO, ""));
	alone = module_refcnt(SIOV_IOMMU);
	ASSERT_EQ(0, lab_load(SIOV_PCI_KO, ""));
	with_endpoints = module_refcnt(SIOV_IOMMU);
	/*
	 * Per endpoint (3), the iommu core's reference for the probed device
	 * and the default domain's.
	 */
	TH_LOG("refcnt %ld alone, %ld with 3 endpoints", alone, with_endpoints);
	EXPECT_EQ(alone + 2 * 3, with_endpoints);
	ASSERT_EQ(0, lab_unload(SIOV_PCI));
	/* Once the groups are released (lab_unload waits for that), it goes. */
	EXPECT_EQ(0, lab_unload(SIOV_IOMMU));
	EXPECT_FALSE(lab_module_loaded(SIOV_IOMMU));
}

TEST_HARNESS_MAIN
