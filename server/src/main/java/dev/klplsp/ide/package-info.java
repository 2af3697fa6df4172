// SPDX-License-Identifier: GPL-2.0-only
/**
 * The IDE facade and API boundary: a {@link dev.klplsp.ide.Workspace} takes document changes, settings and
 * the kernel index, and yields an immutable {@link dev.klplsp.ide.Analysis} that answers diagnostics(file),
 * hover(file, offset), fixes(file, range) and the module check/convert, in char offsets and records.
 *
 * <p>Invariants: speaks {@link dev.klplsp.source.Span} char offsets and plain records, never LSP positions;
 * between requests it keeps only documents, settings and an index snapshot (fixes are recomputed, never
 * cached by range or message). Must not import lsp4j, picocli or gson; never prints or exits.
 */
package dev.klplsp.ide;
