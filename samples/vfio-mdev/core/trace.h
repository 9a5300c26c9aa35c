/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the sample core, in /sys/kernel/tracing/events/siov_mdev/:
 * the device context programmed and unprogrammed, DMA faults, interrupts
 * delivered and engine batches, each naming the mdev.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM siov_mdev

#if !defined(_SIOV_MDEV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SIOV_MDEV_TRACE_H

#include <linux/tracepoint.h>

#include "core.h"

#define SMDEV_TRACE_NAME(smdev)	dev_name(mdev_dev((smdev)->mdev))

DECLARE_EVENT_CLASS(siov_mdev_ctx,
		    TP_PROTO(struct siov_mdev *smdev, u32 pasid),
		    TP_ARGS(smdev, pasid),
		    TP_STRUCT__entry(__string(mdev, SMDEV_TRACE_NAME(smdev))
				     __field(u32, pasid)),
		    TP_fast_assign(__assign_str(mdev, SMDEV_TRACE_NAME(smdev));
				   __entry->pasid = pasid;),
		    TP_printk("%s pasid=%u", __get_str(mdev), __entry->pasid));

DEFINE_EVENT(siov_mdev_ctx, siov_mdev_ctx_program,
	     TP_PROTO(struct siov_mdev *smdev, u32 pasid),
	     TP_ARGS(smdev, pasid));

DEFINE_EVENT(siov_mdev_ctx, siov_mdev_ctx_unprogram,
	     TP_PROTO(struct siov_mdev *smdev, u32 pasid),
	     TP_ARGS(smdev, pasid));

TRACE_EVENT(siov_mdev_dma_fault,
	    TP_PROTO(struct siov_mdev *smdev, u32 pasid, u64 iova, bool write,
		     int error),
	    TP_ARGS(smdev, pasid, iova, write, error),
	    TP_STRUCT__entry(__string(mdev, SMDEV_TRACE_NAME(smdev))
			     __string(endpoint, pci_name(smdev->parent->pdev))
			     __field(u32, pasid)
			     __field(u64, iova)
			     __field(bool, write)
			     __field(int, error)),
	    TP_fast_assign(__assign_str(mdev, SMDEV_TRACE_NAME(smdev));
			   __assign_str(endpoint, pci_name(smdev->parent->pdev));
			   __entry->pasid = pasid;
			   __entry->iova = iova;
			   __entry->write = write;
			   __entry->error = error;),
	    TP_printk("%s endpoint=%s pasid=%u iova=%#llx %s error=%d",
		      __get_str(mdev), __get_str(endpoint), __entry->pasid,
		      __entry->iova, __entry->write ? "write" : "read",
		      __entry->error));

TRACE_EVENT(siov_mdev_irq,
	    TP_PROTO(struct siov_mdev *smdev, int mode, unsigned int vector),
	    TP_ARGS(smdev, mode, vector),
	    TP_STRUCT__entry(__string(mdev, SMDEV_TRACE_NAME(smdev))
			     __field(int, mode)
			     __field(unsigned int, vector)),
	    TP_fast_assign(__assign_str(mdev, SMDEV_TRACE_NAME(smdev));
			   __entry->mode = mode;
			   __entry->vector = vector;),
	    TP_printk("%s %s vector=%u", __get_str(mdev),
		      __print_symbolic(__entry->mode,
				       { SIOV_MDEV_IRQ_INTX, "intx" },
				       { SIOV_MDEV_IRQ_MSI, "msi" },
				       { SIOV_MDEV_IRQ_MSIX, "msix" }),
		      __entry->vector));

TRACE_EVENT(siov_mdev_engine_batch,
	    TP_PROTO(struct siov_mdev *smdev, unsigned int descs, u64 bytes,
		     bool more),
	    TP_ARGS(smdev, descs, bytes, more),
	    TP_STRUCT__entry(__string(mdev, SMDEV_TRACE_NAME(smdev))
			     __field(unsigned int, descs)
			     __field(u64, bytes)
			     __field(bool, more)),
	    TP_fast_assign(__assign_str(mdev, SMDEV_TRACE_NAME(smdev));
			   __entry->descs = descs;
			   __entry->bytes = bytes;
			   __entry->more = more;),
	    TP_printk("%s descs=%u bytes=%llu%s", __get_str(mdev),
		      __entry->descs, __entry->bytes,
		      __entry->more ? " more" : ""));

#endif /* _SIOV_MDEV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
