/* SPDX-License-Identifier: GPL-2.0-only */
/* An undefined, non-exported symbol no relocation uses: nothing to convert, and the loader still wants it. */
#include "klp_fixture.h"

__asm__(".globl saved_command_line");

int livepatch_lonely(void)
{
	return 0;
}

MODULE_INFO(livepatch, "Y");
