// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import dev.klplsp.bench.Rounds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): reads the symbol tables of every module under a kernel directory with
 * {@link ElfSymbolFile}, on N threads, three rounds, and prints the time (optionally also one vmlinux).
 * Run after {@code mvn -q -B test-compile}; measured here on 2 cores: 762 ms first round (JIT cold),
 * 170-320 ms warm for 4,023 modules / 828,500 symbols; debug vmlinux 129,792 symbols in 20 ms (-Xmx256m):
 *
 * <pre>
 * cd server && java -cp target/classes:target/test-classes dev.klplsp.elf.SymbolReadBenchmark /work/kimg 2 \
 *     /work/kimg/usr/lib/debug/boot/vmlinux-6.1.0-56-amd64
 * </pre>
 */
public final class SymbolReadBenchmark {
    private SymbolReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path kernelDir = Path.of(args.length > 0 ? args[0] : "/work/kimg");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Path> modules = modules(kernelDir);
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            AtomicLong symbols = new AtomicLong();
            Rounds.within(Rounds.LIMIT, "round " + round, () -> {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<?>> futures = modules.stream().<Future<?>>map(m -> pool.submit(
                            () -> symbols.addAndGet(ElfSymbolFile.read(m).symbols().size()))).toList();
                    for (Future<?> future : futures) {
                        future.get();
                    }
                } finally {
                    pool.shutdown();
                }
                return null;
            });
            System.out.printf("round %d: %d modules, %,d symbols, %d threads: %d ms%n", round, modules.size(),
                    symbols.get(), threads, (System.nanoTime() - start) / 1_000_000);
        }
        Path vmlinux = args.length > 2 ? Path.of(args[2]) : null;
        if (vmlinux != null) {
            long start = System.nanoTime();
            ElfSymbolFile file = Rounds.within(Rounds.LIMIT, "reading " + vmlinux,
                    () -> ElfSymbolFile.read(Rounds.requireInput(vmlinux, "the vmlinux to read")));
            System.out.printf("%s: %,d symbols in %d ms%n", vmlinux, file.symbols().size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The .ko files under {@code <kernelDir>/lib/modules}; a missing directory ends the benchmark. */
    static List<Path> modules(Path kernelDir) throws IOException {
        Path dir = Rounds.requireInput(kernelDir.resolve("lib/modules"),
                "the modules of a kernel directory made by testdata/kernel/fetch-kernel.sh");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
        }
    }
}
