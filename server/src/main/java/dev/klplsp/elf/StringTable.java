// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A SHT_STRTAB section ({@code .strtab}, {@code .shstrtab}). Existing bytes are never rewritten: a string
 * that is not yet present is appended, so offsets of unchanged names stay valid and an unmodified object
 * keeps its exact bytes.
 */
public final class StringTable extends Section {
    private Map<String, Integer> appended = new HashMap<>();

    StringTable(String name, long flags, long addralign, long entsize) {
        super(name, Elf.SHT_STRTAB, flags, addralign, entsize);
        super.setData(new byte[] {0});
    }

    /** The NUL-terminated string at a byte offset; null when the offset is outside the table. */
    public String at(int offset) {
        byte[] bytes = data();
        if (offset < 0 || offset >= bytes.length) {
            return null;
        }
        int end = offset;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Whether the string at {@code offset} is exactly {@code string}. */
    public boolean hasAt(int offset, String string) {
        byte[] bytes = data();
        byte[] wanted = string.getBytes(StandardCharsets.UTF_8);
        if (offset < 0 || offset + wanted.length >= bytes.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (bytes[offset + i] != wanted[i]) {
                return false;
            }
        }
        return bytes[offset + wanted.length] == 0;
    }

    /**
     * The offset of {@code string}: 0 for "", the offset of a string appended earlier, or a new offset
     * after appending it (the old bytes stay as they are).
     */
    public int add(String string) {
        if (string.isEmpty() && data().length > 0 && data()[0] == 0) {
            return 0;
        }
        Integer known = appended.get(string);
        if (known != null) {
            return known;
        }
        byte[] bytes = data();
        int offset = bytes.length;
        byte[] encoded = string.getBytes(StandardCharsets.UTF_8);
        byte[] grown = new byte[bytes.length + encoded.length + 1];
        System.arraycopy(bytes, 0, grown, 0, bytes.length);
        System.arraycopy(encoded, 0, grown, bytes.length, encoded.length);
        super.setData(grown);
        appended.put(string, offset);
        return offset;
    }

    @Override
    public void setData(byte[] data) {
        super.setData(data);
        appended = new HashMap<>();
    }
}
