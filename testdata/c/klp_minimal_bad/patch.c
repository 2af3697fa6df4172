/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal-style mistakes: a vmlinux symbol in module nvram's section (the kernel rejects it) and a sympos larger
 * than the count. (An object name with '-' cannot be written here: gcc emits the asm label unquoted.)
 */
#include "klp_fixture.h"

extern char *lp_cmdline KLP_RELOC_SYMBOL(nvram, vmlinux, saved_command_line);
extern int lp_homonym KLP_RELOC_SYMBOL_POS(nvram, nvram, homonym, 3);

long livepatch_bad(void)
{
	return (long)lp_cmdline + lp_homonym;
}

MODULE_INFO(livepatch, "Y");
