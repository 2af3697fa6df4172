// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a workspace for built modules ({@code *.ko}) with the JDK's watch service, and takes change reports
 * from the editor too ({@link #changed(Path)}); both go through one debounce, so a module that the linker
 * writes in several steps, reported by both, is handled once, after it has been quiet for the debounce time.
 * Single files (the project file) can be watched too, {@link #watchFile(Path, Runnable)}: their creation,
 * change and deletion go through the same debounce.
 *
 * <p>Directories are the {@link WorkspaceFiles} walk's (breadth first, hidden ones and {@code node_modules}
 * skipped), at most {@code maxDirectories} of them: a huge tree (a whole kernel source checkout) would otherwise
 * exhaust the system's inotify watches.
 */
public final class ModuleWatcher implements AutoCloseable {
    /** Enough for any livepatch project; a kernel tree has ~5,000 directories, most never hold our module. */
    public static final int DEFAULT_MAX_DIRECTORIES = 2_000;

    private final Path root;
    private final long debounceMillis;
    private final Consumer<Path> onModuleChanged;
    private final int maxDirectories;
    private final Consumer<String> onNotice;
    private final Map<Path, Runnable> watchedFiles = new ConcurrentHashMap<>();
    private volatile boolean capReported;
    private final Map<Path, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
            runnable -> {
                Thread thread = new Thread(runnable, "klp-module-debounce");
                thread.setDaemon(true);
                return thread;
            }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread thread;

    public ModuleWatcher(Path root, long debounceMillis, Consumer<Path> onModuleChanged) {
        this(root, debounceMillis, onModuleChanged, DEFAULT_MAX_DIRECTORIES, notice -> { });
    }

    /**
     * @param maxDirectories how many directories the JDK watcher registers at most
     * @param onNotice       told once, in a sentence, when that cap is hit
     */
    public ModuleWatcher(Path root, long debounceMillis, Consumer<Path> onModuleChanged, int maxDirectories,
            Consumer<String> onNotice) {
        this.root = root.toAbsolutePath().normalize();
        this.debounceMillis = debounceMillis;
        this.onModuleChanged = onModuleChanged;
        this.maxDirectories = maxDirectories;
        this.onNotice = onNotice;
    }

    public static boolean isModule(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(".ko");
    }

    /** Starts the JDK watcher over the directories below the root (see the class comment for which). */
    public void start() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        register(root); // the root itself even when hidden, and an unreadable root is an error
        registerTree(root);
        watchedFiles.forEach(this::watchFile); // files named before start, outside the root
        thread = new Thread(this::loop, "klp-module-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Also reports when {@code file} is created, changed or deleted (debounced), wherever it is: a file outside
     * the root gets its directory watched. Watching the same file again replaces the action.
     */
    public void watchFile(Path file, Runnable onChange) {
        Path path = file.toAbsolutePath().normalize();
        watchedFiles.put(path, onChange);
        Path dir = path.getParent();
        if (service != null && dir != null && !directories.containsValue(dir) && Files.isDirectory(dir)) {
            try {
                register(dir);
            } catch (IOException e) {
                // The editor's reports (didChangeWatchedFiles) still reach changed().
            }
        }
    }

    /** Whether {@code file} is watched with {@link #watchFile}. */
    public boolean isWatchedFile(Path file) {
        return watchedFiles.containsKey(file.toAbsolutePath().normalize());
    }

    /** How many directories the JDK watcher registered (tests). */
    public int directoryCount() {
        return directories.size();
    }

    /** A change reported from elsewhere (the editor's didChangeWatchedFiles), or by the JDK watcher. */
    public void changed(Path file) {
        Path path = file.toAbsolutePath().normalize();
        Runnable watched = watchedFiles.get(path);
        if (watched != null) {
            debounce(path, watched);
        } else if (isModule(path) && WorkspaceFiles.isWalked(root, path)) {
            debounce(path, () -> {
                if (Files.isRegularFile(path)) {
                    onModuleChanged.accept(path);
                }
            });
        }
    }

    private void debounce(Path path, Runnable action) {
        if (timer.isShutdown()) {
            return; // closed: a report that arrives while the server exits is dropped
        }
        pending.compute(path, (key, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return timer.schedule(() -> {
                pending.remove(key);
                action.run();
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
                if (watchedFiles.containsKey(child)) {
                    changed(child); // created, changed or deleted alike
                } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    if (WorkspaceFiles.isWalked(root, child)) {
                        registerTree(child);
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

    /** Registers {@code start} and the directories below it (the {@link WorkspaceFiles} walk), up to the cap. */
    private void registerTree(Path start) {
        for (Path dir : WorkspaceFiles.directories(start, maxDirectories + 1)) {
            if (directories.containsValue(dir)) {
                continue;
            }
            if (directories.size() >= maxDirectories) {
                if (!capReported) {
                    capReported = true;
                    onNotice.accept("watching only " + maxDirectories + " directories below " + root
                            + " (the workspace has more); modules built deeper are still checked on save and with"
                            + " klp.check");
                }
                return;
            }
            try {
                register(dir);
            } catch (IOException e) {
                // Vanished or unreadable: nothing to watch.
            }
        }
    }

    private void register(Path dir) throws IOException {
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        directories.put(key, dir);
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
