/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the virtio layer: transport.c (registers, status, reset),
 * queue.c (virtqueues, notify, the engine) and pci_cfg.c (the PCI_CFG
 * capability's window).  Internal names are sv_*.
 */
#ifndef SIOV_VIRTIO_TRANSPORT_H
#define SIOV_VIRTIO_TRANSPORT_H

#include "../siov_virtio.h"

/* The notify structure: one 32-bit doorbell per queue. */
#define SV_NOTIFY		0x3000
#define SV_NOTIFY_MULTIPLIER	4
#define SV_NOTIFY_LEN		(SIOV_VIRTIO_QUEUES_MAX * SV_NOTIFY_MULTIPLIER)

/* The ISR status bits (read to clear). */
#define SV_ISR_QUEUE		BIT(0)
#define SV_ISR_CONFIG		BIT(1)

/* transport.c */
void sv_needs_reset(struct siov_virtio *vdev);

/* queue.c */
void sv_queues_init(struct siov_virtio *vdev);
void sv_queues_release(struct siov_virtio *vdev);
void sv_queues_reset(struct siov_virtio *vdev);
void sv_queues_start(struct siov_virtio *vdev);
struct siov_virtio_queue *sv_queue_selected(struct siov_virtio *vdev);
void sv_queue_enable(struct siov_virtio_queue *vq);
u64 sv_notify_read(struct siov_mdev *smdev, u32 off, unsigned int size);
void sv_notify_write(struct siov_mdev *smdev, u32 off, unsigned int size,
		     u64 val);
bool sv_engine_run(struct siov_mdev *smdev, struct siov_mdev_batch *batch);

/* pci_cfg.c */
int sv_pci_cfg_cap(struct siov_mdev_cfg *cfg);
void sv_config_access(struct siov_mdev *smdev, unsigned int pos,
		      unsigned int len, bool write);

#endif /* SIOV_VIRTIO_TRANSPORT_H */
