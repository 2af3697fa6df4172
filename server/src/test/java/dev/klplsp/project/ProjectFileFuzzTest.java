// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.base.KlpException;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz target of the project file parser (see docs/fuzzing.md): any text is a project file or a
 * {@link KlpException} naming the file (and line and column for malformed JSON).
 */
class ProjectFileFuzzTest {
    private static final Path FILE = Path.of("/fuzz/project/.klp-lsp.json");

    @FuzzTest
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            ProjectFile project = ProjectFile.parse(FILE, text);
            project.hasKernel();
        } catch (KlpException refused) {
            if (!refused.getMessage().startsWith(FILE + ": ")) {
                throw new AssertionError("the error does not name the file: " + refused.getMessage());
            }
        }
    }
}
