// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.Section;
import dev.klplsp.testing.FuzzMutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The klp_func tables of a module are outside data: a module whose data, strings or relocations are damaged is
 * checked against the kernel's debug information without any exception but an input error. A fixed-seed
 * corruption of the bytes the table reader reads, and a coverage-guided target (Jazzer: {@code mvn verify}
 * replays the committed inputs, a fuzzing run explores) over the whole module.
 */
class KlpFuncTableFuzzTest {
    private static final Path PATH = Path.of("fuzz.ko");
    private static final CheckConfig CONFIG = CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts());
    private static byte[] module;

    /** testdata/c/klp_optimized, gcc-built for the opt_kernel fixture. */
    private static synchronized byte[] module() {
        if (module == null) {
            try {
                module = Files.readAllBytes(OptimizedKernel.patch());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return module;
    }

    /** Checks; an input error is an answer, anything else thrown a bug. */
    private static void check(byte[] bytes) {
        ElfObject parsed;
        try {
            parsed = ElfObject.read(PATH, bytes);
        } catch (KlpException refused) {
            return;
        }
        try {
            ModuleChecker.check(parsed, OptimizedKernel.index(), CONFIG);
        } catch (KlpException refused) {
            // an input error, reported as such
        }
    }

    @Test
    void damagedTablesStringsAndRelocationsGiveFindingsOrInputErrorsOnly() {
        ElfObject intact = ElfObject.read(PATH, module());
        assertEquals(5, KlpFuncTable.read(intact).size(), "the intact module's klp_func entries");
        List<long[]> ranges = new ArrayList<>();
        for (Section section : intact.sections()) {
            String name = section.name();
            if (name.equals(".data") || name.startsWith(".rodata") || name.equals(".rela.data")) {
                ranges.add(new long[] {section.fileOffset(), section.size()});
            }
        }
        assertEquals(3, ranges.size(), "data, strings and the data's relocations");
        Random random = new Random(20261201);
        List<String> unexpected = new ArrayList<>();
        for (int round = 0; round < 1500; round++) {
            byte[] bytes = module().clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                long[] range = ranges.get(random.nextInt(ranges.size()));
                bytes[(int) (range[0] + random.nextInt((int) range[1]))] = (byte) random.nextInt(256);
            }
            try {
                check(bytes);
            } catch (RuntimeException bug) {
                unexpected.add("round " + round + ": " + bug);
            }
        }
        assertTrue(unexpected.isEmpty(), unexpected.toString());
    }

    @FuzzTest
    void editedModule(FuzzedDataProvider data) {
        check(FuzzMutations.apply(module(), data));
    }
}
