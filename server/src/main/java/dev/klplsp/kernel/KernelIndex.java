// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kallsyms-visible symbols of one kernel (vmlinux and modules) with their sympos, plus its exports.
 * Immutable and thread-safe. Stored columnar — one array per attribute, names in one byte blob — so Debian's
 * ~700,000 symbols fit in a few tens of MB; {@link KernelSymbol} records are made on query.
 *
 * <p>Symbols are grouped by object (vmlinux first, then modules by name) and, within an object, in the order
 * the kernel counts them (see {@link Sympos}).
 */
public final class KernelIndex {
    /** How an index was obtained; not part of the cached data. */
    public record LoadInfo(boolean fromCache, Optional<java.nio.file.Path> cacheFile, List<String> notes) {
        static final LoadInfo BUILT = new LoadInfo(false, Optional.empty(), List.of());
    }

    final NameTable names;
    final String[] objects;
    final int[] objectStart;
    final int[] nameOf;
    final int[] sympos;
    final byte[] types;
    final byte[] bindings;
    final byte[] flags;
    final byte[] letters;
    final int[] sectionOf;
    final String[] sectionNames;
    final long[] addresses;
    final long[] sizes;
    final int[] fileOf;
    final String[] fileNames;
    final int[] byNameStart;
    final int[] byNameSymbols;
    final Map<String, Export> exports;
    final Optional<String> release;
    final List<IndexWarning> warnings;
    final Set<String> builtinModules;
    final int duplicatedNameCount;
    private final LoadInfo loadInfo;
    private final Map<String, Integer> objectIndexes;
    private volatile CloneFamilies cloneFamilies;

    KernelIndex(NameTable names, String[] objects, int[] objectStart, int[] nameOf, int[] sympos, byte[] types,
            byte[] bindings, byte[] flags, byte[] letters, int[] sectionOf, String[] sectionNames, long[] addresses,
            long[] sizes, int[] fileOf, String[] fileNames, int[] byNameStart, int[] byNameSymbols,
            Map<String, Export> exports, Optional<String> release, List<IndexWarning> warnings,
            Set<String> builtinModules, int duplicatedNameCount, LoadInfo loadInfo) {
        this.names = names;
        this.objects = objects;
        this.objectStart = objectStart;
        this.nameOf = nameOf;
        this.sympos = sympos;
        this.types = types;
        this.bindings = bindings;
        this.flags = flags;
        this.letters = letters;
        this.sectionOf = sectionOf;
        this.sectionNames = sectionNames;
        this.addresses = addresses;
        this.sizes = sizes;
        this.fileOf = fileOf;
        this.fileNames = fileNames;
        this.byNameStart = byNameStart;
        this.byNameSymbols = byNameSymbols;
        this.exports = java.util.Collections.unmodifiableMap(exports);
        this.release = release;
        this.warnings = List.copyOf(warnings);
        this.builtinModules = java.util.Collections.unmodifiableSet(builtinModules);
        this.duplicatedNameCount = duplicatedNameCount;
        this.loadInfo = loadInfo;
        Map<String, Integer> indexes = new java.util.HashMap<>(objects.length * 2);
        for (int i = 0; i < objects.length; i++) {
            indexes.put(objects[i], i);
        }
        this.objectIndexes = indexes;
    }

    /** The same index with other load information (shares every array). */
    private KernelIndex(KernelIndex other, LoadInfo loadInfo) {
        this.names = other.names;
        this.objects = other.objects;
        this.objectStart = other.objectStart;
        this.nameOf = other.nameOf;
        this.sympos = other.sympos;
        this.types = other.types;
        this.bindings = other.bindings;
        this.flags = other.flags;
        this.letters = other.letters;
        this.sectionOf = other.sectionOf;
        this.sectionNames = other.sectionNames;
        this.addresses = other.addresses;
        this.sizes = other.sizes;
        this.fileOf = other.fileOf;
        this.fileNames = other.fileNames;
        this.byNameStart = other.byNameStart;
        this.byNameSymbols = other.byNameSymbols;
        this.exports = other.exports;
        this.release = other.release;
        this.warnings = other.warnings;
        this.builtinModules = other.builtinModules;
        this.duplicatedNameCount = other.duplicatedNameCount;
        this.objectIndexes = other.objectIndexes;
        this.loadInfo = loadInfo;
    }

