// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets of the ELF readers (see docs/fuzzing.md): any input is read or refused with an
 * {@link ElfFormatException}; a model that was read writes out a file that reads again.
 */
class ElfFuzzTest {
    private static final Path PATH = Path.of("fuzz.ko");

    @FuzzTest
    void elfObject(byte[] input) {
        ElfObject object;
        try {
            object = ElfObject.read(PATH, input);
        } catch (ElfFormatException refused) {
            return;
        }
        ElfObject.read(PATH, object.toBytes());
    }

    @FuzzTest
    void symbolFile(byte[] input) {
        try {
            ElfSymbolFile.read(PATH, input);
        } catch (ElfFormatException refused) {
            // an input error, reported as such
        }
    }
}
