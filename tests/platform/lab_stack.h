/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's module stack (siov_iommu, siov_pci, siov_mdev_core, mdma, in
 * the order scripts/guest/modules loads them), for tests that need the
 * simulated platform down: take it down, and put it back as it was, each
 * module with the parameters it had.
 */
#ifndef _LAB_STACK_H
#define _LAB_STACK_H

#include <stdbool.h>
#include <stddef.h>

#define LAB_STACK_MODS	7

struct lab_stack {
	bool loaded[LAB_STACK_MODS];	/* before lab_stack_down() */
	char params[LAB_STACK_MODS][512];
	bool down;			/* lab_stack_down() unloaded it */
};

const char *lab_path(const char *rel);
int lab_load(const char *rel, const char *params);
int lab_unload(const char *name);
int lab_read_line(const char *path, char *buf, size_t size);
bool lab_module_loaded(const char *name);
const char *lab_stack_down(struct lab_stack *stack);
int lab_stack_restore(struct lab_stack *stack);

#endif /* _LAB_STACK_H */
