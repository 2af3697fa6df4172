// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;

/**
 * One {@code struct klp_object} initializer (an array element or a single variable).
 *
 * @param objectName {@code .name}'s string, or "vmlinux" when it is NULL or absent
 * @param nameSpan the string content of {@code .name} when it is a string literal
 * @param funcsArray the identifier given to {@code .funcs}
 * @param span the element's braces
 */
public record KlpObject(
        String variableName,
        String objectName,
        boolean isVmlinux,
        Optional<Span> nameSpan,
        Optional<String> funcsArray,
        Optional<Span> funcsSpan,
        Span span) {
}
