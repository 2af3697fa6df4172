// SPDX-License-Identifier: GPL-2.0-only
/**
 * What every layer shares: the input-error type {@link dev.klplsp.base.KlpException} and
 * {@link dev.klplsp.base.AtomicFile}, the only way core writes files.
 * Imports nothing from the rest of klp-lsp, nor lsp4j, picocli or gson.
 */
package dev.klplsp.base;
