// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal klp-convert style (2024 series, samples/livepatch/livepatch-extern-symbol.c):
 * each reference to a non-exported symbol names its livepatched object, its
 * symbol object and its position in an asm label, through KLP_RELOC_SYMBOL[_POS]
 * or written out in the dot form the macro expands to.
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

int seq_printf(struct seq_file *m, const char *fmt, ...);
int klp_enable_patch(struct klp_patch *);

/* A unique vmlinux variable. */
extern char *saved_command_line \
	KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);
/* The second of two static 'hello_msg' in the target module. */
extern const char hello_msg[] KLP_RELOC_SYMBOL_POS(test_klp_extern_hello, test_klp_extern_hello, hello_msg, 2);
/* Already expanded: a dotted local name in the dot form. */
extern int hello_count __asm__(".klp.sym.rela.test_klp_extern_hello.test_klp_extern_hello.hello_count.isra.0.1");
extern int max_threads __asm__(".klp.sym.rela.vmlinux.vmlinux.max_threads.0");

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s %d\n", saved_command_line, max_threads);
	return 0;
}

static const char *livepatch_hello_get(void)
{
	hello_count++;
	return hello_msg;
}

static struct klp_func vmlinux_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
		.old_sympos = 1,
	}, { }
};

static struct klp_func hello_funcs[] = {
	{
		.old_name = "hello_get",
		.new_func = livepatch_hello_get,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = vmlinux_funcs,
	}, {
		.name = "test_klp_extern_hello",
		.funcs = hello_funcs,
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

int init_module(void) __attribute__((alias("livepatch_init")));
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
