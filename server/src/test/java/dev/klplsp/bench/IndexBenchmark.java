// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark (not a test) of the kernel index: one measurement per JVM, so "cold" means a fresh JVM and no
 * cache. Run through server/bench/index-bench.sh, which starts a JVM per run with -Xmx150m and 2 CPUs and
 * prints medians.
 *
 * <pre>
 * IndexBenchmark cold|cached|warm CACHE_DIR [--kernel K] [--symbols F]... [--modules D]... [--symvers F]
 * </pre>
 *
 * Prints one line: {@code mode=cold ms=1234 symbols=... objects=... peakHeapMB=... retainedMB=...}.
 */
public final class IndexBenchmark {
    private IndexBenchmark() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        Path cacheDir = Path.of(args[1]);
        Optional<String> kernel = Optional.empty();
        List<Path> symbols = new ArrayList<>();
        List<Path> modules = new ArrayList<>();
        Optional<Path> symvers = Optional.empty();
        for (int i = 2; i < args.length; i += 2) {
            switch (args[i]) {
                case "--kernel" -> kernel = Optional.of(args[i + 1]);
                case "--symbols" -> symbols.add(Rounds.requireInput(Path.of(args[i + 1]), "a --symbols file"));
                case "--modules" -> modules.add(Rounds.requireInput(Path.of(args[i + 1]), "a --modules directory"));
                case "--symvers" -> symvers = Optional.of(Rounds.requireInput(Path.of(args[i + 1]), "Module.symvers"));
                default -> Rounds.fail("unknown option " + args[i]);
            }
        }
        KernelSources sources = new KernelSources(kernel, symbols, modules, symvers, Optional.empty());
        // cold: build without reading a cache, but write it (as `klp-lsp index` does); cached: must hit it.
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
        KernelIndex index = null;
        for (int i = 0; i < loads; i++) {
            long start = System.nanoTime();
            index = Rounds.within(Rounds.LIMIT, mode + " load " + i,
                    () -> KernelIndexLoader.load(sources, options, ProgressListener.NONE));
            times[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long elapsedMs = loads == 1 ? times[0] : java.util.Arrays.stream(times, 1, loads).sorted().toArray()[2];
        if (mode.equals("cold") == index.loadInfo().fromCache()) {
            Rounds.fail(mode + " run but fromCache=" + index.loadInfo().fromCache() + " " + index.loadInfo().notes());
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("mode=%s ms=%d symbols=%d objects=%d duplicated=%d peakHeapMB=%d retainedMB=%d%n", mode,
                elapsedMs, index.symbolCount(), index.objects().size(), index.duplicatedNameCount(), peak >> 20,
                retained >> 20);
    }
}
