// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OptimizationIndexLoader;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.kernel.SourceLine;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The fixture kernel of testdata/c/opt_kernel, with debug information, whose C source decides what gcc inlines,
 * clones and transforms; its source paths are prefix-mapped like Debian's kernel (the index names
 * {@code sysctl.c}, relative to {@link #sourceTree()}); its module is testdata/c/dwarf_facts. And the livepatch
 * testdata/c/klp_optimized built for it.
 */
public final class OptimizedKernel {
    private static final String CASE = "opt_kernel";
    private static KernelIndex index;
    private static OptimizationIndex optimization;
    private static OptimizationIndex moduleOptimization;

    private OptimizedKernel() {
    }

    /** The kernel's source tree: where the debug information's relative paths point. */
    public static Path sourceTree() {
        return Fixtures.testdata().resolve("c").resolve(CASE);
    }

    /** The linked fixture vmlinux, with its debug information. */
    public static Path vmlinux() {
        return Fixtures.link(CASE, Toolchain.X86_64, List.of("-ffile-prefix-map=/=",
                "-ffile-prefix-map=" + sourceTree() + "=."), List.of("-e", "entry"), "vmlinux");
    }

    public static synchronized KernelIndex index() {
        if (index == null) {
            index = KernelIndexLoader.load(KernelSources.ofSymbols(vmlinux(), module()), IndexOptions.NO_CACHE,
                    ProgressListener.NONE);
        }
        return index;
    }

    /** The kernel's module dwarf_facts (testdata/c/dwarf_facts), with its debug information. */
    public static Path module() {
        return Fixtures.module("dwarf_facts");
    }

    public static synchronized OptimizationIndex optimization() {
        if (optimization == null) {
            optimization = OptimizationIndexLoader.load(vmlinux(), IndexOptions.NO_CACHE);
        }
        return optimization;
    }

    public static synchronized OptimizationIndex moduleOptimization() {
        if (moduleOptimization == null) {
            moduleOptimization = OptimizationIndexLoader.load(module(), IndexOptions.NO_CACHE);
        }
        return moduleOptimization;
    }

    /** The debug information of vmlinux and of the module, as a check takes it. */
    public static OptimizationFacts facts() {
        return OptimizationFacts.of(Map.of(KernelSymbol.VMLINUX, optimization(), "dwarf_facts",
                moduleOptimization()));
    }

    /** The symbol gcc gave the IPA-SRA clone of read_through ({@code read_through.isra.0}). */
    public static String readThroughClone() {
        return index().lookup("read_through.isra.0").isEmpty()
                ? index().cloneFamily("read_through").get(0).name() : "read_through.isra.0";
    }

    /** testdata/c/klp_optimized, built for this kernel. */
    public static Path patch() {
        return patch(List.of());
    }

    /** testdata/c/klp_optimized, built for this kernel with more compiler flags ({@code -DMODULE_CALLS}). */
    public static Path patch(List<String> flags) {
        List<String> all = new java.util.ArrayList<>(List.of("-DREAD_THROUGH_CLONE=\"" + readThroughClone() + "\""));
        all.addAll(flags);
        return Fixtures.module("klp_optimized", Toolchain.X86_64, all);
    }

    public static CheckResult check(CheckConfig config) {
        return ModuleChecker.check(ElfObject.read(patch()), index(), config);
    }

    /** The line of a marker comment in the kernel's source, as the debug information names it. */
    public static SourceLine marker(String marker) {
        Path source = sourceTree().resolve("sysctl.c");
        try {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("/* " + marker + " */")) {
                    return new SourceLine("sysctl.c", i + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no marker '" + marker + "' in " + source);
    }

    /** The line after a DEFINE marker: the function's declaration. */
    public static SourceLine declaration(String function) {
        SourceLine marker = marker("DEFINE: " + function);
        return new SourceLine(marker.file(), marker.line() + 1);
    }
}
