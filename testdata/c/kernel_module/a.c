/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First object of the fixture module: `homonym` is also in b.c (symtab order a, b = sympos 1, 2);
 * `setup` here is init code, so only b.c's `setup` stays in kallsyms and it is unique (sympos 0).
 */
#include "klp_fixture.h"

MODULE_LICENSE("GPL");
MODULE_INFO(vermagic, "6.1.0-fixture SMP preempt mod_unload modversions ");

static int homonym = 1;

static __attribute__((noinline, section(".init.text"))) int setup(void)
{
	return homonym;
}

const char *a_message(void)
{
	/* A string literal: its .LC0 label stays in the symbol table with -Wa,-L (see cflags). */
	return "message from a.c";
}

int a_entry(void)
{
	return homonym++ + setup();
}
