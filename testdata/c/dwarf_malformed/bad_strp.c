/* SPDX-License-Identifier: GPL-2.0-only */
/* A subprogram named by DW_FORM_strp offset 0x5000 of a 6-byte .debug_str. */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ABBREV_UNIT
    ".byte 2, 0x2e, 0, 0x03, 0x0e, 0x11, 0x01, 0, 0\n" /* DW_TAG_subprogram: DW_AT_name strp, DW_AT_low_pc addr */
    ".byte 0\n" END_SECTION
    SECTION(".debug_str") ".asciz \"hello\"\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n .byte 2\n .4byte 0x5000\n .8byte 0x1000\n .byte 0\n" UNIT_END
    END_SECTION);
