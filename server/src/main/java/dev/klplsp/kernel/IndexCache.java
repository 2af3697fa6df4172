// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.AtomicFile;
import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The on-disk form of an index: its {@link IndexLayout} bytes as they are in memory, so a reload is a memory
 * map, a checksum and a few decoded strings; the index then reads its columns from the map. Two kinds share
 * the format, each with its magic and version: the {@link KernelIndex} and an object's
 * {@link OptimizationIndex}.
 *
 * <pre>
 * "KLPIDX\r\n"  magic (8 bytes; "KLPOPT\r\n" for an optimization index)   int version   long payload length
 *              int CRC-32C of the payload
 * payload: int input count, int input bytes, input identities (path, size, mtime), padded to 8
 *          | the index layout (kernel index: release | objects | names | narrow symbol columns | by-name index
 *          | exports | modules.builtin | warnings | duplicated count | per-name facts: export of each name, clone
 *          families, names by length)
 * </pre>
 *
 * A file with another magic, version, length or checksum, or made from other inputs, is never trusted: the
 * index is rebuilt and the file replaced (atomically, so concurrent readers see the old or the new file).
 * A loaded index keeps its mapping: replacing or deleting the file leaves it intact (the old inode lives on);
 * only truncating the file in place, which klp-lsp never does, would break it.
 */
final class IndexCache {
    static final byte[] MAGIC = "KLPIDX\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Bump on any change of layout or of what the index contains (e.g. a Sympos fix). */
    static final int VERSION = 6;
    static final byte[] OPTIMIZATION_MAGIC = "KLPOPT\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Bump on any change of the optimization index's layout or content (or of Sympos). */
    static final int OPTIMIZATION_VERSION = 1;
    private static final int HEADER = 8 + 4 + 8 + 4;

    /** The cache file exists but cannot be used; the message says why. */
    static final class UnusableCacheException extends Exception {
        UnusableCacheException(String message) {
            super(message);
        }
    }

    private IndexCache() {
    }

    /**
     * One cache file per set of input paths; changed contents of the same paths replace it. A 64-bit FNV-1a of
     * the paths, not a cryptographic digest (whose provider set-up costs milliseconds in a fresh JVM): two input
     * sets that collide only share a file, and the stored input list tells them apart.
     */
    static Path fileFor(Path cacheDir, KernelSources.Resolved resolved) {
        return fileFor(cacheDir, "index-", resolved.inputPaths());
    }

