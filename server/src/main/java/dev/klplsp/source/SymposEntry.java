// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code KLP_SYMPOS(symbol, pos)} entry of a v7 {@code KLP_MODULE_RELOC} array.
 *
 * @param pos empty when missing or not a non-negative integer literal (a {@link ScanProblem} says which)
 * @param posSpan the written position, empty when there is none
 * @param span from {@code KLP_SYMPOS} to its ')'
 */
public record SymposEntry(String symbol, Span symbolSpan, OptionalInt pos, Optional<Span> posSpan, Span span) {
}
