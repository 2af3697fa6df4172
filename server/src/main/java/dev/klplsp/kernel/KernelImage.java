// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * An x86 bzImage ({@code vmlinuz}): the real-mode setup header (Documentation/x86/boot.rst) names the
 * compressed payload, which arch/x86/boot/compressed/Makefile makes from the stripped vmlinux ELF (plus its
 * relocation list) compressed with gzip, xz, zstd, lz4, lzma, bzip2 or lzo, followed by the uncompressed size
 * as a little-endian 32-bit number ({@code size_append}).
 *
 * <p>Hostile input is expected: every offset is bounds-checked, the image and the decompressed payload have size
 * limits, and the decompressed size may exceed neither the size trailer nor {@link #MAX_RATIO} times the
 * compressed size (a decompression bomb stops early instead of filling the heap).
 */
final class KernelImage {
    /** Debian's 6.1 vmlinuz is 8 MB; nothing real comes near this. */
    static final int MAX_IMAGE = 256 << 20;
    /** Debian's 6.1 payload decompresses to 66 MB. */
    static final int MAX_DECOMPRESSED = 512 << 20;
    /** xz reaches 8x on Debian's 6.1 payload; the ratio bound stops bombs long before {@link #MAX_DECOMPRESSED}. */
    static final int MAX_RATIO = 32;
    /** Dictionary memory xz/lzma may claim (the kernel's xz_wrap.sh uses 32 MiB at most). */
    private static final int MAX_DICTIONARY_KIB = 256 << 10;

    private static final int SETUP_SECTS = 0x1f1;
    private static final int BOOT_FLAG = 0x1fe;
    private static final int HEADER_MAGIC = 0x202;
    private static final int VERSION = 0x206;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24c;
    /** "HdrS" read as a little-endian int. */
    private static final int HDRS = 0x53726448;

    /** The decompressed payload: {@code data[0, length)}. */
    record Payload(String compression, byte[] data, int length) {
    }

    private KernelImage() {
    }

    /** Whether a file head is an x86 boot image: the 0xAA55 boot flag and the "HdrS" setup header magic. */
    static boolean looksLike(byte[] head) {
        return head.length >= HEADER_MAGIC + 4 && (head[BOOT_FLAG] & 0xff) == 0x55
                && (head[BOOT_FLAG + 1] & 0xff) == 0xaa && intAt(head, HEADER_MAGIC) == HDRS;
    }

    /** The decompressed payload of a bzImage. */
    static Payload payload(Path path, byte[] image) {
        if (!looksLike(image)) {
            throw new SymbolSourceException(path, "not an x86 bzImage (no boot flag 0xAA55 at 0x1fe and setup"
                    + " header magic \"HdrS\" at 0x202)");
        }
        if (image.length < PAYLOAD_LENGTH + 4) {
            throw new SymbolSourceException(path, "truncated x86 setup header (" + image.length + " bytes)");
        }
        int version = (image[VERSION] & 0xff) | (image[VERSION + 1] & 0xff) << 8;
        if (version < 0x208) {
            throw new SymbolSourceException(path, String.format("x86 boot protocol %d.%02d has no payload fields"
                    + " (2.08 or later needed: kernels since 2.6.26)", version >> 8, version & 0xff));
        }
        int setupSects = image[SETUP_SECTS] & 0xff;
        if (setupSects == 0) {
            setupSects = 4; // boot.rst: "If this field is 0, the real value is 4."
        }
        long start = (setupSects + 1L) * 512 + (intAt(image, PAYLOAD_OFFSET) & 0xffffffffL);
        long length = intAt(image, PAYLOAD_LENGTH) & 0xffffffffL;
        if (length < 8 || start + length > image.length) {
            throw new SymbolSourceException(path, "the setup header puts the payload at 0x" + Long.toHexString(start)
                    + " with length " + length + ", outside the " + image.length + "-byte file (truncated image?)");
        }
        return decompress(path, image, (int) start, (int) length);
    }

    /** Decompresses a payload whose last 4 bytes are the uncompressed size (the kernel's size_append). */
    static Payload decompress(Path path, byte[] bytes, int start, int length) {
        long expected = intAt(bytes, start + length - 4) & 0xffffffffL;
        String compression = compressionOf(bytes, start, length);
        long limit = Math.min(MAX_DECOMPRESSED, (long) MAX_RATIO * length);
        if (expected > limit || expected == 0) {
            throw new SymbolSourceException(path, "the " + compression + " payload claims " + expected
                    + " decompressed bytes; accepted are 1 to " + limit + " (" + MAX_RATIO
                    + " times the compressed size, at most " + (MAX_DECOMPRESSED >> 20) + " MiB)");
        }
        int streamLength = length - 4;
        byte[] out;
        try {
            out = switch (compression) {
                case "xz" -> readAll(path, new SingleXZInputStream(stream(bytes, start, streamLength),
                        MAX_DICTIONARY_KIB), expected);
                case "lzma" -> readAll(path, new LZMAInputStream(stream(bytes, start, streamLength),
                        MAX_DICTIONARY_KIB), expected);
                case "gzip" -> readAll(path, new GZIPInputStream(stream(bytes, start, streamLength)), expected);
                case "zstd" -> readAll(path, new ZstdInputStream(stream(bytes, start, streamLength)), expected);
                case "lz4" -> Lz4Legacy.decompress(path, bytes, start, streamLength, (int) expected);
                default -> throw new SymbolSourceException(path, "the payload is compressed with " + compression
                        + ", which klp-lsp does not read (supported: xz, lzma, gzip, zstd, lz4); unpack it with"
                        + " the kernel's scripts/extract-vmlinux and pass the vmlinux instead");
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof SymbolSourceException s) {
                throw s;
            }
            throw new SymbolSourceException(path, "corrupt " + compression + " payload: " + e.getMessage(), e);
        }
        if (out.length != expected) {
            throw new SymbolSourceException(path, "the " + compression + " payload decompressed to " + out.length
                    + " bytes but its size trailer says " + expected + " (corrupt or truncated image)");
        }
        return new Payload(compression, out, out.length);
    }

    /** The compression of a payload by its magic bytes (the names the kernel's Kconfig uses). */
    static String compressionOf(byte[] b, int at, int length) {
        if (length >= 6 && (b[at] & 0xff) == 0xfd && b[at + 1] == '7' && b[at + 2] == 'z' && b[at + 3] == 'X'
                && b[at + 4] == 'Z' && b[at + 5] == 0) {
            return "xz";
        }
        if (length >= 2 && (b[at] & 0xff) == 0x1f && ((b[at + 1] & 0xff) == 0x8b || (b[at + 1] & 0xff) == 0x9e)) {
            return "gzip";
        }
        if (length >= 4 && intAt(b, at) == 0xfd2fb528) {
            return "zstd";
        }
        if (length >= 4 && intAt(b, at) == Lz4Legacy.MAGIC) {
            return "lz4";
        }
        if (length >= 3 && b[at] == 'B' && b[at + 1] == 'Z' && b[at + 2] == 'h') {
            return "bzip2";
        }
        if (length >= 4 && (b[at] & 0xff) == 0x89 && b[at + 1] == 'L' && b[at + 2] == 'Z' && b[at + 3] == 'O') {
            return "lzo";
        }
        if (length >= 3 && b[at] == 0x5d && b[at + 1] == 0 && b[at + 2] == 0) {
            return "lzma";
        }
        return "an unknown method (magic " + hex(b, at, Math.min(6, length)) + ")";
    }

    private static InputStream stream(byte[] bytes, int start, int length) {
        return new ByteArrayInputStream(bytes, start, length);
    }

    /** Reads a stream whole, but never more than {@code expected} bytes: one byte more is an error. */
    private static byte[] readAll(Path path, InputStream in, long expected) throws IOException {
        try (in) {
            // The trailer is bounded by the ratio limit above, so allocating it whole is safe and saves a copy.
            byte[] out = new byte[(int) expected];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (n == expected) {
                        if (in.read() >= 0) {
                            throw new SymbolSourceException(path, "the payload decompresses to more than the "
                                    + expected + " bytes its size trailer says (corrupt image or decompression bomb)");
                        }
                        return out;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(expected, (long) out.length * 2));
                }
                int read = in.read(out, n, out.length - n);
                if (read < 0) {
                    return Arrays.copyOf(out, n);
                }
                n += read;
            }
        }
    }

    static int intAt(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static String hex(byte[] b, int at, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(String.format("%02x", b[at + i] & 0xff));
        }
        return out.toString();
    }
}
