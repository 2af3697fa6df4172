// SPDX-License-Identifier: GPL-2.0-only
/**
 * The editor's core and API boundary, protocol-agnostic. {@link dev.klplsp.ide.ModuleService} owns the work
 * (index loading, module discovery and watching, check and convert through
 * {@link dev.klplsp.convert.ModuleConversion}, the build command, its own writes, the trust state) and reports
 * through {@link dev.klplsp.ide.ModuleService.Callbacks}; its {@link dev.klplsp.ide.Workspace} yields immutable
 * {@link dev.klplsp.ide.Analysis} snapshots that answer diagnostics(file), hover(file, offset), fixes(file, range)
 * and refactorings(file, range) (converting run-time lookups to KLP relocations), in char offsets and records, over
 * every configured kernel (one index each, findings merged with the kernels they hold in).
 *
 * <p>Invariants: speaks {@link dev.klplsp.source.Span} char offsets and plain records, never protocol types;
 * between requests it keeps only documents, settings and an index snapshot (fixes are recomputed, never
 * cached by range or message); nothing is built or converted before the settings are settled or in an
 * untrusted workspace; every workspace walk is {@link dev.klplsp.ide.WorkspaceFiles}'; every system path
 * ({@code /lib/modules}, {@code /usr/lib/debug}, {@code /boot}, {@code /proc}) is looked up under the root the front
 * end gives ({@link dev.klplsp.ide.KernelDetection}), never {@code /} directly. Must not use lsp4j,
 * picocli or gson; never prints or exits.
 */
package dev.klplsp.ide;
