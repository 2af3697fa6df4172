// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Collects objects' symbols (from any thread), interns their strings, and builds the columnar
 * {@link KernelIndex}, counting sympos with {@link Sympos}.
 */
final class KernelIndexBuilder {
    /** One object's symbols with strings replaced by ids. */
    private record Part(String object, int[] nameIds, byte[] types, byte[] bindings, byte[] flags, byte[] letters,
            int[] sections, long[] addresses, long[] sizes, int[] files) {
    }

    private final NameInterner names;
    private final Map<String, Integer> sectionIds = new HashMap<>();
    private final List<String> sectionNames = new ArrayList<>();
    private final Map<String, Integer> fileIds = new HashMap<>();
    private final List<String> fileNames = new ArrayList<>();
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Map<String, Export> exports = new HashMap<>();

    /** Sized for a whole kernel (Debian's has ~270,000 distinct names). */
    KernelIndexBuilder() {
        this(1 << 18);
    }

    /** Sized for {@code expectedNames} distinct names (tables grow as needed): small indexes build fast. */
    KernelIndexBuilder(int expectedNames) {
        names = new NameInterner(expectedNames);
    }

    synchronized boolean has(String object) {
        return parts.containsKey(object);
    }

    void add(ObjectSymbols symbols) {
        // Encoding and hashing need no lock: module reader threads then only contend for the table probes.
        int n = symbols.count;
        byte[][] encoded = new byte[n][];
        int[] hashes = new int[n];
        for (int i = 0; i < n; i++) {
            encoded[i] = symbols.names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            hashes[i] = NameInterner.hash(encoded[i], 0, encoded[i].length);
        }
        addEncoded(symbols, encoded, hashes);
    }

    private synchronized void addEncoded(ObjectSymbols symbols, byte[][] encoded, int[] hashes) {
        int n = symbols.count;
        int[] nameIds = new int[n];
        int[] sections = new int[n];
        int[] files = new int[n];
        byte[] letters = new byte[n];
        for (int i = 0; i < n; i++) {
            nameIds[i] = names.intern(encoded[i], hashes[i]);
            sections[i] = idOf(symbols.sections[i], sectionIds, sectionNames);
            files[i] = idOf(symbols.files[i], fileIds, fileNames);
            letters[i] = (byte) symbols.letters[i];
        }
        parts.put(symbols.object, new Part(symbols.object, nameIds, trim(symbols.types, n), trim(symbols.bindings, n),
                trim(symbols.flags, n), letters, sections, trim(symbols.addresses, n), trim(symbols.sizes, n), files));
        for (Export export : symbols.exports) {
            exports.putIfAbsent(export.name(), export);
        }
    }

    /** Module.symvers exports take precedence over ones inferred from __ksymtab_ symbols. */
    synchronized void addExports(Collection<Export> authoritative) {
        for (Export export : authoritative) {
            exports.put(export.name(), export);
        }
    }

    synchronized void addExportsIfAbsent(Collection<Export> inferred) {
        for (Export export : inferred) {
            exports.putIfAbsent(export.name(), export);
        }
    }

    private static int idOf(String value, Map<String, Integer> ids, List<String> values) {
        if (value == null) {
            return -1;
        }
        Integer id = ids.get(value);
        if (id == null) {
            id = values.size();
            ids.put(value, id);
            values.add(value);
        }
        return id;
    }

    synchronized KernelIndex build(Optional<String> release, List<IndexWarning> warnings, Set<String> builtin) {
        List<Part> ordered = new ArrayList<>(parts.values());
        ordered.sort(Comparator.comparing((Part p) -> !p.object.equals(KernelSymbol.VMLINUX))
                .thenComparing(Part::object));
        int total = ordered.stream().mapToInt(p -> p.nameIds.length).sum();
        String[] objects = new String[ordered.size()];
        int[] objectStart = new int[ordered.size() + 1];
        int[] nameOf = new int[total];
        int[] sympos = new int[total];
        byte[] types = new byte[total];
        byte[] bindings = new byte[total];
        byte[] flags = new byte[total];
        byte[] letters = new byte[total];
        int[] sectionOf = new int[total];
        long[] addresses = new long[total];
        long[] sizes = new long[total];
        int[] fileOf = new int[total];
        int at = 0;
        for (int o = 0; o < ordered.size(); o++) {
            Part part = ordered.get(o);
            objects[o] = part.object;
            objectStart[o] = at;
            int n = part.nameIds.length;
            System.arraycopy(part.nameIds, 0, nameOf, at, n);
            System.arraycopy(part.types, 0, types, at, n);
            System.arraycopy(part.bindings, 0, bindings, at, n);
            System.arraycopy(part.flags, 0, flags, at, n);
            System.arraycopy(part.letters, 0, letters, at, n);
            System.arraycopy(part.sections, 0, sectionOf, at, n);
            System.arraycopy(part.addresses, 0, addresses, at, n);
            System.arraycopy(part.sizes, 0, sizes, at, n);
            System.arraycopy(part.files, 0, fileOf, at, n);
            at += n;
        }
        objectStart[ordered.size()] = at;
        parts.clear();

        boolean[] counted = new boolean[total];
        for (int i = 0; i < total; i++) {
            counted[i] = (flags[i] & ObjectSymbols.NOT_COUNTED) == 0;
        }
        int[] scratch = new int[names.size()];
        int duplicated = 0;
        for (int o = 0; o < objects.length; o++) {
            Sympos.assign(nameOf, counted, objectStart[o], objectStart[o + 1], sympos, scratch);
            for (int i = objectStart[o]; i < objectStart[o + 1]; i++) {
                if (sympos[i] == 1) {
                    duplicated++;
                }
            }
        }
        // name -> symbols, by counting sort over symbol ids (keeps object order, then counting order).
        int[] byNameStart = new int[names.size() + 1];
        for (int i = 0; i < total; i++) {
            byNameStart[nameOf[i] + 1]++;
        }
        for (int id = 0; id < names.size(); id++) {
            byNameStart[id + 1] += byNameStart[id];
        }
        int[] fill = java.util.Arrays.copyOf(byNameStart, names.size());
        int[] byNameSymbols = new int[total];
        for (int i = 0; i < total; i++) {
            byNameSymbols[fill[nameOf[i]]++] = i;
        }
        java.nio.ByteBuffer layout = KernelIndex.encode(release, objects, objectStart, names, nameOf, sympos, types,
                bindings, flags, letters, sectionOf, sectionNames.toArray(String[]::new), addresses, sizes, fileOf,
                fileNames.toArray(String[]::new), byNameStart, byNameSymbols, exports, builtin, warnings, duplicated);
        return new KernelIndex(layout, KernelIndex.LoadInfo.BUILT);
    }

    private static byte[] trim(byte[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static long[] trim(long[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }
}
