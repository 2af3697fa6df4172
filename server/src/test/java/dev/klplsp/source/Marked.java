// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.HashMap;
import java.util.Map;

/** Test text with {@code $0}, {@code $1}, ... markers ({@code ${12}} when a digit follows) removed; {@link #at(int)} gives each marker's offset. */
record Marked(String text, Map<Integer, Integer> offsets) {
    static Marked parse(String marked) {
        StringBuilder text = new StringBuilder(marked.length());
        Map<Integer, Integer> offsets = new HashMap<>();
        int i = 0;
        while (i < marked.length()) {
            char c = marked.charAt(i);
            if (c == '$' && marked.startsWith("{", i + 1)) {
                int close = marked.indexOf('}', i);
                int id = Integer.parseInt(marked.substring(i + 2, close));
                if (offsets.put(id, text.length()) != null) {
                    throw new IllegalArgumentException("marker $" + id + " twice");
                }
                i = close + 1;
                continue;
            }
            if (c == '$' && i + 1 < marked.length() && Character.isDigit(marked.charAt(i + 1))) {
                int j = i + 1;
                while (j < marked.length() && Character.isDigit(marked.charAt(j))) {
                    j++;
                }
                int id = Integer.parseInt(marked.substring(i + 1, j));
                if (offsets.put(id, text.length()) != null) {
                    throw new IllegalArgumentException("marker $" + id + " twice");
                }
                i = j;
                continue;
            }
            text.append(c);
            i++;
        }
        return new Marked(text.toString(), offsets);
    }

    int at(int id) {
        Integer offset = offsets.get(id);
        if (offset == null) {
            throw new IllegalArgumentException("no marker $" + id);
        }
        return offset;
    }

    /** The span from marker {@code from} to marker {@code to}. */
    Span span(int from, int to) {
        return new Span(at(from), at(to));
    }

    SourceScan scan() {
        return SourceScanner.scan(text);
    }
}
