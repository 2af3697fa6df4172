/* SPDX-License-Identifier: GPL-2.0-only */
/* __jump_table-like entries: against a module symbol (refused) and against a vmlinux symbol (fine). */
#include "klp_fixture.h"

extern long lp_nvram_size KLP_RELOC_SYMBOL(nvram, nvram, nvram_size);
extern char *saved_command_line;

struct jump_entry {
	void *code;
	void *key;
};

__attribute__((__used__, __section__("__jump_table"))) static struct jump_entry module_key_entry = {
	.key = &lp_nvram_size,
};
__attribute__((__used__, __section__("__jump_table"))) static struct jump_entry vmlinux_key_entry = {
	.key = &saved_command_line,
};

MODULE_INFO(livepatch, "Y");
