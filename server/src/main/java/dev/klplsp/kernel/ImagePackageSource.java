// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.WorkerFailure;
import dev.klplsp.elf.ElfSymbolFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel from its image package alone ({@code linux-image-6.1.0-56-amd64_6.1.192-2_amd64.deb}), read in one
 * streaming pass with {@link DebPackage}: vmlinux symbols from {@code boot/vmlinuz-<release>}
 * ({@link KernelImageSource}, decoded on its own thread while the stream goes on), every module under
 * {@code lib/modules/<release>/} (parsed by a pool while the package is still being decompressed; at most
 * {@link #IN_FLIGHT} bytes wait in memory) and {@code modules.builtin}. The package's placeholder System.map is
 * never read. Nothing is written to disk.
 */
final class ImagePackageSource {
    /** Module bytes read from the package but not yet parsed. */
    static final int IN_FLIGHT = 64 << 20;
    private static final Pattern VMLINUZ = Pattern.compile("boot/vmlinuz-([^/]+)");
    private static final Pattern MODULE = Pattern.compile("(?:usr/)?lib/modules/([^/]+)/.+\\.ko(?:\\.xz|\\.zst|\\.gz)?");
    private static final Pattern BUILTIN = Pattern.compile("(?:usr/)?lib/modules/([^/]+)/modules\\.builtin");

    /** What the package held. */
    record Read(String release, ObjectSymbols vmlinux, Set<String> builtin, Map<String, List<String>> modulesByRelease,
            List<IndexWarning> warnings) {
    }

    private ImagePackageSource() {
    }

    /** Whether a file is a Debian package (by content). */
    static boolean isPackage(Path file) {
        return DebPackage.looksLike(InputFiles.headOfRegular(file, 64));
    }

    static Read read(Path deb, KernelIndexBuilder builder, ProgressListener progress) {
        progress.onProgress("reading " + deb.getFileName(), 0, 0);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "klp-index-package");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Future<Object>> modules = new ArrayList<>();
        List<String> images = new ArrayList<>();
        Set<String> moduleNames = new HashSet<>();
        List<IndexWarning> warnings = new ArrayList<>();
        Set<String> builtin = new java.util.TreeSet<>();
        CompletableFuture<ObjectSymbols>[] vmlinux = newFutureArray();
        try {
            DebPackage.read(deb, new DebPackage.Visitor() {
                @Override
                public boolean wants(String name, long size) {
                    return VMLINUZ.matcher(name).matches() || MODULE.matcher(name).matches()
                            || BUILTIN.matcher(name).matches();
                }

                @Override
                public void accept(String name, byte[] content) {
                    Path display = Path.of(deb + "!/" + name);
                    Matcher image = VMLINUZ.matcher(name);
                    if (image.matches()) {
                        images.add(image.group(1));
                        if (vmlinux[0] == null) {
                            vmlinux[0] = CompletableFuture.supplyAsync(
                                    () -> KernelImageSource.fromImage(display, content), pool);
                        }
                    } else if (BUILTIN.matcher(name).matches()) {
                        builtin.addAll(ModulesBuiltinSource.read(display, content));
                    } else {
                        String module = ElfSymbolSource.moduleName(Path.of(name));
                        if (!moduleNames.add(module)) {
                            warnings.add(IndexWarning.of("duplicate-module", display, "module " + module
                                    + " appears twice in the package; using the first"));
                            return;
                        }
                        int permits = Math.min(content.length, IN_FLIGHT);
                        inFlight.acquireUninterruptibly(permits);
                        modules.add(pool.submit(() -> {
                            try {
                                return KernelIndexLoader.readModule(display, module, builder, () -> ElfSymbolFile.read(
                                        display, name.endsWith(".ko") ? content : InputFiles.decompress(display, content)));
                            } finally {
                                inFlight.release(permits);
                            }
                        }));
                        if (modules.size() % 64 == 0) {
                            progress.onProgress("reading " + deb.getFileName(), modules.size(), 0);
                        }
                    }
                }
            });
            if (images.isEmpty()) {
                throw new SymbolSourceException(deb, "holds no boot/vmlinuz-<release>: not a linux-image package"
                        + " (the -dbg, headers and meta packages have no kernel image)");
            }
            if (images.size() > 1) {
                throw new SymbolSourceException(deb, "holds " + images.size() + " kernel images (" + images
                        + "); klp-lsp reads one kernel per package");
            }
            Map<String, List<String>> byRelease = new TreeMap<>();
            for (Future<Object> future : modules) {
                Object result = future.get();
                if (result instanceof IndexWarning warning) {
                    warnings.add(warning);
                } else if (result instanceof ObjectSymbols module) {
                    module.release.ifPresent(release -> byRelease.computeIfAbsent(release, r -> new ArrayList<>())
                            .add(module.object));
                }
            }
            byRelease.values().forEach(java.util.Collections::sort);
            return new Read(images.get(0), vmlinux[0].join(), builtin, byRelease, warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + deb, e);
        } catch (ExecutionException | CompletionException e) {
            throw WorkerFailure.unwrap(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<ObjectSymbols>[] newFutureArray() {
        return new CompletableFuture[1];
    }

    /** The release a package names in its file name ({@code linux-image-<release>_<version>_<arch>.deb}). */
    static Optional<String> releaseFromFileName(Path deb) {
        Matcher matcher = Pattern.compile("linux-image-(.+?)(?:-unsigned)?_[^_]+_[^_]+\\.deb")
                .matcher(deb.getFileName().toString());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
