// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.List;

/**
 * One alternative way to resolve a diagnostic: edits of one file (char offsets of that file's current text).
 * A diagnostic's fixes are alternatives, pick one.
 *
 * @param preferred whether an editor may apply it without asking (only when it is the single sensible fix)
 */
public record Fix(String title, Path file, List<TextEdit> edits, boolean preferred) {
    public Fix {
        edits = List.copyOf(edits);
    }
}
