// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleWatcherTest {
    @TempDir
    Path root;

    @Test
    void registersAtMostTheCapBreadthFirstAndSaysSoOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.createDirectories(root.resolve("a" + i).resolve("deep/deeper"));
        }
        Files.createDirectories(root.resolve(".git/objects"));
        Files.createDirectories(root.resolve("node_modules/x"));
        List<String> notices = new CopyOnWriteArrayList<>();
        try (ModuleWatcher watcher = new ModuleWatcher(root, 10, path -> { }, 8, notices::add)) {
            watcher.start();
            assertEquals(8, watcher.directoryCount(), "the root, the five a*, two of their deep/");
            Files.createDirectories(root.resolve("later"));
            Thread.sleep(300);
            assertEquals(8, watcher.directoryCount());
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).startsWith("watching only 8 directories below " + root), notices.get(0));
        }
        try (ModuleWatcher watcher = new ModuleWatcher(root, 10, path -> { }, 100, notices::add)) {
            watcher.start();
            assertEquals(17, watcher.directoryCount(), "all but .git and node_modules (and what is below them)");
        }
    }

    @Test
    void aWatchedFileIsReportedWhenCreatedChangedAndDeleted(@TempDir Path outside) throws Exception {
        Path workspace = Files.createDirectories(outside.resolve("ws"));
        Path file = outside.resolve(".klp-lsp.json"); // in the root's parent: its directory is watched too
        Semaphore reports = new Semaphore(0);
        List<Path> modules = new CopyOnWriteArrayList<>();
        Semaphore moduleReports = new Semaphore(0);
        try (ModuleWatcher watcher = new ModuleWatcher(workspace, 50, module -> {
            modules.add(module);
            moduleReports.release();
        })) {
            watcher.watchFile(file, reports::release);
            watcher.start();
            Files.writeString(file, "{}");
            assertTrue(reports.tryAcquire(10, TimeUnit.SECONDS), "created");
            Files.writeString(file, "{\"kernel\": \"x\"}");
            assertTrue(reports.tryAcquire(10, TimeUnit.SECONDS), "changed");
            Files.delete(file);
            assertTrue(reports.tryAcquire(10, TimeUnit.SECONDS), "deleted");
            Files.writeString(outside.resolve("other.ko"), "x");
            Files.writeString(workspace.resolve("mine.ko"), "x");
            // Written after other.ko, so other.ko's report, were there one, comes first. mine.ko may come twice: its
            // creation and its write are two events, which a watcher thread slower than the debounce reports apart.
            assertTrue(moduleReports.tryAcquire(10, TimeUnit.SECONDS), "mine.ko");
            assertEquals(List.of(workspace.resolve("mine.ko").toAbsolutePath().normalize()),
                    modules.stream().distinct().toList(), "modules outside the root are not ours");
        }
    }
}
