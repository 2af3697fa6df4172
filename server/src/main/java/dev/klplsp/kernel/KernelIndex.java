// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * Immutable and thread-safe. Stored columnar in one {@link IndexLayout} buffer — narrow columns per attribute,
 * names in one byte blob — held off the heap: a direct buffer after a build, the memory-mapped cache file after
 * a reload (read in place, never copied). Debian's ~600,000 symbols take 36 MB of it and ~1 MB of heap;
 * {@link KernelSymbol} records are made on query.
 *
 * <p>Symbols are grouped by object (vmlinux first, then modules by name) and, within an object, in the order
 * the kernel counts them (see {@link Sympos}).
 */
public final class KernelIndex {
    /** How an index was obtained; not part of the cached data. */
    public record LoadInfo(boolean fromCache, Optional<java.nio.file.Path> cacheFile, List<String> notes) {
        static final LoadInfo BUILT = new LoadInfo(false, Optional.empty(), List.of());
    }

    /** The enums' constants by ordinal, copied once: values() clones its array on every call. */
    private static final SymbolType[] TYPES = SymbolType.values();
    private static final SymbolBinding[] BINDINGS = SymbolBinding.values();

    /** The index's bytes ({@link IndexLayout}): a direct buffer after a build, the mapped cache after a reload. */
    final ByteBuffer layout;
    final NameTable names;
    final String[] objects;
    final Column objectStart;
    final Column nameOf;
    final Column sympos;
    final Column types;
    final Column bindings;
    final Column flags;
    final Column letters;
    final Column sectionOf;
    final String[] sectionNames;
    private final OptionalNames sectionOptionals;
    final Column addresses;
    final Column sizes;
    final Column fileOf;
    final String[] fileNames;
    private final OptionalNames fileOptionals;
    final Column byNameStart;
    final Column byNameSymbols;
    final ExportTable exports;
    final Optional<String> release;
    final List<IndexWarning> warnings;
    final Set<String> builtinModules;
    final int duplicatedNameCount;
    /** Per name id: the index of its export in {@link #exports}, or -1 (saves a search per symbol made). */
    final Column nameExport;
    final CloneFamilies cloneFamilies;
    /** Name ids ordered by UTF-8 length, and where each length starts: "did you mean" reads only similar lengths. */
    final Column namesByLength;
    final Column lengthStart;
    private final LoadInfo loadInfo;
    private final Map<String, Integer> objectIndexes;

