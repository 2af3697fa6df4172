// SPDX-License-Identifier: GPL-2.0-only
/**
 * What every layer shares: the input-error type {@link dev.klplsp.base.KlpException},
 * {@link dev.klplsp.base.InputFile}, the only way core opens an input (regular files under a size limit), and
 * {@link dev.klplsp.base.AtomicFile}, the only way core writes files (never through a link or over a special
 * file), and {@link dev.klplsp.base.CountingSort}, the one grouping of many entries by a small id.
 * Imports nothing from the rest of klp-lsp, nor lsp4j, picocli or gson.
 */
package dev.klplsp.base;
