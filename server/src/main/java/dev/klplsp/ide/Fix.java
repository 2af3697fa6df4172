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
import java.util.Optional;

/**
 * One alternative way to resolve a diagnostic: edits of one file (char offsets of that file's current text), or an
 * explicit choice to add to the settings. A diagnostic's fixes are alternatives, pick one.
 *
 * @param preferred whether an editor may apply it without asking (only when it is the single sensible fix)
 * @param setting   a choice for the {@code sympos} setting (a pin by identity, which one C annotation cannot
 *                  express for several kernels); the front end writes it where the settings live (the project
 *                  file), and {@code edits} is empty
 */
public record Fix(String title, Path file, List<TextEdit> edits, boolean preferred, Optional<SymposChoice> setting) {
    public Fix {
        edits = List.copyOf(edits);
    }

    public Fix(String title, Path file, List<TextEdit> edits, boolean preferred) {
        this(title, file, edits, preferred, Optional.empty());
    }

    /**
     * The fix that adds a pin by identity to the {@code sympos} setting, titled with what it resolves to in each
     * kernel: {@code pin: near X — sympos 11 in 6.1.0-56-amd64; 10 in 6.1.0-47-amd64}.
     */
    static Fix pin(Path file, SymposChoice choice, List<TargetKernel> kernels) {
        CopyPin pin = choice.pin().orElseThrow();
        String title = SymposText.pinFix(pin, KernelsText.symposPerKernel(CopyAcross.resolvedSympos(kernels,
                choice.object(), choice.name(), pin)));
        return new Fix(title, file, List.of(), false, Optional.of(choice));
    }
}
