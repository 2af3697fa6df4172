/* SPDX-License-Identifier: GPL-2.0-only */
/* A patch for module nvram that has its klp_object: the relocations for nvram will be applied. */
#include "klp_fixture.h"

struct klp_object {
	const char *name;
	void *funcs;
};

extern long lp_nvram_size KLP_RELOC_SYMBOL(nvram, nvram, nvram_size);

struct klp_object objs[] = {
	{ .name = "nvram" },
	{ }
};

long livepatch_nvram_size(void)
{
	return lp_nvram_size;
}

MODULE_INFO(livepatch, "Y");
