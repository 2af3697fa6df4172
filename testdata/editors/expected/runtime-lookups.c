// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample livepatch in the run-time lookup style, for the fixture kernel: replaces manage_entry() and reaches
 * the kernel's statics through pointers that a klp_kallsyms_reloc table fills from kallsyms when the patch
 * loads. irq_thread_check and state_count exist twice in vmlinux (manage.c and chip.c): the entries name the
 * second copies. The editor converts the lookups to KLP relocations with one code action.
 */
#include "klp_fixture.h"
#include "kallsyms_relocs.h"
#include "klp_relocs.h"

extern char *saved_command_line KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, saved_command_line, 0);
int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 2);
extern int state_count KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, state_count, 2);

static int livepatch_manage_entry(int irq)
{
	return irq_thread_check(irq) + state_count + saved_command_line[0];
}

int livepatch_init(void)
{
	return 0;
}

int livepatch_entry(int irq)
{
	return livepatch_manage_entry(irq);
}
