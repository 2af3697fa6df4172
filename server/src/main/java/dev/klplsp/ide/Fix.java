// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.KernelsText;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.check.SymposText;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One alternative way to resolve a diagnostic, or one refactoring of a file: edits of one file (char offsets of
 * that file's current text), or an explicit choice to add to the settings ({@link #setting}: a pin by identity,
 * which one C annotation cannot express for several kernels; the front end writes it where the settings live, the
 * project file, and the edits are empty). A diagnostic's fixes are alternatives, pick one. Edits that take work to compute
 * (a migration rescans the file) are computed when first asked for, so publishing diagnostics and listing
 * code actions stay cheap.
 */
public final class Fix {
    private final String title;
    private final Path file;
    private final boolean preferred;
    private final Supplier<List<TextEdit>> compute;
    private final Optional<SymposChoice> setting;
    private volatile List<TextEdit> edits;

    /**
     * @param preferred whether an editor may apply it without asking (only when it is the single sensible fix)
     */
    public Fix(String title, Path file, List<TextEdit> edits, boolean preferred) {
        this(title, file, preferred, null, Optional.empty());
        this.edits = List.copyOf(edits);
    }

    private Fix(String title, Path file, boolean preferred, Supplier<List<TextEdit>> compute,
            Optional<SymposChoice> setting) {
        this.title = Objects.requireNonNull(title);
        this.file = Objects.requireNonNull(file);
        this.preferred = preferred;
        this.compute = compute;
        this.setting = setting;
    }

    /** A fix whose edits are computed on first use (then remembered). */
    public static Fix lazy(String title, Path file, boolean preferred, Supplier<List<TextEdit>> edits) {
        return new Fix(title, file, preferred, Objects.requireNonNull(edits), Optional.empty());
    }

    /**
     * The fix that adds a pin by identity to the {@code sympos} setting, titled with what it resolves to in each
     * kernel: {@code pin: near X — sympos 11 in 6.1.0-56-amd64; 10 in 6.1.0-47-amd64}.
     */
    static Fix pin(Path file, SymposChoice choice, List<TargetKernel> kernels) {
        CopyPin pin = choice.pin().orElseThrow();
        String title = SymposText.pinFix(pin, KernelsText.symposPerKernel(CopyAcross.resolvedSympos(kernels,
                choice.object(), choice.name(), pin)));
        Fix fix = new Fix(title, file, false, null, Optional.of(choice));
        fix.edits = List.of();
        return fix;
    }

    /** The choice this fix adds to the {@code sympos} setting, when that is what it does. */
    public Optional<SymposChoice> setting() {
        return setting;
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
                && preferred == fix.preferred && setting.equals(fix.setting) && edits().equals(fix.edits());
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
