// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds test fixtures from the C sources in {@code testdata/c/<case>/} with a real gcc, so every test
 * runs on real compiler output; nothing binary is checked in.
 *
 * <p>Each {@code .c} file of a case is compiled with {@code gcc -c}; the objects are combined with
 * {@code ld -r} into {@code <case>.ko}, in file-name order (so the symbol table order is the order of
 * the file names). A case may hold a file {@code cflags} with extra compiler flags, one per line.
 * Results are cached under {@code target/fixtures/<arch>/<case>-<hash>/}, keyed by a hash of the
 * sources, the flags and the toolchain, so a changed source rebuilds and an unchanged one does not.
 */
public final class Fixtures {
    /** Flags close to kbuild's for module objects: no PIC, no common symbols, kernel-like optimisation. */
    private static final List<String> BASE_FLAGS = List.of(
            "-O2", "-fno-pic", "-fno-common", "-ffreestanding", "-fno-asynchronous-unwind-tables",
            "-fno-stack-protector", "-Wall", "-Werror=implicit-function-declaration");

    private Fixtures() {
    }

    /** The repository's top directory. */
    public static Path repoRoot() {
        String property = System.getProperty("klp.repoRoot");
        Path root = property != null ? Paths.get(property) : Paths.get("..");
        return root.toAbsolutePath().normalize();
    }

    public static Path testdata() {
        return repoRoot().resolve("testdata");
    }

    private static Path fixtureRoot() {
        String property = System.getProperty("klp.fixtureDir");
        return (property != null ? Paths.get(property) : repoRoot().resolve("server/target/fixtures"))
                .toAbsolutePath().normalize();
    }

    /** Builds {@code testdata/c/<caseName>} for the host (x86_64) and returns the linked module. */
    public static Path module(String caseName) {
        return module(caseName, Toolchain.X86_64);
    }

    /** Builds {@code testdata/c/<caseName>} with a toolchain and returns the linked {@code <case>.ko}. */
    public static Path module(String caseName, Toolchain toolchain) {
        return build(caseName, toolchain).resolve(caseName + ".ko");
    }

    /** Builds a case and returns its output directory ({@code <file>.o} per source, and {@code <case>.ko}). */
    public static Path build(String caseName, Toolchain toolchain) {
        return build(caseName, toolchain, List.of());
    }

    /**
     * Builds a case with compiler flags added after its own (e.g. {@code -gdwarf-4} over a case's
     * {@code -gdwarf-5}); cached separately per flag set.
     */
    public static Path module(String caseName, Toolchain toolchain, List<String> extraFlags) {
        return build(caseName, toolchain, extraFlags).resolve(caseName + ".ko");
    }

    private static synchronized Path build(String caseName, Toolchain toolchain, List<String> extraFlags) {
        Path sourceDir = testdata().resolve("c").resolve(caseName);
        if (!Files.isDirectory(sourceDir)) {
            throw new AssertionError("no fixture sources: " + sourceDir);
        }
        return build(sourceDir, caseName, toolchain, extraFlags, List.of());
    }

