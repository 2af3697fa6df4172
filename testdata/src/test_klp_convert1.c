// SPDX-License-Identifier: GPL-2.0-only
/*
 * Modelled on the klp-convert v7 selftest lib/livepatch/test_klp_convert1.c:
 * references to non-exported symbols of vmlinux and of test_klp_convert_mod,
 * pinned with KLP_MODULE_RELOC/KLP_SYMPOS annotations.
 */
#include "klp_fixture.h"

#define NULL ((void *)0)

struct module;
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
};

struct klp_object {
	const char *name;
	struct klp_func *funcs;
};

struct klp_patch {
	struct module *mod;
	struct klp_object *objs;
};

extern int _printk(const char *fmt, ...);
#define pr_info(fmt, ...) _printk(fmt, ##__VA_ARGS__)
int klp_enable_patch(struct klp_patch *);

/* klp-convert symbols - vmlinux */
extern char *saved_command_line;
/* klp-convert symbols - test_klp_convert_mod.ko */
extern char driver_name[];
extern char homonym_string[];
extern const char *get_homonym_string(void);
extern const char *test_klp_get_driver_name(void);

/* Dotted local names, reachable only through an asm label. */
extern char klp_string_a[] __asm__("klp_string.12345");
extern char klp_string_b[] __asm__("klp_string.67890");

void print_saved_command_line(void)
{
	pr_info("saved_command_line, 0: %s\n", saved_command_line);
}

void print_driver_name(void)
{
	pr_info("driver_name, 0: %s\n", driver_name);
	pr_info("test_klp_get_driver_name(), 0: %s\n", test_klp_get_driver_name());
}

void print_homonym_string(void)
{
	pr_info("homonym_string, 1: %s\n", homonym_string);
	pr_info("get_homonym_string(), 1: %s\n", get_homonym_string());
}

void print_static_strings(void)
{
	pr_info("klp_string.12345 = %s\n", klp_string_a);
	pr_info("klp_string.67890 = %s\n", klp_string_b);
}

/*
 * saved_command_line is a unique symbol, so the sympos annotation is
 * optional.  Provide to test that sympos=0 works correctly.
 */
KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
	KLP_SYMPOS(saved_command_line, 0)
};

/*
 * driver_name symbols can be found in vmlinux (multiple) and also
 * test_klp_convert_mod, therefore the annotation is required to
 * clarify that we want the one from test_klp_convert_mod.
 *
 * test_klp_convert_mod contains multiple homonym_string and
 * get_homonym_string symbols, test_klp_convert1 refers to the
 * first of them.
 */
KLP_MODULE_RELOC(test_klp_convert_mod) test_klp_convert_mod_relocs_a[] = {
	KLP_SYMPOS(driver_name, 0),
	KLP_SYMPOS(homonym_string, 1),
	KLP_SYMPOS(get_homonym_string, 1),
	KLP_SYMPOS(test_klp_get_driver_name, 0),
	KLP_SYMPOS(klp_string_a, 1),
	KLP_SYMPOS(klp_string_b, 1),
};

static struct klp_func funcs[] = {
	{
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = NULL,	/* vmlinux */
		.funcs = funcs,
	},
	{
		.name = "test_klp_convert_mod",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_convert_init(void)
{
	int ret;

	ret = klp_enable_patch(&patch);
	if (ret)
		return ret;

	print_saved_command_line();
	print_driver_name();
	print_homonym_string();
	print_static_strings();

	return 0;
}

int init_module(void) __attribute__((alias("test_klp_convert_init")));
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
