/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand-written DWARF for the malformed-input tests: each .c file of this case assembles one broken
 * .debug_info (and what it needs) with gcc, so the tests can name the exact offset of the problem.
 * Abbreviation entries: code, tag, children flag, (attribute, form) pairs, 0 0; a table ends with 0.
 */
#ifndef DWARF_ASM_H
#define DWARF_ASM_H

#define SECTION(name) ".pushsection " name ",\"\",@progbits\n"
#define END_SECTION ".popsection\n"

/* A DWARF 5 compile unit header (12 bytes) whose length the assembler computes from the labels. */
#define UNIT_BEGIN \
	".Lunit_start:\n .4byte .Lunit_end - .Lunit_start - 4\n .2byte 5\n .byte 1\n .byte 8\n .4byte 0\n"
#define UNIT_END ".Lunit_end:\n"

/* Abbreviation 1: DW_TAG_compile_unit with children and no attributes. */
#define ABBREV_UNIT ".byte 1, 0x11, 1, 0, 0\n"

#endif
