/* SPDX-License-Identifier: GPL-2.0-only */
/* A livepatch using unique non-exported vmlinux data and a function, plus exported functions (left alone). */
#include "klp_fixture.h"

struct seq_file;
extern int seq_printf(struct seq_file *m, const char *fmt, ...); /* exported */
extern int _printk(const char *fmt, ...);                         /* exported */
extern char *saved_command_line;                                   /* unique global */
extern int max_threads;                                            /* unique static */
extern int nr_processes(void);                                     /* unique function, called */

/* A data relocation: volatile keeps gcc from folding the pointer (real-kernel.md, pitfall 12). */
int *volatile max_threads_pointer = &max_threads;

int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	return seq_printf(m, "%s %d %d %d\n", saved_command_line, max_threads, *max_threads_pointer,
			  nr_processes());
}

int livepatch_init(void)
{
	return _printk("basic %s\n", saved_command_line);
}

MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
