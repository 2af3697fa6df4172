// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** An {@code #include "path"} or {@code #include <path>} in active code; {@code span} is the whole directive line. */
public record IncludeDirective(String path, Span span) {
}
