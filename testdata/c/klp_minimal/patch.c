/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal klp-convert annotations (dot form): a vmlinux symbol for the vmlinux klp_object, and statics of
 * module nvram (one of them duplicated) for the nvram klp_object.
 */
#include "klp_fixture.h"

extern char *lp_cmdline KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);
extern long lp_nvram_size KLP_RELOC_SYMBOL(nvram, nvram, nvram_size);
extern int lp_homonym KLP_RELOC_SYMBOL_POS(nvram, nvram, homonym, 2);

long livepatch_nvram_proc_read(void)
{
	return lp_nvram_size + lp_homonym;
}

char *livepatch_cmdline(void)
{
	return lp_cmdline;
}

MODULE_INFO(livepatch, "Y");
