/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Functions whose optimization the C source decides, for the DWARF reader's tests. The tests find lines by
 * the "CALL: <function>" and "DEFINE: <function>" markers, never by number.
 */
#include "shared.h"

extern int sink(int);
extern void report(int) __attribute__((cold));

/* DEFINE: always_inlined */
static inline __attribute__((always_inline)) int always_inlined(int x)
{
	return sink(x) + 1;
}

/* DEFINE: never_inlined */
static __attribute__((noinline)) int never_inlined(int x)
{
	return sink(x * 3);
}

/* Inlined into flattened_caller, and out of line because its address is taken. */
/* DEFINE: dup_helper */
static int dup_helper(int x)
{
	return sink(x) * 7 + sink(x + 1);
}

int (*a_helper_pointer)(int) = dup_helper;

__attribute__((flatten)) int flattened_caller(int y)
{
	int sum = dup_helper(y); /* CALL: dup_helper */
	sum += always_inlined(y); /* CALL: always_inlined */
	sum += shared_helper(y); /* CALL: shared_helper a */
	return sum + never_inlined(y);
}

static inline __attribute__((always_inline)) int inner(int x)
{
	return sink(x) - 1;
}

static inline __attribute__((always_inline)) int outer(int x)
{
	return inner(x) * 2; /* CALL: inner */
}

int nested_caller(int x)
{
	return outer(x); /* CALL: outer */
}

/* IPA-SRA: 'unused' is never read and 'p' is only dereferenced, so the clone takes neither. */
static __attribute__((noinline)) int read_through(int unused, const int *p)
{
	return sink(*p);
}

int isra_caller(int v)
{
	int a = v;
	return read_through(1, &a) + read_through(2, &a);
}

/* IPA-CP: every caller passes factor 4, so the clone has it built in. */
static __attribute__((noinline)) int scaled(int x, int factor)
{
	int s = 0;
	for (int i = 0; i < factor; i++)
		s += sink(x + i);
	return s;
}

int constprop_caller(int v)
{
	return scaled(v, 4) + scaled(v + 1, 4);
}

/* Hot/cold splitting: the unlikely branch moves to checked.cold. */
static __attribute__((noinline)) int checked(int x)
{
	if (__builtin_expect(x < 0, 0)) {
		report(x);
		report(x + 1);
		return -1;
	}
	return sink(x);
}

int cold_caller(int x)
{
	return checked(x) + checked(x + 2);
}

/* Freed after a module's init: no sympos reaches it. */
__attribute__((section(".init.text"), noinline)) int init_only(int x)
{
	return sink(x + 5);
}
