/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A structure type (at .debug_info offset 0xd) whose DW_AT_sibling points back at the unit DIE: followed
 * blindly, the reader would loop forever.
 */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ABBREV_UNIT
    ".byte 2, 0x13, 1, 0x01, 0x13, 0, 0\n" /* DW_TAG_structure_type, children, DW_AT_sibling DW_FORM_ref4 */
    ".byte 0\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n .byte 2\n .4byte 0xc\n .byte 0\n .byte 0\n" UNIT_END END_SECTION);
