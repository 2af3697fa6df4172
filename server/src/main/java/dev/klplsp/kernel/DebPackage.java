// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.github.luben.zstd.ZstdInputStream;
import dev.klplsp.base.KlpException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Reads a Debian binary package ({@code .deb}) in one pass, without dpkg: the ar archive (deb(5): the members
 * {@code debian-binary}, {@code control.tar.*}, {@code data.tar.*}), the data member decompressed on the fly
 * (xz, zstd, gzip or none) and its tar entries (POSIX ustar, with GNU long names and pax {@code path} records).
 * Only regular files reach the visitor, and only those it asks for are read into memory.
 *
 * <p>Hostile input is expected: the package, each member read, the decompressed tar stream and the number of
 * entries have limits ({@code MAX_*}), header checksums are verified, and every failure is a
 * {@link SymbolSourceException} naming the package and the member or entry.
 */
final class DebPackage {
    /** Debian's kernel image packages are about 70 MB. */
    static final long MAX_PACKAGE = 2L << 30;
    /** A file read out of the package (a vmlinuz, a module); the largest 6.1 module is about 20 MB. */
    static final long MAX_ENTRY = 256L << 20;
    /** The decompressed tar stream: 411 MB for Debian's 6.1 image package. */
    static final long MAX_UNPACKED = 8L << 30;
    static final int MAX_ENTRIES = 200_000;
    private static final int MAX_NAME = 64 << 10;
    private static final int MAX_DICTIONARY_KIB = 256 << 10;
    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.ISO_8859_1);

    /** What the reader offers: each regular file's name (without a leading "./") and size. */
    interface Visitor {
        /** Whether to read this file's content. */
        boolean wants(String name, long size);

        /** A wanted file, whole. */
        void accept(String name, byte[] content);

        /** Whether the visitor has all it wants: reading stops (the rest is never decompressed). */
        default boolean done() {
            return false;
        }
    }

    private DebPackage() {
    }

    /** Whether a file head is a Debian package: an ar archive whose first member is {@code debian-binary}. */
    static boolean looksLike(byte[] head) {
        if (head.length < AR_MAGIC.length + 16) {
            return false;
        }
        for (int i = 0; i < AR_MAGIC.length; i++) {
            if (head[i] != AR_MAGIC[i]) {
                return false;
            }
        }
        return new String(head, AR_MAGIC.length, 16, StandardCharsets.ISO_8859_1).startsWith("debian-binary");
    }

    static void read(Path deb, Visitor visitor) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(deb, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new SymbolSourceException(deb, "not a regular file");
            }
            if (attributes.size() > MAX_PACKAGE) {
                throw new SymbolSourceException(deb, attributes.size() + " bytes, more than the " + MAX_PACKAGE
                        + " accepted for a package");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 16)) {
                read(deb, in, visitor);
            }
        } catch (NoSuchFileException e) {
            throw new SymbolSourceException(deb, "no such file");
        } catch (IOException e) {
            throw new SymbolSourceException(deb, "cannot read: " + KlpException.reason(e), e);
        }
    }

    /** Reads a package from a stream; {@code deb} names it in messages. */
    static void read(Path deb, InputStream in, Visitor visitor) {
        try {
            readAr(deb, in, visitor);
        } catch (IOException e) {
            throw new SymbolSourceException(deb, "cannot read: " + KlpException.reason(e), e);
        }
    }

    private static void readAr(Path deb, InputStream in, Visitor visitor) throws IOException {
        byte[] magic = in.readNBytes(AR_MAGIC.length);
        if (!java.util.Arrays.equals(magic, AR_MAGIC)) {
            throw new SymbolSourceException(deb, "not a Debian package (no ar magic \"!<arch>\")");
        }
        long offset = AR_MAGIC.length;
        boolean first = true;
        while (true) {
            byte[] header = in.readNBytes(60);
            if (header.length == 0) {
                break;
            }
            if (header.length < 60 || header[58] != '`' || header[59] != '\n') {
                throw new SymbolSourceException(deb, "corrupt ar member header at offset " + offset);
            }
            String name = new String(header, 0, 16, StandardCharsets.ISO_8859_1).strip();
            if (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            long size = decimal(deb, header, 48, 10, "ar member " + name + " size");
            if (first && !name.equals("debian-binary")) {
                throw new SymbolSourceException(deb, "not a Debian package (first member is " + name
                        + ", not debian-binary)");
            }
            first = false;
            InputStream member = new Limited(in, size);
            if (name.startsWith("data.tar")) {
                try (InputStream data = decompressed(deb, name, member)) {
                    readTar(deb, name, data, visitor);
                }
                return;
            }
            member.skipNBytes(size);
            if (size % 2 == 1) {
                in.skipNBytes(1); // members start at even offsets
            }
            offset += 60 + size + size % 2;
        }
        throw new SymbolSourceException(deb, "no data.tar member (a truncated or foreign package)");
    }

    private static InputStream decompressed(Path deb, String member, InputStream in) throws IOException {
        InputStream stream = switch (member) {
            case "data.tar.xz" -> new XZInputStream(in, MAX_DICTIONARY_KIB);
            case "data.tar.zst" -> new ZstdInputStream(in);
            case "data.tar.gz" -> new GZIPInputStream(in, 1 << 16);
            case "data.tar" -> in;
            default -> throw new SymbolSourceException(deb, "member " + member
                    + " is compressed in a way klp-lsp does not read (supported: data.tar.xz, .zst, .gz, plain)");
        };
        return new Counted(deb, member, stream);
    }

    private static void readTar(Path deb, String member, InputStream in, Visitor visitor) throws IOException {
        byte[] header = new byte[512];
        String longName = null;
        int entries = 0;
        long offset = 0;
        while (true) {
            int n = in.readNBytes(header, 0, 512);
            if (n == 0) {
                return; // no end-of-archive blocks: tolerated, as GNU tar does
            }
            if (n < 512) {
                throw corrupt(deb, member, offset, "truncated tar header");
            }
            if (isZero(header)) {
                return; // end of archive
            }
            if (++entries > MAX_ENTRIES) {
                throw corrupt(deb, member, offset, "more than " + MAX_ENTRIES + " entries");
            }
            verifyChecksum(deb, member, offset, header);
            long size = tarNumber(deb, member, offset, header, 124, 12);
            char type = (char) header[156];
            String name = longName != null ? longName : headerName(header);
            longName = null;
            long padded = (size + 511) & ~511L;
            offset += 512;
            if (type == 'L' || type == 'x') {
                if (size > MAX_NAME) {
                    throw corrupt(deb, member, offset, "long name or pax header of " + size + " bytes");
                }
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes(padded - size);
                longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
            } else if (type == '0' || type == '\0' || type == '7') {
                String path = name.startsWith("./") ? name.substring(2) : name;
                if (visitor.wants(path, size)) {
                    if (size > MAX_ENTRY) {
                        throw corrupt(deb, member, offset, path + " has " + size + " bytes, more than the "
                                + MAX_ENTRY + " accepted for one file");
                    }
                    byte[] content = in.readNBytes((int) size);
                    if (content.length != size) {
                        throw corrupt(deb, member, offset, path + " is cut off");
                    }
                    in.skipNBytes(padded - size);
                    visitor.accept(path, content);
                } else {
                    in.skipNBytes(padded);
                }
            } else {
                in.skipNBytes(padded); // directories, links, devices: nothing to read
            }
            offset += padded;
            if (visitor.done()) {
                return;
            }
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header ("%d path=%s\n" records); null when absent. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String path = null;
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                path = record.substring(space + 1 + "path=".length());
            }
        }
        return path;
    }

    private static void verifyChecksum(Path deb, String member, long offset, byte[] header) {
        long stored = tarNumber(deb, member, offset, header, 148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        if (sum != stored) {
            throw corrupt(deb, member, offset, "tar header checksum " + stored + " but the header sums to " + sum);
        }
    }

    /** An octal field, or base-256 (high bit of the first byte set) as GNU tar writes large sizes. */
    private static long tarNumber(Path deb, String member, long offset, byte[] header, int at, int width) {
        if ((header[at] & 0x80) != 0) {
            long value = header[at] & 0x7f;
            for (int i = 1; i < width; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw corrupt(deb, member, offset, "number too large in tar header");
                }
                value = value << 8 | (header[at + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = at;
        int end = at + width;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            value = value * 8 + (header[i] - '0');
        }
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) {
                throw corrupt(deb, member, offset, "bad octal number in tar header");
            }
        }
        return value;
    }

    private static long decimal(Path deb, byte[] header, int at, int width, String what) {
        String text = new String(header, at, width, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SymbolSourceException(deb, "corrupt " + what + " '" + text + "'");
        }
        return Long.parseLong(text);
    }

    private static String cString(byte[] b, int at, int width) {
        int end = at;
        while (end < at + width && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static SymbolSourceException corrupt(Path deb, String member, long offset, String what) {
        return new SymbolSourceException(deb, member + " at tar offset " + offset + ": " + what);
    }

    /** At most {@code remaining} bytes of the underlying stream, which it never closes; EOF before that is an error. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long size) {
            super(in);
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("ar member cut off (truncated package?)");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("ar member cut off (truncated package?)");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public void close() {
            // the ar stream stays open for the next member
        }
    }

    /** Counts decompressed bytes and stops past {@link #MAX_UNPACKED} (a decompression bomb). */
    private static final class Counted extends FilterInputStream {
        private final Path deb;
        private final String member;
        private long total;

        Counted(Path deb, String member, InputStream in) {
            super(in);
            this.deb = deb;
            this.member = member;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Read and discard: a decompressor's skip decompresses anyway, and counting must see every byte.
            byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
            long skipped = 0;
            while (skipped < n) {
                int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        private void count(int n) {
            total += n;
            if (total > MAX_UNPACKED) {
                throw new SymbolSourceException(deb, member + " decompresses to more than " + MAX_UNPACKED
                        + " bytes (a decompression bomb?)");
            }
        }
    }
}
