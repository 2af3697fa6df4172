// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

/**
 * The parameters of {@code klp/indexStatus}; null components are left out of the JSON.
 *
 * @param state   {@code indexing}, {@code ready} or {@code error}
 * @param symbols when ready: the number of symbols in the index
 * @param message indexing: what is being read; ready: where the index came from; error: the cause
 * @param kernel  the kernel in use as the user named it (the {@code kernel} setting, else the symbol sources)
 */
public record IndexStatusParams(String state, Integer symbols, String message, String kernel) {
    public static final String INDEXING = "indexing";
    public static final String READY = "ready";
    public static final String ERROR = "error";
}
