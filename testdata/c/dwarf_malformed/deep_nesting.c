/* SPDX-License-Identifier: GPL-2.0-only */
/* 5,000 lexical blocks nested in each other: deeper than the reader's limit of 4,096. */
#include "dwarf_asm.h"

#define OPEN10 ".byte 2, 2, 2, 2, 2, 2, 2, 2, 2, 2\n"
#define OPEN100 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10
#define OPEN1000 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100 OPEN100

asm(SECTION(".debug_abbrev") ABBREV_UNIT ".byte 2, 0x0b, 1, 0, 0\n .byte 0\n" END_SECTION
    SECTION(".debug_info") UNIT_BEGIN ".byte 1\n" OPEN1000 OPEN1000 OPEN1000 OPEN1000 OPEN1000
    ".fill 5001, 1, 0\n" UNIT_END END_SECTION);
