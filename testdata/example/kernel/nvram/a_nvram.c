/* SPDX-License-Identifier: GPL-2.0-only */
/* drivers/char/nvram.c of the fixture kernel: module statics a livepatch for module nvram uses. */
#include "../kernel.h"

static long nvram_size = 114;
static int homonym = 1; /* also in b_nvram.c: sympos 1 in nvram (symbol table order) */

static __noinline long pc_nvram_get_size(void)
{
	return nvram_size;
}

int nvram_proc_read(struct seq_file *seq, void *offset)
{
	return (int)pc_nvram_get_size() + homonym;
}

unsigned char nvram_read_byte(int i)
{
	return (unsigned char)(i + homonym);
}

/* Writers keep gcc from folding the statics into constants: they must stay symbols. */
void nvram_set_size(long size, int value)
{
	nvram_size = size;
	homonym = value;
}
EXPORT_SYMBOL(nvram_read_byte);

static const char __modinfo_name[] __attribute__((__used__, __section__(".modinfo"))) = "name=nvram";
