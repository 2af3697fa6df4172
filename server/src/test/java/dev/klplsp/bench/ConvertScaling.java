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
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Benchmark (not a test) of one conversion in process, index loaded: read the module, check it, apply the plan,
 * write the output atomically; 3 warm-up rounds, then the median of 5, in milliseconds, on stdout. Each round
 * has a time limit; exceeding it fails the run (exit 1). server/bench/speed-bench.sh runs it on its generated
 * inputs, with the jar of the checkout under test on the class path:
 *
 * <pre>
 * ConvertScaling MODULE.ko SYSTEM_MAP MODULE_SYMVERS TIMEOUT_SECONDS
 * </pre>
 */
public final class ConvertScaling {
    private static final int WARMUP = 3;
    private static final int RUNS = 5;

    private ConvertScaling() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ConvertScaling MODULE.ko SYSTEM_MAP MODULE_SYMVERS TIMEOUT_SECONDS");
            System.exit(2);
        }
        Path module = Path.of(args[0]).toAbsolutePath();
        Path map = Path.of(args[1]);
        Path symvers = Path.of(args[2]);
        long timeoutSeconds = Long.parseLong(args[3]);
        for (Path input : new Path[] {module, map, symvers}) {
            if (!Files.isRegularFile(input)) {
                System.err.println("ConvertScaling: " + input + " is missing");
                System.exit(1);
            }
        }
        KernelIndex index = KernelIndexLoader.load(KernelSources.ofSymbols(map, symvers), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        Path out = Files.createTempFile(module.getParent(), "inprocess", ".ko");
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "convert-scaling");
            t.setDaemon(true);
            return t;
        });
        double[] times = new double[RUNS];
        try {
            for (int round = -WARMUP; round < RUNS; round++) {
                Future<Double> result = thread.submit(() -> convertOnce(module, index, out));
                double ms;
                try {
                    ms = result.get(timeoutSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    System.err.println("ConvertScaling: " + module + ": a round took more than " + timeoutSeconds
                            + " s (per-round timeout)");
                    System.exit(1);
                    return;
                }
                if (round >= 0) {
                    times[round] = ms;
                }
            }
        } finally {
            Files.deleteIfExists(out);
        }
        Arrays.sort(times);
        System.out.printf("%.1f%n", times[RUNS / 2]);
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
