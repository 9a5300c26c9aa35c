// SPDX-License-Identifier: GPL-2.0
/*
 * The modern virtio-pci transport of the virtio samples (see "Virtio
 * samples" in siov_virtio.h): the vendor capabilities, the common, ISR and
 * device-config structures of BAR 4, feature negotiation, device status
 * and reset.  The notify structure and the queues are in queue.c.
 *
 * Every register access runs under the mdev lock (a region op of the
 * core).  The engine runs without it and touches only queues that are
 * ready; only a reset, with the engine stopped, takes a queue back.
 */
#include <linux/module.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_pci.h>

#include "transport.h"

/* BAR 4, as QEMU lays it out. */
#define SV_COMMON_LEN		0x40	/* 56 bytes, and 6.1's 4 unused ones */
#define SV_ISR			0x1000
#define SV_ISR_LEN		0x4
#define SV_DEVICE		0x2000

static const struct siov_virtio_model *sv_model(struct siov_virtio *vdev)
{
	return container_of(vdev->smdev.model, struct siov_virtio_model, mdev);
}

static u64 sv_device_features(struct siov_virtio *vdev)
{
	return sv_model(vdev)->features | BIT_ULL(VIRTIO_F_VERSION_1);
}

/* The driver's features are a subset of the device's, VERSION_1 among them. */
static bool sv_features_ok(struct siov_virtio *vdev)
{
	u64 f = vdev->driver_features;

	return !(f & ~sv_device_features(vdev)) &&
	       (f & BIT_ULL(VIRTIO_F_VERSION_1));
}

/* Back to the power-on state; the engine is stopped. */
static void sv_reset_state(struct siov_virtio *vdev)
{
	lockdep_assert_held(&vdev->smdev.lock);
	sv_queues_reset(vdev);
	vdev->driver_features = 0;
	vdev->device_feature_select = 0;
	vdev->driver_feature_select = 0;
	vdev->msix_config = VIRTIO_MSI_NO_VECTOR;
	vdev->queue_select = 0;
	WRITE_ONCE(vdev->status, 0);
	atomic_set(&vdev->needs_reset, 0);
	atomic_set(&vdev->isr, 0);
	if (sv_model(vdev)->ops->reset)
		sv_model(vdev)->ops->reset(vdev);
}

/*
 * Status 0: stop every queue and wait for the batch in flight, then forget
 * everything.  The write returns once that is done, so the driver's
 * read-back sees 0 only after it.
 */
static void sv_device_reset(struct siov_virtio *vdev)
{
	unsigned int q;

	/*
	 * No queue is ready from here on, before the engine runs again: a
	 * sample that uses a ring outside the engine must not see it ready
	 * between the engine's restart and the reset of the queue state.
	 */
	for (q = 0; q < SIOV_VIRTIO_QUEUES_MAX; q++)
		WRITE_ONCE(vdev->queues[q].ready, false);
	siov_mdev_engine_reset(&vdev->smdev);
	sv_reset_state(vdev);
}

static void sv_status_write(struct siov_virtio *vdev, u8 val)
{
	bool start;

	if (!val) {
		sv_device_reset(vdev);
		return;
	}
	/* FEATURES_OK only for features the device can do. */
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !sv_features_ok(vdev))
		val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	/* The driver may not clear bits (but by writing 0), nor set NEEDS_RESET. */
	val = (val | vdev->status) & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	/* The queues start once, when DRIVER_OK is set. */
	start = (val & ~vdev->status) & VIRTIO_CONFIG_S_DRIVER_OK;
	WRITE_ONCE(vdev->status, val);
	if (start)
		sv_queues_start(vdev);
}

static u32 sv_common_queue_read(struct siov_virtio *vdev, u32 off)
{
	struct siov_virtio_queue *vq = sv_queue_selected(vdev);

	if (!vq)
		return 0;
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		return vq->size;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		return vq->msix_vector;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		return vq->enabled;
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return vq->index;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		return lower_32_bits(vq->desc);
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		return upper_32_bits(vq->desc);
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		return lower_32_bits(vq->driver);
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		return upper_32_bits(vq->driver);
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		return lower_32_bits(vq->device);
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		return upper_32_bits(vq->device);
	}
	return 0;
}

static u64 sv_common_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);
	u64 f;

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		return vdev->device_feature_select;
	case VIRTIO_PCI_COMMON_DF:
		f = sv_device_features(vdev);
		return vdev->device_feature_select > 1 ? 0 :
		       (u32)(f >> (32 * vdev->device_feature_select));
	case VIRTIO_PCI_COMMON_GFSELECT:
		return vdev->driver_feature_select;
	case VIRTIO_PCI_COMMON_GF:
		f = vdev->driver_features;
		return vdev->driver_feature_select > 1 ? 0 :
		       (u32)(f >> (32 * vdev->driver_feature_select));
	case VIRTIO_PCI_COMMON_MSIX:
		return vdev->msix_config;
	case VIRTIO_PCI_COMMON_NUMQ:
		return vdev->nr_queues;
	case VIRTIO_PCI_COMMON_STATUS:
		return vdev->status | (atomic_read(&vdev->needs_reset) ?
				       VIRTIO_CONFIG_S_NEEDS_RESET : 0);
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return vdev->generation;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		return vdev->queue_select;
	}
	return sv_common_queue_read(vdev, off);
}

