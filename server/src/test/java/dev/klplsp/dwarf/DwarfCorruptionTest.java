// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.elf.ElfTesting;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deterministic corruption (fixed seed) of the debug sections and their relocations in gcc-built modules:
 * reading must give facts or a {@link KlpException} (a DWARF or ELF format error), never another exception,
 * and never hang. The coverage-guided counterpart is {@link DwarfFuzzTest}.
 */
class DwarfCorruptionTest {
    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"X86_64", "S390X"})
    void corruptedDebugInfoGivesFormatErrorsOnly(Toolchain toolchain) throws Exception {
        ElfTesting.requireToolchain(toolchain);
        Path module = Fixtures.module("dwarf_facts", toolchain);
        byte[] base = Files.readAllBytes(module);
        List<long[]> ranges = debugSectionRanges(module);
        Random random = new Random(20261201);
        List<String> unexpected = new ArrayList<>();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            for (int round = 0; round < 3000; round++) {
                byte[] bytes = base.clone();
                int changes = 1 + random.nextInt(4);
                for (int k = 0; k < changes; k++) {
                    long[] range = ranges.get(random.nextInt(ranges.size()));
                    int at = (int) (range[0] + (long) (random.nextDouble() * range[1]));
                    bytes[at] = (byte) random.nextInt(256);
                }
                try {
                    DebugInfo.read(ElfSectionFile.of(module, bytes), 1);
                    outcomes[0]++;
                } catch (KlpException refused) {
                    outcomes[1]++;
                } catch (RuntimeException bug) {
                    unexpected.add("round " + round + ": " + bug);
                }
            }
        });
        assertTrue(unexpected.isEmpty(), unexpected.toString());
        assertTrue(outcomes[1] > 300, "corruptions refused: " + outcomes[1] + ", read: " + outcomes[0]);
    }

    /** File offset and size of every .debug_* and .rela.debug_* section, from readelf. */
    static List<long[]> debugSectionRanges(Path file) {
        List<long[]> ranges = new ArrayList<>();
        for (String line : Processes.run("readelf", "-SW", file.toString()).split("\n")) {
            String[] fields = line.replace("[ ", "[").trim().split("\\s+");
            if (fields.length > 5 && (fields[1].startsWith(".debug_") || fields[1].startsWith(".rela.debug_"))) {
                long size = Long.parseLong(fields[5], 16);
                if (size > 0) {
                    ranges.add(new long[] {Long.parseLong(fields[4], 16), size});
                }
            }
        }
        assertTrue(ranges.size() > 5, "debug sections of " + file + ": " + ranges.size());
        return ranges;
    }
}
