// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The distinct symbol names of an index, read-only, as {@link NameInterner} built them: one UTF-8 blob plus
 * offsets, hash slots and per-name hashes, all views into the index layout. Thread-safe.
 */
final class NameTable {
    private final ByteBuffer blob; // the whole layout buffer; names start at blobStart
    private final int blobStart;
    private final Column offsets; // offsets[id]..offsets[id+1], relative to blobStart
    private final int count;
    private final Column slots; // id + 1, 0 = empty
    private final Column hashes;

    NameTable(ByteBuffer buffer, int blobStart, int blobLength, Column offsets, Column slots, Column hashes) {
        this.count = offsets.size() - 1;
        if (count < 0 || offsets.get(count) > blobLength || Integer.bitCount(slots.size()) != 1
                || slots.size() < count || hashes.size() < count) {
            throw new IllegalStateException("inconsistent name table");
        }
        this.blob = buffer;
        this.blobStart = blobStart;
        this.offsets = offsets;
        this.slots = slots;
        this.hashes = hashes;
    }

    int size() {
        return count;
    }

    /** See {@link KernelIndex#verify()}: names lie in order inside the blob, slots hold ids, one slot is empty. */
    void verify() {
        if (offsets.get(0) < 0 || !offsets.nonDecreasing()) {
            throw new IllegalStateException("name offsets out of order");
        }
        if (!slots.allWithin(0, count)) {
            throw new IllegalStateException("a name slot refers outside the table");
        }
        // find() probes until an empty slot: a table with none would never end.
        if (!slots.contains(0)) {
            throw new IllegalStateException("the name table has no empty slot");
        }
    }

    String get(int id) {
        int start = offsets.get(id);
        byte[] bytes = new byte[offsets.get(id + 1) - start];
        blob.get(blobStart + start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Where name {@code id} starts, for {@link #byteAt}. */
    int start(int id) {
        return offsets.get(id);
    }

    int length(int id) {
        return offsets.get(id + 1) - offsets.get(id);
    }

    byte byteAt(int offset) {
        return blob.get(blobStart + offset);
    }

    /** The id of a name, or -1. */
    int find(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int hash = NameInterner.hash(bytes, 0, bytes.length);
        int mask = slots.size() - 1;
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            int entry = slots.get(slot);
            if (entry == 0) {
                return -1;
            }
            if (hashes.get(entry - 1) == hash && equalsAt(entry - 1, bytes)) {
                return entry - 1;
            }
        }
    }

    private boolean equalsAt(int id, byte[] bytes) {
        int start = offsets.get(id);
        if (offsets.get(id + 1) - start != bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (blob.get(blobStart + start + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
