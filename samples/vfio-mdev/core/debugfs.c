// SPDX-License-Identifier: GPL-2.0
/*
 * Per-mdev counters in /sys/kernel/debug/siov_mdev/<uuid>/stats: bytes the
 * engine moved, descriptors it completed, batches it ran, DMA faults,
 * interrupts delivered and resets (function and engine), one "name: value"
 * line each.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "core.h"

static struct dentry *smdev_debugfs_root;

static int smdev_debugfs_stats_show(struct seq_file *m, void *unused)
{
	struct siov_mdev *smdev = m->private;
	struct siov_mdev_stats *s = &smdev->stats;

	seq_printf(m, "bytes: %lld\n", atomic64_read(&s->bytes));
	seq_printf(m, "descriptors: %lld\n", atomic64_read(&s->descs));
	seq_printf(m, "batches: %lld\n", atomic64_read(&s->batches));
	seq_printf(m, "faults: %lld\n", atomic64_read(&s->faults));
	seq_printf(m, "interrupts: %lld\n", atomic64_read(&s->irqs));
	seq_printf(m, "resets: %lld\n", atomic64_read(&s->resets));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(smdev_debugfs_stats);

void smdev_debugfs_add(struct siov_mdev *smdev)
{
	smdev->debugfs = debugfs_create_dir(dev_name(mdev_dev(smdev->mdev)),
					    smdev_debugfs_root);
	debugfs_create_file("stats", 0444, smdev->debugfs, smdev,
			    &smdev_debugfs_stats_fops);
}

void smdev_debugfs_remove(struct siov_mdev *smdev)
{
	debugfs_remove_recursive(smdev->debugfs);
	smdev->debugfs = NULL;
}

int smdev_debugfs_init(void)
{
	smdev_debugfs_root = debugfs_create_dir("siov_mdev", NULL);
	return 0;
}

void smdev_debugfs_exit(void)
{
	debugfs_remove_recursive(smdev_debugfs_root);
}
