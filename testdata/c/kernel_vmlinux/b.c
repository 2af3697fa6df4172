/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One of three translation units of the fixture "vmlinux" with the same static names. vmlinux.lds places
 * .text in the order c, a, b and .data in the order c, b, a, while the symbol table lists a, b, c: the
 * kernel counts sympos by address, so the positions differ from the symbol-table positions.
 */
static int dup_var = 'b';

static __attribute__((noinline)) int dup_fn(void)
{
	return dup_var++;
}

static __attribute__((noinline, section(".init.text"))) int dup_init(void)
{
	return dup_var;
}

__attribute__((section(".head.text"))) int b_entry(void)
{
	return dup_fn() + dup_init();
}