    /** Wraps an index layout (decodes its strings, wraps its columns in place). */
    KernelIndex(ByteBuffer layout, LoadInfo loadInfo) {
        IndexLayout.Source in = new IndexLayout.Source(layout);
        this.layout = in.buffer();
        String releaseText = in.string();
        this.release = releaseText.isEmpty() ? Optional.empty() : Optional.of(releaseText);
        this.objects = in.strings();
        this.objectStart = in.column();
        this.names = NameTable.read(in);
        this.nameOf = in.column();
        this.sympos = in.column();
        this.types = in.column();
        this.bindings = in.column();
        this.flags = in.column();
        this.letters = in.column();
        this.sectionOf = in.column();
        this.sectionNames = in.strings();
        this.sectionOptionals = new OptionalNames(sectionNames);
        this.addresses = in.column();
        this.sizes = in.column();
        this.fileOf = in.column();
        this.fileNames = in.strings();
        this.fileOptionals = new OptionalNames(fileNames);
        this.byNameStart = in.column();
        this.byNameSymbols = in.column();
        int symbols = nameOf.size();
        if (objectStart.size() != objects.length + 1 || byNameStart.size() != names.size() + 1
                || byNameSymbols.size() != symbols || sympos.size() != symbols || types.size() != symbols
                || bindings.size() != symbols || flags.size() != symbols || letters.size() != symbols
                || sectionOf.size() != symbols || addresses.size() != symbols || sizes.size() != symbols
                || fileOf.size() != symbols) {
            throw new IllegalStateException("inconsistent column sizes");
        }
        this.exports = ExportTable.read(in);
        this.builtinModules = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(List.of(in.strings())));
        int warningCount = in.count(12); // three strings, each at least its 4-byte length
        List<IndexWarning> warningList = new ArrayList<>(warningCount);
        for (int i = 0; i < warningCount; i++) {
            String kind = in.string();
            String path = in.string();
            String message = in.string();
            warningList.add(new IndexWarning(kind, path.isEmpty() ? Optional.empty()
                    : Optional.of(java.nio.file.Path.of(path)), message));
        }
        this.warnings = List.copyOf(warningList);
        this.duplicatedNameCount = in.getInt();
        this.nameExport = in.column();
        this.cloneFamilies = new CloneFamilies(names, in.column(), in.column(), in.column());
        this.namesByLength = in.column();
        this.lengthStart = in.column();
        if (nameExport.size() != names.size() || namesByLength.size() != names.size() || lengthStart.size() < 1
                || lengthStart.get(lengthStart.size() - 1) != names.size()) {
            throw new IllegalStateException("inconsistent per-name columns");
        }
        this.loadInfo = loadInfo;
        Map<String, Integer> indexes = new java.util.HashMap<>(objects.length * 2);
        for (int i = 0; i < objects.length; i++) {
            indexes.put(objects[i], i);
        }
        this.objectIndexes = indexes;
    }

    /** Encodes an index's parts into its layout (two passes: measure, then fill a buffer of the exact size). */
    static ByteBuffer encode(Optional<String> release, String[] objects, int[] objectStart, NameInterner names,
            int[] nameOf, int[] sympos, byte[] types, byte[] bindings, byte[] flags, byte[] letters, int[] sectionOf,
            String[] sectionNames, long[] addresses, long[] sizes, int[] fileOf, String[] fileNames, int[] byNameStart,
            int[] byNameSymbols, ExportTable.Encoded encodedExports, int[] nameExport, CloneFamilies.Encoded clones,
            Set<String> builtin, List<IndexWarning> warnings, int duplicated) {
        int[][] byLength = byLength(names);
        ByteBuffer buffer = null;
        IndexLayout.Sink measured = null;
        for (int pass = 0; pass < 2; pass++) {
            IndexLayout.Sink out = new IndexLayout.Sink(buffer, measured);
            out.string(release.orElse(""));
            out.strings(objects);
            out.intColumn(objectStart, objectStart.length, 0);
            out.names(names);
            int n = nameOf.length;
            out.intColumn(nameOf, n, 0);
            out.intColumn(sympos, n, 1);
            out.byteColumn(types, n);
            out.byteColumn(bindings, n);
            out.byteColumn(flags, n);
            out.byteColumn(letters, n);
            out.intColumn(sectionOf, n, 1);
            out.strings(sectionNames);
            out.longColumn(addresses, n);
            out.longColumn(sizes, n);
            out.intColumn(fileOf, n, 1);
            out.strings(fileNames);
            out.intColumn(byNameStart, byNameStart.length, 0);
            out.intColumn(byNameSymbols, n, 0);
            encodedExports.write(out);
            out.strings(builtin.toArray(String[]::new));
            out.putInt(warnings.size());
            for (IndexWarning warning : warnings) {
                out.string(warning.kind());
                out.string(warning.path().map(java.nio.file.Path::toString).orElse(""));
                out.string(warning.message());
            }
            out.putInt(duplicated);
            out.intColumn(nameExport, names.size(), 1);
            out.intColumn(clones.baseHashes(), clones.baseHashes().length, 0);
            out.intColumn(clones.cloneStart(), clones.cloneStart().length, 0);
            out.intColumn(clones.cloneIds(), clones.cloneIds().length, 0);
            out.intColumn(byLength[0], names.size(), 0);
            out.intColumn(byLength[1], byLength[1].length, 0);
            out.align();
            if (buffer == null) {
                // Off the heap, like the mapped cache a reload wraps: the heap keeps only the build's scratch.
                buffer = ByteBuffer.allocateDirect(out.position).order(ByteOrder.LITTLE_ENDIAN);
                measured = out;
            }
        }
        return buffer;
    }

    /**
     * Checks every reference between the columns of a layout this process did not build (a reloaded cache):
     * ranges are ordered and in bounds, ids point into their tables, enum columns hold known values, the name hash
     * table has an empty slot. A file that passes its checksum without having been written by klp-lsp (or written
     * by a klp-lsp with another layout under the same version) then fails here, as unusable, instead of failing a
     * later query. One pass over the columns: a few milliseconds for Debian's 600,000 symbols.
     *
     * @throws IllegalStateException naming the first inconsistency
     */
    void verify() {
        int symbols = nameOf.size();
        requireRanges(objectStart, symbols, "objects");
        requireRanges(byNameStart, symbols, "by-name index");
        if (objectStart.size() > 1 && objects.length == 0) {
            throw new IllegalStateException("symbols without objects");
        }
        require(nameOf.allWithin(0, names.size() - 1), "a symbol name id");
        require(byNameSymbols.allWithin(0, symbols - 1), "a by-name entry");
        require(types.allWithin(0, TYPES.length - 1), "a symbol type");
        require(bindings.allWithin(0, BINDINGS.length - 1), "a symbol binding");
        require(sectionOf.allWithin(-1, sectionNames.length - 1), "a section id");
        require(fileOf.allWithin(-1, fileNames.length - 1), "a file id");
        require(nameExport.allWithin(-1, exports.size() - 1), "a name's export");
        require(namesByLength.allWithin(0, names.size() - 1), "a by-length entry");
        requireRanges(lengthStart, names.size(), "by-length");
        cloneFamilies.verify(names.size());
        names.verify();
        exports.verify();
    }

    static void require(boolean inRange, String what) {
        if (!inRange) {
            throw new IllegalStateException(what + " refers outside the index");
        }
    }

    /** {@code starts} splits [0, total) into consecutive ranges: starts at 0, never decreases, ends at total. */
    static void requireRanges(Column starts, int total, String what) {
        if (starts.size() > 0 && (starts.get(0) != 0 || starts.get(starts.size() - 1) != total
                || !starts.nonDecreasing())) {
            throw new IllegalStateException("bad " + what + " ranges");
        }
    }

    /** Name ids ordered by length (a counting sort), and the start of each length in that order (length + 1 long). */
    private static int[][] byLength(NameInterner names) {
        int[] offsets = names.offsets();
        int longest = 0;
        for (int id = 0; id < names.size(); id++) {
            longest = Math.max(longest, offsets[id + 1] - offsets[id]);
        }
        int[] start = new int[longest + 2];
        for (int id = 0; id < names.size(); id++) {
            start[offsets[id + 1] - offsets[id] + 1]++;
        }
        for (int length = 0; length <= longest; length++) {
            start[length + 1] += start[length];
        }
        int[] fill = Arrays.copyOf(start, longest + 1);
        int[] order = new int[names.size()];
        for (int id = 0; id < names.size(); id++) {
            order[fill[offsets[id + 1] - offsets[id]]++] = id;
        }
        return new int[][] {order, start};
    }

    /** The same index with other load information (shares every column). */
    private KernelIndex(KernelIndex other, LoadInfo loadInfo) {
        this.layout = other.layout;
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
        this.sectionOptionals = other.sectionOptionals;
        this.addresses = other.addresses;
        this.sizes = other.sizes;
        this.fileOf = other.fileOf;
        this.fileNames = other.fileNames;
        this.fileOptionals = other.fileOptionals;
        this.byNameStart = other.byNameStart;
        this.byNameSymbols = other.byNameSymbols;
        this.exports = other.exports;
        this.release = other.release;
        this.warnings = other.warnings;
        this.builtinModules = other.builtinModules;
        this.duplicatedNameCount = other.duplicatedNameCount;
        this.nameExport = other.nameExport;
        this.cloneFamilies = other.cloneFamilies;
        this.namesByLength = other.namesByLength;
        this.lengthStart = other.lengthStart;
        this.objectIndexes = other.objectIndexes;
        this.loadInfo = loadInfo;
    }

    KernelIndex withLoadInfo(LoadInfo info) {
        return new KernelIndex(this, info);
    }

    /** Every symbol of exactly this name, all objects: vmlinux first, modules by name, then sympos; unmodifiable. */
    public List<KernelSymbol> lookup(String name) {
        int id = names.find(name);
        if (id < 0) {
            return List.of();
        }
        int from = byNameStart.get(id);
        int to = byNameStart.get(id + 1);
        String known = sameWhenDecoded(name);
        if (to - from == 1) {
            return List.of(symbol(byNameSymbols.get(from), known)); // most names: one object, not a list and an array
        }
        KernelSymbol[] result = new KernelSymbol[to - from];
        for (int i = from; i < to; i++) {
            result[i - from] = symbol(byNameSymbols.get(i), known);
        }
        return List.of(result);
    }

    /**
     * The symbols of this name in one object, in counting order; unmodifiable, like {@link #lookup(String)} (the
     * editor caches these lists and hands one to every caller).
     */
    public List<KernelSymbol> lookup(String object, String name) {
        int id = names.find(name);
        int objectIndex = objectIndex(object);
        if (id < 0 || objectIndex < 0) {
            return List.of();
        }
        List<KernelSymbol> result = new ArrayList<>();
        String known = sameWhenDecoded(name);
        for (int i = byNameStart.get(id); i < byNameStart.get(id + 1); i++) {
            int symbol = byNameSymbols.get(i);
            if (symbol >= objectStart.get(objectIndex) && symbol < objectStart.get(objectIndex + 1)) {
                result.add(symbol(symbol, known));
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * A name that was found, when decoding the stored name would give an equal string (ASCII, as every kernel
     * name is), so the symbols made for it share it instead of each decoding a copy; null otherwise.
     */
    private static String sameWhenDecoded(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return null;
            }
        }
        return name;
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
        List<KernelSymbol> result = new ArrayList<>();
        for (int cloneName : cloneFamilies.clonesOf(name)) {
            for (int i = byNameStart.get(cloneName); i < byNameStart.get(cloneName + 1); i++) {
                result.add(symbol(byNameSymbols.get(i)));
            }
        }
        // One lambda rather than a Comparator.comparing chain, whose JDK-side lambdas the class-data archive
        // cannot hold (each is spun at run time).
        result.sort((a, b) -> {
            int byObject = Integer.compare(objectIndex(a.object()), objectIndex(b.object()));
            int byName = byObject != 0 ? byObject : a.name().compareTo(b.name());
            return byName != 0 ? byName : Integer.compare(a.sympos(), b.sympos());
        });
        return result;
    }

    /**
     * Names within a small edit distance of {@code name} (typo suggestions), closest first. Only names whose
     * length is within that distance are compared (the names are kept ordered by length for this).
     */
    public List<String> closeNames(String name, int limit) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int maxDistance = wanted.length <= 4 ? 1 : wanted.length <= 12 ? 2 : 3;
        List<long[]> hits = new ArrayList<>();
        int[] previous = new int[wanted.length + 1];
        int[] current = new int[wanted.length + 1];
        int longest = lengthStart.size() - 2;
        int from = lengthStart.get(Math.min(Math.max(0, wanted.length - maxDistance), longest + 1));
        int to = lengthStart.get(Math.min(wanted.length + maxDistance + 1, longest + 1));
        for (int i = from; i < to; i++) {
            int id = namesByLength.get(i);
            int start = names.start(id);
            int length = names.length(id);
            if (byNameStart.get(id) == byNameStart.get(id + 1)) {
                continue;
            }
            int distance = EditDistance.bounded(wanted, names, start, length, maxDistance, previous, current);
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
        int id = names.find(name);
        if (id < 0) {
            return exports.find(name); // exported but no symbol of that name indexed (e.g. Module.symvers alone)
        }
        int export = nameExport.get(id);
        return export < 0 ? Optional.empty() : Optional.of(exports.exportAt(export));
    }

    public boolean isExportedByVmlinux(String name) {
        int id = names.find(name);
        String object = id < 0 ? exports.objectOf(name)
                : nameExport.get(id) < 0 ? null : exports.objectAt(nameExport.get(id));
        return KernelSymbol.VMLINUX.equals(object);
    }

    /** The exports of one object, by name. */
    public List<Export> exportsOf(String object) {
        return exports.all().stream().filter(e -> e.object().equals(object))
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
        List<KernelSymbol> result = new ArrayList<>(objectStart.get(objectIndex + 1) - objectStart.get(objectIndex));
        for (int i = objectStart.get(objectIndex); i < objectStart.get(objectIndex + 1); i++) {
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
        for (int i = objectStart.get(objectIndex); i < objectStart.get(objectIndex + 1); i++) {
            result.add(names.get(nameOf.get(i)));
        }
        return List.copyOf(result);
    }

    public int symbolCount() {
        return nameOf.size();
    }

    public int symbolCount(String object) {
        int objectIndex = objectIndex(object);
        return objectIndex < 0 ? 0 : objectStart.get(objectIndex + 1) - objectStart.get(objectIndex);
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

    /** The rows of the counted symbols named {@code name} in {@code object}, in counting order (sympos 1, 2...). */
    int[] countedRows(String object, String name) {
        int id = names.find(name);
        int objectIndex = objectIndex(object);
        if (id < 0 || objectIndex < 0) {
            return new int[0];
        }
        int from = objectStart.get(objectIndex);
        int to = objectStart.get(objectIndex + 1);
        int[] rows = new int[byNameStart.get(id + 1) - byNameStart.get(id)];
        int count = 0;
        for (int i = byNameStart.get(id); i < byNameStart.get(id + 1); i++) {
            int row = byNameSymbols.get(i);
            if (row >= from && row < to && sympos.get(row) >= 0) {
                rows[count++] = row;
            }
        }
        return java.util.Arrays.copyOf(rows, count);
    }

    /** The first row of {@code object} and the row after its last, in counting order; null when absent. */
    int[] rowRange(String object) {
        int objectIndex = objectIndex(object);
        return objectIndex < 0 ? null : new int[] {objectStart.get(objectIndex), objectStart.get(objectIndex + 1)};
    }

    String nameAt(int row) {
        return names.get(nameOf.get(row));
    }

    /** The sympos of a row: 0 when its name is unique in its object, -1 when the kernel does not count it. */
    int symposAt(int row) {
        return sympos.get(row);
    }

    Optional<String> fileAt(int row) {
        return fileOptionals.of(fileOf.get(row));
    }

    private int objectIndex(String object) {
        return objectIndexes.getOrDefault(object, -1);
    }

    /** The object holding a symbol: the last one starting at or before it (empty objects share a start). */
    private int objectOfSymbol(int symbol) {
        int low = 0;
        int high = objects.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (objectStart.get(middle) <= symbol) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    KernelSymbol symbol(int i) {
        return symbol(i, null);
    }

    /** The symbol in row {@code i}; {@code knownName} is its name when the caller has it, else null. */
    private KernelSymbol symbol(int i, String knownName) {
        int objectIndex = objectOfSymbol(i);
        int name = nameOf.get(i);
        int occurrences = 0;
        if (sympos.get(i) >= 0) {
            for (int k = byNameStart.get(name); k < byNameStart.get(name + 1); k++) {
                int other = byNameSymbols.get(k);
                if (other >= objectStart.get(objectIndex) && other < objectStart.get(objectIndex + 1) && sympos.get(other) >= 0) {
                    occurrences++;
                }
            }
        }
        String object = objects[objectIndex];
        String symbolName = knownName != null ? knownName : names.get(name);
        SymbolBinding binding = BINDINGS[bindings.get(i)];
        int export = binding == SymbolBinding.LOCAL ? -1 : nameExport.get(name);
        Optional<Export> ownExport = export >= 0 && object.equals(exports.objectAt(export))
                ? Optional.of(exports.exportAt(export)) : Optional.empty();
        int flag = flags.get(i);
        return new KernelSymbol(object, symbolName, sympos.get(i), occurrences, TYPES[types.get(i)], binding,
                (char) (letters.get(i) & 0xff),
                sectionOptionals.of(sectionOf.get(i)),
                (flag & ObjectSymbols.INIT) != 0, (flag & ObjectSymbols.RO_AFTER_INIT) != 0,
                (flag & ObjectSymbols.SPECIAL) != 0, addresses.getLong(i), sizes.getLong(i),
                fileOptionals.of(fileOf.get(i)), ownExport);
    }

    /**
     * {@code Optional.of(names[id])} made once per id and shared (empty for -1): a conversion makes a
     * {@link KernelSymbol}, with its section and source file, for every symbol it looks up. A race between two
     * threads making the same one is harmless: an Optional is immutable.
     */
    private static final class OptionalNames {
        private final String[] names;
        private final Optional<?>[] made;

        OptionalNames(String[] names) {
            this.names = names;
            this.made = new Optional<?>[names.length];
        }

        @SuppressWarnings("unchecked")
        Optional<String> of(int id) {
            if (id < 0) {
                return Optional.empty();
            }
            Optional<?> optional = made[id];
            if (optional == null) {
                optional = Optional.of(names[id]);
                made[id] = optional;
            }
            return (Optional<String>) optional;
        }
    }
}
