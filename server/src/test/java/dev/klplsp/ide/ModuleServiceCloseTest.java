// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.source.LineIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work that arrives while the server exits (a watcher report, a finished build, a late request) never throws. */
class ModuleServiceCloseTest {
    private static final ModuleService.Callbacks QUIET = new ModuleService.Callbacks() {
        @Override
        public void publishDiagnostics(Path file, Optional<Integer> version, LineIndex lines,
                List<FileDiagnostic> diagnostics) {
        }

        @Override
        public void indexStatus(IndexStatus status) {
        }

        @Override
        public ModuleService.Progress beginProgress(String title) {
            return ModuleService.Progress.NONE;
        }

        @Override
        public void log(ModuleService.Level level, String message) {
        }

        @Override
        public void showMessage(ModuleService.Level level, String message) {
        }

        @Override
        public void offerKernel(ModuleService.KernelOffer offer) {
        }
    };

    @Test
    void workAfterCloseIsDroppedAndRequestsFailCleanly(@TempDir Path root) throws Exception {
        ModuleService service = new ModuleService(root, IndexOptions.NO_CACHE, root.resolve("no-system-root"), QUIET);
        service.start();
        service.configure(Settings.DEFAULT, Optional.empty(), true, true);
        service.close();
        Path source = root.resolve("livepatch.c");
        service.open(source, 1, "extern int x;\n");
        service.change(source, 2, "extern int y;\n");
        service.saved(source);
        service.filesChanged(List.of(new ModuleService.FileChange(root.resolve("a.ko"), false),
                new ModuleService.FileChange(root.resolve("b.ko"), true)));
        service.configure(Settings.DEFAULT, Optional.empty(), false, true);
        service.startIndexing(true);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> service.check(List.of()).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("shutting down"), refused.toString());
        assertTrue(service.awaitClosed(Duration.ofSeconds(60)), "the service's threads end after close");
    }
}
