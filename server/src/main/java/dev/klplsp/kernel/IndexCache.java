// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The on-disk form of a {@link KernelIndex}: the columns written as little-endian arrays, so a reload is a
 * memory map, a checksum and bulk copies.
 *
 * <pre>
 * "KLPIDX\r\n"  magic (8 bytes)        int version   long payload length   int CRC-32C of the payload
 * payload: input identities (path, size, mtime) | release | objects | names | symbol columns | by-name
 *          index | exports | modules.builtin | warnings | duplicated-name count
 * </pre>
 *
 * A file with another magic, version, length or checksum, or made from other inputs, is never trusted: the
 * index is rebuilt and the file replaced (atomically, so concurrent readers see the old or the new file).
 */
final class IndexCache {
    static final byte[] MAGIC = "KLPIDX\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Bump on any change of layout or of what the index contains (e.g. a Sympos fix). */
    static final int VERSION = 3;
    private static final int HEADER = 8 + 4 + 8 + 4;

    /** The cache file exists but cannot be used; the message says why. */
    static final class UnusableCacheException extends Exception {
        UnusableCacheException(String message) {
            super(message);
        }
    }

    private IndexCache() {
    }

    /** One cache file per set of input paths; changed contents of the same paths replace it. */
    static Path fileFor(Path cacheDir, KernelSources.Resolved resolved) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path path : resolved.inputPaths()) {
                digest.update(path.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return cacheDir.resolve("index-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cache file's content: the inputs it was built from and the index. */
    record Cached(List<KernelIndexLoader.InputIdentity> inputs, KernelIndex index) {
    }

    /**
     * The cached index, or empty when there is none; {@link UnusableCacheException} when it is corrupt. The
     * caller compares {@link Cached#inputs} with the current inputs.
     */
    static Optional<Cached> read(Path file) throws UnusableCacheException {
        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER) {
                throw new UnusableCacheException("truncated (" + size + " bytes)");
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UnusableCacheException("cannot read: " + e.getMessage());
        }
        ByteBuffer buffer = map.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new UnusableCacheException("not a klp-lsp index cache (bad magic)");
        }
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new UnusableCacheException("cache version " + version + ", this klp-lsp writes " + VERSION);
        }
        long length = buffer.getLong();
        int crc = buffer.getInt();
        if (length != buffer.capacity() - HEADER) {
            throw new UnusableCacheException("payload length " + length + " but file holds "
                    + (buffer.capacity() - HEADER) + " bytes");
        }
        CRC32C checksum = new CRC32C();
        checksum.update(buffer.slice(HEADER, (int) length));
        if ((int) checksum.getValue() != crc) {
            throw new UnusableCacheException("checksum mismatch (corrupt)");
        }
        try {
            Reader in = new Reader(buffer.slice(HEADER, (int) length).order(ByteOrder.LITTLE_ENDIAN));
            int inputCount = in.getInt();
            List<KernelIndexLoader.InputIdentity> stored = new ArrayList<>(inputCount);
            for (int i = 0; i < inputCount; i++) {
                stored.add(new KernelIndexLoader.InputIdentity(in.string(), in.getLong(), in.getLong()));
            }
            return Optional.of(new Cached(stored, readIndex(in)));
        } catch (RuntimeException e) {
            // The checksum matched, so this is a file of ours that we misread: still rebuild rather than fail.
            throw new UnusableCacheException("unreadable (" + e + ")");
        }
    }

    private static KernelIndex readIndex(Reader in) {
        String releaseText = in.string();
        Optional<String> release = releaseText.isEmpty() ? Optional.empty() : Optional.of(releaseText);
        String[] objects = in.strings();
        int[] objectStart = in.ints();
        int nameCount = in.getInt();
        byte[] blob = in.bytes();
        int[] offsets = in.ints();
        NameTable names = new NameTable(blob, offsets, nameCount, in.ints(), in.ints());
        int[] nameOf = in.ints();
        int[] sympos = in.ints();
        byte[] types = in.bytes();
        byte[] bindings = in.bytes();
        byte[] flags = in.bytes();
        byte[] letters = in.bytes();
        int[] sectionOf = in.ints();
        String[] sectionNames = in.strings();
        long[] addresses = in.longs();
        long[] sizes = in.longs();
        int[] fileOf = in.ints();
        String[] fileNames = in.strings();
        int[] byNameStart = in.ints();
        int[] byNameSymbols = in.ints();
        int exportCount = in.getInt();
        Map<String, Export> exports = new HashMap<>(exportCount * 2);
        for (int i = 0; i < exportCount; i++) {
            String name = in.string();
            String object = in.string();
            String type = in.string();
            String namespace = in.string();
            exports.put(name, new Export(name, object, type, namespace.isEmpty() ? Optional.empty()
                    : Optional.of(namespace)));
        }
        Set<String> builtin = new TreeSet<>(List.of(in.strings()));
        int warningCount = in.getInt();
        List<IndexWarning> warnings = new ArrayList<>(warningCount);
        for (int i = 0; i < warningCount; i++) {
            String kind = in.string();
            String path = in.string();
            String message = in.string();
            warnings.add(new IndexWarning(kind, path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path)),
                    message));
        }
        int duplicated = in.getInt();
        return new KernelIndex(names, objects, objectStart, nameOf, sympos, types, bindings, flags, letters,
                sectionOf, sectionNames, addresses, sizes, fileOf, fileNames, byNameStart, byNameSymbols, exports,
                release, warnings, builtin, duplicated, KernelIndex.LoadInfo.BUILT);
    }

    static void write(Path file, List<KernelIndexLoader.InputIdentity> identities, KernelIndex index) {
        // Two streaming passes instead of one payload array: the first only sums up length and checksum, so
        // the header can lead and the heap never holds a second copy of the index.
        CRC32C checksum = new CRC32C();
        Writer measure = new Writer(null, checksum);
        writePayload(measure, identities, index);
        measure.flush();
        long length = measure.written;
        int crc = (int) checksum.getValue();
        AtomicFile.write(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(VERSION).putLong(length).putInt(crc);
            out.write(header.array());
            Writer writer = new Writer(out, null);
            try {
                writePayload(writer, identities, index);
                writer.flush();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    private static void writePayload(Writer out, List<KernelIndexLoader.InputIdentity> identities, KernelIndex index) {
        out.putInt(identities.size());
        for (KernelIndexLoader.InputIdentity identity : identities) {
            out.string(identity.path());
            out.putLong(identity.size());
            out.putLong(identity.mtimeMillis());
        }
        out.string(index.release.orElse(""));
        out.strings(index.objects);
        out.ints(index.objectStart, index.objectStart.length);
        NameTable names = index.names;
        out.putInt(names.size());
        out.bytes(names.blob(), names.blobLength());
        out.ints(names.offsets(), names.size() + 1);
        out.ints(names.slots(), names.slots().length);
        out.ints(names.hashes(), names.size());
        out.ints(index.nameOf, index.nameOf.length);
        out.ints(index.sympos, index.sympos.length);
        out.bytes(index.types, index.types.length);
        out.bytes(index.bindings, index.bindings.length);
        out.bytes(index.flags, index.flags.length);
        out.bytes(index.letters, index.letters.length);
        out.ints(index.sectionOf, index.sectionOf.length);
        out.strings(index.sectionNames);
        out.longs(index.addresses);
        out.longs(index.sizes);
        out.ints(index.fileOf, index.fileOf.length);
        out.strings(index.fileNames);
        out.ints(index.byNameStart, index.byNameStart.length);
        out.ints(index.byNameSymbols, index.byNameSymbols.length);
        out.putInt(index.exports.size());
        for (Export export : index.exports.values()) {
            out.string(export.name());
            out.string(export.object());
            out.string(export.exportType());
            out.string(export.namespace().orElse(""));
        }
        out.strings(index.builtinModules.toArray(String[]::new));
        out.putInt(index.warnings.size());
        for (IndexWarning warning : index.warnings) {
            out.string(warning.kind());
            out.string(warning.path().map(Path::toString).orElse(""));
            out.string(warning.message());
        }
        out.putInt(index.duplicatedNameCount);
    }

    /** Streams little-endian values through a small buffer into a sink and/or a checksum. */
    private static final class Writer {
        private final java.io.OutputStream sink;
        private final CRC32C checksum;
        private final ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long written;

        Writer(java.io.OutputStream sink, CRC32C checksum) {
            this.sink = sink;
            this.checksum = checksum;
        }

        private void ensure(int bytes) {
            if (chunk.remaining() < bytes) {
                flush();
            }
        }

        void flush() {
            if (chunk.position() == 0) {
                return;
            }
            written += chunk.position();
            if (checksum != null) {
                checksum.update(chunk.array(), 0, chunk.position());
            }
            if (sink != null) {
                try {
                    sink.write(chunk.array(), 0, chunk.position());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            chunk.clear();
        }

        void putInt(int value) {
            ensure(4);
            chunk.putInt(value);
        }

        void putLong(long value) {
            ensure(8);
            chunk.putLong(value);
        }

        void bytes(byte[] values, int length) {
            putInt(length);
            for (int at = 0; at < length;) {
                ensure(1);
                int n = Math.min(chunk.remaining(), length - at);
                chunk.put(values, at, n);
                at += n;
            }
        }

        void ints(int[] values, int length) {
            putInt(length);
            for (int at = 0; at < length;) {
                ensure(4);
                int n = Math.min(chunk.remaining() / 4, length - at);
                chunk.asIntBuffer().put(values, at, n);
                chunk.position(chunk.position() + 4 * n);
                at += n;
            }
        }

        void longs(long[] values) {
            putInt(values.length);
            for (int at = 0; at < values.length;) {
                ensure(8);
                int n = Math.min(chunk.remaining() / 8, values.length - at);
                chunk.asLongBuffer().put(values, at, n);
                chunk.position(chunk.position() + 8 * n);
                at += n;
            }
        }

        void string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            bytes(bytes, bytes.length);
        }

        void strings(String[] values) {
            putInt(values.length);
            for (String value : values) {
                string(value);
            }
        }
    }

    private static final class Reader {
        private final ByteBuffer buffer;

        Reader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        int getInt() {
            return buffer.getInt();
        }

        long getLong() {
            return buffer.getLong();
        }

        private int length() {
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new IllegalStateException("bad length " + length + " at " + buffer.position());
            }
            return length;
        }

        byte[] bytes() {
            byte[] values = new byte[length()];
            buffer.get(values);
            return values;
        }

        int[] ints() {
            int[] values = new int[length()];
            buffer.asIntBuffer().get(values);
            buffer.position(buffer.position() + 4 * values.length);
            return values;
        }

        long[] longs() {
            long[] values = new long[length()];
            buffer.asLongBuffer().get(values);
            buffer.position(buffer.position() + 8 * values.length);
            return values;
        }

        String string() {
            int length = length();
            String value = new String(bytes(length), StandardCharsets.UTF_8);
            return value;
        }

        private byte[] bytes(int length) {
            byte[] values = new byte[length];
            buffer.get(values);
            return values;
        }

        String[] strings() {
            int count = length();
            String[] values = new String[count];
            for (int i = 0; i < count; i++) {
                values[i] = string();
            }
            return values;
        }
    }
}
