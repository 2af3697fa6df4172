// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.bench.Rounds;
import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test) of check + convert, figures in docs/bench-convert.md:
 * <ul>
 * <li>typical: the bundled example livepatch against the bundled fixture kernel;</li>
 * <li>large: a gcc-built synthetic module with 200,000 relocations against 5,000 non-exported symbols (plus
 * exported ones), against a generated System.map with the same names, some duplicated (annotated via a sidecar
 * of explicit choices);</li>
 * </ul>
 * each warm in-process (read, check, apply, atomic write; median of repeated runs after warm-up) and as the CLI
 * end to end ({@code java -jar server/target/klp-lsp.jar convert ...}, index cache warm). Run from the repository
 * root after {@code mvn -q -B package -DskipTests && mvn -q -B test-compile}:
 *
 * <pre>
 * java -cp server/target/klp-lsp.jar:server/target/test-classes dev.klplsp.convert.ConvertBenchmark
 * </pre>
 */
public final class ConvertBenchmark {
    static final int SYMBOLS = 5_000;
    static final int FUNCTIONS = 2_000;
    static final int REFERENCES_PER_FUNCTION = 100;
    static final int DUPLICATED = 50;

    private ConvertBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("klp.repoRoot", Path.of(".").toAbsolutePath().normalize().toString());
        Path work = Fixtures.repoRoot().resolve("server/target/bench-convert");
        Files.createDirectories(work);

        Path example = FixtureKernel.exampleModule();
        Path fixtureKernel = FixtureKernel.kernelDir();
        KernelIndex fixtureIndex = FixtureKernel.index();
        report("typical (example, in-process)", inProcess(example, fixtureIndex, CheckConfig.DEFAULT,
                work.resolve("example.out.ko"), 10, 50));
        report("typical (example, CLI)", cli(work, List.of("convert", example.toString(), "--kernel",
                fixtureKernel.toString(), "--cache-dir", work.resolve("cache").toString(), "-o",
                work.resolve("example.cli.ko").toString()), 7));

        Path large = largeModule(work);
        Path map = systemMap(work);
        Path choices = choices(work);
        KernelIndex largeIndex = KernelIndexLoader.load(KernelSources.ofSymbols(map, work.resolve("Module.symvers")), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        CheckConfig largeConfig = CheckConfig.DEFAULT.withChoices(dev.klplsp.check.Choices.readFile(choices));
        CheckResult sanity = ModuleChecker.check(ElfObject.read(large), largeIndex, largeConfig);
        if (sanity.hasErrors()) {
            throw new AssertionError("large module has errors: " + sanity.findings().subList(0, 3));
        }
        System.out.printf("large module: %,d bytes, %,d symbols to convert%n", Files.size(large),
                sanity.plan().symbols().size());
        report("large (200k relocations, in-process)", inProcess(large, largeIndex, largeConfig,
                work.resolve("large.out.ko"), 3, 7));
        report("large (200k relocations, CLI)", cli(work, List.of("convert", large.toString(), "--symbols",
                map.toString(), "--symvers", work.resolve("Module.symvers").toString(), "--sympos-file", choices.toString(), "--function-refs", "off", "--cache-dir",
                work.resolve("cache").toString(), "-o", work.resolve("large.cli.ko").toString()), 5));
    }

    /** Milliseconds per run of read → check → apply → write, after warm-up runs. */
    static double[] inProcess(Path module, KernelIndex index, CheckConfig config, Path out, int warmup, int runs) {
        double[] times = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            Rounds.within(Rounds.LIMIT, module + " round " + i, () -> {
                ElfObject elf = ElfObject.read(module);
                CheckResult result = ModuleChecker.check(elf, index, config);
                Converter.apply(elf, result.plan());
                return elf.write(out);
            });
            if (i >= 0) {
                times[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return times;
    }

    /** Milliseconds per CLI run; the first run (which fills the index cache) is not counted. */
    static double[] cli(Path work, List<String> arguments, int runs) {
        Path jar = Rounds.requireInput(Fixtures.repoRoot().resolve("server/target/klp-lsp.jar"),
                "the jar (mvn -q -B package -DskipTests)");
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        command.addAll(arguments);
        Rounds.within(Rounds.LIMIT, String.join(" ", command), () -> Processes.run(work, command));
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Rounds.within(Rounds.LIMIT, String.join(" ", command), () -> Processes.run(work, command));
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        return times;
    }

    static void report(String name, double[] times) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.printf("%-40s median %9.1f ms  (min %.1f, max %.1f, %d runs)%n", name, sorted[sorted.length / 2],
                sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** 2,000 functions × 100 loads of non-exported externs = 200,000 R_X86_64_PC32, plus exported calls. */
    static Path largeModule(Path work) throws IOException {
        Path ko = work.resolve("large.ko");
        if (Files.exists(ko)) {
            return ko;
        }
        StringBuilder c = new StringBuilder("/* generated by ConvertBenchmark */\n");
        c.append("static const char modinfo[] __attribute__((used, section(\".modinfo\"))) = \"livepatch=Y\";\n");
        c.append("extern int _printk(const char *fmt, ...);\n");
        for (int s = 0; s < SYMBOLS; s++) {
            c.append("extern int ksym_").append(s).append(";\n");
        }
        for (int f = 0; f < FUNCTIONS; f++) {
            c.append("int bench_fn_").append(f).append("(void)\n{\n\tint sum = 0;\n");
            for (int r = 0; r < REFERENCES_PER_FUNCTION; r++) {
                int symbol = (f * 37 + r * 101) % SYMBOLS;
                c.append("\tsum += ksym_").append(symbol).append(";\n");
            }
            c.append("\treturn sum + _printk(\"x\");\n}\n");
        }
        Path source = work.resolve("large.c");
        Files.writeString(source, c.toString());
        Processes.run(work, List.of("gcc", "-c", "-O1", "-fno-pic", "-mcmodel=kernel", "-mno-red-zone",
                "-fno-asynchronous-unwind-tables", "-o", "large.o", source.toString()));
        Processes.run(work, List.of("ld", "-r", "-o", ko.toString(), "large.o"));
        return ko;
    }

    /** A System.map with every ksym_N (the first DUPLICATED twice, as statics of two files) and _printk. */
    static Path systemMap(Path work) throws IOException {
        StringBuilder map = new StringBuilder();
        long address = 0xffffffff81000000L;
        map.append(String.format("%016x T _printk%n", address));
        for (int s = 0; s < SYMBOLS; s++) {
            address += 16;
            map.append(String.format("%016x %s ksym_%d%n", address, s < DUPLICATED ? "d" : "D", s));
        }
        for (int s = 0; s < DUPLICATED; s++) {
            address += 16;
            map.append(String.format("%016x d ksym_%d%n", address, s));
        }
        Path file = work.resolve("System.map");
        Files.writeString(file, map.toString());
        Files.writeString(work.resolve("Module.symvers"), "0x00000000\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n");
        return file;
    }

    /** Explicit choices for the duplicated names, as a sidecar file. */
    static Path choices(Path work) throws IOException {
        StringBuilder lines = new StringBuilder("# duplicated statics of the synthetic kernel\n");
        for (int s = 0; s < DUPLICATED; s++) {
            lines.append("ksym_").append(s).append("=vmlinux:").append(1 + s % 2).append('\n');
        }
        Path file = work.resolve("choices.txt");
        Files.writeString(file, lines.toString());
        return file;
    }
}
