/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The older run-time lookup style: pointers filled by direct kallsyms_lookup_name() calls (not exported since
 * Linux 5.7) in the init function, each followed by a null check.
 */
#include "klp_fixture.h"
#include "kallsyms_relocs.h"

static char **klpe_saved_command_line;
static int (*klpe_nr_processes)(void);
static int *klpe_max_threads;

int klpp_show(void)
{
	return (*klpe_saved_command_line)[0] + klpe_nr_processes() + *klpe_max_threads;
}

int livepatch_init(void)
{
	klpe_saved_command_line = (char **)kallsyms_lookup_name("saved_command_line");
	if (!klpe_saved_command_line)
		return -ENOENT;
	klpe_nr_processes = (int (*)(void))kallsyms_lookup_name("nr_processes");
	if (klpe_nr_processes == NULL) {
		return -ENOENT;
	}
	klpe_max_threads = (void *)kallsyms_lookup_name("max_threads");
	return klpe_max_threads ? 0 : -ENOENT;
}

MODULE_INFO(livepatch, "Y");
