// SPDX-License-Identifier: GPL-2.0-only
/* What modpost generates for a kbuild module: the module's struct module, which the livepatch points to. */
struct module {
	char name[56];
};

struct module __this_module __attribute__((section(".gnu.linkonce.this_module"))) = {
	.name = "livepatch",
};
