// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.base.KlpException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzz target of the sympos choices a user writes (see docs/fuzzing.md): a {@code --sympos-file}
 * sidecar, whose entries are also the {@code --sympos} flag and the project file's {@code sympos} values. Any text
 * is a set of choices or a {@link KlpException} naming the file and line.
 */
class ChoicesFuzzTest {
    private static final Path FILE = Path.of("/fuzz/patch.sympos");

    @FuzzTest
    void sidecarFile(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            for (Map.Entry<String, Choice> choice : Choices.parseFile(FILE, text).entrySet()) {
                if (choice.getKey().isBlank() || choice.getValue().object().isBlank()) {
                    throw new AssertionError("a choice without a name or object: " + choice);
                }
                // The flag form of the same entry reads the same way.
                String spec = choice.getKey() + "=" + choice.getValue().object() + ":1";
                if (Choices.parse(spec, "flag").isEmpty()) {
                    throw new AssertionError("the flag form of an accepted entry is refused: " + spec);
                }
            }
        } catch (KlpException refused) {
            if (!refused.getMessage().startsWith(FILE + ":")) {
                throw new AssertionError("the error does not name the file and line: " + refused.getMessage());
            }
        }
    }
}
