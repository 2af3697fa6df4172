// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.FuzzMutations;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets of the DWARF reader (see docs/fuzzing.md): any input gives facts or is refused
 * with a {@link KlpException} naming the file, section and offset. {@code mvn verify} replays the committed
 * inputs; a fuzzing run explores.
 */
class DwarfFuzzTest {
    private static final Path PATH = Path.of("fuzz.ko");
    private static byte[] module;

    /** gcc's DWARF 5 for testdata/c/dwarf_facts (x86_64, relocatable), edited by the fuzzer. */
    private static synchronized byte[] module() {
        if (module == null) {
            try {
                module = Files.readAllBytes(Fixtures.module("dwarf_facts", Toolchain.X86_64));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return module;
    }

    @FuzzTest
    void editedModule(FuzzedDataProvider data) {
        read(FuzzMutations.apply(module(), data));
    }

    @FuzzTest
    void anyBytes(byte[] input) {
        read(input);
    }

    private static void read(byte[] bytes) {
        try {
            DebugInfo.read(ElfSectionFile.of(PATH, bytes), 1);
        } catch (KlpException refused) {
            // an input error, reported as such
        }
    }
}
