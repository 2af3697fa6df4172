/* SPDX-License-Identifier: GPL-2.0-only */
/* A reference from a non-allocated section (the kernel never applies KLP relocations there). */
#include "klp_fixture.h"

extern char *saved_command_line;

__asm__(".section .klpc_notes,\"\",@progbits\n"
	".quad saved_command_line\n"
	".previous\n");

char *livepatch_nonalloc(void)
{
	return saved_command_line;
}

MODULE_INFO(livepatch, "Y");
