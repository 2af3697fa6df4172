/* SPDX-License-Identifier: GPL-2.0-only */
/* Second object of the fixture module: the other `homonym`, and the `setup` that kallsyms keeps. */
static int homonym = 2;

static __attribute__((noinline)) int setup(void)
{
	return homonym * 2;
}

const char *b_message(void)
{
	return "message from b.c";
}

int b_entry(void)
{
	return homonym++ + setup();
}
