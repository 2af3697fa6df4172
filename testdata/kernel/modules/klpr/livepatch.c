// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run-time lookup livepatch of the klp-lsp real-kernel proof (KlpRealKernelTest, RuntimeLookupProof),
 * written the way source-generated livepatches are: it reaches non-exported symbols of vmlinux and of module
 * nvram through pointers that klp_kallsyms_reloc tables fill from kallsyms, the vmlinux ones when the patch
 * loads, the nvram ones when nvram loads (a module notifier) or at once when nvram is there already. It
 * replaces nvram_proc_read() and prints, when it loads and in /proc/driver/nvram, what it reads through
 * every kind of use. do_poweroff is a static in two files: this lookup has no sympos, so it binds the first.
 * The test builds it as it is, after klp-lsp's quick fix chose the second do_poweroff, and after klp-lsp
 * migrate turned the lookups into declarations that klp-lsp convert makes KLP relocations.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/nsproxy.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include "kallsyms_relocs.h"

#define KLPR_MODULE "nvram"

static int *klpe_max_threads;
static int (*klpe_nr_processes)(void);
static char **klpe_saved_command_line;
static struct nsproxy *klpe_init_nsproxy;
static int *klpe_pid_max;
static void (*klpe_do_poweroff)(struct work_struct *work);
static ssize_t *klpe_nvram_size;
static ssize_t (*klpe_pc_nvram_get_size)(void);

static int klpr_nvram_proc_read(struct seq_file *seq, void *offset)
{
	seq_printf(seq, "KLPR_NVRAM %s nvram_size=%zd @%px pc_nvram_get_size=%zd @%px\n", KBUILD_MODNAME,
		   *klpe_nvram_size, klpe_nvram_size, (*klpe_pc_nvram_get_size)(), klpe_pc_nvram_get_size);
	return 0;
}

static void klpr_report(void)
{
	pr_info("KLPR %s max_threads=%d @%px nr_processes@%px positive=%d cmdline=%.12s first=%c init_nsproxy@%px"
		" uts_ns=%px pid_max=%d do_poweroff@%px\n", KBUILD_MODNAME, *klpe_max_threads, klpe_max_threads,
		klpe_nr_processes, klpe_nr_processes() > 0, *klpe_saved_command_line, (*klpe_saved_command_line)[0],
		&(*klpe_init_nsproxy), klpe_init_nsproxy->uts_ns, klpe_pid_max[0], klpe_do_poweroff);
}

static struct klp_kallsyms_reloc klpr_vmlinux_funcs[] = {
	{ "max_threads", (void *)&klpe_max_threads },
	{ "nr_processes", (void *)&klpe_nr_processes },
	{ "saved_command_line", (void *)&klpe_saved_command_line },
	{ "init_nsproxy", (void *)&klpe_init_nsproxy },
	{ "pid_max", (void *)&klpe_pid_max },
	{ "do_poweroff", (void *)&klpe_do_poweroff },
};

static struct klp_kallsyms_reloc klpr_nvram_funcs[] = {
	{ "nvram_size", (void *)&klpe_nvram_size, KLPR_MODULE },
	{ "pc_nvram_get_size", (void *)&klpe_pc_nvram_get_size, KLPR_MODULE },
};

static int klpr_module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	int ret;

	if (action != MODULE_STATE_COMING || strcmp(mod->name, KLPR_MODULE))
		return 0;
	ret = __klp_resolve_kallsyms_relocs(klpr_nvram_funcs, ARRAY_SIZE(klpr_nvram_funcs));
	WARN(ret, "%s: delayed kallsyms lookup failed\n", __func__);
	return ret;
}

static struct notifier_block klpr_module_nb = {
	.notifier_call = klpr_module_notify,
	.priority = INT_MIN + 1,
};

static struct klp_func funcs[] = {
	{
		.old_name = "nvram_proc_read",
		.new_func = klpr_nvram_proc_read,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "nvram",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klpr_init(void)
{
	int ret;

	ret = __klp_resolve_kallsyms_relocs(klpr_vmlinux_funcs, ARRAY_SIZE(klpr_vmlinux_funcs));
	if (ret)
		return ret;
	ret = register_module_notifier(&klpr_module_nb);
	if (ret)
		return ret;
	__klp_resolve_kallsyms_relocs(klpr_nvram_funcs, ARRAY_SIZE(klpr_nvram_funcs));
	ret = klp_enable_patch(&patch);
	if (ret) {
		unregister_module_notifier(&klpr_module_nb);
		return ret;
	}
	klpr_report();
	klpr_print_lookup_name("do_poweroff");
	return 0;
}

static void klpr_exit(void)
{
	unregister_module_notifier(&klpr_module_nb);
}

module_init(klpr_init);
module_exit(klpr_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
