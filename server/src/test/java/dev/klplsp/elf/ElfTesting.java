// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the ELF tests: toolchain checks and readelf as the oracle. */
public final class ElfTesting {
    /** The fixtures the round-trip tests use on every toolchain. */
    static final List<String> CASES = List.of("hello", "elf_sections", "dup_statics");

    private ElfTesting() {
    }

    /** Cross compilers are optional locally (skip) but required in CI (fail). */
    public static void requireToolchain(Toolchain toolchain) {
        if (Fixtures.available(toolchain)) {
            return;
        }
        String message = toolchain.gcc() + " is not installed";
        if (System.getenv("CI") != null) {
            throw new AssertionError(message + " (CI is set, so this is a failure)");
        }
        Assumptions.assumeTrue(false, message + "; skipped outside CI");
    }

    /** readelf output with the file name replaced, so two files can be compared. */
    public static String readelf(String flags, Path file) {
        List<String> command = new ArrayList<>(List.of("readelf"));
        command.addAll(List.of(flags.split(" ")));
        command.add(file.toString());
        return Processes.run(null, command).replace(file.toString(), "FILE");
    }

    static void assertSameReadelf(String flags, Path expected, Path actual) {
        assertEquals(readelf(flags, expected), readelf(flags, actual), "readelf " + flags + " of " + actual
                + " differs from " + expected);
    }

    /** The lines of readelf's output that contain {@code needle}. */
    static List<String> lines(String readelfOutput, String needle) {
        return readelfOutput.lines().filter(line -> line.contains(needle)).map(String::strip).toList();
    }

    /** Kernel directory for real-module tests; skips the test when KLP_TEST_KERNEL_DIR is unset. */
    public static Path kernelDir() {
        String dir = System.getenv("KLP_TEST_KERNEL_DIR");
        Assumptions.assumeTrue(dir != null && !dir.isBlank(),
                "KLP_TEST_KERNEL_DIR is not set (e.g. export KLP_TEST_KERNEL_DIR=/work/kimg); skipping real-kernel test");
        return Path.of(dir);
    }
}
