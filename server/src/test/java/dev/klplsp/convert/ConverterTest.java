// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.ConversionPlan;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The converted ELF, checked with readelf (the oracle): KLP sections and symbols in the kernel's format, moved
 * relocations unchanged, everything else untouched, idempotence.
 */
class ConverterTest {
    private static final Pattern RELOC_LINE = Pattern.compile(
            "^([0-9a-f]{8,16})\\s+[0-9a-f]+\\s+(R_\\S+)\\s+[0-9a-f]+\\s+(\\S+)(?:\\s+([+-])\\s+([0-9a-f]+))?\\s*$");

    /** Converts a fixture against the fixture kernel and writes it; fails on error findings. */
    static Path convert(Path module, Path out) {
        ElfObject elf = ElfObject.read(module);
        CheckResult result = ModuleChecker.check(elf, FixtureKernel.index(), CheckConfig.DEFAULT);
        assertFalse(result.hasErrors(), result.findings().toString());
        Converter.apply(elf, result.plan());
        elf.write(out);
        return out;
    }

    static String readelf(Path file, String... options) {
        List<String> command = new ArrayList<>(List.of("readelf", "-W"));
        command.addAll(Arrays.asList(options));
        command.add(file.toString());
        return Processes.run(null, command);
    }

    /** "section: offset type symbol addend" per relocation line of readelf -r. */
    static List<String> relocations(Path file) {
        List<String> lines = new ArrayList<>();
        String section = null;
        for (String line : readelf(file, "-r").split("\n")) {
            Matcher header = Pattern.compile("^Relocation section '([^']+)'").matcher(line);
            if (header.find()) {
                section = header.group(1);
                continue;
            }
            Matcher relocation = RELOC_LINE.matcher(line.strip());
            if (section != null && relocation.matches()) {
                lines.add(section + ": " + Long.parseLong(relocation.group(1), 16) + " " + relocation.group(2) + " "
                        + relocation.group(3) + " " + (relocation.group(4) == null ? "" : relocation.group(4)
                        + relocation.group(5)));
            }
        }
        return lines;
    }