    /** The cache file of a kind ({@code prefix}) for a list of input paths. */
    static Path fileFor(Path cacheDir, String prefix, List<Path> inputPaths) {
        long hash = 0xcbf29ce484222325L;
        for (Path path : inputPaths) {
            for (byte b : path.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)) {
                hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
            }
            hash = (hash ^ 0xff) * 0x100000001b3L; // separator: no path byte is 0xff in UTF-8
        }
        // StringBuilder, not '+': the first string concatenation in a JVM costs an invokedynamic bootstrap.
        String hex = Long.toHexString(hash);
        StringBuilder name = new StringBuilder(prefix);
        for (int i = hex.length(); i < 16; i++) {
            name.append('0');
        }
        return cacheDir.resolve(name.append(hex).append(".bin").toString());
    }

    /** A cache file's content: the inputs it was built from and the index. */
    record Cached(List<KernelIndexLoader.InputIdentity> inputs, KernelIndex index) {
    }

    /** A cache file's content before it is wrapped: the inputs and the layout (a slice of the map). */
    record Payload(List<KernelIndexLoader.InputIdentity> inputs, ByteBuffer layout) {
    }

    /**
     * The cached kernel index, or empty when there is none; {@link UnusableCacheException} when it is corrupt.
     * The caller compares {@link Cached#inputs} with the current inputs. The index reads its columns from the
     * memory map (checked by CRC-32C first), so nothing is copied onto the heap.
     */
    static Optional<Cached> read(Path file) throws UnusableCacheException {
        Optional<ByteBuffer> map = map(file);
        return map.isEmpty() ? Optional.empty() : Optional.of(read(map.get()));
    }

    /** Decodes a kernel index cache's bytes (mapped or in memory), the index checked column by column. */
    static Cached read(ByteBuffer bytes) throws UnusableCacheException {
        Payload payload = payload(bytes, MAGIC, VERSION);
        try {
            KernelIndex index = new KernelIndex(payload.layout(), KernelIndex.LoadInfo.BUILT);
            index.verify();
            return new Cached(payload.inputs(), index);
        } catch (RuntimeException e) {
            // The checksum matched, so this is a file of ours that we misread: still rebuild rather than fail.
            throw new UnusableCacheException("unreadable (" + e + ")");
        }
    }

    /** A cache file of a kind (magic and version), checked; empty when there is none. */
    static Optional<Payload> readPayload(Path file, byte[] expectedMagic, int expectedVersion)
            throws UnusableCacheException {
        Optional<ByteBuffer> map = map(file);
        return map.isEmpty() ? Optional.empty() : Optional.of(payload(map.get(), expectedMagic, expectedVersion));
    }

    /** The cache file mapped: only a regular file (a fifo planted in the cache directory would block). */
    private static Optional<ByteBuffer> map(Path file) throws UnusableCacheException {
        try {
            return Optional.of(InputFile.map(file, InputFile.INDEX_CACHE, KlpException::new));
        } catch (KlpException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Optional.empty();
            }
            throw new UnusableCacheException(e.getMessage().substring(file.toString().length() + 2));
        }
    }

    /** The header checked (magic, version, length, CRC-32C) and the payload split into inputs and layout. */
    static Payload payload(ByteBuffer map, byte[] expectedMagic, int expectedVersion)
            throws UnusableCacheException {
        if (map.capacity() < HEADER) {
            throw new UnusableCacheException("truncated (" + map.capacity() + " bytes)");
        }
        ByteBuffer buffer = map.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(0, magic);
        if (!java.util.Arrays.equals(magic, expectedMagic)) {
            throw new UnusableCacheException("not a klp-lsp index cache of this kind (bad magic)");
        }
        int version = buffer.getInt(8);
        if (version != expectedVersion) {
            throw new UnusableCacheException("cache version " + version + ", this klp-lsp writes " + expectedVersion);
        }
        long length = buffer.getLong(12);
        int crc = buffer.getInt(20);
        if (length != buffer.capacity() - HEADER) {
            throw new UnusableCacheException("payload length " + length + " but file holds "
                    + (buffer.capacity() - HEADER) + " bytes (truncated or extended)");
        }
        ByteBuffer payload = buffer.slice(HEADER, (int) length).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C checksum = new CRC32C();
        checksum.update(payload.duplicate());
        if ((int) checksum.getValue() != crc) {
            throw new UnusableCacheException("checksum mismatch (corrupt)");
        }
        try {
            // One bulk copy, then plain array reads: per-value buffer calls are slow before the JIT warms up.
            int inputCount = payload.getInt(0);
            if (inputCount < 0 || inputCount > length / 20) {
                throw new IllegalStateException("bad input count " + inputCount);
            }
            int inputBytes = payload.getInt(4);
            if (inputBytes < 8 || inputBytes > length) {
                throw new IllegalStateException("bad input list size " + inputBytes);
            }
            List<KernelIndexLoader.InputIdentity> stored = new ArrayList<>(inputCount);
            byte[] inputs = new byte[inputBytes];
            payload.get(0, inputs);
            int at = 8;
            for (int i = 0; i < inputCount; i++) {
                int pathLength = intAt(inputs, at);
                if (pathLength < 0 || at + 4 + pathLength + 16 > inputs.length) {
                    throw new IllegalStateException("bad input path length " + pathLength + " at " + at);
                }
                String path = new String(inputs, at + 4, pathLength, StandardCharsets.UTF_8);
                at += 4 + pathLength;
                stored.add(new KernelIndexLoader.InputIdentity(path, longAt(inputs, at), longAt(inputs, at + 8)));
                at += 16;
            }
            int layoutStart = (at + 7) & ~7;
            ByteBuffer layout = payload.slice(layoutStart, payload.capacity() - layoutStart);
            return new Payload(stored, layout);
        } catch (RuntimeException e) {
            // The checksum matched, so this is a file of ours that we misread: still rebuild rather than fail.
            throw new UnusableCacheException("unreadable (" + e + ")");
        }
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | bytes[at + 3] << 24;
    }

    private static long longAt(byte[] bytes, int at) {
        return (intAt(bytes, at) & 0xffffffffL) | (long) intAt(bytes, at + 4) << 32;
    }

    static void write(Path file, List<KernelIndexLoader.InputIdentity> identities, KernelIndex index) {
        write(file, MAGIC, VERSION, identities, index.layout);
    }

    /** Writes a cache file of a kind (atomically): the input list, then the layout exactly as it is in memory. */
    static void write(Path file, byte[] magic, int version, List<KernelIndexLoader.InputIdentity> identities,
            ByteBuffer indexLayout) {
        IndexLayout.Sink measure = new IndexLayout.Sink(null);
        writeInputs(measure, identities);
        ByteBuffer inputs = ByteBuffer.allocate(measure.position).order(ByteOrder.LITTLE_ENDIAN);
        writeInputs(new IndexLayout.Sink(inputs), identities);
        ByteBuffer layout = indexLayout.duplicate().clear();
        CRC32C checksum = new CRC32C();
        checksum.update(inputs.duplicate());
        checksum.update(layout.duplicate());
        long length = (long) inputs.capacity() + layout.capacity();
        int crc = (int) checksum.getValue();
        AtomicFile.writeChannel(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(magic).putInt(version).putLong(length).putInt(crc).flip();
            // The layout is a direct buffer (or a map): the channel writes it without copying it to the heap.
            ByteBuffer[] parts = {header, inputs.duplicate().clear(), layout.duplicate()};
            while (parts[2].hasRemaining()) {
                out.write(parts);
            }
        });
    }

    private static void writeInputs(IndexLayout.Sink out, List<KernelIndexLoader.InputIdentity> identities) {
        IndexLayout.Sink measure = new IndexLayout.Sink(null);
        measure.position = 8;
        for (KernelIndexLoader.InputIdentity identity : identities) {
            measure.string(identity.path());
            measure.putLong(identity.size());
            measure.putLong(identity.mtimeMillis());
        }
        out.putInt(identities.size());
        out.putInt(measure.position);
        for (KernelIndexLoader.InputIdentity identity : identities) {
            out.string(identity.path());
            out.putLong(identity.size());
            out.putLong(identity.mtimeMillis());
        }
        out.align();
    }
}
