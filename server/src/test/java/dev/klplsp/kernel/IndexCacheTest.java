// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary cache: reloads equal the built index; stale, corrupt or foreign files are rebuilt, never trusted. */
class IndexCacheTest {
    @TempDir
    Path tmp;

    private KernelSources sources() {
        Path modules = tmp.resolve("modules");
        if (!Files.exists(modules)) {
            KernelFixtures.copy(KernelFixtures.module(), modules.resolve("kernel_module.ko"));
            KernelFixtures.copy(KernelFixtures.vmlinux(), tmp.resolve("vmlinux"));
        }
        return KernelSources.ofSymbols(tmp.resolve("vmlinux")).withModules(modules);
    }

    private KernelIndex load() {
        return KernelIndexLoader.load(sources(), new IndexOptions(Optional.of(tmp.resolve("cache")), true),
                ProgressListener.NONE);
    }

    private Path cacheFile() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static void assertSameContent(KernelIndex expected, KernelIndex actual) {
        assertEquals(expected.objectsInOrder(), actual.objectsInOrder());
        assertEquals(expected.symbolCount(), actual.symbolCount());
        assertEquals(expected.duplicatedNameCount(), actual.duplicatedNameCount());
        assertEquals(expected.warnings(), actual.warnings());
        assertEquals(expected.release(), actual.release());
        for (String object : expected.objectsInOrder()) {
            assertEquals(expected.symbolsOf(object), actual.symbolsOf(object));
        }
    }

