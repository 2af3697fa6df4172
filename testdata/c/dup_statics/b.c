/* SPDX-License-Identifier: GPL-2.0-only */
/* Two files with the same static names: the linked module has two local `homonym` and two `homonym_fn`. */
static int homonym = 2;

static __attribute__((noinline)) int homonym_fn(void)
{
	return homonym += 2;
}

int b_entry(void)
{
	return homonym_fn();
}
