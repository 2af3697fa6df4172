// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Copies sample workspaces from {@code testdata/workspaces/} (with {@code testdata/include} beside them, as
 * their Makefiles expect) into a fresh directory under {@code target/} and builds the fixture kernel with gcc.
 */
public final class SampleWorkspaces {
    private static KernelIndex fixtureIndex;

    private SampleWorkspaces() {
    }

    /** A fresh copy of {@code testdata/workspaces/<name>} whose fixture kernel is built; returns the workspace root. */
    public static Path copy(String name) {
        Path base = Fixtures.repoRoot().resolve("server/target/workspaces").resolve(UUID.randomUUID().toString());
        copyTree(Fixtures.testdata().resolve("include"), base.resolve("testdata/include"));
        copyTree(Fixtures.testdata().resolve("workspaces/fixture-kernel"),
                base.resolve("testdata/workspaces/fixture-kernel"));
        copyTree(Fixtures.testdata().resolve("workspaces").resolve(name), base.resolve("testdata/workspaces/" + name));
        make(base.resolve("testdata/workspaces/fixture-kernel"));
        return base.resolve("testdata/workspaces/" + name);
    }

    /** Runs the workspace's Makefile (builds build/livepatch.ko) and returns the module. */
    public static Path buildModule(Path workspace) {
        make(workspace);
        return workspace.resolve("build/livepatch.ko");
    }

    /** The index of the fixture kernel, built once per test JVM. */
    public static synchronized KernelIndex fixtureIndex() {
        if (fixtureIndex == null) {
            Path kernel = copy("ambiguous").resolveSibling("fixture-kernel");
            fixtureIndex = KernelIndexLoader.load(KernelSources.ofKernel(kernel.toString()), IndexOptions.NO_CACHE,
                    ProgressListener.NONE);
        }
        return fixtureIndex;
    }

    /**
     * Installs a kernel release under a fake system root as Debian's packages would: a module tree
     * ({@code lib/modules/<release>/kernel/}, {@code modules.order}) and, with {@code debugVmlinux}, the fixture
     * vmlinux as the -dbg package's {@code usr/lib/debug/boot/vmlinux-<release>}.
     */
    public static void installKernel(Path root, String release, boolean debugVmlinux) {
        try {
            Path modules = Files.createDirectories(root.resolve("lib/modules").resolve(release).resolve("kernel"));
            Files.writeString(modules.resolveSibling("modules.order"), "");
            if (debugVmlinux) {
                Path vmlinux = copy("ambiguous").resolveSibling("fixture-kernel").resolve("vmlinux");
                Path target = Files.createDirectories(root.resolve("usr/lib/debug/boot")).resolve("vmlinux-" + release);
                Files.copy(vmlinux, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code release} the running kernel of a fake system root ({@code proc/sys/kernel/osrelease}). */
    public static void setRunning(Path root, String release) {
        try {
            Path file = Files.createDirectories(root.resolve("proc/sys/kernel")).resolve("osrelease");
            Files.writeString(file, release + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void make(Path dir) {
        Processes.run(dir, List.of("make", "-s"));
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
