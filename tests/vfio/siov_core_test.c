// SPDX-License-Identifier: GPL-2.0
/*
 * What the sample core (samples/vfio-mdev/core) guarantees every sample,
 * checked through an mdma mdev: an open device pins its sample's module;
 * the engine runs in a worker charged to the cgroups of the process that
 * opened the device; Bus Master Enable and Memory Space Enable act as on a
 * real function; INTx survives Interrupt Disable and a change of eventfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "siov/pci_ids.h"
#include "mdma_dev.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP		CGROUP_ROOT "/siov_core_test"
/* The VFIO client's quota: 20 ms of CPU per 100 ms period. */
#define QUOTA_US	20000
#define PERIOD_US	100000
#define WINDOW_MS	2000

static long module_refcnt(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	if (sysfs_read_str(path, buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

/* Wait up to @ms for @pid to exit; its status, or -1 if it is still running. */
static int wait_exit(pid_t pid, int ms)
{
	int status;

	for (int i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
		usleep(10000);
	}
	return -1;
}

/*
 * rmmod of a sample whose mdev is open fails at once, as for mtty: the open
 * device holds a reference on the sample's module, not only on the core's.
 */
TEST(module_pinned_while_open)
{
	struct mdma m;
	long before = module_refcnt("mdma");
	pid_t pid;
	int ret;

	ASSERT_GE(before, 0);
	ASSERT_EQ(0, mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(before + 1, module_refcnt("mdma"));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(syscall(SYS_delete_module, "mdma", O_NONBLOCK) ? errno : 0);
	ret = wait_exit(pid, 3000);
	if (ret < 0) {
		/*
		 * Hung in the removal, which waits for the device to be
		 * closed: close it, let the removal finish, load mdma again.
		 */
		vfio_mdev_close(&m.vm);
		wait_exit(pid, 15000);
		EXPECT_EQ(0, module_load("samples/vfio-mdev/mdma.ko"));
		ASSERT_TRUE(false) {
			TH_LOG("rmmod mdma hung while an mdev was open");
		}
	}
	EXPECT_TRUE(ret == EWOULDBLOCK || ret == EBUSY) {
		TH_LOG("delete_module: %s", ret ? strerror(ret) : "succeeded");
	}
	if (!ret) {
		mdma_down(&m);
		ASSERT_EQ(0, module_load("samples/vfio-mdev/mdma.ko"));
		return;
	}
	/* Still serving: a copy works. */
	bytes_fill(m.mem + SRC_OFF, 256, 1);
	EXPECT_EQ(PLX_WB_SUCCESS | 256, mdma_run_one(&m, DST_IOVA, SRC_IOVA, 256));
	mdma_down(&m);
	EXPECT_EQ(before, module_refcnt("mdma"));
}

static int cg_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", CGROUP, file);
	return sysfs_write_str(path, val);
}

static long cg_stat(const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cpu.stat", CGROUP);
	return read_debugfs_number(path, key);
}

static int cg_threads(void)
{
	char buf[4096];
	int n = 0;

	if (sysfs_read_str(CGROUP "/cgroup.threads", buf, sizeof(buf)))
		return -1;
	for (char *p = buf; *p; p++)
		n += *p == '\n';
	return n + (buf[0] && buf[strlen(buf) - 1] != '\n');
}

static int cgroup_setup(void)
{
	char buf[256];

	/* cgroup v2 where systemd would have it, mounted if need be. */
	if (access(CGROUP_ROOT "/cgroup.controllers", R_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return -errno;
	if (sysfs_read_str(CGROUP_ROOT "/cgroup.controllers", buf, sizeof(buf)))
		return -EIO;
	if (!strstr(buf, "cpu"))
		return -ENOENT;
	if (sysfs_write_str(CGROUP_ROOT "/cgroup.subtree_control", "+cpu"))
		return -EIO;
	rmdir(CGROUP);
	if (mkdir(CGROUP, 0755))
		return -errno;
	snprintf(buf, sizeof(buf), "%d %d", QUOTA_US, PERIOD_US);
	return cg_write("cpu.max", buf);
}

/*
 * The VFIO client: joins the cgroup, starts a ring that never ends (one
 * VALID descriptor, no write-back, so the engine goes round and round),
 * says so on @up, closes the device when @down says so, and says so.
 */
static int endless_client(int up, int down)
{
	struct mdma m;
	char pid[16], c = 0;
	struct plx_dma_desc *d;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (cg_write("cgroup.procs", pid) || mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU))
		return 1;
	d = mdma_submit(&m, DST_IOVA, SRC_IOVA, 4096, 0);
	if (mdma_wr32(&m, PLX_REG_RING_COUNT, 1) ||
	    mdma_wr16(&m, PLX_REG_CTRL, PLX_CTRL_START_VAL & ~PLX_CTRL_WRITE_BACK_EN))
		return 2;
	if (!(mdma_rd32(&m, PLX_REG_CTRL) & PLX_CTRL_IN_PROGRESS) ||
	    !(mdma_desc_flags(d) & PLX_DESC_VALID))
		return 3;
	if (write(up, "u", 1) != 1 || read(down, &c, 1) != 1)
		return 4;
	mdma_down(&m);
	return write(up, "d", 1) == 1 ? 0 : 5;
}

/*
 * A guest can keep the engine busy for ever; that work runs in a worker in
 * the cgroups of the process that opened the device, so its cpu.max limits
 * it, and the worker goes with the close.
 */
TEST(engine_charged_to_opener)
{
	int up[2], down[2], ret;
	long usage, throttled;
	struct pollfd p;
	pid_t pid;
	char c;

	ret = cgroup_setup();
	if (ret == -ENOENT)
		SKIP(return, "no cpu controller in cgroup v2");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(endless_client(up[1], down[0]));
	/* A client that fails closes the pipe: read() returns 0 at once. */
	close(up[1]);
	close(down[0]);
	p = (struct pollfd){ .fd = up[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 20000));
	ASSERT_EQ(1, read(up[0], &c, 1)) {
		TH_LOG("the client failed with status %d", wait_exit(pid, 1000));
	}
	ASSERT_EQ('u', c);

	/* The client and the engine's worker. */
	EXPECT_EQ(2, cg_threads());
	usage = cg_stat("usage_usec ");
	throttled = cg_stat("nr_throttled ");
	ASSERT_GE(usage, 0);
	ASSERT_GE(throttled, 0);
	/* The measurement window: the client sleeps in read() throughout. */
	EXPECT_EQ(0, poll(&p, 1, WINDOW_MS));
	usage = cg_stat("usage_usec ") - usage;
	throttled = cg_stat("nr_throttled ") - throttled;
	TH_LOG("in %d ms the cgroup used %ld us of CPU, throttled %ld times",
	       WINDOW_MS, usage, throttled);
	/* Charged: at least a quarter of the quota... */
	EXPECT_GE(usage, WINDOW_MS * 1000L / PERIOD_US * QUOTA_US / 4);
	/* ...and limited by it (two periods of slack). */
	EXPECT_LE(usage, (WINDOW_MS * 1000L / PERIOD_US + 2) * QUOTA_US);
	EXPECT_GT(throttled, 0);

	ASSERT_EQ(1, write(down[1], "d", 1));
	ASSERT_EQ(1, poll(&p, 1, 20000));
	ASSERT_EQ(1, read(up[0], &c, 1));
	EXPECT_EQ('d', c);
	/* After the close only the client is left in the cgroup. */
	EXPECT_EQ(1, cg_threads());
	EXPECT_EQ(0, wait_exit(pid, 5000));
	EXPECT_EQ(0, cg_threads());
	EXPECT_EQ(0, rmdir(CGROUP));
}

FIXTURE(core) {
	struct mdma m;
};

FIXTURE_SETUP(core)
{
	ASSERT_EQ(0, mdma_up(&self->m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
}

FIXTURE_TEARDOWN(core)
{
	mdma_down(&self->m);
}

/* With Bus Master Enable clear the function does not master: START is ignored. */
TEST_F(core, start_without_bus_master)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d;

	bytes_fill(m->mem + SRC_OFF, 4096, 6);
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY));
	d = mdma_submit(m, DST_IOVA, SRC_IOVA, 4096, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	EXPECT_FALSE(mdma_rd32(m, PLX_REG_CTRL) & (PLX_CTRL_START | PLX_CTRL_IN_PROGRESS));
	EXPECT_EQ(0, eventfd_wait(m->irq, 0));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_EQ(PLX_DESC_VALID | PLX_DESC_INT | 4096, mdma_desc_flags(d));
	EXPECT_TRUE(bytes_all(m->mem + DST_OFF, 4096, 0));
	/* Mastering again: the same descriptor runs on the next START. */
	ASSERT_EQ(0, mdma_kick(m));
	EXPECT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	EXPECT_EQ(PLX_WB_SUCCESS | 4096, mdma_desc_flags(d));
	EXPECT_EQ(0, memcmp(m->mem + DST_OFF, m->mem + SRC_OFF, 4096));
}

/* Clearing Bus Master Enable stops a running engine before the write returns. */
TEST_F(core, bus_master_clear_stops_engine)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d;

	d = mdma_submit(m, DST_IOVA, SRC_IOVA, 4096, 0);
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_COUNT, 1));
	ASSERT_EQ(0, mdma_wr16(m, PLX_REG_CTRL, PLX_CTRL_START_VAL & ~PLX_CTRL_WRITE_BACK_EN));
	ASSERT_TRUE(mdma_rd32(m, PLX_REG_CTRL) & PLX_CTRL_IN_PROGRESS);
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY));
	EXPECT_FALSE(mdma_rd32(m, PLX_REG_CTRL) & PLX_CTRL_IN_PROGRESS);
	/* Stopped: the copy it kept repeating does not happen any more. */
	memset(m->mem + DST_OFF, 0, 4096);
	bytes_fill(m->mem + SRC_OFF, 4096, 8);
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_TRUE(bytes_all(m->mem + DST_OFF, 4096, 0));
	EXPECT_TRUE(mdma_desc_flags(d) & PLX_DESC_VALID);
}

