// SPDX-License-Identifier: GPL-2.0
/* The mdma mdev of the in-guest VFIO tests (see mdma_dev.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "mdma_dev.h"

struct plx_dma_desc *mdma_ring(struct mdma *m)
{
	return (struct plx_dma_desc *)m->mem;
}

int mdma_rd(struct mdma *m, __u32 off, void *val, size_t size)
{
	return pread(m->vm.device, val, size, m->bar0 + off) == (ssize_t)size ? 0 : -errno;
}

int mdma_wr(struct mdma *m, __u32 off, const void *val, size_t size)
{
	return pwrite(m->vm.device, val, size, m->bar0 + off) == (ssize_t)size ? 0 : -errno;
}

__u32 mdma_rd32(struct mdma *m, __u32 off)
{
	__u32 v = 0xdeadbeef;

	mdma_rd(m, off, &v, 4);
	return v;
}

__u16 mdma_rd16(struct mdma *m, __u32 off)
{
	__u16 v = 0xdead;

	mdma_rd(m, off, &v, 2);
	return v;
}

int mdma_wr32(struct mdma *m, __u32 off, __u32 v)
{
	return mdma_wr(m, off, &v, 4);
}

int mdma_wr16(struct mdma *m, __u32 off, __u16 v)
{
	return mdma_wr(m, off, &v, 2);
}

/* Program the ring as plx_dma does when a channel is allocated. */
int mdma_ring_program(struct mdma *m)
{
	memset(m->mem, 0, PAGE);
	m->head = 0;
	if (mdma_wr32(m, PLX_REG_CTRL, PLX_CTRL_RESET_VAL) ||
	    mdma_wr32(m, PLX_REG_RING_ADDR, (__u32)IOVA_BASE) ||
	    mdma_wr32(m, PLX_REG_RING_ADDR_HI, IOVA_BASE >> 32) ||
	    mdma_wr32(m, PLX_REG_NEXT_ADDR, (__u32)IOVA_BASE) ||
	    mdma_wr32(m, PLX_REG_RING_COUNT, RING_N))
		return -EIO;
	return 0;
}

int mdma_arm_msi(struct mdma *m)
{
	m->irq = eventfd(0, EFD_NONBLOCK);
	if (m->irq < 0)
		return -errno;
	return vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &m->irq);
}

int mdma_cfg_rd16(struct mdma *m, __u32 off, __u16 *v)
{
	return pread(m->vm.device, v, 2, m->cfg + off) == 2 ? 0 : -errno;
}

int mdma_cfg_wr16(struct mdma *m, __u32 off, __u16 v)
{
	return pwrite(m->vm.device, &v, 2, m->cfg + off) == 2 ? 0 : -errno;
}

