// SPDX-License-Identifier: GPL-2.0-only
/*
 * The livepatch of the several-kernels proof (KernelsRealKernelTest): one source for Debian's 6.1.0-56, -47 and
 * -52, built once against linux-headers-6.1.0-56-amd64. It replaces cmdline_proc_show() and prints the addresses
 * of two statics whose copies differ between those builds:
 *   cpumask_weight  16 copies in -56, 15 in -47/-52 (-56 added one in kernel/rcu/tasks.h): the copy next to
 *                   clockevents_program_min_delta (kernel/time/clockevents.c) is sympos 11 in -56, 10 in the others
 *   pmus            unique in -47/-52, two copies in -56: the one next to pmus_lock (kernel/events/core.c) is
 *                   sympos 1 there and 0 in the others
 * Both are named through asm labels: cpumask_weight is also a static inline of <linux/cpumask.h>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

extern char klpm_cpumask_weight[] __asm__("cpumask_weight");
extern char klpm_pmus[] __asm__("pmus");

static int klpm_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "KLPM_MARKER %s cpumask_weight=%px pmus=%px\n", KBUILD_MODNAME, (void *)klpm_cpumask_weight,
		   (void *)klpm_pmus);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = klpm_cmdline_proc_show,
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

static int klpm_init(void)
{
	pr_info("KLPM init %s\n", KBUILD_MODNAME);
	return klp_enable_patch(&patch);
}

static void klpm_exit(void)
{
}

module_init(klpm_init);
module_exit(klpm_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
