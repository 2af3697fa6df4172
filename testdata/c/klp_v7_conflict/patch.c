/* SPDX-License-Identifier: GPL-2.0-only */
/* Two v7 annotations that disagree about do_poweroff. */
#include "klp_fixture.h"

struct work_struct;
extern void do_poweroff(struct work_struct *work);

KLP_MODULE_RELOC(vmlinux) first_relocs[] = {
	KLP_SYMPOS(do_poweroff, 1),
};

KLP_MODULE_RELOC(vmlinux) second_relocs[] = {
	KLP_SYMPOS(do_poweroff, 2),
};

void livepatch_conflict(void)
{
	do_poweroff((void *)0);
}

MODULE_INFO(livepatch, "Y");
