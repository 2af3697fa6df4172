// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A read position in a section buffer (in the file's byte order). Every read is bounds-checked by the
 * buffer: reading past its limit throws {@link IndexOutOfBoundsException}, which the callers turn into a
 * {@link DwarfFormatException} naming the position.
 */
final class Cursor {
    final ByteBuffer buffer;
    int pos;

    Cursor(ByteBuffer buffer, int pos) {
        this.buffer = buffer;
        this.pos = pos;
    }

    int u8() {
        return buffer.get(pos++) & 0xff;
    }

    int u16() {
        int value = buffer.getShort(pos) & 0xffff;
        pos += 2;
        return value;
    }

    int u24() {
        int a = u8();
        int b = u8();
        int c = u8();
        return buffer.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? a | b << 8 | c << 16 : a << 16 | b << 8 | c;
    }

    long u32() {
        long value = buffer.getInt(pos) & 0xffffffffL;
        pos += 4;
        return value;
    }

    long u64() {
        long value = buffer.getLong(pos);
        pos += 8;
        return value;
    }

    /** An unsigned value of 1, 2, 4 or 8 bytes (addresses, offsets). */
    long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw new IndexOutOfBoundsException("bad value size " + size);
        };
    }

    long uleb() {
        long result = 0;
        int shift = 0;
        byte b;
        do {
            b = buffer.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while (b < 0);
        return result;
    }

    long sleb() {
        long result = 0;
        int shift = 0;
        byte b;
        do {
            b = buffer.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while (b < 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    void skipLeb() {
        while (buffer.get(pos++) < 0) {
            // continuation bit set
        }
    }

    void skip(long count) {
        if (count < 0 || count > buffer.limit() - pos) {
            throw new IndexOutOfBoundsException("skip of " + count + " bytes at " + pos);
        }
        pos += (int) count;
    }

    /** Skips a NUL-terminated string. */
    void skipString() {
        while (buffer.get(pos++) != 0) {
            // to the terminator
        }
    }

    /** Decodes the NUL-terminated string at {@code offset} of a buffer. */
    static String string(ByteBuffer buffer, int offset) {
        int end = offset;
        int limit = buffer.limit();
        while (end < limit && buffer.get(end) != 0) {
            end++;
        }
        if (end == limit) {
            throw new IndexOutOfBoundsException("string at " + offset + " has no terminator");
        }
        byte[] bytes = new byte[end - offset];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
