// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An append-only table of distinct strings stored as one byte blob (UTF-8) plus offsets, with an
 * open-addressing hash for lookup: hundreds of thousands of symbol names cost a few bytes each instead of a
 * String object each. Ids are dense, 0-based, in insertion order. Not thread-safe while growing; read-only
 * use after building is.
 */
final class NameTable {
    private byte[] blob;
    private int blobLength;
    private int[] offsets; // offsets[id]..offsets[id+1]
    private int count;
    private int[] slots; // id + 1, 0 = empty
    private int[] hashes; // per id: compared before the bytes, so probing rarely touches the blob

    NameTable(int expectedNames) {
        blob = new byte[Math.max(64, expectedNames * 16)];
        offsets = new int[Math.max(2, expectedNames + 1)];
        slots = new int[tableSizeFor(expectedNames)];
        hashes = new int[Math.max(2, expectedNames + 1)];
    }

    /** Wraps stored arrays (from the cache), hash slots included. */
    NameTable(byte[] blob, int[] offsets, int count, int[] slots, int[] hashes) {
        if (offsets.length < count + 1 || offsets[count] > blob.length || Integer.bitCount(slots.length) != 1
                || slots.length < count || hashes.length < count) {
            throw new IllegalStateException("inconsistent name table");
        }
        this.blob = blob;
        this.blobLength = offsets[count];
        this.offsets = offsets;
        this.count = count;
        this.slots = slots;
        this.hashes = hashes;
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

    String get(int id) {
        return new String(blob, offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.UTF_8);
    }

    int length(int id) {
        return offsets[id + 1] - offsets[id];
    }

    /** The id of a name, or -1. */
    int find(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int hash = hash(bytes, 0, bytes.length);
        int mask = slots.length - 1;
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            if (hashes[entry - 1] == hash && equalsAt(entry - 1, bytes)) {
                return entry - 1;
            }
        }
    }

    int intern(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int hash = hash(bytes, 0, bytes.length);
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

    /** Whether name {@code id} starts with the given bytes. */
    boolean startsWith(int id, byte[] prefix) {
        int start = offsets[id];
        if (offsets[id + 1] - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (blob[start + i] != prefix[i]) {
                return false;
            }
        }
        return true;
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

    private static int hash(byte[] bytes, int from, int to) {
        int h = 0x9e3779b9;
        for (int i = from; i < to; i++) {
            h = (h ^ bytes[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
