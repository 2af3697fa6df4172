// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundled fixture kernel of testdata/example (a gcc-linked vmlinux, its System.map and Module.symvers, and
 * module nvram.ko) and its next build (kernel-next, one more do_poweroff), built with the example's own Makefile into server/target/example-build, exactly as the
 * README's first command builds it; and helpers to check fixture livepatches against it.
 */
public final class FixtureKernel {
    private static KernelIndex index;
    private static KernelIndex nextIndex;

    private FixtureKernel() {
    }

    /** Runs {@code make -C testdata/example BUILD=...}; incremental, so cheap after the first call. */
    public static synchronized Path buildDir() {
        Path build = Fixtures.repoRoot().resolve("server/target/example-build");
        Processes.run(null, List.of("make", "-s", "-C", Fixtures.testdata().resolve("example").toString(),
                "BUILD=" + build, "all"));
        return build;
    }

    /** A kernel build tree: vmlinux, System.map, Module.symvers, nvram.ko. */
    public static Path kernelDir() {
        return buildDir().resolve("kernel");
    }

    /** The next build of that kernel: a third do_poweroff comes first, so the other two have sympos 2 and 3. */
    public static Path nextKernelDir() {
        return buildDir().resolve("kernel-next");
    }

    public static synchronized KernelIndex nextIndex() {
        if (nextIndex == null) {
            nextIndex = KernelIndexLoader.load(KernelSources.ofKernel(nextKernelDir().toString()),
                    IndexOptions.NO_CACHE, ProgressListener.NONE);
        }
        return nextIndex;
    }

    public static Path exampleModule() {
        return buildDir().resolve("livepatch-example.ko");
    }

    public static synchronized KernelIndex index() {
        if (index == null) {
            index = KernelIndexLoader.load(KernelSources.ofKernel(kernelDir().toString()), IndexOptions.NO_CACHE,
                    ProgressListener.NONE);
        }
        return index;
    }

    public static ElfObject read(String fixtureCase) {
        return ElfObject.read(Fixtures.module(fixtureCase));
    }

    public static ElfObject read(String fixtureCase, Toolchain toolchain) {
        return ElfObject.read(Fixtures.module(fixtureCase, toolchain));
    }

    public static CheckResult check(String fixtureCase) {
        return ModuleChecker.check(read(fixtureCase), index(), CheckConfig.DEFAULT);
    }

    public static CheckResult check(String fixtureCase, CheckConfig config) {
        return ModuleChecker.check(read(fixtureCase), index(), config);
    }

    public static List<Finding> findings(CheckResult result, Code code) {
        return result.findings().stream().filter(f -> f.code() == code).toList();
    }
}
