/* SPDX-License-Identifier: GPL-2.0-only */
/* Names the fixture kernel does not have: a made-up one, a typo, and a function that exists only as a clone. */
#include "klp_fixture.h"

extern int no_such_symbol_klpc;
extern char *saved_comand_line;          /* typo of saved_command_line */
extern int copy_process(int flags);      /* only copy_process.isra.0 exists */

int livepatch_unresolved(void)
{
	return no_such_symbol_klpc + (int)(long)saved_comand_line + copy_process(1);
}

MODULE_INFO(livepatch, "Y");
