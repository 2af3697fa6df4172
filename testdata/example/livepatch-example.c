/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A livepatch-shaped object for trying klp-lsp without kernel headers: it replaces cmdline_proc_show()
 * like samples/livepatch/livepatch-sample.c, and reads two symbols vmlinux does not export.
 * Those two references are what a livepatch author has to turn into KLP relocations
 * (.klp.rela.vmlinux.text, .klp.sym.vmlinux.max_threads,0).
 * The klp structs are declared locally with the fields of include/linux/livepatch.h (6.1) that matter here.
 */
#include "klp_fixture.h"

struct seq_file;

struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
};

struct klp_object {
	const char *name; /* NULL means vmlinux */
	struct klp_func *funcs;
};

struct klp_patch {
	void *mod;
	struct klp_object *objs;
};

extern int seq_printf(struct seq_file *m, const char *fmt, ...); /* exported */
extern int klp_enable_patch(struct klp_patch *patch);             /* exported */
extern int max_threads;                                            /* kernel/fork.c, static: not exported */
extern char *saved_command_line;                                   /* init/main.c: not exported */

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s max_threads=%d\n", saved_command_line, max_threads);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
	{ }
};

static struct klp_patch patch = { .objs = objs };

int livepatch_example_init(void)
{
	return klp_enable_patch(&patch);
}

MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
