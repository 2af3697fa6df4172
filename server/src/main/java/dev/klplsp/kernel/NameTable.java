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

    /** Reads the table {@link IndexLayout.Sink#names} wrote. */
    static NameTable read(IndexLayout.Source in) {
        int blobStart = in.bytes();
        int blobLength = in.buffer().getInt(blobStart - 4);
        Column offsets = in.column();
        Column slots = in.column();
        Column hashes = in.column();
        return new NameTable(in.buffer(), blobStart, blobLength, offsets, slots, hashes);
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

    /** The last name looked up and its id: immutable, so threads sharing the table may race on it safely. */
    private record Found(String name, int id) {
    }

    private Found last;

    /**
     * The id of a name, or -1. A checker asks several questions about one name in a row (is it exported, by
     * whom, which symbols have it), each a probe of tables spread over megabytes; the same String asked again
     * is answered from {@link #last}.
     */
    int find(String name) {
        Found previous = last;
        if (previous != null && previous.name == name) {
            return previous.id;
        }
        int id = probe(name);
        last = new Found(name, id);
        return id;
    }

    private int probe(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int hash = NameInterner.hash(bytes, 0, bytes.length);
        int mask = slots.size() - 1;
        // At most one probe per slot: a table without an empty slot (a corrupt cache file) ends the search too.
        for (int probe = 0, slot = hash & mask; probe <= mask; probe++, slot = (slot + 1) & mask) {
            int entry = slots.get(slot);
            if (entry == 0) {
                return -1;
            }
            if (hashes.get(entry - 1) == hash && equalsAt(entry - 1, bytes)) {
                return entry - 1;
            }
        }
        return -1;
    }

    private boolean equalsAt(int id, byte[] bytes) {
        int start = offsets.get(id);
        if (offsets.get(id + 1) - start != bytes.length) {
            return false;
        }
        // One bulk copy and a vectorized compare: per-byte buffer reads dominated lookups of many names.
        byte[] stored = new byte[bytes.length];
        blob.get(blobStart + start, stored);
        return java.util.Arrays.equals(stored, bytes);
    }
}
