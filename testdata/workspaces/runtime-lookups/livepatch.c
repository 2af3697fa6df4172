// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample livepatch in the run-time lookup style, for the fixture kernel: replaces manage_entry() and reaches
 * the kernel's statics through pointers that a klp_kallsyms_reloc table fills from kallsyms when the patch
 * loads. irq_thread_check and state_count exist twice in vmlinux (manage.c and chip.c): the entries name the
 * second copies. The editor converts the lookups to KLP relocations with one code action.
 */
#include "klp_fixture.h"
#include "kallsyms_relocs.h"

static char **klpe_saved_command_line;
static int (*klpe_irq_thread_check)(int irq);
static int *klpe_state_count;

static int livepatch_manage_entry(int irq)
{
	return (*klpe_irq_thread_check)(irq) + *klpe_state_count + (*klpe_saved_command_line)[0];
}

static struct klp_kallsyms_reloc klp_funcs[] = {
	{ "saved_command_line", (void *)&klpe_saved_command_line },
	{ "irq_thread_check", (void *)&klpe_irq_thread_check, NULL, 2 },
	{ "state_count", (void *)&klpe_state_count, NULL, 2 },
};

int livepatch_init(void)
{
	return __klp_resolve_kallsyms_relocs(klp_funcs, ARRAY_SIZE(klp_funcs));
}

int livepatch_entry(int irq)
{
	return livepatch_manage_entry(irq);
}
