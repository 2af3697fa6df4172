// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * Soak benchmark (not a test) of one long-running server: the real {@code klp-lsp serve} process, the real
 * Debian 6.1 kernel index loaded, 20 open files (2,000 lines, 50 kernel names each) edited 10,000 times in all,
 * a gcc-built module replaced every 3 seconds (checked and converted on change), and 100 {@code klp.check}
 * calls, spread over 10 minutes. It reports the didChange → publishDiagnostics latency (p50, p95, p99, max),
 * the server process's RSS every 10 seconds, and how many requests were sent and answered. The server runs in
 * its own JVM, so the RSS is the server's alone. docs/bench-lsp.md has the command and the figures.
 * <pre>
 * cd server && java -Dklp.repoRoot=.. -cp target/classes:target/test-classes:$(cat target/bench.classpath) \
 *     dev.klplsp.lsp.LspSoakBenchmark KERNEL_DIR [MINUTES [EDITS [CHECKS]]]
 * </pre>
 * {@code KLP_SOAK_JVM_OPTS} passes options to the server's JVM (e.g. the launcher's serve settings).
 */
public final class LspSoakBenchmark {
    private static final int FILES = 20;

    private LspSoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args.length > 0 ? args[0] : System.getenv().getOrDefault("KLP_TEST_KERNEL_DIR", ""));
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int edits = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int checks = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path kallsyms = kernel.resolve("kallsyms");
        if (!Files.isRegularFile(kallsyms)) {
            System.err.println("LspSoakBenchmark: " + kallsyms + " is missing: give the real kernel directory"
                    + " (testdata/kernel/fetch-kernel.sh makes it) as the first argument or KLP_TEST_KERNEL_DIR");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("klp-soak");
        Path cache = work.resolve("cache");
        Path symvers = kernel.resolve("Module.symvers");
        // The kallsyms dump counts like the running kernel and needs no -dbg package; modules from the tree.
        KernelSources sources = new KernelSources(Optional.empty(), List.of(kallsyms),
                List.of(kernel.resolve("lib/modules")), Files.exists(symvers) ? Optional.of(symvers) : Optional.empty(),
                Optional.empty());
        KernelIndex index = KernelIndexLoader.load(sources, new IndexOptions(Optional.of(cache), true),
                ProgressListener.NONE);
        System.out.printf("index: %,d symbols (cached for the server)%n", index.symbolCount());

        Path workspace = Files.createDirectories(work.resolve("ws"));
        JsonObject project = new JsonObject();
        com.google.gson.JsonArray symbolFiles = new com.google.gson.JsonArray();
        symbolFiles.add(kallsyms.toString());
        project.add("symbols", symbolFiles);
        project.addProperty("modules", kernel.resolve("lib/modules").toString());
        if (Files.exists(symvers)) {
            project.addProperty("symvers", symvers.toString());
        }
        project.addProperty("convertOnSave", true);
        Files.writeString(workspace.resolve(".klp-lsp.json"), project.toString());
        String text = LspLatencyBenchmark.bigSource(LspLatencyBenchmark.pickNames(index));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(Files.writeString(workspace.resolve("patch" + i + ".c"), text));
        }
        Path moduleDir = Files.createDirectories(workspace.resolve("mod"));
        Path module = LspLatencyBenchmark.buildModule(moduleDir, LspLatencyBenchmark.pickFunctions(index, 20));
        Path unconverted = work.resolve("unconverted.ko");
        Files.copy(module, unconverted, StandardCopyOption.REPLACE_EXISTING);

        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBinary));
        String jvmOptions = System.getenv().getOrDefault("KLP_SOAK_JVM_OPTS", "").strip();
        if (!jvmOptions.isEmpty()) {
            command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
        }
        // The server runs in the workspace: its class path must not be relative to this process's directory.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        command.addAll(List.of("-cp", classPath, "dev.klplsp.cli.Main", "serve", "--cache-dir", cache.toString()));
        Process server = new ProcessBuilder(command).directory(workspace.toFile())
                .redirectError(work.resolve("server.stderr").toFile()).start();
        Client client = new Client();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, server.getInputStream(),
                server.getOutputStream());
        LanguageServer remote = launcher.getRemoteProxy();
        launcher.startListening();

        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(workspace.toUri().toString());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "ws")));
        init.setCapabilities(new ClientCapabilities());
        remote.initialize(init).get(60, TimeUnit.SECONDS);
        remote.initialized(new InitializedParams());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (client.logs.stream().noneMatch(m -> m.contains("symbols in")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println(client.logs.stream().filter(m -> m.contains("symbols in")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the server did not index the kernel in 5 minutes: "
                        + client.logs)));
        List<String> uris = new ArrayList<>();
        for (Path file : files) {
            String uri = file.toUri().toString();
            uris.add(uri);
            remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                    new TextDocumentItem(uri, "c", 1, text)));
        }

        long durationNanos = (long) (minutes * 60e9);
        long start = System.nanoTime();
        long editEvery = durationNanos / edits;
        long checkEvery = durationNanos / checks;
        long moduleEvery = TimeUnit.SECONDS.toNanos(3);
        long rssEvery = TimeUnit.SECONDS.toNanos(10);
        long nextEdit = start;
        long nextCheck = start + checkEvery / 2;
        long nextModule = start + moduleEvery;
        long nextRss = start;
        int sentEdits = 0;
        int modules = 0;
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Object>> requests = new ArrayList<>();
        List<long[]> rss = new ArrayList<>();
        int[] versions = new int[FILES];
        Arrays.fill(versions, 1);
        while (System.nanoTime() - start < durationNanos) {
            long now = System.nanoTime();
            if (now >= nextRss) {
                rss.add(new long[] {(now - start) / 1_000_000_000L, rssKib(server.pid())});
                nextRss += rssEvery;
            }
            if (now >= nextEdit && sentEdits < edits) {
                int file = sentEdits % FILES;
                int version = ++versions[file];
                String changed = text.replace("/* edit marker */", "/* edit marker " + sentEdits + " */");
                client.sent.put(uris.get(file) + "#" + version, System.nanoTime());
                remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                        new VersionedTextDocumentIdentifier(uris.get(file), version),
                        List.of(new TextDocumentContentChangeEvent(changed))));
                sentEdits++;
                nextEdit += editEvery;
            }
            if (now >= nextCheck && requests.size() < checks) {
                CompletableFuture<Object> request = remote.getWorkspaceService().executeCommand(
                        new ExecuteCommandParams("klp.check", List.of()));
                request.whenComplete((result, error) -> (error == null ? answered : failed).incrementAndGet());
                requests.add(request);
                nextCheck += checkEvery;
            }
            if (now >= nextModule) {
                Path staging = module.resolveSibling("livepatch.ko.tmp");
                Files.copy(unconverted, staging, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staging, module, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                modules++;
                nextModule += moduleEvery;
            }
            Thread.sleep(1);
        }
        for (CompletableFuture<Object> request : requests) {
            try {
                request.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Counted by whenComplete.
            }
        }
        Thread.sleep(2000); // the last diagnostics
        rss.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, rssKib(server.pid())});
        remote.shutdown().get(60, TimeUnit.SECONDS);
        remote.exit();
        boolean exited = server.waitFor(30, TimeUnit.SECONDS);

        long[] latencies = client.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%.1f minutes: %,d edits over %d files, %d module rebuilds, %d klp.check%n", minutes,
                sentEdits, FILES, modules, requests.size());
        System.out.printf("didChange -> publishDiagnostics: n=%,d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms"
                + " (edits with no publish of their version or a later one: %,d)%n", latencies.length,
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, client.sent.size());
        System.out.printf("klp.check: sent %d, answered %d, failed %d%n", requests.size(), answered.get(),
                failed.get());
        System.out.printf("module conversions logged: %d%n", client.logs.stream().filter(m -> m.contains(
                "converted, wrote")).count());
        StringBuilder series = new StringBuilder("server RSS (s: MiB):");
        for (long[] sample : rss) {
            series.append(String.format(" %d:%d", sample[0], sample[1] / 1024));
        }
        System.out.println(series);
        long afterWarmUp = rss.stream().filter(sample -> sample[0] >= 60).findFirst().orElse(rss.get(0))[1];
        long peakLater = rss.stream().filter(sample -> sample[0] >= 60).mapToLong(sample -> sample[1]).max()
                .orElse(afterWarmUp);
        System.out.printf("RSS after the first minute %d MiB, highest later %d MiB, last %d MiB; server exited: %s"
                + " (status %s)%n", afterWarmUp / 1024, peakLater / 1024, rss.get(rss.size() - 1)[1] / 1024, exited,
                exited ? String.valueOf(server.exitValue()) : "-");
        System.exit(0); // lsp4j's listener threads are not daemons
    }

    private static double percentile(long[] sorted, double fraction) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(sorted.length * fraction) - 1)] / 1e6;
    }

    /** VmRSS of a process in KiB, from /proc. */
    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The client's side: records when each (file, version) was first published, and the server's logs. */
    private static final class Client implements LanguageClient {
        final Map<String, Long> sent = new ConcurrentHashMap<>();
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> logs = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            if (params.getVersion() == null) {
                return;
            }
            long now = System.nanoTime();
            // A publish of version v answers every edit of that file up to v.
            String prefix = params.getUri() + "#";
            sent.entrySet().removeIf(entry -> {
                if (entry.getKey().startsWith(prefix)
                        && Integer.parseInt(entry.getKey().substring(prefix.length())) <= params.getVersion()) {
                    latencies.add(now - entry.getValue());
                    return true;
                }
                return false;
            });
        }

        @Override
        public void logMessage(MessageParams message) {
            logs.add(message.getMessage());
        }

        @Override
        public void showMessage(MessageParams message) {
            logs.add(message.getMessage());
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void telemetryEvent(Object object) {
        }
    }
}