/*
 * The first batch after a doorbell runs in the thread that wrote it: a short
 * burst is complete, and its interrupt raised, when the write returns.  What
 * is past the batch's budget (4 MiB here) runs on the device's worker.
 */
TEST_F(core, doorbell_runs_first_batch)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d[8];
	char path[128];
	long batches;
	int i;

	snprintf(path, sizeof(path), "/sys/kernel/debug/siov_mdev/%s/stats", m->uuid);
	batches = read_debugfs_number(path, "batches: ");
	ASSERT_LE(0, batches);

	for (i = 0; i < 8; i++)
		d[i] = mdma_submit(m, DST_IOVA + i * PAGE, SRC_IOVA + i * PAGE, PAGE,
				   i == 7 ? PLX_DESC_INT : 0);
	ASSERT_EQ(0, mdma_kick(m));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(PLX_WB_SUCCESS | PAGE, mdma_desc_flags(d[i]));
	EXPECT_NE(0, eventfd_wait(m->irq, 0));
	EXPECT_EQ(batches + 1, read_debugfs_number(path, "batches: "));

	/* Five 1 MiB copies: four in the writer's batch, the fifth on the worker. */
	ASSERT_EQ(0, mdma_wr16(m, PLX_REG_INTR_STATUS, mdma_rd16(m, PLX_REG_INTR_STATUS)));
	for (i = 0; i < 5; i++)
		d[i] = mdma_submit(m, DST_IOVA, SRC_IOVA, 1u << 20, i == 4 ? PLX_DESC_INT : 0);
	ASSERT_EQ(0, mdma_kick(m));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(PLX_WB_SUCCESS | (1u << 20), mdma_desc_flags(d[i]));
	EXPECT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	EXPECT_EQ(PLX_WB_SUCCESS | (1u << 20), mdma_desc_flags(d[4]));
	/* A reset waits for the worker's batch, counted after its interrupt. */
	ASSERT_EQ(0, ioctl(m->vm.device, VFIO_DEVICE_RESET));
	EXPECT_EQ(batches + 3, read_debugfs_number(path, "batches: "));
}

