// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The gcc-built fixture kernel: a linked vmlinux-like ET_EXEC, its System.map, and a two-object module. */
final class KernelFixtures {
    private KernelFixtures() {
    }

    /** testdata/c/kernel_vmlinux linked with its vmlinux.lds. */
    static Path vmlinux() {
        Path script = Fixtures.testdata().resolve("c/kernel_vmlinux/vmlinux.lds");
        return Fixtures.link("kernel_vmlinux", Toolchain.X86_64, List.of("-T", script.toString()), "vmlinux");
    }

    /** System.map of the fixture vmlinux, made like scripts/mksysmap (nm -n, without a/N/U/w symbols). */
    static Path systemMap(Path dir) {
        String nm = Processes.run("nm", "-n", vmlinux().toString());
        StringBuilder map = new StringBuilder();
        for (String line : nm.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length == 3 && !"aNUw".contains(fields[1])) {
                map.append(line).append('\n');
            }
        }
        return write(dir.resolve("System.map"), map.toString());
    }

    static Path module() {
        return Fixtures.module("kernel_module");
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            return Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
