/* SPDX-License-Identifier: GPL-2.0-only */
/* The few kernel spellings the fixture kernel needs (include/linux/export.h, init.h), without kernel headers. */
#ifndef FIXTURE_KERNEL_H
#define FIXTURE_KERNEL_H

/* Like the kernel's, a __ksymtab_<sym> entry marks the export; the Makefile derives Module.symvers from them. */
#define EXPORT_SYMBOL(sym)                                                          \
	extern typeof(sym) sym;                                                     \
	static void *const __ksymtab_##sym                                          \
	__attribute__((__used__, __section__("___ksymtab+" #sym))) = (void *)&sym

#define __init __attribute__((__section__(".init.text"), __cold__))
#define __noinline __attribute__((__noinline__))

struct seq_file;
struct work_struct;

#endif
