// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vmlinux livepatch of the klp-lsp real-kernel proof (KlpRealKernelTest). It replaces cmdline_proc_show()
 * and prints what it read through every kind of reference a converter has to handle:
 *   saved_command_line  non-exported global (R_X86_64_PC32)              -> .klp.sym.vmlinux.saved_command_line,0
 *   max_threads         static of kernel/fork.c (PC32) and, through a volatile pointer, R_X86_64_64 in .data
 *   nr_processes()      non-exported function, called (PLT32)
 *   do_poweroff         static in kernel/power/poweroff.c AND drivers/xen/manage.c: address only (R_X86_64_32S),
 *                       needs sympos 1 or 2
 *   _printk, seq_printf exported: stay normal relocations
 * One source, several modules: the test compiles it under different names with -D variants:
 *   KLPC_V7       do_poweroff and saved_command_line annotated with KLP_SYMPOS (v7)
 *   KLPC_MINIMAL  saved_command_line and do_poweroff named with KLP_RELOC_SYMBOL[_POS] (minimal klp-convert)
 *   KLPC_NOSYM    also reads no_such_symbol_klpc, which the kernel does not have
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/sched/stat.h>
#include "klp_relocs.h"

extern int max_threads;
extern char do_poweroff[];

#ifdef KLPC_MINIMAL
extern char *klpc_cmdline KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);
extern char klpc_poweroff[] KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, do_poweroff, 2);
#define KLPC_CMDLINE klpc_cmdline
#define KLPC_POWEROFF klpc_poweroff
#else
#define KLPC_CMDLINE saved_command_line
#define KLPC_POWEROFF do_poweroff
#endif

#ifdef KLPC_V7
KLP_MODULE_RELOC(vmlinux) klpc_relocs[] = {
	KLP_SYMPOS(do_poweroff, 1),
	KLP_SYMPOS(saved_command_line, 0),
};
#endif

#ifdef KLPC_NOSYM
extern int no_such_symbol_klpc;
#define KLPC_EXTRA no_such_symbol_klpc
#else
#define KLPC_EXTRA 0
#endif

/* volatile: without it gcc folds the pointer and no .data relocation is emitted. */
static int *volatile klpc_max_threads_ptr = &max_threads;

static int klpc_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "KLPC_MARKER %s max_threads=%d via_data=%d nr_processes=%d do_poweroff=%px extra=%d cmdline=%s\n",
		   KBUILD_MODNAME, max_threads, *klpc_max_threads_ptr, nr_processes(), (void *)KLPC_POWEROFF,
		   KLPC_EXTRA, KLPC_CMDLINE);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = klpc_cmdline_proc_show,
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

static int klpc_init(void)
{
	pr_info("KLPC init %s\n", KBUILD_MODNAME);
	return klp_enable_patch(&patch);
}

static void klpc_exit(void)
{
}

module_init(klpc_init);
module_exit(klpc_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