/* A vector the function has, or NO_VECTOR: what the driver reads back. */
static u16 sv_vector(struct siov_virtio *vdev, u16 vector)
{
	return vector < vdev->smdev.model->msix_vectors ? vector :
	       VIRTIO_MSI_NO_VECTOR;
}

static void sv_set_half(u64 *reg, bool hi, u32 val)
{
	if (hi)
		*reg = (*reg & 0xffffffffULL) | (u64)val << 32;
	else
		*reg = (*reg & ~0xffffffffULL) | val;
}

static void sv_common_queue_write(struct siov_virtio *vdev, u32 off, u32 val)
{
	struct siov_virtio_queue *vq = sv_queue_selected(vdev);

	/* A queue is set up while it is disabled (the driver never disables). */
	if (!vq || vq->enabled)
		return;
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		vq->size = val;
		break;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		vq->msix_vector = sv_vector(vdev, val);
		break;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		if (val == 1)
			sv_queue_enable(vq);
		break;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		sv_set_half(&vq->desc, off == VIRTIO_PCI_COMMON_Q_DESCHI, val);
		break;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		sv_set_half(&vq->driver, off == VIRTIO_PCI_COMMON_Q_AVAILHI,
			    val);
		break;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		sv_set_half(&vq->device, off == VIRTIO_PCI_COMMON_Q_USEDHI,
			    val);
		break;
	}
}

static void sv_common_write(struct siov_mdev *smdev, u32 off,
			    unsigned int size, u64 val)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		vdev->device_feature_select = val;
		break;
	case VIRTIO_PCI_COMMON_GFSELECT:
		vdev->driver_feature_select = val;
		break;
	case VIRTIO_PCI_COMMON_GF:
		/* Latched until FEATURES_OK. */
		if (vdev->driver_feature_select < 2 &&
		    !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
			sv_set_half(&vdev->driver_features,
				    vdev->driver_feature_select, val);
		break;
	case VIRTIO_PCI_COMMON_MSIX:
		vdev->msix_config = sv_vector(vdev, val);
		break;
	case VIRTIO_PCI_COMMON_STATUS:
		sv_status_write(vdev, val);
		break;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		vdev->queue_select = val;
		break;
	default:
		sv_common_queue_write(vdev, off, val);
		break;
	}
}

/* Read to clear; the INTx line follows it (the core latches it). */
static u64 sv_isr_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	return off ? 0 : atomic_xchg(&to_siov_virtio(smdev)->isr, 0);
}

static void sv_isr_write(struct siov_mdev *smdev, u32 off, unsigned int size,
			 u64 val)
{
}

static u64 sv_device_read(struct siov_mdev *smdev, u32 off, unsigned int size)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);
	u64 val = 0;

	if (off + size <= sv_model(vdev)->config_size)
		memcpy(&val, vdev->config + off, size);
	return le64_to_cpu((__force __le64)val);
}

/* The samples' config fields are read-only. */
static void sv_device_write(struct siov_mdev *smdev, u32 off,
			    unsigned int size, u64 val)
{
}

const struct siov_mdev_region siov_virtio_regions[SIOV_VIRTIO_NR_REGIONS] = {
	{
		.bar	= SIOV_VIRTIO_BAR,
		.offset	= 0,
		.size	= SV_COMMON_LEN,
		.read	= sv_common_read,
		.write	= sv_common_write,
	}, {
		.bar	= SIOV_VIRTIO_BAR,
		.offset	= SV_ISR,
		.size	= SV_ISR_LEN,
		.read	= sv_isr_read,
		.write	= sv_isr_write,
	}, {
		.bar	= SIOV_VIRTIO_BAR,
		.offset	= SV_DEVICE,
		.size	= SIOV_VIRTIO_CONFIG_MAX,
		.read	= sv_device_read,
		.write	= sv_device_write,
	}, {
		.bar	= SIOV_VIRTIO_BAR,
		.offset	= SV_NOTIFY,
		.size	= SV_NOTIFY_LEN,
		.read	= sv_notify_read,
		.write	= sv_notify_write,
	},
};
EXPORT_SYMBOL_GPL(siov_virtio_regions);

/**
 * siov_virtio_config_changed() - the device config changed
 * @vdev: the device
 *
 * Bumps config_generation and raises the config interrupt (ISR bit 1 and
 * the config vector).
 *
 * Context: the mdev lock held, or the engine.
 */
void siov_virtio_config_changed(struct siov_virtio *vdev)
{
	WRITE_ONCE(vdev->generation, vdev->generation + 1);
	atomic_or(SV_ISR_CONFIG, &vdev->isr);
	siov_mdev_raise_irq(&vdev->smdev, READ_ONCE(vdev->msix_config));
}
EXPORT_SYMBOL_GPL(siov_virtio_config_changed);

/*
 * DEVICE_NEEDS_RESET, and the config interrupt that tells the driver.  Kept
 * apart from the status the driver writes, so that the engine can set it
 * without the mdev lock.
 */
