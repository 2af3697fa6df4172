/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The next build of the fixture kernel (kernel-next): kernel/reboot.c gains a third static do_poweroff, which
 * comes first in kallsyms order, so poweroff.c's copy is sympos 2 there and manage.c's sympos 3 (they are 1 and 2
 * in kernel/). Like Debian's 6.1.0-56, whose cpumask_weight got a copy that shifts the ones after it.
 */
#include "../kernel.h"

int reboot_poweroffs;

static __noinline void do_poweroff(struct work_struct *dummy)
{
	reboot_poweroffs++;
}

void (*reboot_poweroff_handler)(struct work_struct *) = do_poweroff;
