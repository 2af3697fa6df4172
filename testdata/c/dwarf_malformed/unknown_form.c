/* SPDX-License-Identifier: GPL-2.0-only */
/* The unit DIE's DW_AT_name has form 0x7f, which no DWARF version defines (at .debug_info offset 0xd). */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ".byte 1, 0x11, 1, 0x03, 0x7f, 0, 0\n .byte 0\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n .byte 0x41, 0\n .byte 0\n" UNIT_END END_SECTION);
