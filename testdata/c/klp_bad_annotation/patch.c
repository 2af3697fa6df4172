/* SPDX-License-Identifier: GPL-2.0-only */
/* An annotation table whose entries are not struct klp_module_reloc (16 bytes instead of 12). */
#include "klp_fixture.h"

extern char *saved_command_line;

struct wrong_reloc {
	void *sym;
	unsigned int sympos;
	unsigned int extra;
};

__attribute__((__used__, __section__(".klp.module_relocs.vmlinux"))) struct wrong_reloc wrong_relocs[] = {
	{ &saved_command_line, 0, 0 },
};

char *livepatch_bad_annotation(void)
{
	return saved_command_line;
}

MODULE_INFO(livepatch, "Y");
