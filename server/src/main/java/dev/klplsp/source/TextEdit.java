// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replace {@code range} of the original text by {@code newText}; an empty range inserts. Plain data. */
public record TextEdit(Span range, String newText) {
    public TextEdit {
        if (range == null || newText == null) {
            throw new IllegalArgumentException("range and newText are required");
        }
    }

    public static TextEdit insert(int offset, String newText) {
        return new TextEdit(Span.at(offset), newText);
    }

    /**
     * Applies edits whose ranges refer to the original {@code text}.
     * Edits must not overlap; insertions at the same offset keep their list order.
     *
     * @throws IllegalArgumentException when two edits overlap or a range lies outside the text
     */
    public static String apply(String text, List<TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        // Stable sort: same-offset insertions stay in the caller's order.
        sorted.sort(Comparator.comparingInt((TextEdit edit) -> edit.range().start())
                .thenComparingInt(edit -> edit.range().end()));
        StringBuilder out = new StringBuilder(text.length() + 64);
        int copied = 0;
        for (TextEdit edit : sorted) {
            Span range = edit.range();
            if (range.end() > text.length()) {
                throw new IllegalArgumentException("edit " + range + " outside text of length " + text.length());
            }
            if (range.start() < copied) {
                throw new IllegalArgumentException("overlapping edit at " + range);
            }
            out.append(text, copied, range.start()).append(edit.newText());
            copied = range.end();
        }
        return out.append(text, copied, text.length()).toString();
    }
}
