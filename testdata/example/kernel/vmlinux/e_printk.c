/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel/printk, fs/seq_file.c, kernel/livepatch: the exported interfaces a livepatch uses directly. */
#include "../kernel.h"

static char log_buffer[256];
static int log_length;

int _printk(const char *fmt, ...)
{
	log_buffer[log_length++ % sizeof(log_buffer)] = fmt[0];
	return 0;
}
EXPORT_SYMBOL(_printk);

int seq_printf(struct seq_file *m, const char *fmt, ...)
{
	return _printk(fmt);
}
EXPORT_SYMBOL(seq_printf);

int klp_enable_patch(void *patch)
{
	return patch ? 0 : -22;
}
EXPORT_SYMBOL(klp_enable_patch);
