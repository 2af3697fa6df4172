/* SPDX-License-Identifier: GPL-2.0-only */
/* klp-convert v7 annotations: KLP_SYMPOS for a duplicated name, an explicit 0, and one that matches nothing. */
#include "klp_fixture.h"

struct work_struct;
extern void do_poweroff(struct work_struct *work);
extern char *saved_command_line;
extern int total_forks; /* annotated below but never used: annotation-unused */

KLP_MODULE_RELOC(vmlinux) livepatch_relocs[] = {
	KLP_SYMPOS(do_poweroff, 1),
	KLP_SYMPOS(saved_command_line, 0),
	KLP_SYMPOS(total_forks, 0),
};

char *livepatch_v7(void)
{
	do_poweroff((void *)0);
	return saved_command_line;
}

MODULE_INFO(livepatch, "Y");