    KernelIndex withLoadInfo(LoadInfo info) {
        return new KernelIndex(this, info);
    }

    /** Every symbol with exactly this name, all objects: vmlinux first, then modules by name, then sympos. */
    public List<KernelSymbol> lookup(String name) {
        int id = names.find(name);
        if (id < 0) {
            return List.of();
        }
        List<KernelSymbol> result = new ArrayList<>(byNameStart[id + 1] - byNameStart[id]);
        for (int i = byNameStart[id]; i < byNameStart[id + 1]; i++) {
            result.add(symbol(byNameSymbols[i]));
        }
        return result;
    }

    /** The symbols of this name in one object, in counting order. */
    public List<KernelSymbol> lookup(String object, String name) {
        int id = names.find(name);
        int objectIndex = objectIndex(object);
        if (id < 0 || objectIndex < 0) {
            return List.of();
        }
        List<KernelSymbol> result = new ArrayList<>();
        for (int i = byNameStart[id]; i < byNameStart[id + 1]; i++) {
            int symbol = byNameSymbols[i];
            if (symbol >= objectStart[objectIndex] && symbol < objectStart[objectIndex + 1]) {
                result.add(symbol(symbol));
            }
        }
        return result;
    }

    /** The symbol a KLP relocation {@code object.name,sympos} resolves to, as the kernel would. */
    public Optional<KernelSymbol> resolve(String object, String name, int position) {
        List<KernelSymbol> candidates = lookup(object, name).stream().filter(KernelSymbol::isCounted).toList();
        if (candidates.isEmpty() || (position == 0 && candidates.size() > 1) || position > candidates.size()
                || position < 0) {
            return Optional.empty();
        }
        return Optional.of(candidates.get(position == 0 ? 0 : position - 1));
    }

    /**
     * The compiler clones of a function: {@code name.isra.N}, {@code .constprop.N}, {@code .part.N},
     * {@code .cold[.N]}, {@code .llvm.<hash>} and combinations ({@code name.constprop.0.isra.0}), without
     * {@code name} itself.
     */
    public List<KernelSymbol> cloneFamily(String name) {
        CloneFamilies families = cloneFamilies;
        if (families == null) {
            families = CloneFamilies.of(names);
            cloneFamilies = families;
        }
        List<KernelSymbol> result = new ArrayList<>();
        for (int cloneName : families.clonesOf(name)) {
            for (int i = byNameStart[cloneName]; i < byNameStart[cloneName + 1]; i++) {
                result.add(symbol(byNameSymbols[i]));
            }
        }
        result.sort(Comparator.comparing((KernelSymbol s) -> objectIndex(s.object())).thenComparing(KernelSymbol::name)
                .thenComparingInt(KernelSymbol::sympos));
        return result;
    }