/* With Memory Space Enable clear, BAR accesses fail with EIO, as on vfio-pci. */
TEST_F(core, bar_without_memory_space)
{
	struct mdma *m = &self->m;
	__u32 v = 0;

	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, 0));
	EXPECT_EQ(-EIO, mdma_rd(m, PLX_REG_RING_COUNT, &v, 4));
	EXPECT_EQ(-EIO, mdma_wr(m, PLX_REG_RING_COUNT, &v, 4));
	/* The MSI-X table too: it is in the BAR. */
	EXPECT_EQ(-EIO, mdma_rd(m, 0x800, &v, 4));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY));
	EXPECT_EQ(RING_N, mdma_rd32(m, PLX_REG_RING_COUNT));
}

static int arm_intx(struct mdma *m, int *efd)
{
	*efd = eventfd(0, EFD_NONBLOCK);
	if (*efd < 0)
		return -errno;
	if (vfio_irq_set_none(m->vm.device, VFIO_PCI_MSI_IRQ_INDEX,
			      VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0))
		return -errno;
	return vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, efd);
}

/* A completion while Interrupt Disable is set is latched and delivered when it clears. */
TEST_F(core, intx_latched_while_disabled)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d;
	int efd;

	ASSERT_EQ(0, arm_intx(m, &efd));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
					      PCI_COMMAND_INTX_DISABLE));
	d = mdma_submit(m, DST_IOVA, SRC_IOVA, 64, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, mdma_wait_desc(d, IRQ_TIMEOUT_MS));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_EQ(1, eventfd_wait(efd, 0));
	close(efd);
}

