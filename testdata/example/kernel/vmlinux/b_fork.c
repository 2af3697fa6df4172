/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel/fork.c of the fixture kernel: a unique static, a non-exported function, and functions with the names
 * gcc gives its clones (spelled with asm labels so the fixture does not depend on gcc's optimisation choices).
 */
#include "../kernel.h"

static int max_threads = 7592;
int total_forks;

int nr_processes(void)
{
	return total_forks + max_threads / 1000;
}

/* copy_process exists only as a clone: "copy_process" itself is not a symbol. */
__noinline int copy_process_isra(int flags) __asm__("copy_process.isra.0");
__noinline int copy_process_isra(int flags)
{
	return flags + total_forks++;
}

/* A function with a constprop clone next to it, and the cold part of a split function. */
__noinline int kernel_clone(int flags)
{
	return copy_process_isra(flags);
}

__noinline int kernel_clone_constprop(void) __asm__("kernel_clone.constprop.0");
__noinline int kernel_clone_constprop(void)
{
	return copy_process_isra(0);
}

__noinline void fork_fail_cold(void) __asm__("dup_task_struct.cold");
__noinline void fork_fail_cold(void)
{
	total_forks = -1;
}

int *max_threads_address(void)
{
	return &max_threads;
}
