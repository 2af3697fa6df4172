// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.convert.Converter;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Benchmark (not a test) of one conversion in process, index loaded: read the module, check it, apply the plan,
 * write the output atomically; warm-up rounds until the JVM is warm (at least 3 rounds and 2 s, and its resident
 * set not grown for 2 s), then the median of the measured rounds (at least 5 and 1 s), in milliseconds, on
 * stdout; on stderr the warm-up's length, the memory, and the measured rounds' mean (which, unlike the median,
 * includes the rare round a collection stopped). Each round has a time limit; exceeding it fails the run
 * (exit 1). server/bench/speed-bench.sh runs it on its generated inputs, with the jar of the checkout under test
 * on the class path:
 *
 * <pre>
 * ConvertScaling MODULE.ko SYSTEM_MAP MODULE_SYMVERS TIMEOUT_SECONDS
 * </pre>
 */
public final class ConvertScaling {
    /**
     * Warm-up: at least this many rounds and this long, so the JIT has compiled the conversion's hot code. The cap
     * on rounds only stops a runaway loop: a cap of 100 ended a 1,000-symbol module's warm-up after 0.3 s, and its
     * figure (2.6-4.6 ms from run to run) measured code still being compiled (1.5 ms once warm).
     */
    private static final int WARMUP = 3;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    /**
     * Warm-up, too: the JVM has stopped taking new memory, its resident set not grown by more than 2% for this long.
     * After 2 s alone a 100,000-symbol module was measured while G1 grew its heap from 0.4 to 3.4 GB and then
     * spread its young generation over it: every round allocated ~130 MB into pages never touched before, which the
     * kernel maps and zeroes one by one, and filled a young generation smaller than one conversion's allocation:
     * 200-215 ms a round against 155-160 ms once every page of the heap had been touched. The committed heap is
     * not the signal: it stops changing seconds before the young generation has spread over it (230-360 ms).
     */
    private static final long STEADY_NANOS = 2_000_000_000L;
    /** The warm-up's own limit: a JVM still growing after this long is measured as it is (said on stderr). */
    private static final long MAX_WARMUP_NANOS = 60_000_000_000L;
    /** Measured: at least this many rounds and this long (a small module's rounds are short and noisy). */
    private static final int RUNS = 5;
    private static final long RUN_NANOS = 1_000_000_000L;
    private static final int MAX_ROUNDS = 100_000;

    private ConvertScaling() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            Rounds.fail("usage: ConvertScaling MODULE.ko SYSTEM_MAP MODULE_SYMVERS TIMEOUT_SECONDS");
        }
        Path module = Rounds.requireInput(Path.of(args[0]).toAbsolutePath(), "the livepatch module to convert");
        Path map = Rounds.requireInput(Path.of(args[1]), "the System.map of its kernel");
        Path symvers = Rounds.requireInput(Path.of(args[2]), "the Module.symvers of its kernel");
        Duration limit = Duration.ofSeconds(Long.parseLong(args[3]));
        KernelIndex index = KernelIndexLoader.load(KernelSources.ofSymbols(map, symvers), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        Path out = Files.createTempFile(module.getParent(), "inprocess", ".ko");
        // The module's directory too: speed-bench.sh's modules are all called module.ko, one directory per size.
        String name = module.getParent().getFileName() + "/" + module.getFileName();
        double[] times = new double[MAX_ROUNDS];
        int measured = 0;
        try {
            long start = System.nanoTime();
            long resident = residentBytes();
            long steadySince = start;
            int warmup = 0;
            for (long now = start; warmup < MAX_ROUNDS && now - start < MAX_WARMUP_NANOS
                    && (warmup < WARMUP || now - start < WARMUP_NANOS || now - steadySince < STEADY_NANOS);
                    now = System.nanoTime()) {
                int round = warmup++;
                Rounds.within(limit, module + " warm-up round " + round, () -> convertOnce(module, index, out));
                long current = residentBytes();
                if (current > resident + resident / 50) {
                    resident = current;
                    steadySince = System.nanoTime();
                } else if (current < resident) {
                    resident = current; // memory given back is no new page to touch; growth counts from here
                }
            }
            boolean steady = System.nanoTime() - steadySince >= STEADY_NANOS;
            System.err.printf("ConvertScaling: %s: warm-up %d rounds, %.1f s; resident %d MB, heap %d MB%s%n",
                    name, warmup, (System.nanoTime() - start) / 1e9, residentBytes() >> 20,
                    Runtime.getRuntime().totalMemory() >> 20,
                    steady ? "" : "; still growing when the warm-up's limit ended it");
            long runEnd = System.nanoTime() + RUN_NANOS;
            while (measured < MAX_ROUNDS && (measured < RUNS || System.nanoTime() < runEnd)) {
                int round = measured;
                times[measured++] = Rounds.within(limit, module + " round " + round,
                        () -> convertOnce(module, index, out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
        System.err.printf("ConvertScaling: %s: %d rounds measured, mean %.1f ms%n", name, measured,
                Arrays.stream(times, 0, measured).average().orElse(0));
        Arrays.sort(times, 0, measured);
        System.out.printf("%.1f%n", times[measured / 2]);
        System.exit(0);
    }

    /** The resident set size (Linux's VmRSS), or the committed heap where there is no /proc. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the heap is the part that grows
        }
        return Runtime.getRuntime().totalMemory();
    }

    private static double convertOnce(Path module, KernelIndex index, Path out) {
        long start = System.nanoTime();
        ElfObject elf = ElfObject.read(module);
        CheckResult result = ModuleChecker.check(elf, index, CheckConfig.DEFAULT);
        if (result.hasErrors()) {
            throw new IllegalStateException(module + ": unexpected error findings: " + result.findings());
        }
        Converter.apply(elf, result.plan());
        elf.write(out);
        return (System.nanoTime() - start) / 1e6;
    }
}
