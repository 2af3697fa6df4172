// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SHT_STRTAB section ({@code .strtab}, {@code .shstrtab}). Existing bytes are never rewritten: a string
 * that is not yet present is appended, so offsets of unchanged names stay valid and an unmodified object
 * keeps its exact bytes. Appending is amortized O(length of the string): the bytes live in a buffer that
 * grows by doubling, and {@link #data()} trims it to the exact size once per batch of appends (a conversion
 * renames tens of thousands of symbols; copying the whole table per name was quadratic). {@link #addAll} makes
 * room for a whole batch first, so the writer's renamed symbols cost one copy of the table.
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

    /**
     * Whether the string at {@code offset} reads as {@code string}: is it, or holds bytes that are not UTF-8 and
     * decode to it (with U+FFFD, which encodes back to other bytes: a name read that way is still that name). The
     * writer asks this for every symbol, so an ASCII name (every name a compiler emits) is compared in place,
     * without encoding it.
     */
    public boolean hasAt(int offset, String string) {
        int count = string.length();
        if (offset < 0 || offset >= length || count >= length - offset) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            char c = string.charAt(i);
            if (c >= 0x80) {
                return hasEncodedAt(offset, string);
            }
            if (c == 0 || buffer[offset + i] != c) {
                return false; // a NUL ends every string of the table, so a string holding one is never there
            }
        }
        return buffer[offset + count] == 0;
    }

    private boolean hasEncodedAt(int offset, String string) {
        if (string.indexOf('\0') >= 0) {
            return false;
        }
        byte[] wanted = string.getBytes(StandardCharsets.UTF_8);
        if (offset + wanted.length < length && Arrays.equals(buffer, offset, offset + wanted.length, wanted, 0,
                wanted.length) && buffer[offset + wanted.length] == 0) {
            return true;
        }
        return string.indexOf('\uFFFD') >= 0 && string.equals(at(offset));
    }

    /**
     * The offsets of many strings, each as {@link #add} gives it, with room for the whole batch made first: the
     * table is copied once, not once per doubling (the writer appends every renamed symbol's name this way).
     */
    public int[] addAll(List<String> strings) {
        long bytes = 0;
        for (String string : strings) {
            int ascii = asciiLength(string);
            bytes += (ascii >= 0 ? ascii : string.getBytes(StandardCharsets.UTF_8).length) + 1;
        }
        long needed = length + bytes;
        if (needed > buffer.length) {
            // An upper bound (repeated strings are stored once); data() trims what is left over.
            buffer = Arrays.copyOf(buffer, (int) Math.min(needed, Integer.MAX_VALUE - 8));
            exact = null;
        }
        if (appended.isEmpty()) {
            appended = new HashMap<>(strings.size() * 4 / 3 + 1);
        }
        int[] offsets = new int[strings.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = add(strings.get(i));
        }
        return offsets;
    }

    /** The length of an ASCII string (its UTF-8 bytes are its chars), or -1 when it has another character. */
    private static int asciiLength(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) >= 0x80) {
                return -1;
            }
        }
        return string.length();
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
        int offset = length;
        int ascii = asciiLength(string);
        byte[] encoded = ascii >= 0 ? null : string.getBytes(StandardCharsets.UTF_8);
        int encodedLength = ascii >= 0 ? ascii : encoded.length;
        int needed = length + encodedLength + 1;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
        if (encoded == null) {
            for (int i = 0; i < ascii; i++) {
                buffer[offset + i] = (byte) string.charAt(i);
            }
        } else {
            System.arraycopy(encoded, 0, buffer, offset, encodedLength);
        }
        buffer[offset + encodedLength] = 0;
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
