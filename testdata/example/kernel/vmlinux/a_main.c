/* SPDX-License-Identifier: GPL-2.0-only */
/* init/main.c and fs/proc/cmdline.c of the fixture kernel: a unique, non-exported global and an init function. */
#include "../kernel.h"

extern int seq_printf(struct seq_file *m, const char *fmt, ...);

char *saved_command_line = "console=ttyS0";
static char boot_command_line[64];

/* Only in .init.text: freed after boot, so no livepatch may reference it. */
int __init __noinline setup_command_line(void)
{
	saved_command_line = boot_command_line;
	return 0;
}

int cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", saved_command_line);
	return 0;
}

int __init start_kernel(void)
{
	return setup_command_line();
}
