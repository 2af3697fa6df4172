// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One alternative way to resolve a diagnostic, or one refactoring of a file: edits of one file (char offsets of
 * that file's current text). A diagnostic's fixes are alternatives, pick one. Edits that take work to compute
 * (a migration rescans the file) are computed when first asked for, so publishing diagnostics and listing
 * code actions stay cheap.
 */
public final class Fix {
    private final String title;
    private final Path file;
    private final boolean preferred;
    private final Supplier<List<TextEdit>> compute;
    private volatile List<TextEdit> edits;

    /**
     * @param preferred whether an editor may apply it without asking (only when it is the single sensible fix)
     */
    public Fix(String title, Path file, List<TextEdit> edits, boolean preferred) {
        this(title, file, preferred, null);
        this.edits = List.copyOf(edits);
    }

    private Fix(String title, Path file, boolean preferred, Supplier<List<TextEdit>> compute) {
        this.title = Objects.requireNonNull(title);
        this.file = Objects.requireNonNull(file);
        this.preferred = preferred;
        this.compute = compute;
    }

    /** A fix whose edits are computed on first use (then remembered). */
    public static Fix lazy(String title, Path file, boolean preferred, Supplier<List<TextEdit>> edits) {
        return new Fix(title, file, preferred, Objects.requireNonNull(edits));
    }

    public String title() {
        return title;
    }

    public Path file() {
        return file;
    }

    public List<TextEdit> edits() {
        List<TextEdit> result = edits;
        if (result == null) {
            result = List.copyOf(compute.get());
            edits = result;
        }
        return result;
    }

    public boolean preferred() {
        return preferred;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fix fix && title.equals(fix.title) && file.equals(fix.file)
                && preferred == fix.preferred && edits().equals(fix.edits());
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, file, preferred);
    }

    @Override
    public String toString() {
        return "Fix[" + title + ", " + file + (preferred ? ", preferred" : "") + "]";
    }
}
