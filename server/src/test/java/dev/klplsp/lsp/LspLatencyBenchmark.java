// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import dev.klplsp.bench.Rounds;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.kernel.SymbolType;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.PublishDiagnosticsParams;

/**
 * Benchmark (not a test) of the editor-facing latencies, with the real Debian 6.1 kernel index loaded:
 * <ol>
 * <li>didChange → publishDiagnostics on a generated 2,000-line livepatch source with 50 external names
 *     (unique, duplicated, exported and unknown kernel names), one full-text change per round;</li>
 * <li>module change → check, conversion in place and published diagnostics, for a gcc-built livepatch module
 *     that references 20 non-exported vmlinux functions; the module is replaced atomically, as a linker does.</li>
 * </ol>
 * The server runs in this JVM behind an lsp4j client over pipes (the JSON-RPC path an editor uses).
 * A missing input (the kernel directory, its vmlinux symbols) stops it at once with a message, and so does a
 * round that gets no answer within {@link #ROUND_TIMEOUT_SECONDS}: it never waits on rounds that cannot finish.
 * Run after {@code mvn -q -B test-compile} (docs/bench-lsp.md has the command and results):
 * <pre>
 * cd server && java -cp target/classes:target/test-classes:$(cat target/bench.classpath) \
 *     dev.klplsp.lsp.LspLatencyBenchmark /work/kimg 200
 * </pre>
 */
public final class LspLatencyBenchmark {
    static final int ROUND_TIMEOUT_SECONDS = 30;

    private LspLatencyBenchmark() {
    }

