// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;

/**
 * A read-only column of integers stored little-endian in a byte buffer (a direct buffer or the memory-mapped
 * cache file) with the narrowest width that holds its values: 1, 2 or 4 bytes unsigned after adding a bias
 * (bias 1 stores -1 as 0), or 4 bytes sign-extended / 8 bytes for longs. Columns are views: a reload copies
 * nothing.
 */
final class Column {
    private final ByteBuffer buffer;
    private final int base;
    private final int count;
    private final int width;
    private final int bias;

    Column(ByteBuffer buffer, int base, int count, int width, int bias) {
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalStateException("bad column width " + width);
        }
        if (base < 0 || count < 0 || (long) base + (long) count * width > buffer.limit()) {
            throw new IllegalStateException("column [" + base + ", +" + count + "x" + width + ") outside the buffer");
        }
        this.buffer = buffer;
        this.base = base;
        this.count = count;
        this.width = width;
        this.bias = bias;
    }

    int size() {
        return count;
    }

    int width() {
        return width;
    }

    int get(int i) {
        return switch (width) {
            case 1 -> (buffer.get(base + i) & 0xff) - bias;
            case 2 -> (buffer.getShort(base + 2 * i) & 0xffff) - bias;
            default -> buffer.getInt(base + 4 * i) - bias;
        };
    }

    long getLong(int i) {
        return width == 8 ? buffer.getLong(base + 8 * i) : get(i);
    }

    /** Chunk size of the scans below: bulk copies, then loops over Java arrays (fast before the JIT warms up). */
    private static final int SCAN_CHUNK = 1 << 14;

    /** Decodes values [at, at + n) into {@code into} (bias applied); an int column only. */
    private void read(int at, int n, int[] into, Object scratch) {
        ByteBuffer view = buffer.slice(base, count * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> {
                byte[] bytes = (byte[]) scratch;
                view.get(at, bytes, 0, n);
                for (int i = 0; i < n; i++) {
                    into[i] = (bytes[i] & 0xff) - bias;
                }
            }
            case 2 -> {
                short[] shorts = (short[]) scratch;
                view.asShortBuffer().get(at, shorts, 0, n);
                for (int i = 0; i < n; i++) {
                    into[i] = (shorts[i] & 0xffff) - bias;
                }
            }
            case 4 -> {
                view.asIntBuffer().get(at, into, 0, n);
                for (int i = 0; bias != 0 && i < n; i++) {
                    into[i] -= bias;
                }
            }
            default -> throw new IllegalStateException("not an int column (width " + width + ")");
        }
    }

    private Object scratch(int chunk) {
        return width == 1 ? new byte[chunk] : width == 2 ? new short[chunk] : null;
    }

    /**
     * Whether every value lies in [min, max] (a reloaded cache's columns are checked so, in milliseconds). A column
     * whose width cannot hold an out-of-range value is not read at all.
     */
    boolean allWithin(int min, int max) {
        if (width == 8) {
            return false; // an int column is never 8 bytes wide
        }
        long low = (long) min + bias;
        long high = (long) max + bias;
        if (width == 1 && low <= 0 && high >= 0xff || width == 2 && low <= 0 && high >= 0xffff) {
            return true;
        }
        return scan(min, max, false);
    }

    /** Whether some value equals {@code value}. */
    boolean contains(int value) {
        int chunk = Math.min(count, SCAN_CHUNK);
        int[] values = new int[chunk];
        Object scratch = scratch(chunk);
        for (int at = 0; at < count; at += chunk) {
            int n = Math.min(chunk, count - at);
            read(at, n, values, scratch);
            for (int i = 0; i < n; i++) {
                if (values[i] == value) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the values never decrease (start offsets). */
    boolean nonDecreasing() {
        return scan(Integer.MIN_VALUE, Integer.MAX_VALUE, true);
    }

    /**
     * Whether every value lies in [min, max] and, when {@code rising}, never decreases. Compares the stored values
     * with the bounds shifted by the bias (which keeps their order) straight from a bulk copy, without decoding
     * them into an int array first. One loop per width, not one loop asking the width per value: C1, which runs a
     * one-shot command, does not hoist that test, and the reload's checks took 30% longer with it.
     */
    private boolean scan(int min, int max, boolean rising) {
        int chunk = Math.min(count, SCAN_CHUNK);
        ByteBuffer view = buffer.slice(base, count * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long low = (long) min + (width == 4 ? 0 : bias);
        long high = (long) max + (width == 4 ? 0 : bias);
        long previous = Long.MIN_VALUE;
        switch (width) {
            case 1 -> {
                byte[] stored = new byte[chunk];
                for (int at = 0; at < count; at += chunk) {
                    int n = Math.min(chunk, count - at);
                    view.get(at, stored, 0, n);
                    for (int i = 0; i < n; i++) {
                        long value = stored[i] & 0xff;
                        if (value < low || value > high || rising && value < previous) {
                            return false;
                        }
                        previous = value;
                    }
                }
            }
            case 2 -> {
                short[] stored = new short[chunk];
                java.nio.ShortBuffer values = view.asShortBuffer();
                for (int at = 0; at < count; at += chunk) {
                    int n = Math.min(chunk, count - at);
                    values.get(at, stored, 0, n);
                    for (int i = 0; i < n; i++) {
                        long value = stored[i] & 0xffff;
                        if (value < low || value > high || rising && value < previous) {
                            return false;
                        }
                        previous = value;
                    }
                }
            }
            case 4 -> {
                int[] stored = new int[chunk];
                java.nio.IntBuffer values = view.asIntBuffer();
                for (int at = 0; at < count; at += chunk) {
                    int n = Math.min(chunk, count - at);
                    values.get(at, stored, 0, n);
                    for (int i = 0; i < n; i++) {
                        long value = stored[i] - bias; // stored as value + bias in an int
                        if (value < low || value > high || rising && value < previous) {
                            return false;
                        }
                        previous = value;
                    }
                }
            }
            default -> throw new IllegalStateException("not an int column (width " + width + ")");
        }
        return true;
    }

    /** The width an int column needs for values in [min, max] with the given bias (min + bias must be >= 0). */
    static int widthFor(long min, long max, int bias) {
        long low = min + bias;
        long high = max + bias;
        if (low >= 0 && high <= 0xff) {
            return 1;
        }
        if (low >= 0 && high <= 0xffff) {
            return 2;
        }
        return high <= Integer.MAX_VALUE && low >= Integer.MIN_VALUE ? 4 : 8;
    }
}
