/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run-time lookup style with designated initializers in any field order, a file already in the v7
 * annotation style, a patch that defines a function named like a looked-up symbol (so that declaration keeps the
 * patch's name), a pointer declared twice, and a notifier that does more than resolve.
 */
#include "klp_fixture.h"
#include "kallsyms_relocs.h"

struct seq_file;
struct work_struct;

extern char *saved_command_line;
extern int seq_printf(struct seq_file *m, const char *fmt, ...);

KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
	KLP_SYMPOS(saved_command_line, 0),
};

static int (*klpe_nr_processes)(void);
static long *klpe_nvram_size, *klpe_homonym;
static void (*klpe_do_poweroff)(struct work_struct *work);

static int events;

/* The patch's own nr_processes(): the looked-up one keeps the name klpe_nr_processes. */
static int nr_processes(void)
{
	return events + (*klpe_nr_processes)();
}

static void (*klpe_do_poweroff)(struct work_struct *work);

int klpp_nvram_proc_read(struct seq_file *seq, void *offset)
{
	seq_printf(seq, "%s %ld %ld %p\n", saved_command_line, klpe_nvram_size[0], *klpe_homonym, klpe_do_poweroff);
	return nr_processes();
}

static struct klp_kallsyms_reloc vmlinux_funcs[] = {
	{
		.addr = (void **)&klpe_nr_processes,
		.symname = "nr_processes",
	},
	{ .symname = "do_poweroff", .sympos = 1, .addr = (void **)&klpe_do_poweroff },
};

static struct klp_kallsyms_reloc nvram_funcs[] = {
	{ .objname = "nvram", .symname = "nvram_size", .addr = (void **)&klpe_nvram_size },
	{ .objname = "nvram", .sympos = 2, .symname = "homonym", .addr = (void **)&klpe_homonym },
};

static int module_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;

	events++;
	if (action != MODULE_STATE_COMING || strcmp(mod->name, "nvram"))
		return 0;
	return __klp_resolve_kallsyms_relocs(nvram_funcs, ARRAY_SIZE(nvram_funcs));
}

static struct notifier_block module_nb = {
	.notifier_call = module_notify,
};

int livepatch_init(void)
{
	if (__klp_resolve_kallsyms_relocs(vmlinux_funcs, ARRAY_SIZE(vmlinux_funcs)))
		return -ENOENT;
	return register_module_notifier(&module_nb);
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