    /** Names within a small edit distance of {@code name} (typo suggestions), closest first. */
    public List<String> closeNames(String name, int limit) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int maxDistance = wanted.length <= 4 ? 1 : wanted.length <= 12 ? 2 : 3;
        List<long[]> hits = new ArrayList<>();
        byte[] blob = names.blob();
        int[] offsets = names.offsets();
        int[] previous = new int[wanted.length + 1];
        int[] current = new int[wanted.length + 1];
        for (int id = 0; id < names.size(); id++) {
            int start = offsets[id];
            int length = offsets[id + 1] - start;
            if (Math.abs(length - wanted.length) > maxDistance || byNameStart[id] == byNameStart[id + 1]) {
                continue;
            }
            int distance = EditDistance.bounded(wanted, blob, start, length, maxDistance, previous, current);
            if (distance > 0 && distance <= maxDistance) {
                hits.add(new long[] {distance, id});
            }
        }
        hits.sort(Comparator.<long[]>comparingLong(h -> h[0]).thenComparing(h -> names.get((int) h[1])));
        List<String> result = new ArrayList<>();
        for (int i = 0; i < hits.size() && result.size() < limit; i++) {
            result.add(names.get((int) hits.get(i)[1]));
        }
        return result;
    }

    public Optional<Export> export(String name) {
        return Optional.ofNullable(exports.get(name));
    }

    public boolean isExportedByVmlinux(String name) {
        Export export = exports.get(name);
        return export != null && export.object().equals(KernelSymbol.VMLINUX);
    }

    /** The exports of one object, by name. */
    public List<Export> exportsOf(String object) {
        return exports.values().stream().filter(e -> e.object().equals(object))
                .sorted(Comparator.comparing(Export::name)).toList();
    }

    public int exportCount() {
        return exports.size();
    }

    public Set<String> objects() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(objects)));
    }

    /** The objects in index order: vmlinux first, then modules by name. */
    public List<String> objectsInOrder() {
        return List.of(objects);
    }

    public boolean hasObject(String object) {
        return objectIndex(object) >= 0;
    }

    /** Every symbol of an object, in the kernel's counting order. */
    public List<KernelSymbol> symbolsOf(String object) {
        int objectIndex = objectIndex(object);
        if (objectIndex < 0) {
            return List.of();
        }
        List<KernelSymbol> result = new ArrayList<>(objectStart[objectIndex + 1] - objectStart[objectIndex]);
        for (int i = objectStart[objectIndex]; i < objectStart[objectIndex + 1]; i++) {
            result.add(symbol(i));
        }
        return result;
    }

    /** The distinct symbol names of an object, in first-occurrence order. */
    public List<String> distinctNamesOf(String object) {
        int objectIndex = objectIndex(object);
        if (objectIndex < 0) {
            return List.of();
        }
        Set<String> result = new LinkedHashSet<>();
        for (int i = objectStart[objectIndex]; i < objectStart[objectIndex + 1]; i++) {
            result.add(names.get(nameOf[i]));
        }
        return List.copyOf(result);
    }

    public int symbolCount() {
        return nameOf.length;
    }

    public int symbolCount(String object) {
        int objectIndex = objectIndex(object);
        return objectIndex < 0 ? 0 : objectStart[objectIndex + 1] - objectStart[objectIndex];
    }

    public int distinctNameCount() {
        return names.size();
    }

    /** How many (object, name) pairs occur more than once, i.e. need a sympos other than 0. */
    public int duplicatedNameCount() {
        return duplicatedNameCount;
    }

    public Optional<String> release() {
        return release;
    }

    public List<IndexWarning> warnings() {
        return warnings;
    }

    /** Modules built into vmlinux (modules.builtin): a patch for them targets object vmlinux. */
    public Set<String> builtinModules() {
        return builtinModules;
    }

    public boolean isBuiltin(String module) {
        return builtinModules.contains(module.replace('-', '_'));
    }

    public LoadInfo loadInfo() {
        return loadInfo;
    }

    private int objectIndex(String object) {
        return objectIndexes.getOrDefault(object, -1);
    }

    private int objectOfSymbol(int symbol) {
        int found = Arrays.binarySearch(objectStart, symbol);
        if (found >= 0) {
            // Several objects may start at the same index when some are empty: take the last such.
            while (found + 1 < objectStart.length - 1 && objectStart[found + 1] == symbol) {
                found++;
            }
            return found;
        }
        return -found - 2;
    }

    KernelSymbol symbol(int i) {
        int objectIndex = objectOfSymbol(i);
        int name = nameOf[i];
        int occurrences = 0;
        if (sympos[i] >= 0) {
            for (int k = byNameStart[name]; k < byNameStart[name + 1]; k++) {
                int other = byNameSymbols[k];
                if (other >= objectStart[objectIndex] && other < objectStart[objectIndex + 1] && sympos[other] >= 0) {
                    occurrences++;
                }
            }
        }
        String object = objects[objectIndex];
        String symbolName = names.get(name);
        SymbolBinding binding = SymbolBinding.values()[bindings[i]];
        Export export = exports.get(symbolName);
        Optional<Export> ownExport = export != null && export.object().equals(object)
                && binding != SymbolBinding.LOCAL ? Optional.of(export) : Optional.empty();
        int flag = flags[i];
        return new KernelSymbol(object, symbolName, sympos[i], occurrences, SymbolType.values()[types[i]], binding,
                (char) (letters[i] & 0xff),
                sectionOf[i] < 0 ? Optional.empty() : Optional.of(sectionNames[sectionOf[i]]),
                (flag & ObjectSymbols.INIT) != 0, (flag & ObjectSymbols.RO_AFTER_INIT) != 0,
                (flag & ObjectSymbols.SPECIAL) != 0, addresses[i], sizes[i],
                fileOf[i] < 0 ? Optional.empty() : Optional.of(fileNames[fileOf[i]]), ownExport);
    }
}
