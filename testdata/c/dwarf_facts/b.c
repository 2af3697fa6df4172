/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A second unit: another static dup_helper (a different function of the same name) and another user of
 * shared.h's inline function (the same function).
 */
#include "shared.h"

extern int sink(int);

/* DEFINE: dup_helper */
static int dup_helper(int x)
{
	return sink(x) * 5 - sink(x - 1);
}

int (*b_helper_pointer)(int) = dup_helper;

__attribute__((flatten)) int b_caller(int y)
{
	return dup_helper(y) /* CALL: dup_helper */ + shared_helper(y) /* CALL: shared_helper b */;
}
