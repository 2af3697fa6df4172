/* SPDX-License-Identifier: GPL-2.0-only */
/* A second object file, so `ld -r` merges symbol tables and string tables. */
extern int main_entry(int x);
extern int global_table[16];

static int second_state;

int second_entry(int x)
{
	second_state += main_entry(x);
	return second_state + global_table[1];
}

__attribute__((section(".text.custom_placed"))) int custom_placed(void)
{
	return second_state;
}
