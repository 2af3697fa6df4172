/* SPDX-License-Identifier: GPL-2.0-only */
/* A unit whose length (0x1000) runs past the end of .debug_info. */
#include "dwarf_asm.h"

asm(SECTION(".debug_abbrev") ABBREV_UNIT ".byte 0\n" END_SECTION
    SECTION(".debug_info") ".4byte 0x1000\n .2byte 5\n .byte 1, 8\n .4byte 0\n .byte 1, 0\n" END_SECTION);
