/* SPDX-License-Identifier: GPL-2.0-only */
/* A vmlinux function that lives only in .init.text, and a use of vmlinux data from the patch's own init code. */
#include "klp_fixture.h"

extern int setup_command_line(void);
extern char *saved_command_line;

int livepatch_setup(void)
{
	return setup_command_line();
}

__attribute__((__section__(".init.text"))) char *livepatch_init_only(void)
{
	return saved_command_line;
}

MODULE_INFO(livepatch, "Y");