    /**
     * Builds sources a test wrote (a file klp-lsp rewrote, say) like a case of {@code testdata/c}, with the
     * annotation header {@code klp_relocs.h} ({@code klp-lsp header}) on the include path too; returns the linked
     * {@code <caseName>.ko}. Compiler errors fail the test with gcc's message.
     */
    public static synchronized Path moduleFromSources(String caseName, java.util.Map<String, String> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (java.util.Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update(file.getValue().getBytes(StandardCharsets.UTF_8));
            }
            Path sourceDir = repoRoot().resolve("server/target/fixture-sources")
                    .resolve(caseName + "-" + HexFormat.of().formatHex(digest.digest(), 0, 6));
            Files.createDirectories(sourceDir);
            for (java.util.Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(sourceDir.resolve(file.getKey()), file.getValue());
            }
            Path header = repoRoot().resolve("server/src/main/resources/include");
            return build(sourceDir, caseName, Toolchain.X86_64, List.of(), List.of(header)).resolve(caseName + ".ko");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path build(Path sourceDir, String caseName, Toolchain toolchain, List<String> extraFlags,
            List<Path> extraIncludes) {
        try {
            List<Path> sources = listSorted(sourceDir, ".c");
            if (sources.isEmpty()) {
                throw new AssertionError("fixture " + caseName + " has no .c files");
            }
            List<String> flags = new ArrayList<>(BASE_FLAGS);
            flags.addAll(toolchain.archFlags());
            Path flagFile = sourceDir.resolve("cflags");
            if (Files.exists(flagFile)) {
                for (String line : Files.readAllLines(flagFile)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        flags.add(line.strip());
                    }
                }
            }
            flags.addAll(extraFlags);
            List<String> hashed = new ArrayList<>(flags);
            for (Path include : extraIncludes) {
                hashed.add("-I" + include);
                for (Path header : listSorted(include, ".h")) {
                    hashed.add(Files.readString(header));
                }
            }
            Path outDir = fixtureRoot().resolve(toolchain.dirName())
                    .resolve(caseName + "-" + hash(sourceDir, sources, hashed, toolchain));
            if (Files.exists(outDir.resolve(caseName + ".ko"))) {
                return outDir;
            }
            Files.createDirectories(outDir.getParent());
            Path work = Files.createTempDirectory(outDir.getParent(), caseName + ".tmp");
            List<String> link = new ArrayList<>(List.of(toolchain.ld(), "-r", "-o", caseName + ".ko"));
            for (Path source : sources) {
                String object = source.getFileName().toString().replaceAll("\\.c$", ".o");
                List<String> compile = new ArrayList<>(List.of(toolchain.gcc(), "-c"));
                compile.addAll(flags);
                compile.addAll(List.of("-I", sourceDir.toString(), "-I", testdata().resolve("include").toString()));
                extraIncludes.forEach(include -> compile.addAll(List.of("-I", include.toString())));
                compile.addAll(List.of("-o", object, source.toString()));
                Processes.run(work, compile);
                link.add(object);
            }
            Processes.run(work, link);
            try {
                Files.move(work, outDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another JVM (a parallel build) finished the same fixture first; theirs is as good.
                if (!Files.exists(outDir.resolve(caseName + ".ko"))) {
                    throw raced;
                }
            }
            return outDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds a case like {@link #build} and then links its objects (file-name order) with {@code ld <ldArgs>}
     * into a file named {@code output} — e.g. a vmlinux-like ET_EXEC with a linker script that puts the
     * objects' sections in another order than their symbols. Cached by the arguments and the content of
     * every argument that names a file.
     */
    public static Path link(String caseName, Toolchain toolchain, List<String> ldArgs, String output) {
        return link(caseName, toolchain, List.of(), ldArgs, output);
    }

    /** {@link #link(String, Toolchain, List, String)} of a case compiled with extra flags (see {@link #module}). */
    public static synchronized Path link(String caseName, Toolchain toolchain, List<String> extraFlags,
            List<String> ldArgs, String output) {
        Path dir = build(caseName, toolchain, extraFlags);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String arg : ldArgs) {
                digest.update(arg.getBytes(StandardCharsets.UTF_8));
                Path asFile = Paths.get(arg);
                if (Files.isRegularFile(asFile)) {
                    digest.update(Files.readAllBytes(asFile));
                }
            }
            Path linkDir = dir.resolve("link-" + HexFormat.of().formatHex(digest.digest(), 0, 6));
            Path result = linkDir.resolve(output);
            if (Files.exists(result)) {
                return result;
            }
            Path work = Files.createTempDirectory(dir, "link.tmp");
            List<String> command = new ArrayList<>(List.of(toolchain.ld()));
            command.addAll(ldArgs);
            command.addAll(List.of("-o", work.resolve(output).toString()));
            for (Path object : listSorted(dir, ".o")) {
                command.add(object.getFileName().toString());
            }
            Processes.run(dir, command);
            try {
                Files.move(work, linkDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(result)) {
                    throw raced;
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a toolchain's compiler is on PATH (cross compilers are optional outside CI). */
    public static boolean available(Toolchain toolchain) {
        return Processes.runAllowingFailure(null, List.of("sh", "-c", "command -v " + toolchain.gcc())).exitCode() == 0;
    }

    private static List<Path> listSorted(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static String hash(Path sourceDir, List<Path> sources, List<String> flags, Toolchain toolchain)
            throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(toolchain.name().getBytes(StandardCharsets.UTF_8));
            digest.update(String.join("\n", flags).getBytes(StandardCharsets.UTF_8));
            List<Path> inputs = new ArrayList<>(sources);
            try (Stream<Path> all = Files.list(sourceDir)) {
                all.filter(p -> p.getFileName().toString().endsWith(".h")).sorted().forEach(inputs::add);
            }
            Path include = testdata().resolve("include");
            if (Files.isDirectory(include)) {
                inputs.addAll(listSorted(include, ".h"));
            }
            for (Path input : inputs) {
                digest.update(input.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(input));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
