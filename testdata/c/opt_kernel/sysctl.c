/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fixture kernel whose optimization the C source decides, for the checks of replaced and called functions
 * against its debug information. Tests find lines by the "CALL: <function>" and "DEFINE: <function>" markers.
 * Shaped like kernel/sysctl.c: the conversion of one value is reached through a pointer (out of line) and is
 * inlined into the range-checking conversion.
 */
extern int sink(int);

/* DEFINE: dointvec_conv */
static inline __attribute__((always_inline)) int dointvec_conv(int *valp, int write, int value)
{
	if (write)
		*valp = value;
	return sink(*valp);
}

int (*volatile default_conv)(int *, int, int) = dointvec_conv;

/* DEFINE: dointvec_minmax_conv */
static __attribute__((noinline)) int dointvec_minmax_conv(int *valp, int write, int value, int min)
{
	if (write && value < min)
		return -22;
	return dointvec_conv(valp, write, value); /* CALL: dointvec_conv */
}

int (*volatile minmax_conv)(int *, int, int, int) = dointvec_minmax_conv;

/* DEFINE: only_inlined */
static inline __attribute__((always_inline)) int only_inlined(int x)
{
	return sink(x) + 2;
}

int first_user(int x)
{
	return only_inlined(x); /* CALL: only_inlined first */
}

int second_user(int x)
{
	return only_inlined(x + 1) * 3; /* CALL: only_inlined second */
}

/* IPA-CP: the direct callers all pass factor 4 and get a clone; the pointer keeps the original. */
/* DEFINE: scaled */
static __attribute__((noinline)) int scaled(int x, int factor)
{
	int s = 0;
	for (int i = 0; i < factor; i++)
		s += sink(x + i);
	return s;
}

int (*volatile scaled_pointer)(int, int) = scaled;

int scale_caller(int v)
{
	return scaled(v, 4) + scaled(v + 1, 4);
}

/* IPA-SRA: 'p' is only dereferenced, so the only copy takes the value instead of the pointer. */
/* DEFINE: read_through */
static __attribute__((noinline)) int read_through(const int *p)
{
	return sink(*p);
}

int read_caller(int v)
{
	int a = v;
	int b = v + 1;
	return read_through(&a) + read_through(&b);
}

/* DEFINE: plain_function */
__attribute__((noinline)) int plain_function(int x)
{
	return sink(x * 5);
}

__attribute__((noinline)) int sink(int x)
{
	return x * 31;
}

void entry(void)
{
}
