// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One element of a run-time lookup table, e.g. {@code { "nvram_size", (void *)&klpe_nvram_size, "nvram" }} or
 * {@code { .symname = "foo", .addr = (void **)&klpe_foo, .sympos = 2 }}: the helper that walks the table stores
 * the address of the {@code sympos}-th kallsyms match of {@code symname} in {@code objname} (vmlinux when NULL or
 * absent) into the pointer, and of the first match when {@code sympos} is 0.
 *
 * @param symbol the looked-up name; empty when it is NULL or not a string literal (a {@link ScanProblem} says so)
 * @param symbolSpan the characters between the quotes of a plain literal, else the written value
 * @param pointer the variable whose address is stored ({@code &klpe_foo}, casts allowed)
 * @param object the module name; empty means vmlinux
 * @param sympos empty when not written (0 for the helper) or not an integer literal
 * @param positionalFields how many fields the element writes positionally; 0 for designated initializers
 * @param insertion an empty span after the last field (and its comma, if any), where a field can be added
 * @param span the element's braces
 */
public record KallsymsRelocEntry(
        Optional<String> symbol,
        Span symbolSpan,
        Optional<String> pointer,
        Optional<Span> pointerSpan,
        Optional<String> object,
        Optional<Span> objectSpan,
        OptionalInt sympos,
        Optional<Span> symposSpan,
        int positionalFields,
        Span insertion,
        Span span) {

    public boolean designated() {
        return positionalFields == 0;
    }
}
