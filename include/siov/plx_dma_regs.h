/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register interface of the PLX ExpressLane PEX switch DMA engine (PCI
 * 10b5:87d0) as Linux's drivers/dma/plx_dma.c programs it: what
 * samples/vfio-mdev/mdma emulates and what the tests and benchmarks drive.
 * Shared by kernel and userspace code, so it uses only <linux/const.h> and
 * <linux/types.h>.
 */
#ifndef _SIOV_PLX_DMA_REGS_H
#define _SIOV_PLX_DMA_REGS_H

#include <linux/const.h>
#include <linux/types.h>

#define PLX_DMA_VENDOR_ID		0x10b5
#define PLX_DMA_DEVICE_ID		0x87d0

/* BAR0 registers of the channel */
#define PLX_REG_RING_ADDR		0x214
#define PLX_REG_RING_ADDR_HI		0x218
#define PLX_REG_NEXT_ADDR		0x21c
#define PLX_REG_RING_COUNT		0x220
#define PLX_REG_LAST_ADDR		0x224
#define PLX_REG_LAST_SIZE		0x228
#define PLX_REG_PREF_LIMIT		0x234
#define PLX_REG_CTRL			0x238
#define PLX_REG_INTR_CTRL		0x23c	/* 16 bits */
#define PLX_REG_INTR_STATUS		0x23e	/* 16 bits, write 1 to clear */

/* PLX_REG_CTRL */
#define PLX_CTRL_PAUSE			_BITUL(0)
#define PLX_CTRL_ABORT			_BITUL(1)
#define PLX_CTRL_WRITE_BACK_EN		_BITUL(2)
#define PLX_CTRL_START			_BITUL(3)
#define PLX_CTRL_RING_STOP		_BITUL(4)
#define PLX_CTRL_DESC_MODE		(3u << 5)
#define PLX_CTRL_DESC_MODE_OFF_CHIP	(2u << 5)
#define PLX_CTRL_DESC_INVALID		_BITUL(8)
#define PLX_CTRL_PAUSE_DONE		_BITUL(9)
#define PLX_CTRL_ABORT_DONE		_BITUL(10)
#define PLX_CTRL_IMM_PAUSE_DONE		_BITUL(12)
#define PLX_CTRL_MAX_TXFR		(7u << 16)
#define PLX_CTRL_IN_PROGRESS		_BITUL(30)
/* What plx_dma writes to reset the channel, and to start its ring */
#define PLX_CTRL_RESET_VAL		(PLX_CTRL_DESC_INVALID | PLX_CTRL_PAUSE_DONE | \
					 PLX_CTRL_ABORT_DONE | PLX_CTRL_IMM_PAUSE_DONE)
#define PLX_CTRL_START_VAL		(PLX_CTRL_WRITE_BACK_EN | PLX_CTRL_DESC_MODE_OFF_CHIP | \
					 PLX_CTRL_START | PLX_CTRL_RESET_VAL)

/* PLX_REG_INTR_CTRL and PLX_REG_INTR_STATUS */
#define PLX_INTR_ERROR_EN		_BITUL(0)
#define PLX_INTR_INV_DESC_EN		_BITUL(1)
#define PLX_STATUS_ERROR		_BITUL(0)
#define PLX_STATUS_INV_DESC		_BITUL(1)
#define PLX_STATUS_DESC_DONE		_BITUL(2)

/* Descriptor flags_and_size, as submitted and as written back */
#define PLX_DESC_SIZE			0x07ffffffu
#define PLX_DESC_VALID			_BITUL(31)
#define PLX_DESC_INT			_BITUL(30)
#define PLX_WB_SUCCESS			_BITUL(30)
#define PLX_WB_RD_FAIL			_BITUL(29)
#define PLX_WB_WR_FAIL			_BITUL(28)

/**
 * struct plx_dma_desc - a descriptor of the ring in host (guest) memory
 * @flags_and_size: PLX_DESC_* flags and the transfer size in bytes
 * @dst_hi: bits 47:32 of the destination address
 * @src_hi: bits 47:32 of the source address
 * @dst_lo: bits 31:0 of the destination address
 * @src_lo: bits 31:0 of the source address
 */
struct plx_dma_desc {
	__le32 flags_and_size;
	__le16 dst_hi;
	__le16 src_hi;
	__le32 dst_lo;
	__le32 src_lo;
};

#endif /* _SIOV_PLX_DMA_REGS_H */
