/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A livepatch-shaped object for trying klp-lsp without kernel headers, checked against the fixture kernel in
 * kernel/ (see the Makefile). Like samples/livepatch/livepatch-sample.c it replaces cmdline_proc_show(), and it
 * uses the kinds of kernel symbols a real livepatch meets:
 *   saved_command_line  non-exported global, unique         -> KLP relocation, sympos 0 (automatic)
 *   max_threads         non-exported static, unique         -> KLP relocation, sympos 0 (automatic)
 *   do_poweroff         static in two files of vmlinux      -> needs a sympos: annotated below (2 = manage.c)
 *   nr_processes()      non-exported function               -> KLP relocation, with a function-symbol-risk warning
 *   seq_printf()        exported                            -> stays a normal relocation
 * The klp structs are declared locally with the fields of include/linux/livepatch.h (6.1) that matter here.
 */
#include "klp_relocs.h"

#define MODULE_INFO(tag, info)                                                                          \
	static const char __modinfo_##tag[] __attribute__((__used__, __section__(".modinfo"))) = #tag "=" info

struct seq_file;
struct work_struct;

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
extern char *saved_command_line;                                   /* init/main.c: not exported */
extern int max_threads;                                            /* kernel/fork.c, static */
extern int nr_processes(void);                                     /* kernel/fork.c: not exported */
extern void do_poweroff(struct work_struct *work);                 /* two statics of that name */

/* Two vmlinux functions are called do_poweroff; this patch means the one in drivers/xen/manage.c. */
KLP_MODULE_RELOC(vmlinux) livepatch_example_relocs[] = {
	KLP_SYMPOS(do_poweroff, 2),
};

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s max_threads=%d nr_processes=%d do_poweroff=%p\n", saved_command_line, max_threads,
		   nr_processes(), (void *)do_poweroff);
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
MODULE_INFO(license, "GPL");
