// SPDX-License-Identifier: GPL-2.0-only
/**
 * The ELF model: a mutable model of relocatable objects (ET_REL .o and .ko; ELF32/ELF64, little and big
 * endian) read by {@link dev.klplsp.elf.ElfObject#read} and written by {@code ElfWriter}, plus
 * {@link dev.klplsp.elf.ElfSymbolFile}, a cheap symbol-table-only view of any ELF file.
 *
 * <p>Invariants: sections and symbols refer to each other by object reference, never by index, so
 * adding, removing and renaming re-indexes on write. Symbols and relocations remember where their symbol last
 * was in the table only as a hint that {@code SymbolTable.indexOf}/{@code indexOfSymbol} check before using
 * (O(1) per lookup without a hash map; a stale hint costs one re-index pass, never a wrong index). Reading and
 * writing an unmodified object gives a readelf-identical (and, without a signature, byte-identical) file.
 * Bad input is an {@link dev.klplsp.elf.ElfFormatException} naming the file and the problem; a dangling
 * reference left by a caller's mutation is an {@link IllegalStateException} (a bug, not an input error).
 *
 * <p>Reading: {@code RawElf} decodes and bounds-checks the ELF header and section header table first
 * (jelf crashes on more than 32,767 sections, entsize 0 and more), then {@code ElfReader} takes section
 * headers, symbols and relocations from jelf and decodes SHT_GROUP and SHT_SYMTAB_SHNDX itself.
 * {@code ElfSymbolFile} needs no jelf: it reads headers, the symbol table and its strings straight from a
 * memory map. Writing: {@code ElfWriter} starts from the input bytes, keeps unchanged sections where they
 * were, re-encodes symbols, relocations and groups by reference, and drops an appended module signature.
 *
 * <p>{@link dev.klplsp.elf.KlpNames} is the one home of the livepatch name formats ({@code .klp.sym.*},
 * {@code .klp.rela.*}, the minimal style's {@code .klp.sym.rela.*}) and of the one parser of a sympos field.
 *
 * <p>Imports only {@code dev.klplsp.base} and jelf (jelf only in {@code ElfReader}); never lsp4j,
 * picocli or gson; never prints.
 */
package dev.klplsp.elf;
