/* SPDX-License-Identifier: GPL-2.0-only */
/* The unit DIE's inline DW_AT_name (DW_FORM_string) has no terminating NUL before the unit ends. */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ".byte 1, 0x11, 0, 0x03, 0x08, 0, 0\n .byte 0\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n .ascii \"abc\"\n" UNIT_END END_SECTION);
