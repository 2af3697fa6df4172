// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Debian kernel the end-to-end tests run against: a directory made by
 * {@code testdata/kernel/fetch-kernel.sh} and named by the environment variable {@code KLP_TEST_KERNEL_DIR}.
 *
 * <p>Layout of that directory: {@code boot/vmlinuz-<release>}, {@code lib/modules/<release>/kernel/**.ko},
 * {@code kallsyms} (a {@code /proc/kallsyms} dump of a {@code nokaslr} boot with modules loaded),
 * {@code Module.symvers}, and optionally the {@code -dbg} files under {@code usr/lib/debug/boot/}.
 *
 * <p>{@link #boot} runs the kernel under qemu with the same scripts as the shell harness
 * ({@code testdata/kernel/mkinitramfs.sh} and {@code boot.sh}), so there is one way to build an initramfs.
 */
public final class RealKernel {
    public static final String ENV_KERNEL_DIR = "KLP_TEST_KERNEL_DIR";

    /** Printed by {@code testdata/kernel/init/init.sh} once {@code /init} runs; proves the guest got that far. */
    public static final String INIT_STARTED_MARKER = "KLP-INIT: started";

    private static final Pattern BODY_EXIT = Pattern.compile("KLP-INIT: body-exit=(\\d+)");
    private static final Pattern VMLINUZ = Pattern.compile("vmlinuz-(.+)");

    private final Path dir;
    private final String release;

    private RealKernel(Path dir, String release) {
        this.dir = dir;
        this.release = release;
    }

    /**
     * The kernel named by {@code KLP_TEST_KERNEL_DIR}, or empty when the variable is unset.
     * A variable that names an incomplete directory is a broken test setup and fails.
     */
    public static Optional<RealKernel> find() {
        return find(System.getenv());
    }

    static Optional<RealKernel> find(Map<String, String> env) {
        String value = env.get(ENV_KERNEL_DIR);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path dir = Paths.get(value).toAbsolutePath().normalize();
        Path boot = dir.resolve("boot");
        List<Path> images;
        try (Stream<Path> files = Files.isDirectory(boot) ? Files.list(boot) : Stream.empty()) {
            images = files.filter(p -> VMLINUZ.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (images.size() != 1) {
            throw new AssertionError(ENV_KERNEL_DIR + "=" + value + " must hold exactly one boot/vmlinuz-<release>, found "
                    + images.size() + "; create it with testdata/kernel/fetch-kernel.sh " + value);
        }
        Matcher matcher = VMLINUZ.matcher(images.get(0).getFileName().toString());
        matcher.matches();
        return Optional.of(new RealKernel(dir, matcher.group(1)));
    }

    /**
     * The kernel, or skips the calling test (a JUnit assumption) when {@code KLP_TEST_KERNEL_DIR} is unset.
     * On CI ({@code CI=true}) a missing kernel fails instead, so the end-to-end suite can never be skipped silently.
     */
    public static RealKernel require() {
        return require(System.getenv());
    }

    static RealKernel require(Map<String, String> env) {
        Optional<RealKernel> kernel = find(env);
        if (kernel.isEmpty()) {
            String message = ENV_KERNEL_DIR + " is not set: this test needs the real Debian kernel; create it with "
                    + "testdata/kernel/fetch-kernel.sh DIR and export " + ENV_KERNEL_DIR + "=DIR";
            if ("true".equals(env.get("CI"))) {
                throw new AssertionError(message + " (CI=true, so this is a failure, not a skip)");
            }
            Assumptions.assumeTrue(false, message);
        }
        return kernel.get();
    }

    public Path dir() {
        return dir;
    }

    /** The kernel release, e.g. {@code 6.1.0-56-amd64}. */
    public String release() {
        return release;
    }

    public Path vmlinuz() {
        return dir.resolve("boot/vmlinuz-" + release);
    }

    /** {@code lib/modules/<release>}; the shipped modules are under its {@code kernel/} directory. */
    public Path modulesDir() {
        return requireExisting(dir.resolve("lib/modules/" + release));
    }

    /** The {@code .ko} of a shipped module by name ({@code "minix"}), searched under {@code modulesDir()/kernel}. */
    public Optional<Path> findModule(String name) {
        String fileName = name + ".ko";
        try (Stream<Path> files = Files.walk(modulesDir().resolve("kernel"))) {
            return files.filter(p -> p.getFileName().toString().equals(fileName)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path requireModule(String name) {
        return findModule(name).orElseThrow(() -> new AssertionError("no module " + name + ".ko under " + modulesDir()));
    }

    /** {@code /proc/kallsyms} of a {@code nokaslr} boot with the modules listed in testdata/kernel/README.md. */
    public Path kallsymsDump() {
        return requireExisting(dir.resolve("kallsyms"));
    }

    /** The image package {@code linux-image-<release>_<version>_amd64.deb} that fetch-kernel.sh keeps. */
    public Path imagePackage() {
        return packageIn(dir, release);
    }

    /** Another build of the same kernel: its image package and a {@code /proc/kallsyms} dump of a boot of it. */
    public record OtherBuild(String release, Path imagePackage, Path kallsymsDump) {
        /**
         * Its {@code boot/vmlinuz-<release>}, extracted from the package into {@code server/target/kernels/} once
         * (fetch-kernel.sh keeps only the package).
         */
        public Path vmlinuz() {
            Path file = Fixtures.repoRoot().resolve("server/target/kernels/" + release + "/vmlinuz-" + release);
            if (Files.isRegularFile(file)) {
                return file;
            }
            try {
                Files.createDirectories(file.getParent());
                Path partial = Files.createTempFile(file.getParent(), "vmlinuz", ".tmp");
                Processes.run(file.getParent(), List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -x -O"
                        + " \"./boot/vmlinuz-$2\" > \"$3\"", "sh", imagePackage.toString(), release,
                        partial.toString()));
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The other builds fetch-kernel.sh puts under {@code releases/<release>/} (6.1.0-47 and 6.1.0-52 by default);
     * each must have its package and its dump.
     */
    public List<OtherBuild> otherBuilds() {
        Path releases = dir.resolve("releases");
        if (!Files.isDirectory(releases)) {
            throw new AssertionError("no " + releases + ": run testdata/kernel/fetch-kernel.sh " + dir
                    + " to fetch the other builds' image packages");
        }
        try (Stream<Path> dirs = Files.list(releases)) {
            return dirs.filter(Files::isDirectory).sorted().map(d -> {
                String other = d.getFileName().toString();
                return new OtherBuild(other, packageIn(d, other), requireExisting(d.resolve("kallsyms")));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path packageIn(Path dir, String release) {
        String prefix = "linux-image-" + release + "_";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.deb in " + dir
                            + " (testdata/kernel/fetch-kernel.sh keeps it)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real System.map from the {@code -dbg} package; {@code boot/System.map-*} is only an 83-byte stub. */
    public Optional<Path> systemMap() {
        return existing(dir.resolve("usr/lib/debug/boot/System.map-" + release));
    }

    /** The unstripped vmlinux from the {@code -dbg} package (633 MB). */
    public Optional<Path> debugVmlinux() {
        return existing(dir.resolve("usr/lib/debug/boot/vmlinux-" + release));
    }

    /**
     * A file of the {@code -dbg} package, relative to {@code usr/lib/debug} (e.g. {@code boot/vmlinux-<release>}).
     * Skips the calling test when it is missing, unless on CI ({@code CI=true}) without {@code KLP_CI_NO_DBG=1},
     * where testdata/kernel/fetch-kernel.sh must have extracted it: then a missing file fails.
     */
    public Path requireDebugFile(String relative) {
        Path file = dir.resolve("usr/lib/debug").resolve(relative);
        if (!Files.isRegularFile(file)) {
            String message = file + " missing (testdata/kernel/fetch-kernel.sh extracts it from the -dbg package)";
            if ("true".equals(System.getenv("CI")) && !"1".equals(System.getenv("KLP_CI_NO_DBG"))) {
                throw new AssertionError(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return file;
    }

    /**
     * The few files of Debian's {@code linux-source} package that testdata/kernel/fetch-kernel.sh unpacks where the
     * package puts them ({@code usr/src/linux-source-6.1}, its changelog under {@code usr/share/doc}). Like
     * {@link #requireDebugFile}: skips the calling test when they are missing, unless on CI with the -dbg package.
     */
    public Path requireKernelSource() {
        Path tree = dir.resolve("usr/src/linux-source-6.1");
        if (!Files.isRegularFile(tree.resolve("kernel/sysctl.c"))) {
            String message = tree + " missing (testdata/kernel/fetch-kernel.sh extracts it from linux-source-6.1)";
            if ("true".equals(System.getenv("CI")) && !"1".equals(System.getenv("KLP_CI_NO_DBG"))) {
                throw new AssertionError(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        return tree;
    }

    /** The debug file of a shipped module ({@code "minix"}): the same path under {@code usr/lib/debug}. */
    public Path requireDebugModule(String name) {
        Path shipped = requireModule(name);
        return requireDebugFile("lib/modules/" + release + "/" + modulesDir().relativize(shipped));
    }

    /** The exports of vmlinux and the shipped modules: the copy in the kernel dir, else the installed headers'. */
    public Path moduleSymvers() {
        return existing(dir.resolve("Module.symvers"))
                .or(() -> existing(headersDir().resolve("Module.symvers")))
                .orElseThrow(() -> new AssertionError("no Module.symvers in " + dir + " nor in " + headersDir()));
    }

    /** The kbuild tree of {@code linux-headers-<release>} (not required to exist). */
    public Path headersDir() {
        return Paths.get("/usr/src/linux-headers-" + release);
    }

    /**
     * Boots this kernel under qemu with an initramfs holding busybox and {@code modules} in {@code /mods/},
     * runs {@code script} (busybox sh) from {@code /init}, and powers off. The script sees {@code /proc},
     * {@code /sys} and {@code /dev} mounted and can insmod, read {@code /sys/kernel/livepatch/*} and run dmesg;
     * its output goes to the serial console, so it is in the returned log.
     */
    public BootResult boot(List<Path> modules, String script, Duration timeout) {
        return boot(modules, script, timeout, "");
    }

    /** {@link #boot(List, String, Duration)} with extra words for the kernel command line. */
    public BootResult boot(List<Path> modules, String script, Duration timeout, String extraCmdline) {
        return boot(vmlinuz(), modules, script, timeout, extraCmdline);
    }

    /** {@link #boot(List, String, Duration)} of another kernel image (another build's, {@link OtherBuild#vmlinuz}). */
    public BootResult boot(Path vmlinuz, List<Path> modules, String script, Duration timeout, String extraCmdline) {
        try {
            Path runs = Fixtures.repoRoot().resolve("server/target/qemu");
            Files.createDirectories(runs);
            Path work = Files.createTempDirectory(runs, "boot-");
            Path body = work.resolve("body.sh");
            Files.writeString(body, script.endsWith("\n") ? script : script + "\n");
            Path initrd = work.resolve("initrd.gz");
            Path scripts = Fixtures.testdata().resolve("kernel");

            List<String> mkinitramfs = new ArrayList<>(List.of(
                    scripts.resolve("mkinitramfs.sh").toString(), initrd.toString(), body.toString()));
            modules.forEach(module -> mkinitramfs.add(module.toAbsolutePath().toString()));
            Processes.run(work, mkinitramfs);

            Path log = work.resolve("serial.log");
            List<String> bootCommand = List.of("env",
                    "BOOT_TIMEOUT=" + Math.max(1, timeout.toSeconds()), "BOOT_APPEND=" + extraCmdline,
                    scripts.resolve("boot.sh").toString(), vmlinuz.toString(), initrd.toString(), log.toString());
            long start = System.nanoTime();
            Processes.Result result = Processes.runAllowingFailure(work, bootCommand);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            // The serial log stays for a human to read after a failure; the 1 MB initramfs need not.
            Files.deleteIfExists(initrd);
            String serial = Files.exists(log)
                    ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).replace("\r", "")
                    : "";
            return new BootResult(serial + result.stderr(), result.exitCode(), log, wall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a qemu boot produced.
     *
     * @param serialLog the console (ttyS0) with {@code \r} removed: kernel messages and the script's output
     * @param exitCode  boot.sh's exit status: 0 after a clean power-off, 124 (or 137) when the timeout hit
     * @param logFile   where the log is kept for a human to read after a failure
     */
    public record BootResult(String serialLog, int exitCode, Path logFile, Duration wallTime) {
        public boolean timedOut() {
            return exitCode == 124 || exitCode == 137;
        }

        /** The kernel panicked; with {@code oops=panic} every oops does. */
        public boolean panicked() {
            return serialLog.contains("Kernel panic - not syncing");
        }

        public boolean initStarted() {
            return serialLog.contains(INIT_STARTED_MARKER);
        }

        /** The exit status of the script, when it ran to the end. */
        public Optional<Integer> scriptExitCode() {
            Matcher matcher = BODY_EXIT.matcher(serialLog);
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        }

        /** Whether the guest ran the whole script and powered off cleanly. */
        public boolean completed() {
            return exitCode == 0 && scriptExitCode().isPresent() && !panicked();
        }

        /** A short description for assertion messages: status plus the log's tail. */
        public String describe() {
            String[] lines = serialLog.split("\n");
            int from = Math.max(0, lines.length - 60);
            return "qemu exit " + exitCode + (timedOut() ? " (timed out)" : "") + (panicked() ? " (panicked)" : "")
                    + ", log " + logFile + ", last lines:\n"
                    + String.join("\n", List.of(lines).subList(from, lines.length));
        }
    }

    /**
     * Shell for a boot script that loads livepatches: {@code settle NAME} waits (at most 20 s) until the patch's
     * transition is over, or its directory is gone (a disabled patch is freed); it reports a timeout with
     * {@code log}, which the script defines.
     */
    public static final String SETTLE = """
            settle() {
                for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
                    [ -e /sys/kernel/livepatch/$1 ] || return 0
                    [ "$(cat /sys/kernel/livepatch/$1/transition)" = 0 ] && return 0
                    sleep 1
                done
                log "transition of $1 did not settle"
            }
            """;

    /**
     * Copies the livepatch source {@code testdata/kernel/modules/<source>/<source>.c} under a new module name into
     * {@code work/<name>/} with klp_relocs.h and a Kbuild that adds {@code -D<define>} for each define, and builds
     * it with {@link #buildModule}.
     */
    public Path buildLivepatch(Path work, String source, String name, String... defines) {
        try {
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            Path sourceDir = Fixtures.testdata().resolve("kernel/modules").resolve(source);
            Files.writeString(dir.resolve(name + ".c"), Files.readString(sourceDir.resolve(source + ".c")));
            try (InputStream header = RealKernel.class.getResourceAsStream("/include/klp_relocs.h")) {
                Files.write(dir.resolve("klp_relocs.h"), header.readAllBytes());
            }
            StringBuilder kbuild = new StringBuilder("obj-m := " + name + ".o\n");
            for (String define : defines) {
                kbuild.append("ccflags-y += -D").append(define).append('\n');
            }
            Files.writeString(dir.resolve("Kbuild"), kbuild.toString());
            return buildModule(dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds an out-of-tree module with kbuild against the installed {@code linux-headers-<release>}
     * ({@code make -C <headers> M=<copy> KBUILD_MODPOST_WARN=1 modules}) and returns {@code <name>.ko}.
     * {@code KBUILD_MODPOST_WARN=1} is what lets a livepatch reference non-exported symbols at all.
     * The sources are copied under {@code server/target/kbuild/} and the result is cached by a hash of them.
     * A directory without {@code Kbuild} or {@code Makefile} gets {@code obj-m := <name>.o}.
     */
    public Path buildModule(Path sourceDir, String name) {
        Path headers = headersDir();
        if (!Files.isRegularFile(headers.resolve("Makefile"))) {
            throw new AssertionError("kernel headers missing: " + headers + " (apt-get install linux-headers-" + release + ")");
        }
        try {
            List<Path> sources;
            try (Stream<Path> files = Files.list(sourceDir)) {
                sources = files.filter(Files::isRegularFile).sorted().toList();
            }
            Path outRoot = Fixtures.repoRoot().resolve("server/target/kbuild");
            Path outDir = outRoot.resolve(name + "-" + hash(release, sources));
            Path ko = outDir.resolve(name + ".ko");
            if (Files.exists(ko)) {
                return ko;
            }
            Files.createDirectories(outRoot);
            Path work = Files.createTempDirectory(outRoot, name + ".tmp");
            for (Path source : sources) {
                Files.copy(source, work.resolve(source.getFileName()));
            }
            if (!Files.exists(work.resolve("Kbuild")) && !Files.exists(work.resolve("Makefile"))) {
                Files.writeString(work.resolve("Kbuild"), "obj-m := " + name + ".o\n");
            }
            Processes.run(work, List.of("make", "-s", "-C", headers.toString(), "M=" + work,
                    "KBUILD_MODPOST_WARN=1", "modules"));
            if (!Files.exists(work.resolve(name + ".ko"))) {
                throw new AssertionError("kbuild in " + work + " produced no " + name + ".ko");
            }
            try {
                Files.move(work, outDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another JVM built the same sources first; its result is as good as ours.
                if (!Files.exists(ko)) {
                    throw raced;
                }
            }
            return ko;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String release, List<Path> sources) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(release.getBytes(StandardCharsets.UTF_8));
            for (Path source : sources) {
                digest.update(source.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(source));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> existing(Path path) {
        return Files.exists(path) ? Optional.of(path) : Optional.empty();
    }

    private static Path requireExisting(Path path) {
        if (!Files.exists(path)) {
            throw new AssertionError("missing " + path + "; recreate the kernel dir with testdata/kernel/fetch-kernel.sh");
        }
        return path;
    }
}
