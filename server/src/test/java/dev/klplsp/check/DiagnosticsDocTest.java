// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/diagnostics.md has an entry for every code, and each entry's canonical test exists. */
class DiagnosticsDocTest {
    @Test
    void everyCodeHasADocEntryNamingAnExistingCanonicalTest() throws Exception {
        String doc = Files.readString(Fixtures.repoRoot().resolve("docs/diagnostics.md"));
        for (Code code : Code.values()) {
            Matcher entry = Pattern.compile("(?s)\n## " + Pattern.quote(code.id()) + "\n(.*?)(\n## |$)").matcher(doc);
            assertTrue(entry.find(), "no '## " + code.id() + "' entry in docs/diagnostics.md");
            assertTrue(doc.contains("(#" + code.id() + ")"), code.id() + " is missing from the table");
            Matcher test = Pattern.compile("Canonical test: `(\\w+)`").matcher(entry.group(1));
            assertTrue(test.find(), code.id() + " names no canonical test");
            String name = test.group(1);
            assertTrue(Stream.of(ModuleCheckerTest.class, KernelsCheckTest.class)
                    .flatMap(type -> Arrays.stream(type.getDeclaredMethods())).map(Method::getName)
                    .anyMatch(name::equals), code.id() + ": neither ModuleCheckerTest nor KernelsCheckTest has a test "
                    + name);
        }
    }
}
