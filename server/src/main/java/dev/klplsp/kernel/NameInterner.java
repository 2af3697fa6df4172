// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns names while an index is built: distinct strings stored as one byte blob (UTF-8) plus offsets, with
 * an open-addressing hash for lookup, so hundreds of thousands of symbol names cost a few bytes each instead
 * of a String object each. Ids are dense, 0-based, in insertion order. Not thread-safe. The built index
 * stores the same arrays in its layout and reads them through {@link NameTable}.
 */
final class NameInterner {
    private byte[] blob;
    private int blobLength;
    private int[] offsets; // offsets[id]..offsets[id+1]
    private int count;
    private int[] slots; // id + 1, 0 = empty
    private int[] hashes; // per id: compared before the bytes, so probing rarely touches the blob
    /** Per id: whether the name has a '.' after its first byte, the only names that can be compiler clones. */
    private java.util.BitSet dotted = new java.util.BitSet();

    NameInterner(int expectedNames) {
        blob = new byte[Math.max(64, expectedNames * 16)];
        offsets = new int[Math.max(2, expectedNames + 1)];
        slots = new int[tableSizeFor(expectedNames)];
        hashes = new int[Math.max(2, expectedNames + 1)];
    }

    int[] slots() {
        return slots;
    }

    int[] hashes() {
        return hashes;
    }

    private static int tableSizeFor(int names) {
        int size = 16;
        while (size < names * 2) {
            size <<= 1;
        }
        return size;
    }

    int size() {
        return count;
    }

    byte[] blob() {
        return blob;
    }

    int[] offsets() {
        return offsets;
    }

    int blobLength() {
        return blobLength;
    }

    int intern(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        long hashAndDot = hashAndDot(bytes);
        return intern(bytes, (int) hashAndDot, hashAndDot < 0);
    }

    /**
     * Interns a name given as UTF-8 with its {@link #hash} and whether it has a dot after the first byte (both
     * from {@link #hashAndDot}, computed by the caller outside any lock).
     */
    int intern(byte[] bytes, int hash, boolean hasDot) {
        int mask = slots.length - 1;
        int slot = hash & mask;
        for (;; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                break;
            }
            if (hashes[entry - 1] == hash && equalsAt(entry - 1, bytes)) {
                return entry - 1;
            }
        }
        int id = count;
        if (blobLength + bytes.length > blob.length) {
            blob = Arrays.copyOf(blob, Math.max(blob.length * 2, blobLength + bytes.length));
        }
        System.arraycopy(bytes, 0, blob, blobLength, bytes.length);
        blobLength += bytes.length;
        if (count + 2 > offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
            hashes = Arrays.copyOf(hashes, offsets.length);
        }
        hashes[id] = hash;
        if (hasDot) {
            dotted.set(id);
        }
        count++;
        offsets[count] = blobLength;
        if (count * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int other = 0; other < count; other++) {
                insertSlot(other, hashes[other]);
            }
        } else {
            slots[slot] = id + 1;
        }
        return id;
    }

    /** The id of the UTF-8 name at {@code bytes[from, to)}, or -1 when it was never interned. */
    int find(byte[] bytes, int from, int to) {
        int hash = hash(bytes, from, to);
        int mask = slots.length - 1;
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            int start = offsets[entry - 1];
            if (hashes[entry - 1] == hash && offsets[entry] - start == to - from
                    && Arrays.equals(blob, start, start + to - from, bytes, from, to)) {
                return entry - 1;
            }
        }
    }

    private void insertSlot(int id, int hash) {
        int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = id + 1;
    }

    private boolean equalsAt(int id, byte[] bytes) {
        int start = offsets[id];
        return offsets[id + 1] - start == bytes.length
                && Arrays.equals(blob, start, start + bytes.length, bytes, 0, bytes.length);
    }

    /** The ids of the names with a dot after their first byte, ascending. */
    java.util.BitSet dotted() {
        return dotted;
    }

    /**
     * {@link #hash} in the low 32 bits, and the sign bit set when a '.' follows the first byte: one pass over
     * the name yields both (the builder's reader threads compute them for every symbol).
     */
    static long hashAndDot(byte[] bytes) {
        int h = 0x9e3779b9;
        boolean dot = false;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            h = (h ^ b) * 0x01000193;
            dot |= b == '.' && i > 0;
        }
        return (dot ? Long.MIN_VALUE : 0) | ((h ^ (h >>> 15)) & 0xffffffffL);
    }

    static int hash(byte[] bytes, int from, int to) {
        int h = 0x9e3779b9;
        for (int i = from; i < to; i++) {
            h = (h ^ bytes[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
