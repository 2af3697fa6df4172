// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.Choices;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.Severity;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark (not a test) of checking one livepatch against several cached kernels: one measurement per JVM, the
 * indexes loaded from the cache (memory-mapped), then the check across them. Run through
 * server/bench/kernels-bench.sh, which fills the cache first.
 *
 * <pre>
 * KernelsBenchmark CACHE_DIR MODULE CHOICE KERNEL...   CHOICE is a --sympos value, or "-"
 * </pre>
 *
 * Prints one line: {@code kernels=11 ms=... loadMs=... checkMs=... heapMB=... rssMB=... mappedMB=... errors=...}:
 * the time from main's start to the end of the check, the part spent loading the indexes, the heap used after a
 * full collection, the resident set size and the sizes of the mapped cache files (what memory grows by).
 */
public final class KernelsBenchmark {
    private KernelsBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        Path cache = Path.of(args[0]);
        Path module = Path.of(args[1]);
        CheckConfig config = args[2].equals("-") ? CheckConfig.DEFAULT : CheckConfig.DEFAULT.withChoices(Map.ofEntries(
                Choices.parse(args[2], "--sympos").orElseThrow()));
        List<ConfiguredKernel> configured = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            configured.add(new ConfiguredKernel(KernelSources.ofKernel(args[i]), args[i], Optional.empty()));
        }
        // As the command line loads them (KernelOptions.loadKernels).
        List<KernelIndex> indexes = KernelIndexLoader.loadAll(configured.stream().map(ConfiguredKernel::sources)
                .toList(), new IndexOptions(Optional.of(cache), true), ProgressListener.NONE);
        long mapped = 0;
        for (KernelIndex index : indexes) {
            if (!index.loadInfo().fromCache()) {
                throw new IllegalStateException("an index was not in the cache: run the script's warm-up");
            }
            mapped += Files.size(index.loadInfo().cacheFile().orElseThrow());
        }
        long loaded = System.nanoTime();
        List<String> names = ConfiguredKernel.displayNames(configured, indexes);
        List<TargetKernel> kernels = new ArrayList<>();
        for (int k = 0; k < indexes.size(); k++) {
            kernels.add(new TargetKernel(names.get(k), indexes.get(k)));
        }
        KernelsResult result = ModuleConversion.checkKernels(module, () -> kernels, config);
        long end = System.nanoTime();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("kernels=%d ms=%d loadMs=%d checkMs=%d heapMB=%d rssMB=%d mappedMB=%d errors=%d findings=%d%n",
                kernels.size(), (end - start) / 1_000_000, (loaded - start) / 1_000_000, (end - loaded) / 1_000_000,
                heap >> 20, rssKb() >> 10, mapped >> 20, result.count(Severity.ERROR), result.findings().size());
    }

    /** VmRSS of this process, in kB (Linux). */
    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
