// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            // `method` of ModuleCheckerTest, or `Class.method` of a test class in check or ide.
            Matcher test = Pattern.compile("Canonical test: `(?:(\\w+)\\.)?(\\w+)`").matcher(entry.group(1));
            assertTrue(test.find(), code.id() + " names no canonical test");
            Class<?> testClass = test.group(1) == null ? ModuleCheckerTest.class : testClass(test.group(1));
            String name = test.group(2);
            assertTrue(Arrays.stream(testClass.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals),
                    code.id() + ": " + testClass.getSimpleName() + " has no test " + name);
        }
    }

    private static Class<?> testClass(String simpleName) {
        for (String pack : new String[] {"dev.klplsp.check.", "dev.klplsp.ide."}) {
            try {
                return Class.forName(pack + simpleName);
            } catch (ClassNotFoundException next) {
                // try the next package
            }
        }
        throw new AssertionError("no test class " + simpleName + " in dev.klplsp.check or dev.klplsp.ide");
    }
}
