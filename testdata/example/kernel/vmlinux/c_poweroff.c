/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel/power/poweroff.c: the first of two static do_poweroff functions (sympos 1: the lower address). */
#include "../kernel.h"

int poweroff_requests;

static __noinline void do_poweroff(struct work_struct *dummy)
{
	poweroff_requests++;
}

void (*sysrq_poweroff_handler)(struct work_struct *) = do_poweroff;
