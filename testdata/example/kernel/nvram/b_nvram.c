/* SPDX-License-Identifier: GPL-2.0-only */
/* The second file of module nvram: another static `homonym` (sympos 2 in nvram). */
static int homonym = 2;

int nvram_homonym_b(void)
{
	return homonym++;
}
