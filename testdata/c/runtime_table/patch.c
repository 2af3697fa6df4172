/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A livepatch in the run-time lookup style of source-generated patches, for the fixture kernel of testdata/example:
 * pointers filled from kallsyms by a positional klp_kallsyms_reloc table when the patch loads (vmlinux) and by a
 * module notifier when nvram loads; used through the pointers. klp-lsp migrates it to KLP relocations.
 */
#include "klp_fixture.h"
#include "kallsyms_relocs.h"

struct seq_file;
struct work_struct;

extern int seq_printf(struct seq_file *m, const char *fmt, ...);

static char **klpe_saved_command_line;
static int *klpe_max_threads;
static int (*klpe_nr_processes)(void);
static void (*klpe_do_poweroff)(struct work_struct *work);
static long *klpe_nvram_size;
static long (*klpe_pc_nvram_get_size)(void);

int klpp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s %c %d %p %d %p\n", *klpe_saved_command_line, (*klpe_saved_command_line)[0],
		   *klpe_max_threads, klpe_max_threads, klpe_nr_processes(), klpe_do_poweroff);
	return 0;
}

int klpp_nvram_proc_read(struct seq_file *seq, void *offset)
{
	return (int)*klpe_nvram_size + (int)(*klpe_pc_nvram_get_size)();
}

#define LP_MODULE "nvram"

static struct klp_kallsyms_reloc klp_funcs[] = {
	{ "saved_command_line", (void *)&klpe_saved_command_line },
	{ "max_threads", (void *)&klpe_max_threads },
	{ "nr_processes", (void *)&klpe_nr_processes },
	{ "do_poweroff", (void *)&klpe_do_poweroff, NULL, 2 },
};

static struct klp_kallsyms_reloc klp_nvram_funcs[] = {
	{ "nvram_size", (void *)&klpe_nvram_size, "nvram" },
	{ "pc_nvram_get_size", (void *)&klpe_pc_nvram_get_size, "nvram" },
};

static int module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;
	int ret;

	if (action != MODULE_STATE_COMING || strcmp(mod->name, LP_MODULE))
		return 0;
	ret = __klp_resolve_kallsyms_relocs(klp_nvram_funcs, ARRAY_SIZE(klp_nvram_funcs));
	WARN(ret, "%s: delayed kallsyms lookup failed. System is broken and can crash.\n", __func__);
	return ret;
}

static struct notifier_block module_nb = {
	.notifier_call = module_notify,
	.priority = INT_MIN + 1,
};

int livepatch_init(void)
{
	int ret;

	ret = __klp_resolve_kallsyms_relocs(klp_funcs, ARRAY_SIZE(klp_funcs));
	if (ret)
		return ret;
	return register_module_notifier(&module_nb);
}

void livepatch_cleanup(void)
{
	unregister_module_notifier(&module_nb);
}

struct klp_object {
	const char *name;
	void *funcs;
};

struct klp_object objs[] = {
	{ .name = NULL },
	{ .name = "nvram" },
	{ }
};

MODULE_INFO(livepatch, "Y");
