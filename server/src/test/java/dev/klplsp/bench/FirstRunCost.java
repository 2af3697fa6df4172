// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import dev.klplsp.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/**
 * Benchmark (not a test) of what a one-shot command pays for being the first in its JVM: runs one klp-lsp
 * command line several times in this JVM and prints, per run, the time to build picocli's model of it and the
 * time to execute it, in milliseconds. The first run against the later ones is the start-up cost (reflection,
 * annotation proxies, class initialisation, call-site linking, interpretation before the JIT); run it with the
 * launcher's JVM settings and archive (docs/benchmarks.md, "Start-up work"):
 *
 * <pre>
 * java -XX:SharedArchiveFile=server/target/klp-lsp.jsa -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
 *     -Xms96m -Xmn64m -cp server/target/klp-lsp.jar:server/target/test-classes \
 *     dev.klplsp.bench.FirstRunCost 4 convert livepatch.ko --kernel DIR -o /tmp/out.ko
 * </pre>
 */
public final class FirstRunCost {
    private FirstRunCost() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            Rounds.fail("usage: FirstRunCost RUNS KLP-LSP-ARGUMENT...");
        }
        int runs = Integer.parseInt(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        for (int run = 1; run <= runs; run++) {
            StringWriter sink = new StringWriter();
            PrintWriter writer = new PrintWriter(sink);
            long start = System.nanoTime();
            picocli.CommandLine commandLine = Main.commandLine(writer, writer, command);
            long built = System.nanoTime();
            int status = commandLine.execute(command);
            long done = System.nanoTime();
            System.out.printf("run %d: model %.1f ms, command %.1f ms, exit %d%n", run, (built - start) / 1e6,
                    (done - built) / 1e6, status);
        }
        System.exit(0);
    }
}
