// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch that needs KLP relocations: its cmdline_proc_show() replacement uses symbols vmlinux does
 * not export, of every kind the converter has to handle (shared/reference/real-kernel.md §6):
 *   saved_command_line  global data, not exported            R_X86_64_PC32
 *   max_threads         static in kernel/fork.c (type b)      R_X86_64_PC32, and R_X86_64_64 from .data
 *   nr_processes()      global function, not exported        R_X86_64_PLT32
 *   do_poweroff         static function defined twice in vmlinux: kernel/power/poweroff.c (sympos 1)
 *                       and drivers/xen/manage.c (sympos 2); its address is taken    R_X86_64_32S
 * As built by kbuild (KBUILD_MODPOST_WARN=1) these stay undefined and insmod fails with
 * "Unknown symbol"; after conversion it loads and /proc/cmdline shows the marker with their values.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/sched/stat.h>

extern int max_threads;
extern void do_poweroff(void);

/* volatile, so gcc keeps the pointer in .data (with an R_X86_64_64 relocation) instead of folding it. */
static int *volatile max_threads_via_data = &max_threads;

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "KLP-NONEXPORTED: max_threads=%d via_data=%d nr_processes=%d do_poweroff=%px orig=%s\n",
		   max_threads, *max_threads_via_data, nr_processes(), (void *)do_poweroff, saved_command_line);
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
