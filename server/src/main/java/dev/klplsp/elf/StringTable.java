// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A SHT_STRTAB section ({@code .strtab}, {@code .shstrtab}). Existing bytes are never rewritten: a string
 * that is not yet present is appended, so offsets of unchanged names stay valid and an unmodified object
 * keeps its exact bytes. Appending is amortized O(length of the string): the bytes live in a buffer that
 * grows by doubling, and {@link #data()} trims it to the exact size once per batch of appends (a conversion
 * renames tens of thousands of symbols; copying the whole table per name was quadratic).
 */
public final class StringTable extends Section {
    private byte[] buffer;
    private int length;
    /** {@link #data()}'s exact-size array; null after an append until it is asked for again. */
    private byte[] exact;
    private Map<String, Integer> appended = new HashMap<>();

    StringTable(String name, long flags, long addralign, long entsize) {
        super(name, Elf.SHT_STRTAB, flags, addralign, entsize);
        setData(new byte[] {0});
    }

    /** The NUL-terminated string at a byte offset; null when the offset is outside the table. */
    public String at(int offset) {
        if (offset < 0 || offset >= length) {
            return null;
        }
        int end = offset;
        while (end < length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Whether the string at {@code offset} is exactly {@code string}. */
    public boolean hasAt(int offset, String string) {
        byte[] wanted = string.getBytes(StandardCharsets.UTF_8);
        if (offset < 0 || offset + wanted.length >= length) {
            return false;
        }
        return Arrays.equals(buffer, offset, offset + wanted.length, wanted, 0, wanted.length)
                && buffer[offset + wanted.length] == 0;
    }

    /**
     * The offset of {@code string}: 0 for "", the offset of a string appended earlier, or a new offset
     * after appending it (the old bytes stay as they are).
     */
    public int add(String string) {
        if (string.isEmpty() && length > 0 && buffer[0] == 0) {
            return 0;
        }
        Integer known = appended.get(string);
        if (known != null) {
            return known;
        }
        byte[] encoded = string.getBytes(StandardCharsets.UTF_8);
        int offset = length;
        int needed = length + encoded.length + 1;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
        System.arraycopy(encoded, 0, buffer, offset, encoded.length);
        buffer[offset + encoded.length] = 0;
        length = needed;
        exact = null;
        appended.put(string, offset);
        return offset;
    }

    /** The contents, exactly {@link #size()} bytes (not a copy; do not modify in place). */
    @Override
    public byte[] data() {
        if (exact == null) {
            exact = buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
            buffer = exact;
        }
        return exact;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void setData(byte[] data) {
        super.setData(data);
        buffer = data;
        length = data.length;
        exact = data;
        appended = new HashMap<>();
    }
}
