/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel macros the fixtures need, spelled as the kernel spells them, so gcc produces the
 * same sections a kbuild module has (.modinfo, .klp.module_relocs.<obj>, minimal-style asm labels)
 * without kernel headers.
 */
#ifndef KLP_FIXTURE_H
#define KLP_FIXTURE_H

#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

/* include/linux/moduleparam.h: one "key=value\0" string per entry in .modinfo. */
#define MODULE_INFO(tag, info)                                                    \
	static const char __UNIQUE_ID(tag)[]                                      \
	__attribute__((__used__, __section__(".modinfo"), __aligned__(1))) =      \
		__stringify(tag) "=" info
#define MODULE_LICENSE(l) MODULE_INFO(license, l)

/* klp-convert v7 (include/uapi/linux/livepatch.h + include/linux/livepatch.h of the series). */
struct klp_module_reloc {
	union {
		void *sym;
		unsigned long long sym64;
	};
	unsigned int sympos;
} __attribute__((packed));

#define KLP_MODULE_RELOC(obj)                                                     \
	struct klp_module_reloc                                                   \
	__attribute__((__section__(".klp.module_relocs." #obj), __aligned__(4)))

#define KLP_SYMPOS(symbol, pos)                                                   \
	{ .sym = (void *)&symbol, .sympos = pos, }

/*
 * The 2024 minimal klp-convert, in the dot form that today's binutils assemble
 * (klp-format.md section 7): .klp.sym.rela.<lp_obj>.<sym_obj>.<name>.<pos>
 */
#define KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, SYM_POS)        \
	__asm__(".klp.sym.rela." #LP_OBJ_NAME "." #SYM_OBJ_NAME "." #SYM_NAME "." #SYM_POS)
#define KLP_RELOC_SYMBOL(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME)                      \
	KLP_RELOC_SYMBOL_POS(LP_OBJ_NAME, SYM_OBJ_NAME, SYM_NAME, 0)

#endif
