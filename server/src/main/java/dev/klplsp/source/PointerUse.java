// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * A use of a {@link LookupPointer} in the code, classified by what the pointer does there, with the span that
 * changes when the pointer becomes the symbol {@code sym} itself (C precedence is respected: {@code *p(x)} is
 * {@code *(p(x))}, a CALL).
 */
public record PointerUse(String pointer, Shape shape, Span span) {
    public enum Shape {
        /** {@code p(...)} or {@code (*p)(...)}: the span ({@code p} or {@code (*p)}) becomes {@code sym}. */
        CALL(true),
        /** {@code *p} or {@code (*p)} (also in {@code (*p)[i]}, {@code (*p).x}, {@code &(*p)}): becomes {@code sym}. */
        DEREF(true),
        /** {@code p->}: becomes {@code sym.} */
        MEMBER(true),
        /** {@code p[i]}: the span {@code p} becomes {@code (&sym)}. */
        INDEX(true),
        /** {@code p} as a value: becomes {@code &sym} (data) or {@code sym} (function). */
        VALUE(true),
        /** {@code p = ...}, {@code p++} and friends: the pointer itself changes. */
        ASSIGNED(false),
        /** {@code &p}: the pointer's own address is taken. */
        ADDRESS(false),
        /** In a {@code #define} body, which the scanner does not read. */
        MACRO(false);

        private final boolean rewritable;

        Shape(boolean rewritable) {
            this.rewritable = rewritable;
        }

        public boolean rewritable() {
            return rewritable;
        }
    }
}
