// SPDX-License-Identifier: GPL-2.0-only
/**
 * The language server: binds lsp4j to {@link dev.klplsp.ide.ModuleService} and translates, nothing more: the
 * lifecycle, the settings sources, requests into service calls and the service's callbacks into LSP messages
 * ({@code ClientNotifier}); the klp protocol additions are {@code LspExt}.
 * {@link dev.klplsp.lsp.ToLsp} and {@link dev.klplsp.lsp.FromLsp} are the only code converting between char
 * offsets and LSP positions (UTF-16 columns, as every supported client uses).
 *
 * <p>Invariants: no analysis here; between requests the server keeps only documents, settings and an index
 * snapshot (code actions recompute fixes from it; diagnostics carry their code in {@code data}). May import
 * lsp4j and gson; must not import picocli; never calls System.exit (the cli's ServeCommand decides).
 */
package dev.klplsp.lsp;