/* A pending INTx survives VFIO_DEVICE_SET_IRQS giving INTx a new eventfd. */
TEST_F(core, intx_pending_across_new_trigger)
{
	struct mdma *m = &self->m;
	struct plx_dma_desc *d;
	int efd, efd2;

	ASSERT_EQ(0, arm_intx(m, &efd));
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	d = mdma_submit(m, DST_IOVA, SRC_IOVA, 64, PLX_DESC_INT);
	ASSERT_EQ(0, mdma_kick(m));
	ASSERT_EQ(0, mdma_wait_desc(d, IRQ_TIMEOUT_MS));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	efd2 = eventfd(0, EFD_NONBLOCK);
	ASSERT_GE(efd2, 0);
	ASSERT_EQ(0, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd2));
	/* Still masked: nothing yet. */
	EXPECT_EQ(0, eventfd_wait(efd2, 0));
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_INTX_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(1, eventfd_wait(efd2, 0));
	EXPECT_EQ(0, eventfd_wait(efd, 0));
	close(efd);
	close(efd2);
}

/*
 * A fault on the ring itself, which the registers cannot report for a
 * descriptor, also signals the VFIO error interrupt; a fault on a
 * descriptor's data is reported in its write-back only.
 */
TEST_F(core, err_irq_on_ring_fault)
{
	struct mdma *m = &self->m;
	int err = eventfd(0, EFD_NONBLOCK);

	ASSERT_GE(err, 0);
	ASSERT_EQ(0, vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &err));
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, IOVA_UNMAPPED, 64) & ~PLX_DESC_SIZE);
	EXPECT_EQ(0, eventfd_wait(err, 0));

	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_RING_ADDR, (__u32)IOVA_UNMAPPED));
	ASSERT_EQ(0, mdma_wr32(m, PLX_REG_NEXT_ADDR, (__u32)IOVA_UNMAPPED));
	ASSERT_EQ(0, mdma_kick(m));
	EXPECT_NE(0, eventfd_wait(m->irq, IRQ_TIMEOUT_MS));
	EXPECT_EQ(1, eventfd_wait(err, IRQ_TIMEOUT_MS));
	EXPECT_TRUE(mdma_rd32(m, PLX_REG_CTRL) & PLX_CTRL_DESC_INVALID);
	/* Disarmed, and closed with the device: nothing left behind. */
	ASSERT_EQ(0, vfio_irq_set_none(m->vm.device, VFIO_PCI_ERR_IRQ_INDEX,
				       VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0));
	close(err);
}

