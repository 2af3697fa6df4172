/* SPDX-License-Identifier: GPL-2.0-only */
/* A call to nvram_read_byte, which module nvram exports. */
#include "klp_fixture.h"

extern unsigned char nvram_read_byte(int i);

int livepatch_module_export(void)
{
	return nvram_read_byte(3);
}

MODULE_INFO(livepatch, "Y");