    public static void main(String[] args) {
        // lsp4j's listener threads are not daemons: any failure must end the process, not leave it waiting.
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            Rounds.fail("failed: " + e);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        String kernelArgument = args.length > 0 ? args[0] : System.getenv("KLP_TEST_KERNEL_DIR");
        if (kernelArgument == null || !Files.isDirectory(Path.of(kernelArgument))) {
            Rounds.fail("usage: LspLatencyBenchmark KERNEL_DIR [ROUNDS] (KERNEL_DIR as made by"
                    + " testdata/kernel/fetch-kernel.sh, or KLP_TEST_KERNEL_DIR); " + kernelArgument
                    + " is not a directory");
        }
        Path kernel = Path.of(kernelArgument);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path work = Files.createTempDirectory("klp-bench");
        Path cache = work.resolve("cache");
        Path symvers = kernel.resolve("Module.symvers");
        KernelSources sources = new KernelSources(Optional.of(kernel.toString()), List.of(), List.of(),
                Files.exists(symvers) ? Optional.of(symvers) : Optional.empty(), Optional.empty());
        long start = System.nanoTime();
        KernelIndex index = KernelIndexLoader.load(sources, new IndexOptions(Optional.of(cache), true),
                ProgressListener.NONE);
        System.out.printf("index: %,d symbols, built in %d ms (then cached for the server)%n", index.symbolCount(),
                (System.nanoTime() - start) / 1_000_000);
        if (index.symbolCount(KernelSymbol.VMLINUX) == 0) {
            Rounds.fail(kernel + " gives no vmlinux symbols (is usr/lib/debug/boot/vmlinux-<release> or a System.map"
                    + " there? " + index.warnings() + ")");
        }

        Path workspace = Files.createDirectories(work.resolve("ws"));
        JsonObject project = new JsonObject();
        project.addProperty("kernel", kernel.toString());
        if (Files.exists(symvers)) {
            project.addProperty("symvers", symvers.toString());
        }
        project.addProperty("convertOnSave", true);
        Files.writeString(workspace.resolve(".klp-lsp.json"), project.toString());
        List<String> names = pickNames(index);
        List<String> functions = pickFunctions(index, 20);
        if (names.size() != 50 || functions.size() != 20) {
            Rounds.fail(kernel + ": found " + names.size() + " of the 50 names and " + functions.size() + " of the 20"
                    + " functions the benchmark needs");
        }
        Path source = workspace.resolve("big.c");
        Files.writeString(source, bigSource(names));
        Path moduleSources = Files.createDirectories(workspace.resolve("mod"));
        Path module = buildModule(moduleSources, functions);
        // Keep a copy: the server converts the module in place as soon as its index is ready.
        Path unconverted = work.resolve("unconverted.ko");
        Files.copy(module, unconverted, StandardCopyOption.REPLACE_EXISTING);

        try (TestClient client = new TestClient(cache)) {
            client.initialize(workspace, TestClient.capabilities(true, false), null);
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (client.logs.stream().noneMatch(m -> m.getMessage().contains("symbols in"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.println(client.logs.stream().filter(m -> m.getMessage().contains("symbols in")).findFirst()
                    .map(m -> m.getMessage()).orElseGet(() -> {
                        Rounds.fail("the server's index was not ready after 300 s; logs: " + client.logs);
                        return "";
                    }));
            String uri = client.open(source);
            client.awaitDiagnostics(uri, list -> true);
            String text = client.texts.get(uri);
            long[] edit = new long[rounds];
            int findings = 0;
            for (int round = 0; round < rounds; round++) {
                String changed = text.replace("/* edit marker */", "/* edit marker " + round + " */");
                long sent = System.nanoTime();
                client.change(uri, changed);
                List<?> published = client.awaitDiagnostics(uri, list -> true);
                edit[round] = System.nanoTime() - sent;
                findings = published.size();
            }
            report("didChange -> publishDiagnostics (2,000 lines, 50 names, " + findings + " diagnostics)", edit);

            Path moduleUri = moduleSources.resolve("livepatch.c");
            String moduleSourceUri = moduleUri.toUri().toString();
            int moduleRounds = Math.max(10, rounds / 4);
            long[] change = new long[moduleRounds];
            for (int round = 0; round < moduleRounds; round++) {
                int conversions = countConversions(client);
                PublishDiagnosticsParams before = client.diagnostics.get(moduleSourceUri);
                Path staging = module.resolveSibling("livepatch.ko.tmp");
                Files.copy(unconverted, staging, StandardCopyOption.REPLACE_EXISTING);
                long replaced = System.nanoTime();
                Files.move(staging, module, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                long wait = System.nanoTime() + ROUND_TIMEOUT_SECONDS * 1_000_000_000L;
                while (countConversions(client) == conversions || client.diagnostics.get(moduleSourceUri) == before) {
                    if (System.nanoTime() > wait) {
                        Rounds.fail("module change round " + round + ": no conversion and diagnostics within "
                                + ROUND_TIMEOUT_SECONDS + " s (per-round timeout); logs: " + client.logs);
                    }
                    Thread.sleep(0, 200_000);
                }
                change[round] = System.nanoTime() - replaced;
                Thread.sleep(400); // let the watcher see (and skip) our own write before the next round
            }
            report("module change -> check + convert + publishDiagnostics (20 references, debounce "
                    + dev.klplsp.ide.ModuleService.MODULE_DEBOUNCE_MILLIS + " ms included)", change);
        }
    }

    private static int countConversions(TestClient client) {
        return (int) client.logs.stream().filter(m -> m.getMessage().contains("converted, wrote")).count();
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.95) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    /** 50 names: 20 duplicated in vmlinux, 20 unique non-exported, 5 exported, 5 that do not exist. */
    static List<String> pickNames(KernelIndex index) {
        List<String> duplicated = new ArrayList<>();
        List<String> unique = new ArrayList<>();
        List<String> exported = new ArrayList<>();
        for (String name : index.distinctNamesOf(KernelSymbol.VMLINUX)) {
            if (!name.matches("[a-z_][a-z0-9_]{5,30}")) {
                continue;
            }
            List<KernelSymbol> symbols = index.lookup(KernelSymbol.VMLINUX, name);
            if (symbols.size() > 1 && duplicated.size() < 20) {
                duplicated.add(name);
            } else if (symbols.size() == 1 && symbols.get(0).isExported() && exported.size() < 5) {
                exported.add(name);
            } else if (symbols.size() == 1 && !symbols.get(0).isExported() && unique.size() < 20
                    && index.lookup(name).size() == 1) {
                unique.add(name);
            }
            if (duplicated.size() == 20 && unique.size() == 20 && exported.size() == 5) {
                break;
            }
        }
        List<String> names = new ArrayList<>(duplicated);
        names.addAll(unique);
        names.addAll(exported);
        for (int i = 0; i < 5; i++) {
            names.add("klp_bench_missing_" + i);
        }
        return names;
    }

    static List<String> pickFunctions(KernelIndex index, int count) {
        List<String> functions = new ArrayList<>();
        for (String name : index.distinctNamesOf(KernelSymbol.VMLINUX)) {
            List<KernelSymbol> symbols = index.lookup(name);
            if (name.matches("[a-z][a-z0-9_]{5,30}") && symbols.size() == 1 && !symbols.get(0).isExported()
                    && symbols.get(0).type() == SymbolType.FUNC && !symbols.get(0).init()
                    && index.cloneFamily(name).isEmpty()) {
                functions.add(name);
                if (functions.size() == count) {
                    break;
                }
            }
        }
        return functions;
    }

    /** A 2,000-line livepatch-like source: the declarations, then many small functions that use them. */
    static String bigSource(List<String> names) {
        StringBuilder text = new StringBuilder("// SPDX-License-Identifier: GPL-2.0-only\n/* edit marker */\n");
        for (String name : names) {
            text.append("extern int ").append(name).append("(int);\n");
        }
        int function = 0;
        while (text.chars().filter(c -> c == '\n').count() < 1990) {
            String name = names.get(function % names.size());
            text.append("static int helper_").append(function).append("(int x)\n{\n")
                    .append("\t/* a comment with ").append(name).append(" in it */\n")
                    .append("\tif (x > ").append(function).append(")\n")
                    .append("\t\treturn ").append(name).append("(x - 1);\n")
                    .append("\treturn x;\n}\n\n");
            function++;
        }
        return text.toString();
    }

    /** A livepatch module calling {@code functions}, built with gcc like the sample workspace. */
    static Path buildModule(Path dir, List<String> functions) throws Exception {
        StringBuilder text = new StringBuilder("#include \"klp_fixture.h\"\n");
        for (String function : functions) {
            text.append("extern int ").append(function).append("(int);\n");
        }
        text.append("int livepatch_calls(int x)\n{\n\tint sum = 0;\n");
        for (String function : functions) {
            text.append("\tsum += ").append(function).append("(x);\n");
        }
        text.append("\treturn sum;\n}\nMODULE_INFO(livepatch, \"Y\");\nMODULE_LICENSE(\"GPL\");\n");
        Files.writeString(dir.resolve("livepatch.c"), text.toString());
        Files.writeString(dir.resolve("livepatch.mod.c"), "struct module { char name[56]; };\n"
                + "struct module __this_module __attribute__((section(\".gnu.linkonce.this_module\")))"
                + " = { .name = \"livepatch\" };\n");
        List<String> flags = List.of("gcc", "-O2", "-fno-pic", "-fno-common", "-ffreestanding",
                "-fno-asynchronous-unwind-tables", "-fno-stack-protector", "-mcmodel=kernel", "-mno-red-zone",
                "-I" + Fixtures.testdata().resolve("include"), "-c");
        for (String file : List.of("livepatch", "livepatch.mod")) {
            List<String> command = new ArrayList<>(flags);
            command.addAll(List.of("-o", file + ".o", file + ".c"));
            Processes.run(dir, command);
        }
        Processes.run(dir, List.of("ld", "-r", "-o", "livepatch.ko", "livepatch.o", "livepatch.mod.o"));
        return dir.resolve("livepatch.ko");
    }
}
