/* SPDX-License-Identifier: GPL-2.0-only */
/* The exported entry point a livepatch calls, exported as the kernel's EXPORT_SYMBOL marks it. */

struct klp_patch;

int klp_enable_patch(struct klp_patch *patch)
{
	return patch ? 0 : -22;
}

static void *const __ksymtab_klp_enable_patch __attribute__((__used__, __section__("___ksymtab+klp_enable_patch")))
	= (void *)&klp_enable_patch;
