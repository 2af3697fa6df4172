// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OptimizationIndexLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Benchmark (not a test) of the optimization index of one debug file: one measurement per JVM, so "cold"
 * means a fresh JVM and no cache. Run through server/bench/optimization-bench.sh, which starts a JVM per run
 * with -Xmx300m and 2 CPUs, times readelf on the same file in the same round, and prints medians.
 *
 * <pre>
 * OptimizationBenchmark cold|cached|warm CACHE_DIR DEBUG_FILE
 * </pre>
 *
 * Prints one line: {@code mode=cold ms=1234 functions=... instances=... sites=... peakHeapMB=... retainedMB=...
 * cacheKB=...}.
 */
public final class OptimizationBenchmark {
    private OptimizationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path cacheDir = Path.of(args[1]);
        Path debugFile = Path.of(args[2]);
        IndexOptions options = new IndexOptions(Optional.of(cacheDir), true);
        if (mode.equals("cold")) {
            java.io.File[] old = cacheDir.toFile().listFiles();
            if (old != null) {
                for (java.io.File file : old) {
                    file.delete();
                }
            }
        }
        // warm: cached reloads inside one JVM (what a long-running language server sees); median of 5 after 1.
        int loads = mode.equals("warm") ? 6 : 1;
        long[] times = new long[loads];
        OptimizationIndex index = null;
        for (int i = 0; i < loads; i++) {
            long start = System.nanoTime();
            index = OptimizationIndexLoader.load(debugFile, options);
            times[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long elapsedMs = loads == 1 ? times[0] : java.util.Arrays.stream(times, 1, loads).sorted().toArray()[2];
        if (mode.equals("cold") == index.loadInfo().fromCache()) {
            throw new IllegalStateException(mode + " run but fromCache=" + index.loadInfo().fromCache() + " "
                    + index.loadInfo().notes());
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long cacheBytes = Files.size(index.loadInfo().cacheFile().orElseThrow());
        System.out.printf("mode=%s ms=%d functions=%d instances=%d sites=%d peakHeapMB=%d retainedMB=%d cacheKB=%d%n",
                mode, elapsedMs, index.functionCount(), index.instanceCount(), index.inlineSiteCount(), peak >> 20,
                retained >> 20, cacheBytes >> 10);
    }
}
