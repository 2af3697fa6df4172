// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.ReadelfDwarf;
import dev.klplsp.testing.RealKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimization index of Debian's 6.1.0-56 debug files against readelf's view of the same files: every
 * inline site and out-of-line instance of every function (derived from readelf's text by
 * {@link ReadelfDwarf}), for the vmlinux of the {@code -dbg} package and five of its module debug files.
 */
class RealKernelOptimizationTest {
    @ParameterizedTest
    @ValueSource(strings = {"minix", "fat", "mmc_core", "libnvdimm", "zstd_compress"})
    void moduleDebugInfoSaysWhatReadelfSays(String module) {
        Path debugFile = RealKernel.require().requireDebugModule(module);
        OptimizationIndex index = OptimizationIndexLoader.build(debugFile);
        ReadelfDwarf oracle = ReadelfDwarf.of(debugFile);
        assertEquals(List.of(), ReadelfComparison.differences(index, oracle, 20));
        assertEquals(module, index.object());
        assertTrue(oracle.siteCount > 100, "too few inline sites to prove anything: " + oracle.siteCount);
    }

    @Test
    void vmlinuxDebugInfoSaysWhatReadelfSays() throws Exception {
        RealKernel kernel = RealKernel.require();
        Path debugFile = kernel.requireDebugFile("boot/vmlinux-" + kernel.release());
        // readelf takes half a minute for the 174 MB of .debug_info: it runs while the index is built.
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<ReadelfDwarf> readelf = thread.submit(() -> ReadelfDwarf.of(debugFile));
        thread.shutdown();
        OptimizationIndex index = OptimizationIndexLoader.build(debugFile);
        ReadelfDwarf oracle = readelf.get();
        assertEquals(List.of(), ReadelfComparison.differences(index, oracle, 20));
        assertEquals(311_113, oracle.siteCount);
    }
}
