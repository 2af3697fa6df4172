// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** One {@code .name = value} of a struct initializer; {@code span} ends with the value, before any comma. */
public record DesignatedField(String name, Span nameSpan, Span valueSpan, Span span) {
}
