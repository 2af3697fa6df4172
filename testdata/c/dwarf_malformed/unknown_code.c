/* SPDX-License-Identifier: GPL-2.0-only */
/* The first child DIE (at .debug_info offset 0xd) uses abbreviation 9, which the table does not define. */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ABBREV_UNIT ".byte 0\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n .byte 9\n .byte 0\n" UNIT_END END_SECTION);