/* Open the device of an existing mdev and set it up for copies. */
int mdma_open(struct mdma *m, int iommu_type)
{
	struct vfio_region_info bar0, cfg;
	int ret;

	ret = vfio_mdev_open(m->uuid, iommu_type, &m->vm);
	if (ret)
		return ret;
	ret = vfio_region_info(m->vm.device, VFIO_PCI_BAR0_REGION_INDEX, &bar0);
	if (ret)
		return ret;
	m->bar0 = bar0.offset;
	ret = vfio_region_info(m->vm.device, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (ret)
		return ret;
	m->cfg = cfg.offset;
	/* What a guest driver's pci_enable_device() and pci_set_master() do. */
	ret = mdma_cfg_wr16(m, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (ret)
		return ret;
	/* Two mappings: the ring and source, and the destination. */
	ret = vfio_dma_map(m->vm.container, IOVA_BASE, m->mem, DST_OFF,
			   VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	if (ret)
		return ret;
	ret = vfio_dma_map(m->vm.container, DST_IOVA, m->mem + DST_OFF,
			   MEM_SIZE - DST_OFF, VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	if (ret)
		return ret;
	ret = mdma_arm_msi(m);
	return ret ? ret : mdma_ring_program(m);
}

int mdma_up(struct mdma *m, const char *type, int iommu_type)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->irq = -1;
	m->vm.container = -1;
	m->vm.group = -1;
	m->vm.device = -1;
	ret = mdev_find_parent(type, m->parent, sizeof(m->parent));
	if (ret)
		return ret;
	m->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->mem == MAP_FAILED) {
		m->mem = NULL;
		return -ENOMEM;
	}
	memset(m->mem, 0, MEM_SIZE);
	ret = mdev_create(m->parent, type, m->uuid);
	if (ret) {
		m->uuid[0] = '\0';
		return ret;
	}
	return mdma_open(m, iommu_type);
}

void mdma_down(struct mdma *m)
{
	vfio_mdev_close(&m->vm);
	if (m->irq >= 0)
		close(m->irq);
	m->irq = -1;
	if (m->uuid[0])
		mdev_remove(m->uuid);
	m->uuid[0] = '\0';
	if (m->mem)
		munmap(m->mem, MEM_SIZE);
	m->mem = NULL;
}

/* Queue one descriptor (not started); returns it. */
struct plx_dma_desc *mdma_submit(struct mdma *m, __u64 dst, __u64 src, __u32 len, __u32 flags)
{
	struct plx_dma_desc *d = &mdma_ring(m)[m->head];

	m->head = (m->head + 1) % RING_N;
	d->dst_lo = (__u32)dst;
	d->dst_hi = dst >> 32;
	d->src_lo = (__u32)src;
	d->src_hi = src >> 32;
	__atomic_store_n(&d->flags_and_size, len | flags, __ATOMIC_RELEASE);
	__atomic_store_n(&d->flags_and_size, len | flags | PLX_DESC_VALID, __ATOMIC_RELEASE);
	return d;
}

int mdma_kick(struct mdma *m)
{
	return mdma_wr16(m, PLX_REG_CTRL, PLX_CTRL_START_VAL);
}

/* Wait for the eventfd to fire; returns its count, 0 on timeout. */
__u64 eventfd_wait(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	__u64 n = 0;

	if (poll(&p, 1, ms) != 1 || read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

__u32 mdma_desc_flags(struct plx_dma_desc *d)
{
	return __atomic_load_n(&d->flags_and_size, __ATOMIC_ACQUIRE);
}

/* Wait until the engine is done with @d (VALID cleared). */
int mdma_wait_desc(struct plx_dma_desc *d, int ms)
{
	for (int i = 0; i < ms * 10; i++) {
		if (!(mdma_desc_flags(d) & PLX_DESC_VALID))
			return 0;
		usleep(100);
	}
	return -ETIMEDOUT;
}

/* Run one descriptor with an interrupt; returns its write-back word. */
__u32 mdma_run_one(struct mdma *m, __u64 dst, __u64 src, __u32 len)
{
	struct plx_dma_desc *d = mdma_submit(m, dst, src, len, PLX_DESC_INT);

	if (mdma_kick(m))
		return 0;
	if (!eventfd_wait(m->irq, IRQ_TIMEOUT_MS))
		return 0;
	mdma_wr16(m, PLX_REG_INTR_STATUS, mdma_rd16(m, PLX_REG_INTR_STATUS));
	return mdma_desc_flags(d);
}

/* Every byte of @p is @val. */
bool bytes_all(const __u8 *p, size_t len, __u8 val)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != val)
			return false;
	return true;
}

void bytes_fill(__u8 *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (__u8)(i * 131 + seed * 7 + (i >> 8));
}

long read_debugfs_number(const char *file, const char *key)
{
	char buf[8192], *p;
	int ret = sysfs_read_str(file, buf, sizeof(buf));

	if (ret)
		return ret;
	p = strstr(buf, key);
	return p ? atol(p + strlen(key)) : -ENOENT;
}

long siov_fault_count(void)
{
	return read_debugfs_number("/sys/kernel/debug/siov_iommu/faults", "faults: ");
}

/* aux_domains of an endpoint in /sys/kernel/debug/siov_iommu/endpoints. */
long siov_aux_domains(const char *endpoint)
{
	char buf[8192], *line;
	int ret = sysfs_read_str("/sys/kernel/debug/siov_iommu/endpoints", buf, sizeof(buf));
	unsigned long max;
	int en;
	long n;

	if (ret)
		return ret;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char name[64];

		if (sscanf(line, "%63s %lu %d %ld", name, &max, &en, &n) == 4 &&
		    !strcmp(name, endpoint))
			return n;
	}
	return -ENOENT;
}

int mdev_pasid(const char *uuid)
{
	char buf[32];

	if (mdev_attr_read(uuid, "siov/pasid", buf, sizeof(buf)))
		return -1;
	if (!strcmp(buf, "none"))
		return 0;
	return atoi(buf);
}

/*
 * Write @val to the sysfs @file from a child process (a removal: of the
 * mdev, or an unbind of its parent) while @m is open, and check that the
 * removal asks for the device through the request eventfd and waits until
 * it is closed.  @m's device is closed on the way.  Returns 0, -EAGAIN if
 * no request came, -EBUSY if the removal did not wait, -ETIMEDOUT if it
 * did not finish after the close, or the child's write error.
 */
int mdma_removal_waits_for_close(struct mdma *m, const char *file,
				 const char *val)
{
	int pipefd[2], req, ret, child = -EIO;
	struct pollfd p;
	pid_t pid;

	req = eventfd(0, EFD_NONBLOCK);
	if (req < 0 || pipe(pipefd))
		return -errno;
	ret = vfio_irq_set_eventfds(m->vm.device, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &req);
	if (ret)
		return ret;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int r;

		/* Only the parent may hold the device open. */
		close(m->vm.device);
		close(req);
		r = sysfs_write_str(file, val);
		_exit(write(pipefd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(pipefd[1]);
	p = (struct pollfd){ .fd = pipefd[0], .events = POLLIN };
	if (!eventfd_wait(req, IRQ_TIMEOUT_MS))
		ret = -EAGAIN;
	else if (poll(&p, 1, 0))
		ret = -EBUSY;
	vfio_mdev_close(&m->vm);
	if (!ret && (poll(&p, 1, IRQ_TIMEOUT_MS) != 1 ||
		     read(pipefd[0], &child, sizeof(child)) != sizeof(child)))
		ret = -ETIMEDOUT;
	if (!ret)
		ret = child;
	waitpid(pid, NULL, 0);
	close(pipefd[0]);
	close(req);
	return ret;
}
