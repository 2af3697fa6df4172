// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a {@link KernelIndex}: the same bytes are the index in memory (a direct buffer after a
 * build) and the index section of the cache file (a memory map after a reload), so a reload decodes only the
 * few strings and wraps the columns in place. Little-endian; each column is {@code int count, byte width,
 * byte bias}, padded to 8, then the values at the narrowest width (see {@link Column}).
 */
final class IndexLayout {
    private IndexLayout() {
    }

    /** Encodes into a buffer, or only measures the size when the buffer is null (the first of two passes). */
    static final class Sink {
        private final ByteBuffer out;
        int position;
        /** Column widths: the measuring pass records them, the writing pass reuses them instead of rescanning. */
        private final int[] widths;
        private final boolean reuse;
        private int columns;

        Sink(ByteBuffer out) {
            this(out, null);
        }

        /** A writing pass after {@code measured}, which saw the same columns. */
        Sink(ByteBuffer out, Sink measured) {
            this.out = out;
            this.widths = measured == null ? new int[64] : measured.widths;
            this.reuse = measured != null;
        }

        private int width(int[] values, int count, int bias) {
            if (reuse) {
                return widths[columns++];
            }
            int min = 0;
            int max = 0;
            for (int i = 0; i < count; i++) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            int width = Column.widthFor(min, max, bias);
            widths[columns++] = width;
            return width;
        }

        void putInt(int value) {
            if (out != null) {
                out.putInt(position, value);
            }
            position += 4;
        }

        void putLong(long value) {
            if (out != null) {
                out.putLong(position, value);
            }
            position += 8;
        }

        void putByte(int value) {
            if (out != null) {
                out.put(position, (byte) value);
            }
            position += 1;
        }

        void align() {
            while ((position & 7) != 0) {
                putByte(0);
            }
        }

        void bytes(byte[] values, int length) {
            putInt(length);
            if (out != null) {
                out.put(position, values, 0, length);
            }
            position += length;
            align();
        }

        void intColumn(int[] values, int count, int bias) {
            int width = width(values, count, bias);
            header(count, width, bias);
            if (out != null) {
                // Narrowed on the heap, then one bulk copy: per-value buffer calls are slow before the JIT warms up.
                if (width == 1) {
                    byte[] narrow = new byte[count];
                    for (int i = 0; i < count; i++) {
                        narrow[i] = (byte) (values[i] + bias);
                    }
                    out.put(position, narrow);
                } else if (width == 2) {
                    short[] narrow = new short[count];
                    for (int i = 0; i < count; i++) {
                        narrow[i] = (short) (values[i] + bias);
                    }
                    out.slice(position, 2 * count).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(narrow);
                } else {
                    int[] biased = values;
                    if (bias != 0) {
                        biased = new int[count];
                        for (int i = 0; i < count; i++) {
                            biased[i] = values[i] + bias;
                        }
                    }
                    out.slice(position, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(biased, 0, count);
                }
            }
            position += count * width;
            align();
        }

        void byteColumn(byte[] values, int count) {
            header(count, 1, 0);
            if (out != null) {
                out.put(position, values, 0, count);
            }
            position += count;
            align();
        }

        void longColumn(long[] values, int count) {
            int width;
            if (reuse) {
                width = widths[columns++];
            } else {
                long min = 0;
                long max = 0;
                for (int i = 0; i < count; i++) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
                // 4 bytes sign-extended covers x86-64 kernel addresses (0xffffffff8...) and module offsets.
                width = min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE ? 4 : 8;
                widths[columns++] = width;
            }
            header(count, width, 0);
            if (out != null) {
                if (width == 4) {
                    int[] narrow = new int[count];
                    for (int i = 0; i < count; i++) {
                        narrow[i] = (int) values[i];
                    }
                    out.slice(position, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(narrow);
                } else {
                    out.slice(position, 8 * count).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(values, 0, count);
                }
            }
            position += count * width;
            align();
        }

        private void header(int count, int width, int bias) {
            putInt(count);
            putByte(width);
            putByte(bias);
            align();
        }

        void string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            putInt(bytes.length);
            if (out != null) {
                out.put(position, bytes);
            }
            position += bytes.length;
        }

        /** An interned name table: the UTF-8 blob, then offsets, hash slots and hashes (see {@link NameTable}). */
        void names(NameInterner names) {
            bytes(names.blob(), names.blobLength());
            intColumn(names.offsets(), names.size() + 1, 0);
            intColumn(names.slots(), names.slots().length, 0);
            intColumn(names.hashes(), names.size(), 0);
        }

        void strings(String[] values) {
            putInt(values.length);
            for (String value : values) {
                string(value);
            }
            align();
        }
    }

    /** Decodes in the order the {@link Sink} wrote; every length is checked against the buffer. */
    static final class Source {
        private final ByteBuffer in;
        int position;

        Source(ByteBuffer in) {
            this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        }

        ByteBuffer buffer() {
            return in;
        }

        int getInt() {
            int value = in.getInt(position);
            position += 4;
            return value;
        }

        /** A count of records of at least {@code minBytes} each, refused when the buffer cannot hold that many. */
        int count(int minBytes) {
            return length(minBytes);
        }

        private int length(int unit) {
            int length = getInt();
            if (length < 0 || (long) position + (long) length * unit > in.limit()) {
                throw new IllegalStateException("bad length " + length + " at " + (position - 4));
            }
            return length;
        }

        private void align() {
            position = (position + 7) & ~7;
        }

        /** The offset of a byte run inside the buffer; its length is at {@code offset - 4}. */
        int bytes() {
            int length = length(1);
            int start = position;
            position += length;
            align();
            return start;
        }

        Column column() {
            int count = length(1);
            int width = in.get(position) & 0xff;
            int bias = in.get(position + 1) & 0xff;
            position += 2;
            align();
            Column column = new Column(in, position, count, width, bias);
            position += count * width;
            align();
            return column;
        }

        String string() {
            int length = length(1);
            String value = new String(bytesAt(position, length), StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        private byte[] bytesAt(int offset, int length) {
            byte[] bytes = new byte[length];
            in.get(offset, bytes);
            return bytes;
        }

        String[] strings() {
            int count = length(4);
            String[] values = new String[count];
            for (int i = 0; i < count; i++) {
                values[i] = string();
            }
            align();
            return values;
        }

        /**
         * Steps over a list of strings without decoding it (a reload that may never need them stays cheap);
         * {@link LazyStrings#get} decodes it on first use.
         */
        LazyStrings lazyStrings() {
            int start = position;
            int count = length(4);
            for (int i = 0; i < count; i++) {
                int length = length(1);
                position += length;
            }
            align();
            return new LazyStrings(in, start, count);
        }
    }

    /** A list of strings in a layout, decoded on first use (thread-safe: decoding twice gives equal arrays). */
    static final class LazyStrings {
        private final ByteBuffer in;
        private final int start;
        private final int count;
        private volatile String[] values;

        private LazyStrings(ByteBuffer in, int start, int count) {
            this.in = in;
            this.start = start;
            this.count = count;
        }

        int size() {
            return count;
        }

        String[] get() {
            String[] decoded = values;
            if (decoded == null) {
                Source source = new Source(in);
                source.position = start;
                decoded = source.strings();
                values = decoded;
            }
            return decoded;
        }
    }
}
