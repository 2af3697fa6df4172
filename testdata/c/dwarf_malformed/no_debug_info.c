/* SPDX-License-Identifier: GPL-2.0-only */
/* An object without debug information. */
int no_debug_info(int x)
{
	return x + 1;
}
