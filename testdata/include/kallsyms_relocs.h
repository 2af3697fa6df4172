/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface of the run-time lookup helper that source-generated livepatches include (entries of
 * { symname, addr, objname, sympos }; sympos 0 takes the first match), and the few kernel declarations their
 * module notifiers use, so the run-time lookup fixtures compile without kernel headers.
 */
#ifndef KALLSYMS_RELOCS_H
#define KALLSYMS_RELOCS_H

#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ENOENT 2
#define INT_MIN (-2147483647 - 1)
#define WARN(condition, format...) ((void)(condition))

struct klp_kallsyms_reloc {
	const char *symname;
	void **addr;
	const char *objname;
	unsigned long sympos;
};

int __klp_resolve_kallsyms_relocs(struct klp_kallsyms_reloc *relocs, unsigned long count);
unsigned long kallsyms_lookup_name(const char *name);

struct module {
	char name[56];
};

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
	int priority;
};

enum module_state { MODULE_STATE_LIVE, MODULE_STATE_COMING, MODULE_STATE_GOING, MODULE_STATE_UNFORMED };

int register_module_notifier(struct notifier_block *nb);
int unregister_module_notifier(struct notifier_block *nb);
int strcmp(const char *a, const char *b);

#endif
