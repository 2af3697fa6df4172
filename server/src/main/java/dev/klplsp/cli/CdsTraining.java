// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the launchers' application class-data-sharing archive (packaging/run-jar): {@code java
 * -XX:DumpLoadedClassList=LIST -cp klp-lsp.jar dev.klplsp.cli.CdsTraining} runs every command once, in this JVM,
 * on a tiny generated livepatch module and kernel (nothing read from the system, nothing printed), and the JVM
 * lists every class that was loaded; {@code java -Xshare:dump -XX:SharedClassListFile=LIST} then archives them.
 * A later {@code java -XX:SharedArchiveFile=klp-lsp.jsa -jar klp-lsp.jar ...} maps those classes instead of
 * loading, verifying and linking them from the jar, which is most of a one-shot command's start-up. The archive
 * is a cache: the JVM ignores one that does not match its own build or the jar (see docs/benchmarks.md).
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

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("klp-lsp-cds-training");
        try {
            train(work);
        } finally {
            deleteTree(work);
        }
        System.exit(0);
    }

    static void train(Path work) throws Exception {
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

        run(0, "--help");
        run(0, "--version");
        run(0, "elf", module.toString());
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
        run(0, "elf", out);
        // The common case names a kernel (a root with boot/ and lib/modules/<release>/): its discovery, the walk
        // of its modules and the cached load are trained too.
        List<String> root = List.of("--kernel", kernelRoot(work).toString(), "--cache-dir", cache, "--no-project");
        run(0, with(List.of("lookup", "klp_training_func"), root));
        run(0, with(List.of("lookup", "klp_training_func"), root));
        run(1, with(List.of("check", module.toString()), root));
        run(0, with(convert, root, "-o", out));
        run(0, "header");
        run(0, "convert", "--help");
        serve(work, map, symvers, cache);
    }

    /** A kernel as an unpacked image lays it out: boot/System.map-R, lib/modules/R/kernel/, the headers' symvers. */
    private static Path kernelRoot(Path work) throws IOException {
        String release = "6.1.0-klp-training";
        Path root = work.resolve("root");
        Files.writeString(Files.createDirectories(root.resolve("boot")).resolve("System.map-" + release), SYSTEM_MAP);
        Path modules = Files.createDirectories(root.resolve("lib/modules/" + release + "/kernel/drivers"));
        Files.write(modules.resolve("klp_training_mod.ko"), trainingModule());
        Files.writeString(Files.createDirectories(root.resolve("usr/src/linux-headers-" + release))
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
        StringWriter sink = new StringWriter();
        int status = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink), args).execute(args);
        if (status != expected) {
            throw new IllegalStateException("training: klp-lsp " + String.join(" ", args) + " exited " + status
                    + ", not " + expected + ":\n" + sink);
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
        ServeCommand command = new ServeCommand();
        command.cacheDir = Path.of(cache);
        CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
            try {
                return command.serve(serverInput, serverOutput);
            } catch (Exception e) {
                return 1;
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
        served.get(10, TimeUnit.SECONDS);
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
        byte[] text = {(byte) 0xe8, 0, 0, 0, 0, (byte) 0xe8, 0, 0, 0, 0, (byte) 0x8b, 0x05, 0, 0, 0, 0, (byte) 0xc3};
        byte[] modinfo = "livepatch=Y\0license=GPL\0name=klp_training\0".getBytes(StandardCharsets.US_ASCII);
        byte[] strtab = "\0livepatch_calls\0_printk\0klp_training_func\0klp_training_data\0"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] shstrtab = "\0.text\0.rela.text\0.modinfo\0.symtab\0.strtab\0.shstrtab\0"
                .getBytes(StandardCharsets.US_ASCII);
        // Elf64_Sym: name, info, other, shndx, value, size. Locals (null, .text section symbol) first.
        ByteBuffer symtab = ByteBuffer.allocate(6 * 24).order(ByteOrder.LITTLE_ENDIAN);
        symtab.position(24);
        symtab.putInt(0).put((byte) 3).put((byte) 0).putShort((short) 1).putLong(0).putLong(0);
        symtab.putInt(1).put((byte) 0x12).put((byte) 0).putShort((short) 1).putLong(0).putLong(text.length);
        symtab.putInt(17).put((byte) 0x10).put((byte) 0).putShort((short) 0).putLong(0).putLong(0);
        symtab.putInt(25).put((byte) 0x10).put((byte) 0).putShort((short) 0).putLong(0).putLong(0);
        symtab.putInt(43).put((byte) 0x10).put((byte) 0).putShort((short) 0).putLong(0).putLong(0);
        // Elf64_Rela: R_X86_64_PLT32 (4) for the calls, R_X86_64_PC32 (2) for the load.
        ByteBuffer rela = ByteBuffer.allocate(3 * 24).order(ByteOrder.LITTLE_ENDIAN);
        rela.putLong(1).putLong(3L << 32 | 4).putLong(-4);
        rela.putLong(6).putLong(4L << 32 | 4).putLong(-4);
        rela.putLong(12).putLong(5L << 32 | 2).putLong(-4);
        byte[][] contents = {new byte[0], text, rela.array(), modinfo, symtab.array(), strtab, shstrtab};
        // name, type, flags, link, info, addralign, entsize
        long[][] headers = {{0, 0, 0, 0, 0, 0, 0}, {1, 1, 6, 0, 0, 16, 0}, {7, 4, 0x40, 4, 1, 8, 24},
            {18, 1, 2, 0, 0, 1, 0}, {27, 2, 0, 5, 2, 8, 24}, {35, 3, 0, 0, 0, 1, 0}, {43, 3, 0, 0, 0, 1, 0}};
        int offset = 64;
        long[] offsets = new long[contents.length];
        for (int i = 1; i < contents.length; i++) {
            offset = (offset + 7) & ~7;
            offsets[i] = offset;
            offset += contents[i].length;
        }
        int shoff = (offset + 7) & ~7;
        ByteBuffer elf = ByteBuffer.allocate(shoff + 64 * contents.length).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        elf.position(16);
        elf.putShort((short) 1).putShort((short) 62).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) contents.length).putShort((short) 6);
        for (int i = 1; i < contents.length; i++) {
            elf.put((int) offsets[i], contents[i]);
        }
        elf.position(shoff);
        for (int i = 0; i < contents.length; i++) {
            long[] h = headers[i];
            elf.putInt((int) h[0]).putInt((int) h[1]).putLong(h[2]).putLong(0).putLong(offsets[i])
                    .putLong(contents[i].length).putInt((int) h[3]).putInt((int) h[4]).putLong(h[5]).putLong(h[6]);
        }
        return elf.array();
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
