// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exports of an index as a view into its layout: names sorted by their UTF-8 bytes (binary search), and per
 * export the object, export type and namespace as ids into a small string table. A reload decodes only that
 * string table; {@link Export} records are made on query.
 */
final class ExportTable {
    private final ByteBuffer buffer;
    private final int blobStart;
    private final Column nameOffsets;
    private final Column objectIds;
    private final Column typeIds;
    private final Column namespaceIds; // -1: none
    private final String[] strings;

    private ExportTable(ByteBuffer buffer, int blobStart, Column nameOffsets, Column objectIds, Column typeIds,
            Column namespaceIds, String[] strings) {
        int count = nameOffsets.size() - 1;
        if (count < 0 || objectIds.size() != count || typeIds.size() != count || namespaceIds.size() != count) {
            throw new IllegalStateException("inconsistent export table");
        }
        this.buffer = buffer;
        this.blobStart = blobStart;
        this.nameOffsets = nameOffsets;
        this.objectIds = objectIds;
        this.typeIds = typeIds;
        this.namespaceIds = namespaceIds;
        this.strings = strings;
    }

    static ExportTable read(IndexLayout.Source in) {
        String[] strings = in.strings();
        int blobStart = in.bytes();
        int blobLength = in.buffer().getInt(blobStart - 4);
        Column offsets = in.column();
        if (offsets.size() > 0 && offsets.get(offsets.size() - 1) > blobLength) {
            throw new IllegalStateException("export names outside their blob");
        }
        return new ExportTable(in.buffer(), blobStart, offsets, in.column(), in.column(), in.column(), strings);
    }

    /** The encoded columns, computed once for both passes of the layout writer. */
    static final class Encoded {
        private final String[] strings;
        private final byte[] blob;
        private final int[] offsets;
        private final int[] objects;
        private final int[] types;
        private final int[] namespaces;

        Encoded(Collection<Export> exports) {
            Named[] sorted = new Named[exports.size()];
            int n = 0;
            for (Export export : exports) {
                sorted[n++] = new Named(export.name().getBytes(StandardCharsets.UTF_8), export);
            }
            Arrays.sort(sorted);
            Map<String, Integer> ids = new HashMap<>();
            List<String> table = new ArrayList<>();
            offsets = new int[n + 1];
            objects = new int[n];
            types = new int[n];
            namespaces = new int[n];
            for (int i = 0; i < n; i++) {
                Export export = sorted[i].export;
                objects[i] = idOf(export.object(), ids, table);
                types[i] = idOf(export.exportType(), ids, table);
                namespaces[i] = export.namespace().isPresent() ? idOf(export.namespace().get(), ids, table) : -1;
                offsets[i + 1] = offsets[i] + sorted[i].bytes.length;
            }
            blob = new byte[offsets[n]];
            for (int i = 0; i < n; i++) {
                System.arraycopy(sorted[i].bytes, 0, blob, offsets[i], sorted[i].bytes.length);
            }
            strings = table.toArray(new String[0]);
        }

        private static int idOf(String value, Map<String, Integer> ids, List<String> table) {
            Integer id = ids.get(value);
            if (id == null) {
                id = table.size();
                ids.put(value, id);
                table.add(value);
            }
            return id;
        }

        /** Per name id of {@code names}: the index of the export of that name, or -1. */
        int[] byNameId(NameInterner names) {
            int[] result = new int[names.size()];
            java.util.Arrays.fill(result, -1);
            for (int i = 0; i < objects.length; i++) {
                int id = names.find(blob, offsets[i], offsets[i + 1]);
                if (id >= 0) {
                    result[id] = i;
                }
            }
            return result;
        }

        void write(IndexLayout.Sink out) {
            out.strings(strings);
            out.bytes(blob, blob.length);
            out.intColumn(offsets, offsets.length, 0);
            out.intColumn(objects, objects.length, 0);
            out.intColumn(types, types.length, 0);
            out.intColumn(namespaces, namespaces.length, 1);
        }
    }

    /** An export with its name's UTF-8 bytes, ordered by them (unsigned), the order of the binary search. */
    private record Named(byte[] bytes, Export export) implements Comparable<Named> {
        @Override
        public int compareTo(Named other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }
    }

    int size() {
        return objectIds.size();
    }

    /** See {@link KernelIndex#verify()}: names lie in order inside the blob, ids point into the string table. */
    void verify() {
        if (!nameOffsets.nonDecreasing() || nameOffsets.size() > 0 && nameOffsets.get(0) < 0) {
            throw new IllegalStateException("an export name starts before the previous one");
        }
        int last = strings.length - 1;
        if (!objectIds.allWithin(0, last) || !typeIds.allWithin(0, last) || !namespaceIds.allWithin(-1, last)) {
            throw new IllegalStateException("an export refers outside the string table");
        }
    }

    Optional<Export> find(String name) {
        int index = indexOf(name.getBytes(StandardCharsets.UTF_8));
        return index < 0 ? Optional.empty() : Optional.of(export(index, name));
    }

    /** The exporting object of a name, or null (no record made: this runs for every symbol a query returns). */
    String objectOf(String name) {
        int index = indexOf(name.getBytes(StandardCharsets.UTF_8));
        return index < 0 ? null : strings[objectIds.get(index)];
    }

    Export exportAt(int index) {
        return export(index, nameAt(index));
    }

    String objectAt(int index) {
        return strings[objectIds.get(index)];
    }

    List<Export> all() {
        List<Export> result = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            result.add(export(i, nameAt(i)));
        }
        return result;
    }

    private Export export(int index, String name) {
        int namespace = namespaceIds.get(index);
        return new Export(name, strings[objectIds.get(index)], strings[typeIds.get(index)],
                namespace < 0 ? Optional.empty() : Optional.of(strings[namespace]));
    }

    private String nameAt(int index) {
        int start = nameOffsets.get(index);
        byte[] bytes = new byte[nameOffsets.get(index + 1) - start];
        buffer.get(blobStart + start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private int indexOf(byte[] name) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = compareAt(middle, name);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private int compareAt(int index, byte[] name) {
        int start = nameOffsets.get(index);
        int length = nameOffsets.get(index + 1) - start;
        int common = Math.min(length, name.length);
        for (int i = 0; i < common; i++) {
            int order = Integer.compare(buffer.get(blobStart + start + i) & 0xff, name[i] & 0xff);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(length, name.length);
    }
}
