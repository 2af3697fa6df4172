// SPDX-License-Identifier: GPL-2.0-only
/**
 * The project file {@code .klp-lsp.json}: finding it, parsing it and its model, shared by both front ends (the
 * CLI falls back to it when a flag is absent, the language server merges the client's settings over it).
 *
 * <p>An edge package like cli and lsp: may import gson and the core packages; must not import lsp4j or picocli;
 * never prints or exits (problems are {@link dev.klplsp.base.KlpException}s or warnings the caller shows).
 */
package dev.klplsp.project;