/*
 * Unbinding the parent endpoint from its driver while a client holds an
 * mdev open asks the client, through the request eventfd, to release it,
 * and waits for it; then the endpoint can be bound again.
 */
TEST(request_on_parent_unbind)
{
	struct mdma m;

	ASSERT_EQ(0, mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, mdma_removal_waits_for_close(&m, "/sys/bus/pci/drivers/mdma/unbind",
						  m.parent));
	EXPECT_FALSE(mdev_exists(m.uuid));
	m.uuid[0] = '\0';
	EXPECT_EQ(0, sysfs_write_str("/sys/bus/pci/drivers/mdma/bind", m.parent));
	mdma_down(&m);
	/* Served again. */
	ASSERT_EQ(0, mdma_up(&m, MDMA_TYPE, VFIO_TYPE1v2_IOMMU));
	mdma_down(&m);
}

static int trace_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	return sysfs_write_str(path, val);
}

/*
 * What an operator sees: the per-mdev counters in debugfs and the
 * siov_mdev tracepoints, for a copy, a fault and a reset.
 */
TEST_F(core, counters_and_tracepoints)
{
	struct mdma *m = &self->m;
	char path[128], *buf = malloc(1 << 20);
	int fd;
	ssize_t n;

	ASSERT_NE(NULL, buf);
	if (access("/sys/kernel/tracing/trace", R_OK))
		ASSERT_EQ(0, mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL));
	ASSERT_EQ(0, trace_write("trace", ""));
	ASSERT_EQ(0, trace_write("events/siov_mdev/enable", "1"));

	EXPECT_EQ(PLX_WB_SUCCESS | 4096, mdma_run_one(m, DST_IOVA, SRC_IOVA, 4096));
	EXPECT_EQ(PLX_WB_RD_FAIL, mdma_run_one(m, DST_IOVA, IOVA_UNMAPPED, 64) & ~PLX_DESC_SIZE);
	ASSERT_EQ(0, ioctl(m->vm.device, VFIO_DEVICE_RESET));
	ASSERT_EQ(0, trace_write("events/siov_mdev/enable", "0"));

	snprintf(path, sizeof(path), "/sys/kernel/debug/siov_mdev/%s/stats", m->uuid);
	EXPECT_EQ(4096, read_debugfs_number(path, "bytes: "));
	EXPECT_EQ(2, read_debugfs_number(path, "descriptors: "));
	EXPECT_LE(1, read_debugfs_number(path, "batches: "));
	EXPECT_EQ(1, read_debugfs_number(path, "faults: "));
	EXPECT_EQ(2, read_debugfs_number(path, "interrupts: "));
	EXPECT_EQ(1, read_debugfs_number(path, "resets: "));

	fd = open("/sys/kernel/tracing/trace", O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, (1 << 20) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	snprintf(path, sizeof(path), "siov_mdev_engine_batch: %s descs=", m->uuid);
	EXPECT_NE(NULL, strstr(buf, path));
	snprintf(path, sizeof(path), "siov_mdev_irq: %s msi vector=0", m->uuid);
	EXPECT_NE(NULL, strstr(buf, path));
	snprintf(path, sizeof(path), "pasid=%d iova=%#llx read error=-14", mdev_pasid(m->uuid),
		 IOVA_UNMAPPED);
	EXPECT_NE(NULL, strstr(buf, path)) {
		TH_LOG("no fault event with %s", path);
	}
	snprintf(path, sizeof(path), "siov_mdev_ctx_unprogram: %s pasid=%d", m->uuid,
		 mdev_pasid(m->uuid));
	EXPECT_NE(NULL, strstr(buf, path));
	snprintf(path, sizeof(path), "siov_mdev_ctx_program: %s pasid=%d", m->uuid,
		 mdev_pasid(m->uuid));
	EXPECT_NE(NULL, strstr(buf, path));
	free(buf);
}

