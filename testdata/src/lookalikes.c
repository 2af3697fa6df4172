// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text that looks like declarations but is not code: extern int in_comment;
 * plus the code the scanner must still find around it.
 */
#include "klp_fixture.h"

// extern int in_line_comment;

static const char in_string[] = "extern int in_string_var; KLP_SYMPOS(x, 1)";
static const char in_char = '"';

#if 0
extern int in_if_zero;
#if 1
extern int in_nested_if;
#endif
#else
extern int in_else_branch;
#endif

#ifdef CONFIG_SOMETHING
extern int in_ifdef;
#else
extern int in_ifdef_else;
#endif

#define DECLARE_LOOKALIKE extern int in_define_body;
#define LOCAL_ANSWER 42

extern int real_extern, *real_pointer, real_array[4];
static int defined_here = LOCAL_ANSWER;
extern int defined_here;
static int static_proto_with_body(int);

static int static_proto_with_body(int x)
{
	/* extern int in_body_comment; */
	return x + real_extern + *real_pointer + real_array[0] + in_char + in_string[0];
}
