// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run-time lookup helper of source-generated livepatches, written for the klp-lsp proof from its documented
 * behaviour: for each entry, walk kallsyms (vmlinux when objname is NULL, else that module's symbols), count the
 * symbols named symname and store the address of the sympos-th, or of the FIRST when sympos is 0 — for a
 * duplicated static that is whichever copy comes first. kallsyms_lookup_name() is not exported since Linux 5.7:
 * a kprobe on it yields its address, the bootstrap such patches use on newer kernels.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/string.h>
#include "kallsyms_relocs.h"

typedef unsigned long (*klpr_lookup_name_t)(const char *name);
typedef int (*klpr_on_each_symbol_t)(int (*fn)(void *, const char *, struct module *, unsigned long), void *data);

static klpr_lookup_name_t klpr_lookup_name;
static klpr_on_each_symbol_t klpr_kallsyms_on_each_symbol;
static klpr_on_each_symbol_t klpr_module_kallsyms_on_each_symbol;

static int klpr_bootstrap(void)
{
	struct kprobe probe = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	if (klpr_kallsyms_on_each_symbol && klpr_module_kallsyms_on_each_symbol)
		return 0;
	ret = register_kprobe(&probe);
	if (ret)
		return ret;
	klpr_lookup_name = (klpr_lookup_name_t)probe.addr;
	unregister_kprobe(&probe);
	klpr_kallsyms_on_each_symbol = (klpr_on_each_symbol_t)klpr_lookup_name("kallsyms_on_each_symbol");
	klpr_module_kallsyms_on_each_symbol =
		(klpr_on_each_symbol_t)klpr_lookup_name("module_kallsyms_on_each_symbol");
	if (!klpr_kallsyms_on_each_symbol || !klpr_module_kallsyms_on_each_symbol)
		return -ENOENT;
	return 0;
}

struct klpr_find_args {
	struct klp_kallsyms_reloc reloc;
	unsigned long count;
};

static int klpr_find(void *data, const char *name, struct module *mod, unsigned long addr)
{
	struct klpr_find_args *args = data;

	if (!mod != !args->reloc.objname)
		return 0;
	if (strcmp(args->reloc.symname, name))
		return 0;
	if (mod && strcmp(args->reloc.objname, mod->name))
		return 0;
	args->count++;
	if (!args->reloc.sympos || args->count == args->reloc.sympos) {
		*args->reloc.addr = (void *)addr;
		return 1;
	}
	return 0;
}

int __klp_resolve_kallsyms_relocs(struct klp_kallsyms_reloc *relocs, unsigned long count)
{
	struct klpr_find_args args;
	unsigned long i;
	int ret;

	ret = klpr_bootstrap();
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		*relocs[i].addr = NULL;
		args.reloc = relocs[i];
		args.count = 0;
		if (relocs[i].objname)
			klpr_module_kallsyms_on_each_symbol(klpr_find, &args);
		else
			klpr_kallsyms_on_each_symbol(klpr_find, &args);
		if (!*relocs[i].addr) {
			pr_info("symbol %s%s%s not resolved\n", relocs[i].objname ? relocs[i].objname : "",
				relocs[i].objname ? ":" : "", relocs[i].symname);
			return -ENOENT;
		}
	}
	return 0;
}

/* For the record: which copy of a duplicated name kallsyms_lookup_name() itself returns. */
void klpr_print_lookup_name(const char *name)
{
	if (!klpr_bootstrap())
		pr_info("KLPR kallsyms_lookup_name(%s)=%px\n", name, (void *)klpr_lookup_name(name));
}