/*
 * The seams the virtio samples need, through a test model
 * (tests/core-model/siov_core_model.c): vendor capabilities allocated after
 * the core's, a model hook on config reads, several regions in one BAR,
 * single-copy-atomic DMA words, and an engine reset that keeps the device
 * context.  The mdma helpers set the device up; their plx_dma register
 * writes land in no region of the model and are ignored.
 */
#define MODEL		"siov_core_model"
#define MODEL_TYPE	MODEL "-1"
#define MODEL_CONTROL	0x100
#define MODEL_DONE	(MODEL_CONTROL + 12)

FIXTURE(model) {
	struct mdma m;
	struct pci_override ep;
	bool loaded;
};

FIXTURE_SETUP(model)
{
	self->loaded = module_load("tests/core-model/" MODEL ".ko") == 0;
	ASSERT_TRUE(self->loaded);
	ASSERT_EQ(0, pci_override_bind(SIOV_PCI_DEVICE_NET, MODEL, &self->ep));
	ASSERT_EQ(0, mdma_up(&self->m, MODEL_TYPE, VFIO_TYPE1v2_IOMMU));
}

FIXTURE_TEARDOWN(model)
{
	mdma_down(&self->m);
	pci_override_unbind(MODEL, &self->ep);
	if (self->loaded)
		EXPECT_EQ(0, module_unload(MODEL));
}

static __u32 model_counter(struct mdma *m)
{
	return __atomic_load_n((__u32 *)(m->mem + 4), __ATOMIC_ACQUIRE);
}

TEST_F_TIMEOUT(model, config_capabilities, 120)
{
	struct mdma *m = &self->m;
	unsigned int ids[16], pos[16], n = 0, guard = 0;
	__u8 cfg[256], v = 0x41;

	ASSERT_EQ(sizeof(cfg), pread(m->vm.device, cfg, sizeof(cfg), m->cfg));
	for (unsigned int p = cfg[PCI_CAPABILITY_LIST]; p && guard < 16; p = cfg[p + 1], guard++) {
		ASSERT_GE(p, 0x40);
		ASSERT_LT(p, 0x100);
		EXPECT_EQ(0, p % 4);
		pos[n] = p;
		ids[n++] = cfg[p];
	}
	ASSERT_EQ(6, n);
	EXPECT_EQ(PCI_CAP_ID_PM, ids[0]);
	EXPECT_EQ(PCI_CAP_ID_MSI, ids[1]);
	EXPECT_EQ(PCI_CAP_ID_MSIX, ids[2]);
	EXPECT_EQ(PCI_CAP_ID_EXP, ids[3]);
	EXPECT_EQ(PCI_CAP_ID_VNDR, ids[4]);
	EXPECT_EQ(PCI_CAP_ID_VNDR, ids[5]);
	/* After the PCI Express capability (an endpoint's), 4-byte aligned. */
	EXPECT_EQ((pos[3] + PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 + 3) & ~3u, pos[4]);
	EXPECT_EQ(pos[4] + 16, pos[5]);
	EXPECT_EQ(16, cfg[pos[4] + 2]);
	EXPECT_EQ(20, cfg[pos[5] + 2]);
	EXPECT_LE(pos[5] + 20, 0x100);

	/* The model's byte, and the one it computes from it on a read. */
	ASSERT_EQ(1, pwrite(m->vm.device, &v, 1, m->cfg + pos[4] + 4));
	ASSERT_EQ(sizeof(cfg), pread(m->vm.device, cfg, sizeof(cfg), m->cfg));
	EXPECT_EQ(0x41, cfg[pos[4] + 4]);
	EXPECT_EQ(0x42, cfg[pos[4] + 5]);
	/* Read-only where the model defined nothing. */
	ASSERT_EQ(1, pwrite(m->vm.device, &v, 1, m->cfg + pos[5] + 6));
	ASSERT_EQ(1, pread(m->vm.device, &v, 1, m->cfg + pos[5] + 6));
	EXPECT_EQ(0, v);
}

