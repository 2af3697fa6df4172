// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.kernel.KernelIndex;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The measurement the index benchmarks share: one mode per JVM — cold (cache directory emptied first; the load
 * must build), cached (one load that must hit the cache), warm (six cached loads in one JVM, the median of the
 * last five) — then the heap: the sum of the heap pools' peaks (an upper bound) and what is in use after a GC.
 */
final class Measurements {
    record Result<T>(T value, long elapsedMs, long peakHeapMB, long retainedHeapMB) {
    }

    private Measurements() {
    }

    static <T> Result<T> measure(String mode, Path cacheDir, Supplier<T> load, Function<T, KernelIndex.LoadInfo> info) {
        if (mode.equals("cold")) {
            File[] old = cacheDir.toFile().listFiles();
            if (old != null) {
                for (File file : old) {
                    file.delete();
                }
            }
        }
        int loads = mode.equals("warm") ? 6 : 1;
        long[] times = new long[loads];
        T value = null;
        for (int i = 0; i < loads; i++) {
            long start = System.nanoTime();
            value = Rounds.within(Rounds.LIMIT, mode + " load " + i, load::get);
            times[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long elapsedMs = loads == 1 ? times[0] : Arrays.stream(times, 1, loads).sorted().toArray()[2];
        KernelIndex.LoadInfo loadInfo = info.apply(value);
        if (mode.equals("cold") == loadInfo.fromCache()) {
            Rounds.fail(mode + " run but fromCache=" + loadInfo.fromCache() + " " + loadInfo.notes());
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Result<>(value, elapsedMs, peak >> 20, retained >> 20);
    }
}
