/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An mdma mdev (samples/vfio-mdev/mdma.c) as the in-guest VFIO tests drive
 * it: created in sysfs, opened through a type1 container with Memory Space
 * and Bus Master enabled as a guest driver would, its buffers mapped, the
 * plx_dma ring programmed; and the helpers to submit descriptors and read
 * the software IOMMU's debugfs.
 */
#ifndef MDMA_DEV_H
#define MDMA_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "mdev_vfio.h"
#include "siov/plx_dma_regs.h"

#define BIT(n)			(1u << (n))

#define MDMA_TYPE		"mdma-1q"
#define MDMA_TYPE_BIG		"mdma-4q"

#define PAGE			4096ul
#define RING_N			256			/* descriptors: one page */
#define BUF_SIZE		((1ul << 20) + 4 * PAGE)	/* 1 MiB + slack */
#define SRC_OFF			PAGE
#define DST_OFF			(SRC_OFF + BUF_SIZE)
#define MEM_SIZE		(DST_OFF + BUF_SIZE)
#define IOVA_BASE		0x10000000ull
#define SRC_IOVA		(IOVA_BASE + SRC_OFF)
#define DST_IOVA		(IOVA_BASE + DST_OFF)
#define IOVA_UNMAPPED		0x70000000ull
#define IRQ_TIMEOUT_MS		20000

/* One opened mdma mdev, with its memory mapped and its ring programmed. */
struct mdma {
	char parent[64];
	char uuid[MDEV_UUID_LEN + 1];
	struct vfio_mdev vm;
	__u64 cfg;	/* config space region offset */
	__u64 bar0;
	__u8 *mem;
	int irq;	/* MSI eventfd */
	unsigned int head;
};

struct plx_dma_desc *mdma_ring(struct mdma *m);
int mdma_rd(struct mdma *m, __u32 off, void *val, size_t size);
int mdma_wr(struct mdma *m, __u32 off, const void *val, size_t size);
__u32 mdma_rd32(struct mdma *m, __u32 off);
__u16 mdma_rd16(struct mdma *m, __u32 off);
int mdma_wr32(struct mdma *m, __u32 off, __u32 v);
int mdma_wr16(struct mdma *m, __u32 off, __u16 v);
int mdma_ring_program(struct mdma *m);
int mdma_arm_msi(struct mdma *m);
int mdma_cfg_rd16(struct mdma *m, __u32 off, __u16 *v);
int mdma_cfg_wr16(struct mdma *m, __u32 off, __u16 v);
int mdma_open(struct mdma *m, int iommu_type);
int mdma_up(struct mdma *m, const char *type, int iommu_type);
void mdma_down(struct mdma *m);
struct plx_dma_desc *mdma_submit(struct mdma *m, __u64 dst, __u64 src, __u32 len, __u32 flags);
int mdma_kick(struct mdma *m);
__u64 eventfd_wait(int fd, int ms);
__u32 mdma_desc_flags(struct plx_dma_desc *d);
int mdma_wait_desc(struct plx_dma_desc *d, int ms);
__u32 mdma_run_one(struct mdma *m, __u64 dst, __u64 src, __u32 len);
bool bytes_all(const __u8 *p, size_t len, __u8 val);
void bytes_fill(__u8 *p, size_t len, unsigned int seed);
long read_debugfs_number(const char *file, const char *key);
long siov_fault_count(void);
long siov_aux_domains(const char *endpoint);
int mdev_pasid(const char *uuid);
int mdma_removal_waits_for_close(struct mdma *m, const char *file,
				 const char *val);

#endif
