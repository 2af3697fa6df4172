// SPDX-License-Identifier: GPL-2.0-only
/**
 * Conversion of a livepatch module into the kernel's KLP format, read → plan → write:
 * {@link dev.klplsp.check.ConversionPlan} is pure data (made by {@code dev.klplsp.check.ModuleChecker});
 * {@link dev.klplsp.convert.Converter#apply} mutates the {@link dev.klplsp.elf.ElfObject}; the caller writes it
 * with {@code ElfObject.write} (atomic).
 *
 * <p>Invariants: an empty plan changes nothing (converting a converted module is byte-identical); moved
 * relocations keep offset, type and addend; each symbol is renamed once. Must not import lsp4j, picocli, gson
 * or {@code dev.klplsp.check}; never prints or exits.
 */
package dev.klplsp.convert;
