/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHARED_H
#define SHARED_H

extern int sink(int);

/* DEFINE: shared_helper */
static inline __attribute__((always_inline)) int shared_helper(int x)
{
	return sink(x) ^ 3;
}

#endif
