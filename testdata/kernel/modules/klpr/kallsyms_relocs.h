/* SPDX-License-Identifier: GPL-2.0-only */
/* The run-time lookup helper of source-generated livepatches, as they include it (kallsyms_relocs.c). */
#ifndef KLPR_KALLSYMS_RELOCS_H
#define KLPR_KALLSYMS_RELOCS_H

struct klp_kallsyms_reloc {
	const char *symname;
	void **addr;
	const char *objname;	/* NULL: vmlinux */
	unsigned long sympos;	/* 0: the first match */
};

int __klp_resolve_kallsyms_relocs(struct klp_kallsyms_reloc *relocs, unsigned long count);
void klpr_print_lookup_name(const char *name);

#endif