    @Test
    void aFifoInPlaceOfTheCacheFileIsNotWaitedFor() throws IOException {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path fifo = dev.klplsp.base.SpecialFiles.fifo(IndexCache.fileFor(cache, sources().resolve()));
        KernelIndex index = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                this::load);
        assertFalse(index.loadInfo().fromCache());
        assertTrue(index.loadInfo().notes().stream().anyMatch(note -> note.contains("is a fifo (named pipe), not a"
                + " regular file")), index.loadInfo().notes().toString());
        // Nor is the fifo replaced: the cache is not written, and says why.
        assertTrue(index.loadInfo().notes().stream().anyMatch(note -> note.startsWith("cache not written: ")
                && note.contains("is a fifo (named pipe); klp-lsp writes only regular files")),
                index.loadInfo().notes().toString());
        assertEquals(0010000, (Integer) Files.getAttribute(fifo, "unix:mode") & 0170000);
    }

    @Test
    void aTempFileThatAKilledWriterLeftInTheCacheDirectoryIsSweptByTheNextCacheWrite() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Process writer = dev.klplsp.base.SlowAtomicWriter.start(cache.resolve("index-0123456789abcdef.bin"));
        writer.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        List<Path> left;
        try (Stream<Path> files = Files.list(cache)) {
            left = files.toList();
        }
        assertEquals(1, left.size(), "kill -9 mid-write leaves the temp file: " + left);
        Files.setLastModifiedTime(left.get(0), FileTime.from(java.time.Instant.now().minusSeconds(120)));
        load();
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void secondLoadComesFromTheCacheWithTheSameContent() {
        KernelIndex built = load();
        assertFalse(built.loadInfo().fromCache());
        KernelIndex cached = load();
        assertTrue(cached.loadInfo().fromCache());
        assertSameContent(built, cached);
        assertEquals(built.lookup("homonym"), cached.lookup("homonym"));
        assertEquals(built.closeNames("dup_fm", 3), cached.closeNames("dup_fm", 3));
    }

    @Test
    void everyCorruptedByteIsDetectedAndTheIndexRebuilt() throws IOException {
        KernelIndex built = load();
        Path file = cacheFile();
        byte[] good = Files.readAllBytes(file);
        // The header, the input list, the name blob and the symbol columns.
        for (int offset : new int[] {0, 9, 13, 30, good.length / 3, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[offset] ^= 0x5a;
            Files.write(file, bad);
            KernelIndex reloaded = load();
            assertFalse(reloaded.loadInfo().fromCache(), "corruption at " + offset + " went unnoticed");
            assertTrue(reloaded.loadInfo().notes().get(0).contains("not used"), reloaded.loadInfo().notes().toString());
            assertSameContent(built, reloaded);
            assertTrue(load().loadInfo().fromCache(), "the rebuilt cache was written back");
        }
        Files.write(file, java.util.Arrays.copyOf(good, 20));
        assertFalse(load().loadInfo().fromCache());
    }

    /** Rewrites the header's length and CRC-32C so only the deliberate change is left to detect. */
    private static byte[] resealed(byte[] file) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, 24, file.length - 24);
        buffer.putLong(12, file.length - 24).putInt(20, (int) crc.getValue());
        return file;
    }

    private void assertRebuiltBecause(byte[] cacheContent, String reason, KernelIndex expected) throws IOException {
        Files.write(cacheFile(), cacheContent);
        KernelIndex reloaded = load();
        assertFalse(reloaded.loadInfo().fromCache(), reason);
        assertTrue(reloaded.loadInfo().notes().get(0).contains(reason), reloaded.loadInfo().notes().toString());
        assertSameContent(expected, reloaded);
        assertTrue(load().loadInfo().fromCache(), "the rebuilt cache was written back");
    }

    @Test
    void otherVersionsTruncationsAndWellSealedGarbageAreRebuilt() throws IOException {
        KernelIndex built = load();
        byte[] good = Files.readAllBytes(cacheFile());
        byte[] otherVersion = good.clone();
        java.nio.ByteBuffer.wrap(otherVersion).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, IndexCache.VERSION - 1);
        assertRebuiltBecause(otherVersion, "cache version " + (IndexCache.VERSION - 1), built);
        assertRebuiltBecause(java.util.Arrays.copyOf(good, good.length / 2), "truncated or extended", built);
        assertRebuiltBecause(java.util.Arrays.copyOf(good, 10), "truncated", built);
        // A correct checksum over a cut-off payload: the layout's own bounds checks must catch it.
        assertRebuiltBecause(resealed(java.util.Arrays.copyOf(good, good.length / 2)), "unreadable", built);
        // A column width no writer produces, behind a valid checksum.
        byte[] badLengths = good.clone();
        for (int i = 24 + 4; i < badLengths.length; i += 97) {
            badLengths[i] = (byte) 0xff;
        }
        assertRebuiltBecause(resealed(badLengths), "unreadable", built);
    }

    @Test
    void aChangedInputMakesTheCacheStale() throws IOException {
        load();
        Path module = tmp.resolve("modules/kernel_module.ko");
        Files.setLastModifiedTime(module, FileTime.fromMillis(Files.getLastModifiedTime(module).toMillis() + 5000));
        KernelIndex reloaded = load();
        assertFalse(reloaded.loadInfo().fromCache());
        assertTrue(reloaded.loadInfo().notes().get(0).contains("inputs changed"), reloaded.loadInfo().notes().toString());
        // A module added to a directory changes the input list too.
        KernelFixtures.copy(KernelFixtures.module(), tmp.resolve("modules/another-one.ko"));
        KernelIndex withNew = load();
        assertFalse(withNew.loadInfo().fromCache());
        assertTrue(withNew.hasObject("another_one"));
    }

    @Test
    void concurrentLoadersAllGetACompleteIndexAndLeaveOneValidCacheFile() throws Exception {
        KernelIndex reference = KernelIndexLoader.load(sources(), IndexOptions.NO_CACHE, ProgressListener.NONE);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<KernelIndex>> loads = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                loads.add(pool.submit(this::load));
            }
            for (java.util.concurrent.Future<KernelIndex> future : loads) {
                assertSameContent(reference, future.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        assertTrue(load().loadInfo().fromCache());
    }

    @Test
    void noCacheOptionNeitherReadsNorWrites() {
        KernelIndexLoader.load(sources(), new IndexOptions(Optional.of(tmp.resolve("cache")), false), ProgressListener.NONE);
        assertFalse(Files.exists(tmp.resolve("cache")));
    }

    @Test
    void defaultCacheDirFollowsXdg() {
        assertEquals(Path.of("/x/cache/klp-lsp"), IndexOptions.defaultCacheDir(java.util.Map.of("XDG_CACHE_HOME", "/x/cache")));
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "klp-lsp"),
                IndexOptions.defaultCacheDir(java.util.Map.of()));
    }
}
