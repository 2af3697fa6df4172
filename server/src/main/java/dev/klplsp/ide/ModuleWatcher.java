// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a workspace for built modules ({@code *.ko}) with the JDK's watch service, and takes change reports
 * from the editor too ({@link #changed(Path)}); both go through one debounce, so a module that the linker
 * writes in several steps, reported by both, is handled once, after it has been quiet for the debounce time.
 */
public final class ModuleWatcher implements AutoCloseable {
    private final Path root;
    private final long debounceMillis;
    private final Consumer<Path> onModuleChanged;
    private final Map<Path, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "klp-module-debounce");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;

    public ModuleWatcher(Path root, long debounceMillis, Consumer<Path> onModuleChanged) {
        this.root = root.toAbsolutePath().normalize();
        this.debounceMillis = debounceMillis;
        this.onModuleChanged = onModuleChanged;
    }

    public static boolean isModule(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".ko");
    }

    /** Starts the JDK watcher over every directory below the root (hidden ones skipped). */
    public void start() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        registerTree(root);
        thread = new Thread(this::loop, "klp-module-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** A change reported from elsewhere (the editor's didChangeWatchedFiles). */
    public void changed(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (!isModule(path)) {
            return;
        }
        pending.compute(path, (key, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return timer.schedule(() -> {
                pending.remove(key);
                if (Files.isRegularFile(key)) {
                    onModuleChanged.accept(key);
                }
            }, debounceMillis, TimeUnit.MILLISECONDS);
        });
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path dir = directories.get(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (dir == null || event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    continue;
                }
                Path child = dir.resolve((Path) event.context());
                if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
                    try {
                        registerTree(child);
                    } catch (IOException e) {
                        // A directory that vanished at once: nothing to watch.
                    }
                } else if (event.kind() != StandardWatchEventKinds.ENTRY_DELETE) {
                    changed(child);
                }
            }
            if (!key.reset()) {
                directories.remove(key);
            }
        }
    }

    private void registerTree(Path start) throws IOException {
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(root) && name.startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                directories.put(key, dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // Closing is best effort.
            }
        }
    }
}
