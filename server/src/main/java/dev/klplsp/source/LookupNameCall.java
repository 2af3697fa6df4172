// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;

/**
 * A direct call {@code kallsyms_lookup_name("name")}, and, when it is the statement
 * {@code p = (cast)kallsyms_lookup_name("name");} filling a file-scope pointer, that pointer and the null check
 * right after it ({@code if (!p) return -ENOENT;}).
 *
 * @param symbol the name looked up; empty when the argument is not a string literal
 * @param symbolSpan the characters between the quotes, or the written argument
 * @param site the call and its statement
 * @param nullCheckSpan the {@code if} statement testing the pointer right after the assignment
 */
public record LookupNameCall(Optional<String> symbol, Span symbolSpan, CallSite site, Optional<String> assignedPointer,
        Optional<Span> nullCheckSpan) {
}
