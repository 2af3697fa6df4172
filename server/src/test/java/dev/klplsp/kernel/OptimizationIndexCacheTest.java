// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimization index cache beside the symbol index: written on the first load, mapped on the next, and
 * never trusted when stale (the debug file changed), corrupt, or of another kind.
 */
class OptimizationIndexCacheTest {
    @TempDir
    Path temp;

    private Path debugFile() throws IOException {
        Path copy = temp.resolve("files/dwarf_facts.ko");
        if (!Files.exists(copy)) {
            Files.createDirectories(copy.getParent());
            Files.copy(Fixtures.module("dwarf_facts", Toolchain.X86_64), copy);
        }
        return copy;
    }

    private IndexOptions options() {
        return new IndexOptions(Optional.of(temp.resolve("cache")), true);
    }

    private Path cacheFile() throws IOException {
        try (Stream<Path> files = Files.list(temp.resolve("cache"))) {
            List<Path> all = files.filter(p -> p.getFileName().toString().startsWith("optimization-")).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** The facts a query sees, as text, to compare a reloaded index with a built one. */
    private static String facts(OptimizationIndex index) {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("always_inlined", "dup_helper", "shared_helper", "inner", "read_through", "scaled",
                "checked", "init_only")) {
            text.append(index.functions(name)).append('\n');
        }
        return text.append(index.instance("scaled.constprop.0", 0)).append(index.buildId()).toString();
    }

    @Test
    void theSecondLoadMapsTheCacheAndSaysTheSame() throws IOException {
        OptimizationIndex built = OptimizationIndexLoader.load(debugFile(), options());
        assertFalse(built.loadInfo().fromCache());
        assertEquals(List.of(), built.loadInfo().notes());
        OptimizationIndex cached = OptimizationIndexLoader.load(debugFile(), options());
        assertTrue(cached.loadInfo().fromCache());
        assertEquals(Optional.of(cacheFile()), cached.loadInfo().cacheFile());
        assertEquals(facts(built), facts(cached));
        assertEquals(built.functionCount(), cached.functionCount());
        assertEquals(built.inlineSiteCount(), cached.inlineSiteCount());
        assertEquals(debugFile(), cached.debugFile());
    }

    @Test
    void aChangedDebugFileIsIndexedAgain() throws IOException {
        OptimizationIndexLoader.load(debugFile(), options());
        Files.setLastModifiedTime(debugFile(), FileTime.fromMillis(Files.getLastModifiedTime(debugFile()).toMillis()
                - 60_000));
        OptimizationIndex rebuilt = OptimizationIndexLoader.load(debugFile(), options());
        assertFalse(rebuilt.loadInfo().fromCache());
        assertEquals(List.of("cache " + cacheFile() + " not used (" + debugFile() + " changed since it was written);"
                + " rebuilt"), rebuilt.loadInfo().notes());
        assertTrue(OptimizationIndexLoader.load(debugFile(), options()).loadInfo().fromCache());
    }

    @Test
    void aCorruptCacheIsRebuilt() throws IOException {
        OptimizationIndex built = OptimizationIndexLoader.load(debugFile(), options());
        Path cache = cacheFile();
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(cache, bytes);
        OptimizationIndex rebuilt = OptimizationIndexLoader.load(debugFile(), options());
        assertFalse(rebuilt.loadInfo().fromCache());
        assertEquals(List.of("cache " + cache + " not used (checksum mismatch (corrupt)); rebuilt"),
                rebuilt.loadInfo().notes());
        assertEquals(facts(built), facts(rebuilt));
    }

    @Test
    void aSymbolIndexCacheIsNotTakenForAnOptimizationIndex() throws IOException {
        OptimizationIndexLoader.load(debugFile(), options());
        Path cache = cacheFile();
        KernelIndex symbols = KernelIndexLoader.load(KernelSources.ofSymbols(debugFile()), options(),
                ProgressListener.NONE);
        Path symbolCache = symbols.loadInfo().cacheFile().orElseThrow();
        Files.copy(symbolCache, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        OptimizationIndex rebuilt = OptimizationIndexLoader.load(debugFile(), options());
        assertFalse(rebuilt.loadInfo().fromCache());
        assertEquals(List.of("cache " + cache + " not used (not a klp-lsp index cache of this kind (bad magic));"
                + " rebuilt"), rebuilt.loadInfo().notes());
    }

    @Test
    void withoutTheCacheNothingIsWritten() throws IOException {
        OptimizationIndex index = OptimizationIndexLoader.load(debugFile(), new IndexOptions(
                Optional.of(temp.resolve("cache")), false));
        assertFalse(index.loadInfo().fromCache());
        assertFalse(Files.exists(temp.resolve("cache")));
    }
}
