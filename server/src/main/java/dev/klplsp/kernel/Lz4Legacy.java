// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.file.Path;

/**
 * The LZ4 "legacy frame" the kernel's CONFIG_KERNEL_LZ4 uses ({@code lz4 -l}, read by lib/decompress_unlz4.c):
 * the magic 0x184C2102, then blocks of a little-endian 32-bit compressed size and an LZ4 block that decompresses
 * to at most 8 MiB. The block format is LZ4's documented sequence format (token, literals, 16-bit offset, match).
 *
 * <p>Written here rather than taken from a library: lz4-java reads LZ4 blocks but not this frame, and the block
 * decoder is forty lines; every read and write is bounds-checked, so corrupt input is an error, never an
 * out-of-bounds access.
 */
final class Lz4Legacy {
    static final int MAGIC = 0x184c2102;
    private static final int MAX_BLOCK = 8 << 20;

    private Lz4Legacy() {
    }

    /** Decompresses {@code in[start, start + length)}, which must decompress to exactly {@code expected} bytes. */
    static byte[] decompress(Path path, byte[] in, int start, int length, int expected) {
        byte[] out = new byte[expected];
        int end = start + length;
        int at = start;
        int written = 0;
        while (at + 4 <= end) {
            int size = KernelImage.intAt(in, at);
            at += 4;
            if (size == MAGIC) {
                continue; // concatenated frames: unlz4 skips a repeated magic
            }
            if (size <= 0 || size > end - at) {
                throw corrupt(path, at - 4, "block size " + Integer.toUnsignedString(size) + " exceeds the "
                        + (end - at) + " bytes left");
            }
            written = block(path, in, at, at + size, out, written);
            at += size;
        }
        if (at != end) {
            throw corrupt(path, at, (end - at) + " stray bytes after the last block");
        }
        if (written != expected) {
            throw new SymbolSourceException(path, "the lz4 payload decompressed to " + written
                    + " bytes but its size trailer says " + expected);
        }
        return out;
    }

    /** Decodes one LZ4 block into {@code out} from {@code written} on; returns the new write position. */
    private static int block(Path path, byte[] in, int at, int end, byte[] out, int written) {
        int blockStart = written;
        while (true) {
            if (at >= end) {
                throw corrupt(path, at, "block ends inside a sequence");
            }
            int token = in[at++] & 0xff;
            int literals = token >>> 4;
            if (literals == 15) {
                int[] extended = extend(path, in, at, end, literals);
                literals = extended[0];
                at = extended[1];
            }
            if (literals > end - at || literals > out.length - written) {
                throw corrupt(path, at, "literal run of " + literals + " bytes overruns the block or the output");
            }
            System.arraycopy(in, at, out, written, literals);
            at += literals;
            written += literals;
            if (at == end) {
                break; // the last sequence has literals only
            }
            if (end - at < 2) {
                throw corrupt(path, at, "match offset cut off");
            }
            int offset = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
            at += 2;
            int match = token & 15;
            if (match == 15) {
                int[] extended = extend(path, in, at, end, match);
                match = extended[0];
                at = extended[1];
            }
            match += 4;
            if (offset == 0 || offset > written - blockStart) {
                throw corrupt(path, at, "match offset " + offset + " points before the block");
            }
            if (match > out.length - written) {
                throw corrupt(path, at, "match of " + match + " bytes overruns the output");
            }
            // Byte by byte: a match may overlap the bytes it produces (offset < length repeats a pattern).
            for (int i = 0; i < match; i++) {
                out[written + i] = out[written - offset + i];
            }
            written += match;
        }
        if (written - blockStart > MAX_BLOCK) {
            throw corrupt(path, at, "block decompresses to more than " + MAX_BLOCK + " bytes");
        }
        return written;
    }

    /** Reads LZ4's length extension (bytes of 255 then a final byte); returns {length, next position}. */
    private static int[] extend(Path path, byte[] in, int at, int end, int length) {
        int value = length;
        while (true) {
            if (at >= end) {
                throw corrupt(path, at, "length cut off");
            }
            int b = in[at++] & 0xff;
            value += b;
            if (value > MAX_BLOCK) {
                throw corrupt(path, at, "length beyond " + MAX_BLOCK + " bytes");
            }
            if (b != 255) {
                return new int[] {value, at};
            }
        }
    }

    private static SymbolSourceException corrupt(Path path, int offset, String what) {
        return new SymbolSourceException(path, "corrupt lz4 payload at file offset 0x" + Integer.toHexString(offset)
                + ": " + what);
    }
}
