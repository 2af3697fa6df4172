// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The invariants docs/ARCHITECTURE.md states for core (every package but the edges cli, lsp and project):
 * no lsp4j, picocli or gson, no printing, no exiting; jelf only behind the ELF reader.
 */
class CoreBoundaryTest {
    private static final List<String> CORE = List.of("base", "elf", "dwarf", "kernel", "source", "check", "convert", "ide");
    private static final Pattern FORBIDDEN_IMPORT =
            Pattern.compile("^import\\s+(static\\s+)?(org\\.eclipse\\.lsp4j|picocli|com\\.google\\.gson)\\b",
                    Pattern.MULTILINE);
    private static final Pattern PRINTS_OR_EXITS = Pattern.compile("System\\.(out|err|exit)\\b");

    private static Path sources() {
        return Fixtures.repoRoot().resolve("server/src/main/java/dev/klplsp");
    }

    @Test
    void corePackagesImportNoFrontEndLibraryAndNeverPrintOrExit() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String pkg : CORE) {
            try (Stream<Path> walk = Files.walk(sources().resolve(pkg))) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    String text = Files.readString(file);
                    if (FORBIDDEN_IMPORT.matcher(text).find()) {
                        violations.add(file + ": imports a front-end library");
                    }
                    if (PRINTS_OR_EXITS.matcher(text).find()) {
                        violations.add(file + ": prints or exits");
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " core source files; is the path right?");
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyTheElfReadersImportJelf() throws IOException {
        List<String> importers = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(sources())) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("import net.fornwall.jelf")) {
                    importers.add(sources().relativize(file).toString());
                }
            }
        }
        importers.sort(null);
        assertEquals(List.of("elf/ElfReader.java"), importers);
    }
}
