// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OptimizationIndexLoader;
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

    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 3) {
            Rounds.fail("usage: OptimizationBenchmark cold|cached|warm CACHE_DIR DEBUG_FILE");
        }
        String mode = args[0];
        Path cacheDir = Path.of(args[1]);
        Path debugFile = Rounds.requireInput(Path.of(args[2]), "the debug file to index");
        IndexOptions options = new IndexOptions(Optional.of(cacheDir), true);
        Measurements.Result<OptimizationIndex> result = Measurements.measure(mode, cacheDir,
                () -> OptimizationIndexLoader.load(debugFile, options), OptimizationIndex::loadInfo);
        OptimizationIndex index = result.value();
        long cacheBytes = Files.size(index.loadInfo().cacheFile().orElseThrow());
        System.out.printf("mode=%s ms=%d functions=%d instances=%d sites=%d peakHeapMB=%d retainedMB=%d cacheKB=%d%n",
                mode, result.elapsedMs(), index.functionCount(), index.instanceCount(), index.inlineSiteCount(),
                result.peakHeapMB(), result.retainedHeapMB(), cacheBytes >> 10);
    }
}
