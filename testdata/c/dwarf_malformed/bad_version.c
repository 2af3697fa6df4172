/* SPDX-License-Identifier: GPL-2.0-only */
/* A unit of DWARF version 9. */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ABBREV_UNIT ".byte 0\n" END_SECTION
    SECTION(".debug_info") ".Lunit_start:\n .4byte .Lunit_end - .Lunit_start - 4\n .2byte 9\n .byte 1, 8\n"
    " .4byte 0\n .byte 1, 0\n" UNIT_END END_SECTION);
