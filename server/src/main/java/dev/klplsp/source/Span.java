// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * A half-open range {@code [start, end)} of char (UTF-16 code unit) offsets into the scanned Java String.
 * {@link LineIndex} converts it to lines/columns or UTF-8 byte offsets.
 */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    /** An empty span at {@code offset}: an insertion point. */
    public static Span at(int offset) {
        return new Span(offset, offset);
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return start == end;
    }

    public boolean contains(int offset) {
        return offset >= start && offset < end;
    }

    /** True when {@code offset} lies inside or on either edge (what a cursor "touching" the span means). */
    public boolean touches(int offset) {
        return offset >= start && offset <= end;
    }

    public boolean contains(Span other) {
        return other.start >= start && other.end <= end;
    }

    public String textOf(String text) {
        return text.substring(start, end);
    }
}
