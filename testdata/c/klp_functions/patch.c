/* SPDX-License-Identifier: GPL-2.0-only */
/* Function references of graded risk: called, address taken with clones present, a .cold part. */
#include "klp_fixture.h"

extern int nr_processes(void);                              /* called only */
extern int kernel_clone(int flags);                         /* has kernel_clone.constprop.0; address taken */
extern void dup_task_struct_cold(void) __asm__("dup_task_struct.cold");

int (*volatile clone_hook)(int) = kernel_clone;

int livepatch_functions(void)
{
	dup_task_struct_cold();
	return nr_processes() + clone_hook(0);
}

MODULE_INFO(livepatch, "Y");