    static String sectionLine(Path file, String name) {
        return Arrays.stream(readelf(file, "-S").split("\n")).filter(l -> l.contains(" " + name + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no section " + name + " in " + file));
    }

    @Test
    void convertedModuleHasTheKernelsKlpFormat(@TempDir Path dir) {
        Path input = Fixtures.module("klp_basic");
        Path output = convert(input, dir.resolve("out.ko"));

        // [14] .klp.rela.vmlinux..text RELA 0000000000000000 000cd0 000048 18 AIo 11 1 8
        String text = sectionLine(output, ".klp.rela.vmlinux..text");
        assertTrue(text.matches(".*RELA\\s+0+\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+18\\s+AIo\\s+\\d+\\s+\\d+\\s+8$"), text);
        String data = sectionLine(output, ".klp.rela.vmlinux..data");
        assertTrue(data.contains(" AIo "), data);
        String[] fields = text.trim().split("\\s+");
        String symtabIndex = indexOf(output, ".symtab");
        String textIndex = indexOf(output, ".text");
        assertEquals(symtabIndex, fields[fields.length - 3], "sh_link is .symtab: " + text);
        assertEquals(textIndex, fields[fields.length - 2], "sh_info is .text: " + text);

        // 17: 0000000000000000 0 NOTYPE GLOBAL DEFAULT OS [0xff20] .klp.sym.vmlinux.saved_command_line,0
        String symbols = readelf(output, "-s");
        for (String name : List.of("saved_command_line,0", "max_threads,0", "nr_processes,0")) {
            assertTrue(symbols.lines().anyMatch(l -> l.matches(".*0+\\s+0 NOTYPE\\s+GLOBAL DEFAULT OS \\[0xff20\\]"
                    + " \\.klp\\.sym\\.vmlinux\\." + Pattern.quote(name) + "$")), name + " in\n" + symbols);
        }
        assertFalse(symbols.contains(" saved_command_line\n"), "renamed, not duplicated");

        // Every relocation keeps offset, type and addend; converted ones changed only section and symbol name.
        List<String> before = relocations(input);
        List<String> after = relocations(output);
        assertEquals(before.size(), after.size());
        List<String> expected = new ArrayList<>();
        for (String line : before) {
            String converted = line;
            for (String name : List.of("saved_command_line", "max_threads", "nr_processes")) {
                if (line.matches(".* " + name + " .*")) {
                    String section = line.substring(0, line.indexOf(':')).replace(".rela", ".klp.rela.vmlinux.");
                    converted = section + line.substring(line.indexOf(':')).replace(" " + name + " ",
                            " .klp.sym.vmlinux." + name + ",0 ");
                }
            }
            expected.add(converted);
        }
        assertEquals(expected.stream().sorted().toList(), after.stream().sorted().toList());
        assertTrue(after.stream().anyMatch(l -> l.startsWith(".rela.text: ") && l.contains(" seq_printf ")),
                "exported seq_printf stays a normal relocation");
        assertTrue(after.stream().anyMatch(l -> l.startsWith(".klp.rela.vmlinux..data: ")
                && l.contains("R_X86_64_64 .klp.sym.vmlinux.max_threads,0")), after.toString());
    }

    private static String indexOf(Path file, String name) {
        for (String line : readelf(file, "-S").split("\n")) {
            Matcher matcher = Pattern.compile("^\\s*\\[\\s*(\\d+)\\]\\s+(\\S+)\\s").matcher(line);
            if (matcher.find() && matcher.group(2).equals(name)) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void relocationsThatStayKeepTheirOrderAndTheSummaryCountsWhatMoved(@TempDir Path dir) {
        for (String fixture : List.of("klp_basic", "klp_minimal")) {
            Path input = Fixtures.module(fixture);
            ElfObject elf = ElfObject.read(input);
            CheckResult result = ModuleChecker.check(elf, FixtureKernel.index(), CheckConfig.DEFAULT);
            assertFalse(result.hasErrors(), result.findings().toString());
            Set<String> converted = new java.util.HashSet<>();
            result.plan().symbols().forEach(conversion -> converted.add(conversion.originalName()));
            ConversionSummary summary = Converter.apply(elf, result.plan());
            Path output = dir.resolve(fixture + ".ko");
            elf.write(output);

            List<String> after = relocations(output);
            List<String> kept = relocations(input).stream()
                    .filter(line -> !converted.contains(line.split(" ")[3])).toList();
            assertEquals(kept, after.stream().filter(line -> !line.startsWith(".klp.rela.")).toList(),
                    fixture + ": the relocations that stay, in their order");
            Map<String, Integer> moved = new LinkedHashMap<>();
            after.stream().filter(line -> line.startsWith(".klp.rela."))
                    .forEach(line -> moved.merge(line.substring(0, line.indexOf(':')), 1, Integer::sum));
            assertEquals(moved, summary.klpSections(), fixture);
            assertEquals(moved.values().stream().mapToInt(Integer::intValue).sum(), summary.relocationsMoved());
            assertEquals(converted.size(), summary.symbolsConverted());
            assertTrue(summary.relocationsMoved() > converted.size() / 2, fixture + ": " + summary);
        }
    }

    @Test
    void convertingAConvertedModuleChangesNothing(@TempDir Path dir) throws Exception {
        for (String fixture : List.of("klp_basic", "klp_v7", "klp_minimal")) {
            Path once = convert(Fixtures.module(fixture), dir.resolve(fixture + ".once.ko"));
            ElfObject converted = ElfObject.read(once);
            CheckResult again = ModuleChecker.check(converted, FixtureKernel.index(), CheckConfig.DEFAULT);
            assertFalse(again.hasErrors(), fixture + ": " + again.findings());
            assertTrue(again.plan().isEmpty(), fixture + ": " + again.plan());
            ConversionSummary summary = Converter.apply(converted, again.plan());
            assertFalse(summary.changed());
            assertArrayEquals(Files.readAllBytes(once), converted.toBytes(), fixture + " is byte-identical");
        }
    }

    @Test
    void v7AnnotationSectionsAndTheirSymbolsAreRemoved(@TempDir Path dir) {
        Path output = convert(Fixtures.module("klp_v7"), dir.resolve("v7.ko"));
        String sections = readelf(output, "-S");
        assertFalse(sections.contains("module_relocs"), sections);
        String symbols = readelf(output, "-s");
        assertFalse(symbols.contains("livepatch_relocs"), symbols);
        assertFalse(symbols.contains("total_forks"), "the unused annotation's symbol is gone: " + symbols);
        assertTrue(symbols.contains(".klp.sym.vmlinux.do_poweroff,1"), symbols);
    }

    @Test
    void minimalStyleRelocationsGoToTheLivepatchObjectsSection(@TempDir Path dir) {
        Path output = convert(Fixtures.module("klp_minimal"), dir.resolve("minimal.ko"));
        List<String> relocations = relocations(output);
        assertTrue(relocations.stream().anyMatch(l -> l.startsWith(".klp.rela.nvram..text: ")
                && l.contains(".klp.sym.nvram.homonym,2")), relocations.toString());
        assertTrue(relocations.stream().anyMatch(l -> l.startsWith(".klp.rela.nvram..text: ")
                && l.contains(".klp.sym.nvram.nvram_size,0")), relocations.toString());
        assertTrue(relocations.stream().anyMatch(l -> l.startsWith(".klp.rela.vmlinux..text: ")
                && l.contains(".klp.sym.vmlinux.saved_command_line,0")), relocations.toString());
        assertFalse(readelf(output, "-s").contains(".klp.sym.rela."));
    }

    /** Byte order and relocation types of every supported architecture: v7 sympos is read in the ELF's order. */
    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void convertsOnEveryArchitecture(Toolchain toolchain, @TempDir Path dir) {
        if (!Fixtures.available(toolchain)) {
            assertFalse("true".equals(System.getenv("CI")), toolchain.gcc() + " missing on CI");
            return;
        }
        Path output = convert(Fixtures.module("klp_v7", toolchain), dir.resolve("v7.ko"));
        String klp = sectionLine(output, ".klp.rela.vmlinux..text");
        assertTrue(klp.contains(" AIo "), klp);
        assertTrue(klp.matches(".*RELA\\s+0+\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+18\\s+AIo.*"), klp);
        List<String> relocations = relocations(output);
        assertTrue(relocations.stream().anyMatch(l -> l.contains(".klp.sym.vmlinux.do_poweroff,1")),
                toolchain + ": " + relocations);
        assertTrue(relocations.stream().anyMatch(l -> l.contains(".klp.sym.vmlinux.saved_command_line,0")),
                toolchain + ": " + relocations);
        assertTrue(relocations.stream().noneMatch(l -> l.startsWith(".rela.text: ") && l.contains(" do_poweroff ")));
    }

    @Test
    void aPlanForAnotherModuleIsRefusedWithoutChanges() {
        ElfObject module = ElfObject.read(Fixtures.module("klp_basic"));
        byte[] before = module.toBytes();
        ConversionPlan wrong = new ConversionPlan(List.of(new ConversionPlan.SymbolConversion(1, "no_such",
                "vmlinux", "no_such", 0, "vmlinux")), List.of(), List.of());
        assertThrows(IllegalStateException.class, () -> Converter.apply(module, wrong));
        assertArrayEquals(before, module.toBytes());
    }
}
