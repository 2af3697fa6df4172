/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A livepatch for the opt_kernel fixture: it replaces functions whose copies the compiler inlined, cloned or
 * transformed, in vmlinux and in the module dwarf_facts (testdata/c/dwarf_facts), and calls a function as
 * written, a function with a clone and a transformed clone (READ_THROUGH_CLONE, the clone's symbol as gcc named
 * it, given by the test); with MODULE_CALLS, also a function of the module as written.
 */
#include "klp_fixture.h"

/* include/linux/livepatch.h of 6.1: the leading fields, which are all a livepatch sets. */
struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
	void *old_func;
	unsigned long internal[14];
};

struct klp_object {
	const char *name;
	struct klp_func *funcs;
	void *callbacks[4];
};

struct klp_patch {
	void *mod;
	struct klp_object *objs;
};

extern int plain_function(int x);
extern int scaled(int x, int factor);
extern int read_through_clone(int value) __asm__(READ_THROUGH_CLONE);
extern int klp_enable_patch(struct klp_patch *patch);

static int new_dointvec_conv(int *valp, int write, int value)
{
	return write ? (*valp = value) : *valp + 1000000;
}

static int new_only_inlined(int x)
{
	return plain_function(x) + scaled(x, 3);
}

static int new_scaled(int x, int factor)
{
	return x * factor;
}

static int new_read_through(int value)
{
	return read_through_clone(value) + 1;
}

static struct klp_func funcs[] = {
	{ .old_name = "dointvec_conv", .new_func = new_dointvec_conv },
	{ .old_name = "only_inlined", .new_func = new_only_inlined },
	{ .old_name = "scaled", .new_func = new_scaled },
	{ .old_name = READ_THROUGH_CLONE, .new_func = new_read_through },
	{ }
};

#ifdef MODULE_CALLS
/* A call into the module dwarf_facts: its sink (c.c), out of line as written. */
extern int module_sink(int x) KLP_RELOC_SYMBOL(dwarf_facts, dwarf_facts, sink);
#endif

static int new_dup_helper(int x)
{
#ifdef MODULE_CALLS
	return module_sink(x) * 7;
#else
	return x * 7;
#endif
}

static struct klp_func module_funcs[] = {
	{ .old_name = "dup_helper", .new_func = new_dup_helper, .old_sympos = 1 },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
	{ .name = "dwarf_facts", .funcs = module_funcs },
	{ }
};

static struct klp_patch patch = { .objs = objs };

int livepatch_optimized_init(void)
{
	return klp_enable_patch(&patch);
}

MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
