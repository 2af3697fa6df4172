// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deterministic corruption (fixed seed): random bytes overwritten in a gcc-built module, a third of them in
 * the ELF header. Reading (model and symbol file) and re-writing must either work or throw
 * {@link ElfFormatException}; any other exception is a bug.
 */
class ElfCorruptionFuzzTest {
    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"X86_64", "S390X"})
    void corruptedModulesGiveFormatErrorsOnly(Toolchain toolchain) throws Exception {
        ElfTesting.requireToolchain(toolchain);
        Path module = Fixtures.module("elf_sections", toolchain);
        byte[] base = Files.readAllBytes(module);
        Random random = new Random(20240601);
        List<String> unexpected = new ArrayList<>();
        int rejected = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = base.clone();
            int changes = 1 + random.nextInt(4);
            for (int k = 0; k < changes; k++) {
                int at = random.nextInt(3) == 0 ? random.nextInt(64) : random.nextInt(bytes.length);
                bytes[at] = (byte) random.nextInt(256);
            }
            try {
                ElfObject.read(module, bytes).toBytes();
                ElfSymbolFile.read(module, bytes);
            } catch (ElfFormatException expected) {
                rejected++;
            } catch (RuntimeException bug) {
                unexpected.add("round " + round + ": " + bug);
            }
        }
        assertTrue(unexpected.isEmpty(), unexpected.toString());
        assertTrue(rejected > 300, "corruptions rejected: " + rejected);
    }
}
