// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit suite with one deliberately failing case, so that
 * `make check FAIL_DEMO=kunit` shows a test failure turning the run red.
 */
#include <kunit/test.h>
#include <linux/module.h>

static void faildemo_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 2 + 2, 5, "deliberate failure");
}

static struct kunit_case faildemo_cases[] = {
	KUNIT_CASE(faildemo_fails),
	{}
};

static struct kunit_suite faildemo_suite = {
	.name = "lab_faildemo",
	.test_cases = faildemo_cases,
};

kunit_test_suite(faildemo_suite);

MODULE_DESCRIPTION("A deliberately failing KUnit suite for the lab's harness self-test");
MODULE_LICENSE("GPL");
