// SPDX-License-Identifier: GPL-2.0-only
/**
 * A small, fast reader of DWARF 2-5 debug information, for what optimization did to functions:
 * {@link dev.klplsp.dwarf.DebugInfo#read} scans the units of {@code .debug_info} (in parallel) and gives every
 * source function (name, declaration file and line), its out-of-line instances (entry addresses; the
 * parameters a compiler clone dropped, made constant or no longer receives) and its inlined call sites
 * (containing instance, calling function, call file and line).
 *
 * <p>Sections come from {@link dev.klplsp.elf.ElfSectionFile}: memory-mapped, SHF_COMPRESSED (zlib, zstd)
 * decompressed, and in relocatable files (a module's debug {@code .ko}) relocated. Reads
 * {@code .debug_info}, {@code .debug_abbrev}, {@code .debug_str}, {@code .debug_line_str},
 * {@code .debug_str_offsets}, {@code .debug_addr}, {@code .debug_rnglists}/{@code .debug_ranges},
 * {@code .debug_loclists}/{@code .debug_loc} (a parameter's first location operation) and the file name
 * tables of {@code .debug_line}. Not read: type units, split DWARF ({@code .dwo}), supplementary files,
 * {@code .zdebug_*} sections.
 *
 * <p>Invariants: streaming and abbreviation-driven — a DIE of no interest is skipped by its fixed size or
 * its DW_AT_sibling without decoding its attributes; every read is bounds-checked against its unit or
 * section, every loop consumes input or is bounded (nesting depth, list entries, reference chains), so any
 * input ends in facts or a {@link dev.klplsp.dwarf.DwarfFormatException} naming file, section and offset.
 * Results do not depend on thread timing (units are merged in section order).
 *
 * <p>Imports only {@code dev.klplsp.base} and {@code dev.klplsp.elf}; never lsp4j, picocli or gson; never
 * prints. Symbols, sympos and caching are {@code dev.klplsp.kernel}'s ({@code OptimizationIndex}).
 */
package dev.klplsp.dwarf;
