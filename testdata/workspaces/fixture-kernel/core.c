// SPDX-License-Identifier: GPL-2.0-only
/* Unique names: resolve with sympos 0. */
#define __used_fn __attribute__((noinline, used))

char saved_command_line[256];
int __used_fn cmdline_proc_show(void *m, void *v) { return saved_command_line[0] + (m != v); }
int __used_fn lookup_symbol_name(unsigned long addr, char *name) { name[0] = (char)addr; return 0; }
int __used_fn seq_printf(void *m, const char *fmt, ...) { return m != fmt; }
int __used_fn klp_enable_patch(void *patch) { return patch != 0; }
