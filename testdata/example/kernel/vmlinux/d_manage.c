/* SPDX-License-Identifier: GPL-2.0-only */
/* drivers/xen/manage.c: the second static do_poweroff (sympos 2). */
#include "../kernel.h"

int xen_shutdowns;

static __noinline void do_poweroff(struct work_struct *dummy)
{
	xen_shutdowns++;
}

void (*xen_poweroff_handler)(struct work_struct *) = do_poweroff;
