// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module livepatch of the klp-lsp real-kernel proof: replaces nvram_proc_read() of module nvram
 * (/proc/driver/nvram) with a function that reads nvram's statics nvram_size and pc_nvram_get_size()
 * (v7 annotations for object nvram -> .klp.rela.nvram..text) and vmlinux's saved_command_line
 * (-> .klp.rela.vmlinux..text). Loaded before nvram (late module patching) and after it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "klp_relocs.h"

extern ssize_t nvram_size;
extern ssize_t pc_nvram_get_size(void);

KLP_MODULE_RELOC(nvram) klpc_nvram_relocs[] = {
	KLP_SYMPOS(nvram_size, 0),
	KLP_SYMPOS(pc_nvram_get_size, 0),
};

static int klpc_nvram_proc_read(struct seq_file *seq, void *offset)
{
	seq_printf(seq, "KLPC_NVRAM %s nvram_size=%zd pc_nvram_get_size=%zd cmdline_len=%zu\n", KBUILD_MODNAME,
		   nvram_size, pc_nvram_get_size(), strlen(saved_command_line));
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "nvram_proc_read",
		.new_func = klpc_nvram_proc_read,
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

static int klpc_nvram_init(void)
{
	return klp_enable_patch(&patch);
}

static void klpc_nvram_exit(void)
{
}

module_init(klpc_nvram_init);
module_exit(klpc_nvram_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
