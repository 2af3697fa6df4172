// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One element of a {@code struct klp_func} array initializer, e.g.
 * {@code { .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, .old_sympos = 2 }}.
 * The empty terminator {@code { }} is not reported.
 *
 * @param oldNameSpan the characters between the quotes of {@code .old_name}
 * @param oldSymposSpan the number of {@code .old_sympos}
 * @param symposInsertion an empty span after the last field (and its comma, if any) where a new
 *     {@code .old_sympos} field can go
 * @param object the klp_object whose {@code .funcs} names this array; empty when none does
 * @param span the element's braces
 */
public record KlpFunc(
        String arrayName,
        Optional<String> oldName,
        Optional<Span> oldNameSpan,
        Optional<String> newFunc,
        Optional<Span> newFuncSpan,
        OptionalInt oldSympos,
        Optional<Span> oldSymposSpan,
        Span symposInsertion,
        List<DesignatedField> fields,
        Optional<KlpObject> object,
        Span span) {

    /** The object this function patches, as the kernel names it; empty when no klp_object refers to the array. */
    public Optional<String> objectName() {
        return object.map(KlpObject::objectName);
    }
}
