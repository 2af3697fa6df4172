// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import dev.klplsp.bench.Rounds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures {@link SourceScanner#scan(String)} on a file of about 5,000 lines (the testdata/src samples
 * repeated with renamed identifiers), or on files given as arguments. Not a test: speed is measured, never
 * asserted. Run from the repository root after {@code mvn -q -B test-compile}:
 * <pre>
 * java -cp server/target/classes:server/target/test-classes dev.klplsp.source.ScannerBenchmark [file.c...]
 * </pre>
 */
public final class ScannerBenchmark {
    private ScannerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            run("synthetic 5,000 lines", syntheticText(5000));
        }
        for (String arg : args) {
            run(arg, Files.readString(Rounds.requireInput(Path.of(arg), "a C source to scan"), StandardCharsets.UTF_8));
        }
    }

    static String syntheticText(int lines) throws IOException {
        Path src = Path.of(System.getProperty("klp.repoRoot", ".")).resolve("testdata/src");
        String[] samples = {"livepatch-sample.c", "test_klp_convert1.c", "livepatch-extern-symbol.c", "lookalikes.c"};
        StringBuilder text = new StringBuilder();
        int copy = 0;
        while (text.chars().filter(c -> c == '\n').count() < lines) {
            for (String sample : samples) {
                String body = Files.readString(src.resolve(sample), StandardCharsets.UTF_8);
                // Rename the copy's identifiers so the uses map grows as in a real large file.
                text.append(body.replace("livepatch_", "livepatch" + copy + "_").replace("funcs", "funcs" + copy)
                        .replace("print_", "print" + copy + "_"));
            }
            copy++;
        }
        return text.toString();
    }

    private static void run(String label, String text) {
        Rounds.within(Rounds.LIMIT, label, () -> {
            measure(label, text);
            return null;
        });
    }

    private static void measure(String label, String text) {
        long lines = text.chars().filter(c -> c == '\n').count();
        for (int i = 0; i < 2000; i++) {
            SourceScanner.scan(text); // warm up the JIT, as a long-running LSP server is
        }
        int rounds = 200;
        long[] nanos = new long[rounds];
        int found = 0;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            SourceScan scan = SourceScanner.scan(text);
            nanos[i] = System.nanoTime() - start;
            found += scan.externals().size();
        }
        Arrays.sort(nanos);
        System.out.printf("%s: %d lines, %d chars, %d externals; median %.2f ms, p90 %.2f ms, max %.2f ms%n", label, lines,
                text.length(), found / rounds, nanos[rounds / 2] / 1e6, nanos[rounds * 9 / 10] / 1e6, nanos[rounds - 1] / 1e6);
    }
}
