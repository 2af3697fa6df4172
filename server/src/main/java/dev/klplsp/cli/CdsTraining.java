// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.elf.Elf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run behind the launchers' application class-data-sharing archive (packaging/run-jar): {@code java
 * -XX:DumpLoadedClassList=LIST -cp klp-lsp.jar dev.klplsp.cli.CdsTraining} runs every command once, in this JVM,
 * on a tiny generated livepatch module and kernel, with and without debug information (nothing read from the
 * system, nothing printed), and the JVM lists every class that was loaded; {@code java -Xshare:dump
 * -XX:SharedClassListFile=LIST} then archives them.
 * A later {@code java -XX:SharedArchiveFile=klp-lsp.jsa -jar klp-lsp.jar ...} maps those classes instead of
 * loading, verifying and linking them from the jar, which is most of a one-shot command's start-up. The archive
 * is a cache: the JVM ignores one that does not match its own build or the jar (see docs/benchmarks.md).
 * <p>
 * With {@value #KERNEL_COMMANDS_ARGUMENT} it trains only {@link #KERNEL_COMMANDS}, the commands run again and again
 * in a build or by hand: their archive leaves out the language server, the help, {@code elf} and {@code header}
 * (an archive of 19 MB instead of 24), and every start pays ~1 ms per MB of archive, which the JVM relocates to a random
 * address and checksums before it runs anything.
 */
public final class CdsTraining {
    /** The training kernel: _printk exported, klp_training_func unique with a clone, klp_training_data twice. */
    static final String SYSTEM_MAP = """
            ffffffff81000000 T _printk
            ffffffff81000010 T klp_training_func
            ffffffff81000020 t klp_training_func.isra.0
            ffffffff81000030 d klp_training_data
            ffffffff81000040 d klp_training_data
            """;
    static final String SYMVERS = "0x00000000\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n";
    static final String RELEASE = "6.1.0-klp-training";
    /**
     * What the module checked against the debug kernel calls: a function with a compiler clone, one as written, one
     * the debug information does not describe (the three outcomes of a call in a typical livepatch).
     */
    static final List<String> DEBUG_MODULE_CALLS = List.of("klp_training_func", "klp_training_plain",
            "klp_training_asm");

    /** A livepatch source calling the unique function and reading the ambiguous variable. */
    static final String TRAINING_SOURCE = """
            extern int klp_training_func(void);
            extern int klp_training_data;

            int klp_training_patched(void)
            {
            	return klp_training_func() + klp_training_data;
            }
            """;

    /** The commands the launchers run with the kernel commands' archive (packaging/run-jar names the same). */
    static final List<String> KERNEL_COMMANDS = List.of("convert", "check", "lookup", "index");
    static final String KERNEL_COMMANDS_ARGUMENT = "--kernel-commands";

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        boolean kernelCommandsOnly = args.length == 1 && args[0].equals(KERNEL_COMMANDS_ARGUMENT);
        if (args.length > 0 && !kernelCommandsOnly) {
            System.err.println("usage: java dev.klplsp.cli.CdsTraining [" + KERNEL_COMMANDS_ARGUMENT + "]");
            System.exit(ExitCodes.USAGE);
        }
        Path work = Files.createTempDirectory("klp-lsp-cds-training");
        // Whatever happens, exit: the language server's idle pool threads would keep a JVM that merely returned
        // (or threw) alive for ~60 s, and the launcher's first run waits for the training.
        int status = 0;
        try {
            train(work, kernelCommandsOnly);
        } catch (Throwable failure) {
            failure.printStackTrace();
            status = 1;
        }
        try {
            deleteTree(work);
        } catch (RuntimeException failure) {
            failure.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Every command, the language server too, or only {@link #KERNEL_COMMANDS}. */
    static void train(Path work, boolean kernelCommandsOnly) throws Exception {
        boolean all = !kernelCommandsOnly;
        Path module = work.resolve("klp_training.ko");
        Files.write(module, trainingModule());
        Path modules = Files.createDirectories(work.resolve("modules"));
        Files.write(modules.resolve("klp_training_mod.ko"), trainingModule());
        Path map = Files.writeString(work.resolve("System.map"), SYSTEM_MAP);
        Path symvers = Files.writeString(work.resolve("Module.symvers"), SYMVERS);
        String cache = work.resolve("cache").toString();
        List<String> kernel = List.of("--symbols", map.toString(), "--symvers", symvers.toString(), "--modules",
                modules.toString(), "--cache-dir", cache, "--no-project");
        String out = work.resolve("converted.ko").toString();

        if (all) {
            run(0, "--help");
            run(0, "--version");
            run(0, "elf", module.toString());
        }
        run(0, with(List.of("index"), kernel));
        run(0, with(List.of("index"), kernel));
        run(0, with(List.of("lookup", "klp_training_func"), kernel));
        run(1, with(List.of("lookup", "klp_training_fun"), kernel));
        run(0, with(List.of("lookup", "klp_training_data", "--json"), kernel));
        run(1, with(List.of("check", module.toString()), kernel));
        run(1, with(List.of("check", module.toString(), "--json"), kernel));
        List<String> convert = List.of("convert", module.toString(), "--sympos", "klp_training_data=vmlinux:2");
        run(0, with(convert, kernel, "-o", out));
        run(0, with(convert, kernel, "--json", "-o", out));
        if (all) {
            run(0, "elf", out);
        }
        // The common case names a kernel (a root with boot/ and lib/modules/<release>/): its discovery, the walk
        // of its modules and the cached load are trained too.
        List<String> root = List.of("--kernel", kernelRoot(work).toString(), "--cache-dir", cache, "--no-project");
        run(0, with(List.of("lookup", "klp_training_func"), root));
        run(0, with(List.of("lookup", "klp_training_func"), root));
        run(1, with(List.of("check", module.toString()), root));
        run(0, with(convert, root, "-o", out));
        // check takes C sources too: their parser and analysis (which only the language server trained otherwise).
        Path source = Files.writeString(work.resolve("klp_training.c"), TRAINING_SOURCE);
        run(1, with(List.of("check", source.toString()), root));
        run(1, with(List.of("check", source.toString(), "--json"), root));
        // Most kernels come with their debug information (Debian's usr/lib/debug/boot/vmlinux-<release>): the
        // symbol index is read from that file, and its DWARF says what the compiler made of each function the
        // module calls. The first run builds and caches both indexes; the later ones load them, as users do.
        Path debugModule = work.resolve("klp_training_dbg.ko");
        Files.write(debugModule, trainingModule(DEBUG_MODULE_CALLS));
        List<String> debugRoot = List.of("--kernel", debugKernelRoot(work).toString(), "--cache-dir", cache,
                "--no-project");
        List<String> debugConvert = List.of("convert", debugModule.toString(), "--sympos",
                "klp_training_data=vmlinux:2");
        run(1, with(List.of("check", debugModule.toString()), debugRoot));
        run(0, with(debugConvert, debugRoot, "-o", out));
        run(1, with(List.of("check", debugModule.toString()), debugRoot));
        run(0, with(debugConvert, debugRoot, "-o", out));
        run(0, with(List.of("lookup", "--inlines", "klp_training_func"), debugRoot));
        if (all) {
            run(0, "header");
            run(0, "convert", "--help");
            serve(work, map, symvers, cache);
        }
    }

    /** A kernel as an unpacked image lays it out: boot/System.map-R, lib/modules/R/kernel/, the headers' symvers. */
    private static Path kernelRoot(Path work) throws IOException {
        return kernelRoot(work.resolve("root"), "boot/System.map-", SYSTEM_MAP.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@link #kernelRoot} with a debug vmlinux ({@link TrainingVmlinux}) instead of the System.map. */
    static Path debugKernelRoot(Path work) throws IOException {
        return kernelRoot(work.resolve("debug-root"), "usr/lib/debug/boot/vmlinux-", TrainingVmlinux.image());
    }

    /** A root with {@code vmlinux} as {@code <vmlinuxPrefix><release>}, one module and the headers' symvers. */
    private static Path kernelRoot(Path root, String vmlinuxPrefix, byte[] vmlinux) throws IOException {
        Path vmlinuxFile = root.resolve(vmlinuxPrefix + RELEASE);
        Files.createDirectories(vmlinuxFile.getParent());
        Files.write(vmlinuxFile, vmlinux);
        Path modules = Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel/drivers"));
        Files.write(modules.resolve("klp_training_mod.ko"), trainingModule());
        Files.writeString(Files.createDirectories(root.resolve("usr/src/linux-headers-" + RELEASE))
                .resolve("Module.symvers"), SYMVERS);
        return root;
    }

    private static String[] with(List<String> command, List<String> options, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(options);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * Runs one command; a status other than {@code expected} means the training no longer goes where it should
     * (the archive would then miss that path), so it fails: the launcher then runs without an archive, and
     * StartupTest fails.
     */
    private static void run(int expected, String... args) {
        // Writers over a byte stream, as Main's over System.out and System.err: the encoding path is trained too.
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintWriter sink = new PrintWriter(output, true);
        int status = Main.commandLine(sink, sink, args).execute(args);
        sink.flush();
        if (status != expected) {
            throw new IllegalStateException("training: klp-lsp " + String.join(" ", args) + " exited " + status
                    + ", not " + expected + ":\n" + output);
        }
    }

    /** A short language-server session: initialize, open a source, wait for its diagnostics, shut down. */
    private static void serve(Path work, Path map, Path symvers, String cache) throws Exception {
        // A workspace of its own: no module in it for the server to check while it shuts down.
        Path workspace = Files.createDirectories(work.resolve("workspace"));
        Path source = workspace.resolve("livepatch.c");
        Files.writeString(source, """
                extern int klp_training_func(int);
                extern int klp_training_data;
                extern int klp_training_missing;
                int livepatch_calls(int x)
                {
                \treturn klp_training_func(x) + klp_training_data + klp_training_missing;
                }
                """);
        String root = workspace.toUri().toString();
        String uri = source.toUri().toString();
        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream serverInput = new PipedInputStream(toServer, 1 << 16);
        PipedInputStream fromServer = new PipedInputStream(1 << 20);
        PipedOutputStream serverOutput = new PipedOutputStream(fromServer);
        // Made by picocli as `klp-lsp serve` is (the command reads its spec); a failure fails the training.
        PrintWriter sink = new PrintWriter(new StringWriter());
        String[] args = {"serve", "--cache-dir", cache};
        CommandLine commandLine = Main.commandLine(sink, sink, args);
        commandLine.parseArgs(args);
        ServeCommand command = commandLine.getSubcommands().get("serve").getCommand();
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
            try {
                return command.serve(serverInput, serverOutput);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,"
                + "\"rootUri\":\"" + root + "\",\"capabilities\":{},\"initializationOptions\":{\"klp\":{"
                + "\"symbols\":[\"" + json(map) + "\"],\"symvers\":\"" + json(symvers) + "\"}}}}");
        await(fromServer, "\"id\":1");
        send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
        send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{"
                + "\"uri\":\"" + uri + "\",\"languageId\":\"c\",\"version\":1,\"text\":\""
                + json(Files.readString(source)) + "\"}}}");
        await(fromServer, "klp_training_missing");
        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{"
                + "\"textDocument\":{\"uri\":\"" + uri + "\"},\"position\":{\"line\":0,\"character\":14}}}");
        await(fromServer, "\"id\":2");
        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}");
        await(fromServer, "\"id\":3");
        send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
        toServer.close();
        int status = served.get(10, TimeUnit.SECONDS);
        if (status != 0) {
            throw new IllegalStateException("training: klp-lsp serve exited " + status + ", not 0");
        }
    }

    private static String json(Object value) {
        return value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
    }

    private static void send(PipedOutputStream out, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads the server's output until {@code marker} appears, for at most five seconds (then goes on). */
    private static void await(InputStream in, String marker) throws IOException, InterruptedException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        byte[] buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            if (in.available() == 0) {
                Thread.sleep(5);
                continue;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            seen.write(buffer, 0, n);
            if (seen.toString(StandardCharsets.UTF_8).contains(marker)) {
                return;
            }
        }
    }

    /**
     * A minimal x86_64 livepatch module, encoded here so the training needs no compiler: {@code .text} calls
     * {@code _printk} (exported), {@code klp_training_func} (unique, with a clone) and reads
     * {@code klp_training_data} (twice in the kernel, so it needs a sympos).
     */
    static byte[] trainingModule() {
        return trainingModule(List.of("klp_training_func"));
    }

    /** {@link #trainingModule()} calling {@code functions} (kernel functions, none exported) after _printk. */
    static byte[] trainingModule(List<String> functions) {
        List<String> called = new ArrayList<>(List.of("_printk"));
        called.addAll(functions);
        ByteBuffer text = ByteBuffer.allocate(5 * called.size() + 7).order(ByteOrder.LITTLE_ENDIAN);
        TrainingElf.Symbols symbols = new TrainingElf.Symbols();
        symbols.add("", Elf.STB_LOCAL, Elf.STT_SECTION, 1, 0, 0); // .text, the first section
        symbols.add("livepatch_calls", Elf.STB_GLOBAL, Elf.STT_FUNC, 1, 0, text.capacity());
        // Elf64_Rela: R_X86_64_PLT32 (4) for the calls, R_X86_64_PC32 (2) for the load.
        ByteBuffer rela = ByteBuffer.allocate(24 * (called.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (String function : called) {
            int symbol = symbols.add(function, Elf.STB_GLOBAL, Elf.STT_NOTYPE, Elf.SHN_UNDEF, 0, 0);
            rela.putLong(text.position() + 1).putLong((long) symbol << 32 | 4).putLong(-4);
            text.put((byte) 0xe8).putInt(0);
        }
        int data = symbols.add("klp_training_data", Elf.STB_GLOBAL, Elf.STT_NOTYPE, Elf.SHN_UNDEF, 0, 0);
        rela.putLong(text.position() + 2).putLong((long) data << 32 | 2).putLong(-4);
        text.put((byte) 0x8b).put((byte) 0x05).putInt(0).put((byte) 0xc3);
        TrainingElf elf = new TrainingElf();
        int textSection = elf.section(".text", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, 0, 0, 0, 16, 0,
                text.array());
        // .rela.text links to .symtab, which comes after .modinfo.
        elf.section(".rela.text", Elf.SHT_RELA, Elf.SHF_INFO_LINK, 0, textSection + 3, textSection, 8, 24,
                rela.array());
        elf.section(".modinfo", Elf.SHT_PROGBITS, Elf.SHF_ALLOC, 0, 0, 0, 1, 0,
                "livepatch=Y\0license=GPL\0name=klp_training\0".getBytes(StandardCharsets.US_ASCII));
        symbols.addTo(elf);
        return elf.write(Elf.ET_REL);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
