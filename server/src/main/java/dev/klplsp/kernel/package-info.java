// SPDX-License-Identifier: GPL-2.0-only
/**
 * The kernel symbol index: reads a kernel's symbols (vmlinux ELF, System.map, /proc/kallsyms dumps, module
 * trees, Module.symvers, modules.builtin, klp-convert's symbols.klp, and a kernel's image alone: the kallsyms
 * tables of a vmlinuz, a linux-image .deb read as a stream), counts sympos exactly as the kernel does
 * ({@link dev.klplsp.kernel.Sympos} is the only code that counts), stores the result columnar in an immutable
 * {@link dev.klplsp.kernel.KernelIndex} whose bytes ({@code IndexLayout}) are also the body of its versioned,
 * CRC-checked cache file, so a reload maps the file and reads the columns in place.
 *
 * <p>Beside it, per kernel object, the {@link dev.klplsp.kernel.OptimizationIndex}: what the compiler did to
 * each function (out-of-line instances tied to their symbol and sympos, clones, inline sites), built by
 * {@link dev.klplsp.kernel.OptimizationIndexLoader} from a debug file that
 * {@link dev.klplsp.kernel.DebugInfoLocator} finds, stored and cached the same way.
 *
 * <p>Invariants: every symbol of the index is one the kernel's kallsyms walk would visit (module symbols the
 * kernel drops after module init are kept but marked {@code sympos == -1}); sympos 0 means unique in its
 * object. Reads ELF only through {@link dev.klplsp.elf.ElfSymbolFile} and {@link dev.klplsp.elf.ElfSectionFile},
 * DWARF only through {@link dev.klplsp.dwarf.DebugInfo}. Readers of outside archives and compressed data
 * (vmlinuz payloads, .deb packages) bound what they read and decompress, and read only regular files.
 * {@link dev.klplsp.kernel.CopyIdentity} claims two copies in two builds are the same only on agreeing evidence
 * (source file, or both neighbourhoods), never by guess. Must not import lsp4j, picocli or gson; never prints or
 * exits.
 */
package dev.klplsp.kernel;
