// SPDX-License-Identifier: GPL-2.0-only
/*
 * Modelled on the kernel's samples/livepatch/livepatch-sample.c: replaces
 * cmdline_proc_show() in vmlinux. The kernel headers are replaced by the few
 * declarations the sample needs.
 */
#include "klp_fixture.h"

struct module;
struct seq_file;
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
#define module_exit(exitfn) void cleanup_module(void) __attribute__((alias(#exitfn)))

int seq_printf(struct seq_file *m, const char *fmt, ...);
int klp_enable_patch(struct klp_patch *);

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "this has been live patched");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
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

static void livepatch_exit(void)
{
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