void sv_needs_reset(struct siov_virtio *vdev)
{
	if (!atomic_xchg(&vdev->needs_reset, 1))
		siov_virtio_config_changed(vdev);
}

/* The five vendor capabilities, each pointing into BAR 4. */
static int sv_add_cap(struct siov_mdev_cfg *cfg, u8 type, unsigned int len,
		      u32 offset, u32 length)
{
	int pos = siov_mdev_cfg_add_cap(cfg, PCI_CAP_ID_VNDR, len);

	if (pos < 0)
		return pos;
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_LEN, 1, len, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_CFG_TYPE, 1, type, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_BAR, 1, SIOV_VIRTIO_BAR,
			  0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_OFFSET, 4, offset, 0, 0);
	siov_mdev_cfg_reg(cfg, pos + VIRTIO_PCI_CAP_LENGTH, 4, length, 0, 0);
	return pos;
}

static int sv_config_caps(struct siov_mdev_cfg *cfg)
{
	int pos;

	pos = sv_add_cap(cfg, VIRTIO_PCI_CAP_COMMON_CFG,
			 sizeof(struct virtio_pci_cap), 0, SV_COMMON_LEN);
	if (pos >= 0)
		pos = sv_add_cap(cfg, VIRTIO_PCI_CAP_NOTIFY_CFG,
				 sizeof(struct virtio_pci_notify_cap),
				 SV_NOTIFY, SV_NOTIFY_LEN);
	if (pos >= 0)
		siov_mdev_cfg_reg(cfg, pos + sizeof(struct virtio_pci_cap), 4,
				  SV_NOTIFY_MULTIPLIER, 0, 0);
	if (pos >= 0)
		pos = sv_add_cap(cfg, VIRTIO_PCI_CAP_ISR_CFG,
				 sizeof(struct virtio_pci_cap), SV_ISR,
				 SV_ISR_LEN);
	if (pos >= 0)
		pos = sv_add_cap(cfg, VIRTIO_PCI_CAP_DEVICE_CFG,
				 sizeof(struct virtio_pci_cap), SV_DEVICE,
				 SIOV_VIRTIO_CONFIG_MAX);
	if (pos >= 0)
		pos = sv_pci_cfg_cap(cfg);
	return pos < 0 ? pos : 0;
}

static int sv_init(struct siov_mdev *smdev)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);
	const struct siov_virtio_model *m = sv_model(vdev);
	int ret;

	if (WARN_ON(m->nr_queues > SIOV_VIRTIO_QUEUES_MAX ||
		    m->config_size > SIOV_VIRTIO_CONFIG_MAX ||
		    !is_power_of_2(m->queue_max)))
		return -EINVAL;
	vdev->nr_queues = m->nr_queues;
	sv_queues_init(vdev);
	vdev->msix_config = VIRTIO_MSI_NO_VECTOR;
	ret = m->ops->init ? m->ops->init(vdev) : 0;
	if (!ret && WARN_ON(vdev->nr_queues > m->nr_queues)) {
		if (m->ops->release)
			m->ops->release(vdev);
		ret = -EINVAL;
	}
	if (!ret)
		sv_queues_reset(vdev);
	return ret;
}

static void sv_release(struct siov_mdev *smdev)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);

	if (sv_model(vdev)->ops->release)
		sv_model(vdev)->ops->release(vdev);
	sv_queues_release(vdev);
}

/* One queue context per virtio function: its PASID needs no register here. */
static void sv_program_pasid(struct siov_mdev *smdev, u32 pasid)
{
	unsigned int q;

	for (q = 0; q < smdev->nr_queues; q++)
		siov_mdev_queue_set_pasid(smdev, q, pasid);
}

static void sv_unprogram_pasid(struct siov_mdev *smdev)
{
	sv_program_pasid(smdev, 0);
}

/* The engine has stopped: so must the sample's own use of the rings. */
static void sv_quiesce(struct siov_mdev *smdev)
{
	struct siov_virtio *vdev = to_siov_virtio(smdev);

	if (sv_model(vdev)->ops->quiesce)
		sv_model(vdev)->ops->quiesce(vdev);
}

/* A function reset (VFIO_DEVICE_RESET, FLR) resets the virtio device too. */
static void sv_reset(struct siov_mdev *smdev)
{
	sv_reset_state(to_siov_virtio(smdev));
}

const struct siov_mdev_ops siov_virtio_mdev_ops = {
	.init		 = sv_init,
	.release	 = sv_release,
	.config_caps	 = sv_config_caps,
	.config_access	 = sv_config_access,
	.program_pasid	 = sv_program_pasid,
	.unprogram_pasid = sv_unprogram_pasid,
	.engine_run	 = sv_engine_run,
	.quiesce	 = sv_quiesce,
	.reset		 = sv_reset,
};
EXPORT_SYMBOL_GPL(siov_virtio_mdev_ops);

MODULE_DESCRIPTION("Modern virtio-pci transport for Scalable-IOV mdev samples");
MODULE_AUTHOR("Scalable-IOV mediated-device sample suite");
MODULE_LICENSE("GPL");
