/* SPDX-License-Identifier: GPL-2.0-only */
/* A reference to do_poweroff, a static in two files of the fixture vmlinux: needs an explicit sympos. */
#include "klp_fixture.h"

struct work_struct;
extern void do_poweroff(struct work_struct *work);

void livepatch_poweroff(void)
{
	do_poweroff((void *)0);
}

MODULE_INFO(livepatch, "Y");
