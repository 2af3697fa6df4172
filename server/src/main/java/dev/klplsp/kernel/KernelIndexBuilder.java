// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.WorkerFailure;
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
        // Encoding, hashing and the per-object string tables need no lock: module reader threads then only
        // contend for the name table probes and a few section and file names per object.
        int n = symbols.count;
        byte[][] encoded = new byte[n][];
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
            encoded[i] = symbols.names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            hashes[i] = NameInterner.hashAndDot(encoded[i]);
        }
        List<String> localSections = new ArrayList<>();
        int[] sections = localIds(symbols.sections, n, localSections);
        List<String> localFiles = new ArrayList<>();
        int[] files = localIds(symbols.files, n, localFiles);
        addEncoded(symbols, encoded, hashes, sections, localSections, files, localFiles);
    }

    /** Ids of a string column within one object (-1 for null), filling {@code distinct} in first-seen order. */
    private static int[] localIds(String[] column, int n, List<String> distinct) {
        Map<String, Integer> ids = new HashMap<>();
        int[] result = new int[n];
        String previous = null;
        int previousId = -1;
        for (int i = 0; i < n; i++) {
            String value = column[i];
            if (value == null) {
                result[i] = -1;
            } else if (value == previous) { // runs of one section or file are the rule: skip the hash
                result[i] = previousId;
            } else {
                result[i] = idOf(value, ids, distinct);
                previous = value;
                previousId = result[i];
            }
        }
        return result;
    }

    private synchronized void addEncoded(ObjectSymbols symbols, byte[][] encoded, long[] hashes, int[] sections,
            List<String> localSections, int[] files, List<String> localFiles) {
        int n = symbols.count;
        int[] nameIds = new int[n];
        int[] sectionMap = new int[localSections.size()];
        for (int i = 0; i < sectionMap.length; i++) {
            sectionMap[i] = idOf(localSections.get(i), sectionIds, sectionNames);
        }
        int[] fileMap = new int[localFiles.size()];
        for (int i = 0; i < fileMap.length; i++) {
            fileMap[i] = idOf(localFiles.get(i), fileIds, fileNames);
        }
        byte[] letters = new byte[n];
        for (int i = 0; i < n; i++) {
            nameIds[i] = names.intern(encoded[i], (int) hashes[i], hashes[i] < 0);
            sections[i] = sections[i] < 0 ? -1 : sectionMap[sections[i]];
            files[i] = files[i] < 0 ? -1 : fileMap[files[i]];
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

    /** The id of a string in a growing table (ids in first-seen order); -1 for null. */
    static int idOf(String value, Map<String, Integer> ids, List<String> values) {
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
        // The per-name facts need only the names and the exports, which are complete now: work them out on a
        // second thread while this one lays out the symbols.
        java.util.concurrent.CompletableFuture<Object[]> perName = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    ExportTable.Encoded encoded = new ExportTable.Encoded(exports.values());
                    return new Object[] {encoded, encoded.byNameId(names), CloneFamilies.encode(names)};
                }, runnable -> {
                    Thread thread = new Thread(runnable, "klp-index-names");
                    thread.setDaemon(true);
                    thread.start();
                });
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
        Object[] facts = joinUnchecked(perName);
        java.nio.ByteBuffer layout = KernelIndex.encode(release, objects, objectStart, names, nameOf, sympos, types,
                bindings, flags, letters, sectionOf, sectionNames.toArray(String[]::new), addresses, sizes, fileOf,
                fileNames.toArray(String[]::new), byNameStart, byNameSymbols, (ExportTable.Encoded) facts[0],
                (int[]) facts[1], (CloneFamilies.Encoded) facts[2], builtin, warnings, duplicated);
        return new KernelIndex(layout, KernelIndex.LoadInfo.BUILT);
    }

    private static <T> T joinUnchecked(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw WorkerFailure.unwrap(e);
        }
    }

    private static byte[] trim(byte[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static long[] trim(long[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }
}
