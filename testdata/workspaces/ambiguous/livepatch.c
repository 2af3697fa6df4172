// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample livepatch for the fixture kernel: replaces manage_entry() and calls irq_thread_check(),
 * a static function that exists twice in vmlinux (manage.c and chip.c), so the reference is
 * ambiguous until it is annotated with a sympos.
 */
#include "klp_fixture.h"

struct module;
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
};

struct klp_object {
	const char *name;
	struct klp_func *funcs;
};

struct klp_patch {
	struct module *mod;
	struct klp_object *objs;
};

#define module_init(initfn) int init_module(void) __attribute__((alias(#initfn)))

int klp_enable_patch(struct klp_patch *);
extern int irq_thread_check(int irq);

static int livepatch_manage_entry(int irq)
{
	return irq_thread_check(irq) + 1;
}

static struct klp_func funcs[] = {
	{
		.old_name = "manage_entry",
		.new_func = livepatch_manage_entry,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(livepatch_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
