// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate kernel failures that prove `make check` turns red on each of
 * them (make check FAIL_DEMO=<mode>).  Never loaded in the default run.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *mode = "";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "panic | oops | warn | lockdep | kasan | leak");

static DEFINE_MUTEX(faildemo_a);
static DEFINE_MUTEX(faildemo_b);
static void *faildemo_leaked;

/* Take a then b, later b then a: lockdep reports the inversion. */
static void faildemo_lock_inversion(void)
{
	mutex_lock(&faildemo_a);
	mutex_lock(&faildemo_b);
	mutex_unlock(&faildemo_b);
	mutex_unlock(&faildemo_a);

	mutex_lock(&faildemo_b);
	mutex_lock(&faildemo_a);
	mutex_unlock(&faildemo_a);
	mutex_unlock(&faildemo_b);
}

static noinline void faildemo_oops(int *p)
{
	OPTIMIZER_HIDE_VAR(p);
	*p = 1;
}

static noinline char faildemo_out_of_bounds(void)
{
	size_t size = 16, i = size;
	char *buf = kmalloc(size, GFP_KERNEL);
	char c;

	if (!buf)
		return 0;
	OPTIMIZER_HIDE_VAR(i);
	c = buf[i];
	kfree(buf);
	return c;
}

static int __init faildemo_init(void)
{
	pr_info("lab_faildemo: mode=%s\n", mode);
	if (!strcmp(mode, "panic")) {
		panic("lab_faildemo: deliberate panic");
	} else if (!strcmp(mode, "oops")) {
		faildemo_oops(NULL);
	} else if (!strcmp(mode, "warn")) {
		WARN(1, "lab_faildemo: deliberate warning\n");
	} else if (!strcmp(mode, "lockdep")) {
		faildemo_lock_inversion();
	} else if (!strcmp(mode, "kasan")) {
		pr_info("lab_faildemo: read %d\n", faildemo_out_of_bounds());
	} else if (!strcmp(mode, "leak")) {
		/* Lose the only reference once the module is loaded. */
		faildemo_leaked = kmalloc(128, GFP_KERNEL);
		faildemo_leaked = NULL;
	} else {
		return -EINVAL;
	}
	return 0;
}
module_init(faildemo_init);

static void __exit faildemo_exit(void)
{
}
module_exit(faildemo_exit);

MODULE_DESCRIPTION("Deliberate kernel failures for the lab's harness self-test");
MODULE_LICENSE("GPL");