TEST_F_TIMEOUT(model, regions, 120)
{
	struct mdma *m = &self->m;
	__u64 v = 1;

	ASSERT_EQ(0, mdma_rd(m, 0x200, &v, 8));
	EXPECT_EQ(0x4c444f4d45524f43ull, v);
	EXPECT_EQ(0x4c444f4d, mdma_rd32(m, 0x204));
	/* Between regions, and across a region's end: nothing there. */
	EXPECT_EQ(0, mdma_rd32(m, 0x300));
	v = 1;
	ASSERT_EQ(0, mdma_rd(m, 0x0, &v, 8));
	EXPECT_EQ(0, v);
	/* A region's registers keep their own offsets. */
	ASSERT_EQ(0, mdma_wr32(m, MODEL_CONTROL + 4, 0x1234));
	ASSERT_EQ(0, mdma_wr32(m, MODEL_CONTROL + 8, 0x5));
	EXPECT_EQ(0x1234, mdma_rd32(m, MODEL_CONTROL + 4));
	EXPECT_EQ(0x5, mdma_rd32(m, MODEL_CONTROL + 8));
	EXPECT_EQ(0, mdma_rd32(m, 0x204 + 0x100));
}

static int model_wait_counter(struct mdma *m, __u32 above)
{
	for (int i = 0; i < 20000; i++) {
		if (model_counter(m) > above)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

TEST_F_TIMEOUT(model, engine_reset_keeps_context, 120)
{
	struct mdma *m = &self->m;
	int pasid = mdev_pasid(m->uuid);
	__u32 done, seen;
	__u16 head;

	ASSERT_GT(pasid, 0);
	memset(m->mem, 0, PAGE);
	ASSERT_EQ(0, mdma_wr32(m, MODEL_CONTROL + 4, (__u32)IOVA_BASE));
	ASSERT_EQ(0, mdma_wr32(m, MODEL_CONTROL + 8, IOVA_BASE >> 32));
	ASSERT_EQ(0, mdma_wr32(m, 0x0, 1));
	EXPECT_EQ(1, mdma_rd32(m, MODEL_CONTROL));
	ASSERT_EQ(0, model_wait_counter(m, 10));

	/* Reset: the engine is stopped when the write returns. */
	ASSERT_EQ(0, mdma_wr32(m, MODEL_CONTROL, 0));
	EXPECT_EQ(0, mdma_rd32(m, MODEL_CONTROL));
	done = mdma_rd32(m, MODEL_DONE);
	seen = model_counter(m);
	head = __atomic_load_n((__u16 *)m->mem, __ATOMIC_ACQUIRE);
	EXPECT_EQ(done, seen);
	EXPECT_EQ((__u16)done, head);
	EXPECT_EQ(pasid, mdev_pasid(m->uuid));

	/* Kicked again, through the same PASID. */
	ASSERT_EQ(0, mdma_wr32(m, 0x0, 1));
	EXPECT_EQ(0, model_wait_counter(m, seen + 10));
	ASSERT_EQ(0, ioctl(m->vm.device, VFIO_DEVICE_RESET));
	ASSERT_EQ(0, mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	EXPECT_EQ(0, mdma_rd32(m, MODEL_DONE));
	EXPECT_EQ(0, mdma_rd32(m, MODEL_CONTROL));
}

TEST_HARNESS_MAIN
