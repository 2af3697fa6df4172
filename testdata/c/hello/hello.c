/* SPDX-License-Identifier: GPL-2.0-only */
/* The smallest module-like object: a function, a static, an undefined reference and .modinfo. */
#include "klp_fixture.h"

extern int printk(const char *fmt, ...);
static int counter = 42;

int hello_init(void)
{
	return printk("hello %d\n", counter++);
}

MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
