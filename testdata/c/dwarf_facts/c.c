/* SPDX-License-Identifier: GPL-2.0-only */
/* The outside world of a.c and b.c, so that they also link into an executable. */

__attribute__((noinline)) int sink(int x)
{
	return x * 31;
}

__attribute__((noinline, cold)) void report(int x)
{
	asm volatile("" : : "r"(x));
}
