// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.testing.FuzzMutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Coverage-guided fuzz targets of the index cache loader (see docs/fuzzing.md). A cache file is klp-lsp's own,
 * checksummed, but it sits in a directory anyone running as the user can write: whatever it holds is rejected
 * as unusable (then rebuilt) or, when it loads, gives an index that answers queries without failing. The
 * header's checksum is recomputed over the fuzzed payload, so the payload decoder is what gets fuzzed.
 */
class IndexCacheFuzzTest {
    private static final int HEADER = 8 + 4 + 8 + 4;
    private static byte[] fixtureCache;

    /** The cache of the example's fixture kernel, written by the real writer once per run. */
    private static synchronized byte[] fixtureCache() {
        if (fixtureCache == null) {
            try {
                Path dir = Files.createTempDirectory("klp-fuzz-cache");
                Path file = dir.resolve("index.bin");
                IndexCache.write(file, List.of(new KernelIndexLoader.InputIdentity("/fixture/System.map", 1, 2)),
                        FixtureKernel.index());
                fixtureCache = Files.readAllBytes(file);
                Files.delete(file);
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fixtureCache;
    }

    @FuzzTest
    void payload(byte[] input) {
        load(withHeader(input));
    }

    @FuzzTest
    void mutatedFixtureCache(FuzzedDataProvider data) {
        boolean fixHeader = data.consumeBoolean();
        byte[] base = fixtureCache();
        byte[] mutated = FuzzMutations.apply(base, data);
        load(fixHeader ? withHeader(java.util.Arrays.copyOfRange(mutated, HEADER, mutated.length)) : mutated);
    }

    private static byte[] withHeader(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer file = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(IndexCache.MAGIC).putInt(IndexCache.VERSION).putLong(payload.length).putInt((int) crc.getValue())
                .put(payload);
        return file.array();
    }

    private static void load(byte[] bytes) {
        IndexCache.Cached cached;
        try {
            cached = IndexCache.read(ByteBuffer.wrap(bytes));
        } catch (IndexCache.UnusableCacheException unusable) {
            return;
        }
        cached.inputs().forEach(input -> input.path().length());
        SymbolSourceFuzzTest.query(cached.index());
    }
}
