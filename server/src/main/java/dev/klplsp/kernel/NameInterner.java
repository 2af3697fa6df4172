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
        return intern(bytes, hash(bytes, 0, bytes.length));
    }

    /** Interns a name given as UTF-8 with its {@link #hash} (computed by the caller, outside any lock). */
    int intern(byte[] bytes, int hash) {
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

    static int hash(byte[] bytes, int from, int to) {
        int h = 0x9e3779b9;
        for (int i = from; i < to; i++) {
            h = (h ^ bytes[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
