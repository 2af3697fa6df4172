/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel/reboot.c of kernel-next, continued: a unique function after its do_poweroff. */
#include "../kernel.h"

int reboot_notified;

__noinline void reboot_notify(void)
{
	reboot_notified++;
}
