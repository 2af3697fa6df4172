// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.convert.Converter;
import dev.klplsp.elf.ElfFormatException;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.ElfSymbolFile;
import dev.klplsp.testing.FuzzMutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz target of the whole module pipeline (see docs/fuzzing.md): the gcc-built example livepatch,
 * edited by the fuzzer, is read (or refused with an {@link ElfFormatException}), checked against the fixture
 * kernel and, without error findings, converted and written; what is written must read again.
 */
class ModuleFuzzTest {
    private static byte[] example;

    private static synchronized byte[] example() {
        if (example == null) {
            try {
                example = Files.readAllBytes(FixtureKernel.exampleModule());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return example;
    }

    @FuzzTest
    void mutatedExample(FuzzedDataProvider data) {
        Path path = Path.of("livepatch-example.ko");
        byte[] bytes = FuzzMutations.apply(example(), data);
        ElfObject module;
        try {
            ElfSymbolFile.read(path, bytes);
        } catch (ElfFormatException refused) {
            // the symbol reader may refuse what the model reader accepts, and the other way round
        }
        try {
            module = ElfObject.read(path, bytes);
        } catch (ElfFormatException refused) {
            return;
        }
        CheckResult result = ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT);
        if (result.hasErrors()) {
            return;
        }
        Converter.apply(module, result.plan());
        ElfObject converted = ElfObject.read(path, module.toBytes());
        ModuleChecker.check(converted, FixtureKernel.index(), CheckConfig.DEFAULT);
    }
}
