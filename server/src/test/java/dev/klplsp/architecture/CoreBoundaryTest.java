// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The invariants docs/ARCHITECTURE.md states: the packages stack in one layer order (each uses only packages
 * below it), core (everything but the edges project, lsp and cli) uses no lsp4j, picocli or gson and never
 * prints or exits, jelf is read only by the ELF reader. References are found in code, with comments and strings
 * removed, whether imported or written fully qualified.
 */
class CoreBoundaryTest {
    /** The layer order of docs/ARCHITECTURE.md, lowest first. */
    private static final List<String> LAYERS = List.of("base", "elf", "dwarf", "kernel", "source", "check", "convert",
            "ide", "project", "lsp", "cli");
    private static final Set<String> EDGES = Set.of("project", "lsp", "cli");
    /** Narrower arrows than the layer order allows: the only classes a package may use of a lower one. */
    private static final Map<String, Map<String, Set<String>>> ONLY = Map.of(
            "source", Map.of("elf", Set.of("KlpNames")),
            "dwarf", Map.of("elf", Set.of("Elf", "ElfSectionFile", "ElfSymbolFile")),
            "kernel", Map.of("elf", Set.of("Elf", "ElfSymbolFile", "ElfSectionFile", "KlpNames", "ModinfoEntry"),
                    "dwarf", Set.of("DebugInfo", "ParameterChange")));
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.klplsp\\.([a-z]+)(?:\\.([A-Z]\\w*))?");
    private static final Pattern FRONT_END_LIBRARY = Pattern.compile("\\b(org\\.eclipse\\.lsp4j|picocli|com\\.google\\.gson)\\.");
    private static final Pattern PRINTS_OR_EXITS = Pattern.compile("System\\.(out|err|exit)\\b");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", Pattern.DOTALL);

    private static Path sources() {
        return Fixtures.repoRoot().resolve("server/src/main/java/dev/klplsp");
    }

    /** Each main source file's code without comments and string literals, by package. */
    private static Map<String, Map<Path, String>> code() throws IOException {
        Map<String, Map<Path, String>> byPackage = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(sources())) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String pkg = sources().relativize(file).getName(0).toString();
                byPackage.computeIfAbsent(pkg, key -> new LinkedHashMap<>()).put(file,
                        COMMENTS_AND_STRINGS.matcher(Files.readString(file)).replaceAll(" "));
            }
        }
        return byPackage;
    }

    @Test
    void everyPackageIsInTheLayerOrderAndUsesOnlyPackagesBelowIt() throws IOException {
        Map<String, Map<Path, String>> code = code();
        assertEquals(new TreeSet<>(LAYERS), new TreeSet<>(code.keySet()), "docs/ARCHITECTURE.md lists every package");
        List<String> violations = new ArrayList<>();
        code.forEach((pkg, files) -> files.forEach((file, text) -> {
            Matcher reference = REFERENCE.matcher(text);
            while (reference.find()) {
                String target = reference.group(1);
                String type = reference.group(2);
                if (target.equals(pkg)) {
                    continue;
                }
                String where = sources().relativize(file) + ": uses " + target + (type == null ? "" : "." + type);
                if (!LAYERS.contains(target) || LAYERS.indexOf(target) > LAYERS.indexOf(pkg)) {
                    violations.add(where + ", which is not below " + pkg);
                } else if (ONLY.containsKey(pkg) && ONLY.get(pkg).containsKey(target)
                        && !ONLY.get(pkg).get(target).contains(type)) {
                    violations.add(where + "; it may use only " + ONLY.get(pkg).get(target) + " of " + target);
                }
            }
        }));
        assertEquals(List.of(), violations);
    }

    @Test
    void corePackagesUseNoFrontEndLibraryAndNeverPrintOrExit() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, Map<Path, String>> pkg : code().entrySet()) {
            if (EDGES.contains(pkg.getKey())) {
                continue;
            }
            for (Map.Entry<Path, String> file : pkg.getValue().entrySet()) {
                files++;
                if (FRONT_END_LIBRARY.matcher(file.getValue()).find()) {
                    violations.add(file.getKey() + ": uses a front-end library");
                }
                if (PRINTS_OR_EXITS.matcher(file.getValue()).find()) {
                    violations.add(file.getKey() + ": prints or exits");
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " core source files; is the path right?");
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyTheElfReaderUsesJelf() throws IOException {
        List<String> users = new ArrayList<>();
        code().values().forEach(files -> files.forEach((file, text) -> {
            if (text.contains("net.fornwall.jelf")) {
                users.add(sources().relativize(file).toString());
            }
        }));
        assertEquals(List.of("elf/ElfReader.java"), users);
    }

    @Test
    void theCheckCatchesAFullyQualifiedUpwardReference() {
        String text = "class X { Object o = new dev.klplsp.lsp.KlpLanguageServer(null, null); }";
        Matcher reference = REFERENCE.matcher(COMMENTS_AND_STRINGS.matcher(text).replaceAll(" "));
        assertTrue(reference.find());
        assertEquals("lsp", reference.group(1));
        assertEquals("KlpLanguageServer", reference.group(2));
        String commented = "/* dev.klplsp.lsp.KlpLanguageServer */ String s = \"dev.klplsp.cli.Main\";";
        assertTrue(!REFERENCE.matcher(COMMENTS_AND_STRINGS.matcher(commented).replaceAll(" ")).find());
    }
}
