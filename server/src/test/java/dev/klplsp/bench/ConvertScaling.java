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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Benchmark (not a test) of one conversion in process, index loaded: read the module, check it, apply the plan,
 * write the output atomically; warm-up rounds (at least 3 and 2 s), then the median of the measured rounds (at
 * least 5 and 1 s), in milliseconds, on stdout. Each round
 * has a time limit; exceeding it fails the run (exit 1). server/bench/speed-bench.sh runs it on its generated
 * inputs, with the jar of the checkout under test on the class path:
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
        double[] times = new double[MAX_ROUNDS];
        int measured = 0;
        try {
            long warmupEnd = System.nanoTime() + WARMUP_NANOS;
            for (int round = 0; round < MAX_ROUNDS && (round < WARMUP || System.nanoTime() < warmupEnd); round++) {
                Rounds.within(limit, module + " warm-up round " + round, () -> convertOnce(module, index, out));
            }
            long runEnd = System.nanoTime() + RUN_NANOS;
            while (measured < MAX_ROUNDS && (measured < RUNS || System.nanoTime() < runEnd)) {
                int round = measured;
                times[measured++] = Rounds.within(limit, module + " round " + round,
                        () -> convertOnce(module, index, out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
        Arrays.sort(times, 0, measured);
        System.out.printf("%.1f%n", times[measured / 2]);
        System.exit(0);
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
