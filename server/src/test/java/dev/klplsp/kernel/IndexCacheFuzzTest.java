// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
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

    /**
     * Not left to the fuzzer's luck: ints of a real cache's payload (every 31st: each column of the fixture has
     * some), in turn, set to values outside the ranges a count or a column may hold (checksum recomputed). Found
     * by fuzzing: a name's export id outside the export table loaded and failed the first query; a warning count
     * of 2^31-1 allocated without bound.
     */
    @Test
    void intsOfThePayloadSetToOutOfRangeValuesAreRefusedOrAnswer() {
        byte[] payload = java.util.Arrays.copyOfRange(fixtureCache(), HEADER, fixtureCache().length);
        int[] hostile = {-2, 255, 1 << 20, Integer.MAX_VALUE};
        ByteBuffer edit = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 4 <= payload.length; at += 4 * 31) {
            int original = edit.getInt(at);
            for (int value : hostile) {
                edit.putInt(at, value);
                try {
                    load(withHeader(payload));
                } catch (RuntimeException bug) {
                    throw new AssertionError("payload int at " + at + " set to " + value, bug);
                }
            }
            edit.putInt(at, original);
        }
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
