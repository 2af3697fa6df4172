/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel/power/main.c: a unique function right before poweroff.c's static do_poweroff, as the statics of a
 * kernel's object files sit between functions of their own; the copy's neighbour in kallsyms order.
 */
#include "../kernel.h"

int pm_prepared;

__noinline void pm_power_off_prepare(void)
{
	pm_prepared++;
}
