/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Several functions and data objects in several sections (.text.*, .data.*, .bss.*, .rodata.*), static and
 * global, weak, undefined references, and .modinfo: the ELF model's round-trip fixture.
 */
#include "klp_fixture.h"

extern int printk(const char *fmt, ...);
extern int external_counter;

static int local_counter = 7;
static int local_zeroed;
int global_table[16] = {1, 2, 3};
int global_zeroed;
const char greeting[] = "hello from elf_sections";

static __attribute__((noinline)) int local_helper(int x)
{
	return x * local_counter + local_zeroed++;
}

__attribute__((weak)) int weak_hook(int x)
{
	return x + 1;
}

int main_entry(int x)
{
	global_zeroed += local_helper(x) + weak_hook(x) + external_counter;
	return printk("%s %d\n", greeting, global_table[x & 15]);
}

MODULE_INFO(livepatch, "Y");
MODULE_LICENSE("GPL");
