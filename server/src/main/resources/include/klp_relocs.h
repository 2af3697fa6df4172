/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klp_relocs.h - annotations for livepatch modules built against a stock kernel and converted by klp-lsp.
 * Print this file with "klp-lsp header > klp_relocs.h"; the guide is docs/guide-convert.md.
 *
 * Two styles, compatible with the upstream klp-convert proposals (never merged into Linux):
 *
 * 1. klp-convert v7 (2023): declare the symbol normally and say where it lives in a table per object.
 *
 *	extern void do_poweroff(struct work_struct *dummy);
 *	KLP_MODULE_RELOC(vmlinux) my_relocs[] = {
 *		KLP_SYMPOS(do_poweroff, 2),
 *	};
 *
 *    The table lands in section .klp.module_relocs.<object>; klp-lsp reads it and removes it from the output.
 *    Symbols with a unique name need no annotation at all.
 *
 * 2. minimal klp-convert (2024): rename the declaration so the name carries everything.
 *
 *	extern char *my_cmdline KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);
 *	extern int my_size KLP_RELOC_SYMBOL_POS(nvram, nvram, nvram_size, 0);
 *
 *    The first argument is the klp_object whose loading applies the relocation (vmlinux, or the patched
 *    module); the second is the object that has the symbol. The undefined symbol is named
 *    .klp.sym.rela.<lp_obj>.<sym_obj>.<name>.<pos>: the dot form, because binutils up to at least 2.40 do not
 *    assemble the comma form of the proposal's v1/v2.
 *
 * sympos: 0 means "the name is unique in the object"; N >= 1 means the N-th symbol of that name in kallsyms
 * order (vmlinux: ascending address, as /proc/kallsyms lists them; modules: symbol table order).
 * "klp-lsp lookup NAME" shows the candidates and their positions.
 */
#ifndef KLP_LSP_KLP_RELOCS_H
#define KLP_LSP_KLP_RELOCS_H

#ifndef KLP_MODULE_RELOC
/* include/uapi/linux/livepatch.h of klp-convert v7: 12 bytes per entry, read by klp-lsp in the ELF's byte order. */
struct klp_module_reloc {
	union {
		void *sym;
		unsigned long long sym64; /* forces 8 bytes on 32-bit too */
	};
	unsigned int sympos;
} __attribute__((packed));

#define KLP_MODULE_RELOC(obj)                                                          \
	struct klp_module_reloc                                                        \
	__attribute__((__used__, __section__(".klp.module_relocs." #obj), __aligned__(4)))

#define KLP_SYMPOS(symbol, pos)                                                        \
	{ .sym = (void *)&(symbol), .sympos = (pos), }
#endif

#ifndef KLP_RELOC_SYMBOL_POS
#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS)             \
	__asm__(".klp.sym.rela." #LP_OBJ_NAME "." #SYM_OBJ_NAME "." #SYM_NAME "." #SYM_POS)
#define KLP_RELOC_SYMBOL(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME)                          \
	KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, 0)
#endif

#endif /* KLP_LSP_KLP_RELOCS_H */
