// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.CountingSort;
import dev.klplsp.dwarf.DebugInfo;
import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfSectionFile;
import dev.klplsp.elf.ElfSymbolFile.SectionInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link OptimizationIndex} layout from one object's {@link DebugInfo} and the symbol table of the
 * same file: every out-of-line instance is tied to the symbol at its entry — by address in vmlinux, by section
 * and value in a module — whose sympos {@link Sympos} counts from that symbol table, exactly as the symbol
 * index does for the same file.
 */
final class OptimizationIndexBuilder {
    /** Instance flags stored in the index. */
    static final int NOCALL = 1;

    private OptimizationIndexBuilder() {
    }

    /**
     * The object's kallsyms-visible symbols with their sympos, and a lookup by (section, value). Read from the
     * debug file itself, so it can be made while the DWARF is scanned.
     */
    static Symbols symbols(ElfSectionFile elf, String object) {
        boolean vmlinux = elf.type() != Elf.ET_REL;
        return new Symbols(vmlinux ? ElfSymbolSource.vmlinux(elf.symbols())
                : ElfSymbolSource.module(elf.symbols(), object), vmlinux);
    }

    /** See {@link #symbols}. */
    static final class Symbols {
        final ObjectSymbols symbols;
        final int[] sympos;
        /** Section name ("" in vmlinux, where addresses are unique) to value to symbol indexes. */
        final Map<String, Map<Long, int[]>> byPlace = new HashMap<>();
        final boolean vmlinux;

        Symbols(ObjectSymbols symbols, boolean vmlinux) {
            this.symbols = symbols;
            this.vmlinux = vmlinux;
            int n = symbols.count;
            Map<String, Integer> ids = new HashMap<>();
            int[] nameIds = new int[n];
            boolean[] counted = new boolean[n];
            for (int i = 0; i < n; i++) {
                Integer id = ids.get(symbols.names[i]);
                if (id == null) {
                    id = ids.size();
                    ids.put(symbols.names[i], id);
                }
                nameIds[i] = id;
                counted[i] = (symbols.flags[i] & ObjectSymbols.NOT_COUNTED) == 0;
            }
            sympos = new int[n];
            Sympos.assign(nameIds, counted, 0, n, sympos, new int[ids.size()]);
            for (int i = 0; i < n; i++) {
                String section = vmlinux || symbols.sections[i] == null ? "" : symbols.sections[i];
                byPlace.computeIfAbsent(section, s -> new HashMap<>()).merge(symbols.addresses[i], new int[] {i},
                        (a, b) -> {
                            int[] both = Arrays.copyOf(a, a.length + 1);
                            both[a.length] = b[0];
                            return both;
                        });
            }
        }

        int[] at(String section, long value) {
            Map<Long, int[]> values = byPlace.get(vmlinux || section == null ? "" : section);
            int[] found = values == null ? null : values.get(value);
            return found == null ? new int[0] : found;
        }
    }

    /**
     * How well a symbol names an instance of {@code function}: its own name, then a clone of it, then any
     * other function symbol, a {@code .cold} part last (it starts a split-off range, not the instance).
     */
    private static int score(ObjectSymbols symbols, int symbol, String function) {
        String name = symbols.names[symbol];
        boolean cold = name.endsWith(".cold") || name.contains(".cold.");
        boolean function_ = symbols.types[symbol] == SymbolType.FUNC.ordinal();
        if (cold) {
            return 0;
        }
        if (name.equals(function)) {
            return 4;
        }
        if (name.startsWith(function + ".")) {
            return 3;
        }
        return function_ ? 2 : 1;
    }

    static ByteBuffer build(DebugInfo info, ElfSectionFile elf, String object) {
        return build(info, elf, object, symbols(elf, object));
    }

    static ByteBuffer build(DebugInfo info, ElfSectionFile elf, String object, Symbols symbols) {
        ObjectSymbols objectSymbols = symbols.symbols;
        List<SectionInfo> sections = elf.sections();

        NameInterner names = new NameInterner(Math.max(1024, info.functionCount() * 2));
        int functions = info.functionCount();
        int[] functionName = new int[functions];
        for (int f = 0; f < functions; f++) {
            functionName[f] = names.intern(info.functionName(f));
        }

        // Instances: the symbol at the best-named start, the .cold symbols of the other starts as parts.
        int instances = info.instanceCount();
        int[] instanceSymbol = new int[instances];
        int[] instanceSympos = new int[instances];
        long[] instanceAddress = new long[instances];
        int[] instanceSection = new int[instances];
        Map<String, Integer> sectionIds = new HashMap<>();
        List<String> sectionNames = new ArrayList<>();
        List<Integer> partNames = new ArrayList<>();
        int[] partOwner = new int[16];
        int parts = 0;
        for (int i = 0; i < instances; i++) {
            String function = info.functionName(info.instanceFunction(i));
            int bestSymbol = -1;
            int bestScore = -1;
            int bestStart = 0;
            for (int k = 0; k < info.startCount(i); k++) {
                for (int symbol : symbols.at(sectionName(sections, info.startSection(i, k)), info.startAddress(i, k))) {
                    int score = score(objectSymbols, symbol, function);
                    if (score > bestScore) {
                        bestScore = score;
                        bestSymbol = symbol;
                        bestStart = k;
                    }
                }
            }
            for (int k = 0; k < info.startCount(i); k++) {
                if (k == bestStart) {
                    continue;
                }
                for (int symbol : symbols.at(sectionName(sections, info.startSection(i, k)), info.startAddress(i, k))) {
                    if (score(objectSymbols, symbol, function) == 0) {
                        if (parts == partOwner.length) {
                            partOwner = Arrays.copyOf(partOwner, parts * 2);
                        }
                        partOwner[parts++] = i;
                        partNames.add(names.intern(objectSymbols.names[symbol]));
                    }
                }
            }
            if (bestSymbol >= 0) {
                instanceSymbol[i] = names.intern(objectSymbols.names[bestSymbol]);
                instanceSympos[i] = symbols.sympos[bestSymbol];
                instanceAddress[i] = objectSymbols.addresses[bestSymbol];
                instanceSection[i] = KernelIndexBuilder.idOf(objectSymbols.sections[bestSymbol], sectionIds,
                        sectionNames);
            } else {
                // No symbol at any start: code the linker discarded (an exit function built into vmlinux).
                instanceSymbol[i] = -1;
                instanceSympos[i] = -1;
                instanceAddress[i] = info.startCount(i) > 0 ? info.startAddress(i, 0) : 0;
                String section = info.startCount(i) > 0 ? sectionName(sections, info.startSection(i, 0)) : null;
                instanceSection[i] = KernelIndexBuilder.idOf(section, sectionIds, sectionNames);
            }
        }

        // Functions in name order (so one name's functions are adjacent), instances by function then address,
        // sites by callee then call file and line: counting sorts, then the (small) buckets sorted by key.
        int[] fnByNameStart = new int[names.size() + 1];
        int[] functionOrder = countingSort(functions, names.size(), f -> functionName[f], fnByNameStart);
        sortBuckets(functionOrder, fnByNameStart, f -> ((long) info.functionFile(f) + 1) << 32 | info.functionLine(f));
        int[] newFunction = inverse(functionOrder);
        int[] fnInstanceStart = new int[functions + 1];
        int[] instanceOrder = countingSort(instances, functions, i -> newFunction[info.instanceFunction(i)],
                fnInstanceStart);
        sortBuckets(instanceOrder, fnInstanceStart, i -> ((long) instanceSection[i] + 1) << 48
                | (instanceAddress[i] & 0xffff_ffff_ffffL));
        int[] newInstance = inverse(instanceOrder);
        int sites = info.siteCount();
        // Sites whose callee did not resolve go to an extra bucket at the end; no query reaches them.
        int[] siteBuckets = new int[functions + 2];
        int[] siteOrder = countingSort(sites, functions + 1, s -> calleeRank(info, newFunction, s), siteBuckets);
        sortBuckets(siteOrder, siteBuckets, s -> ((long) info.siteFile(s) + 1) << 32 | info.siteLine(s));
        int[] fnSiteStart = Arrays.copyOf(siteBuckets, functions + 1);

        int nameCount = names.size();
        int[] fnName = new int[functions];
        int[] fnFile = new int[functions];
        int[] fnLine = new int[functions];
        for (int f = 0; f < functions; f++) {
            int old = functionOrder[f];
            fnName[f] = functionName[old];
            fnFile[f] = info.functionFile(old);
            fnLine[f] = info.functionLine(old);
        }

        int[] inSymbol = new int[instances];
        int[] inSympos = new int[instances];
        long[] inAddress = new long[instances];
        int[] inSection = new int[instances];
        int[] inUnit = new int[instances];
        byte[] inFlags = new byte[instances];
        int[] inChangeStart = new int[instances + 1];
        int[] inPartStart = new int[instances + 1];
        List<ParameterChange> changes = new ArrayList<>();
        int[][] partsOf = new int[instances][];
        int[] partCount = new int[instances];
        for (int p = 0; p < parts; p++) {
            partCount[partOwner[p]]++;
        }
        for (int i = 0; i < instances; i++) {
            partsOf[i] = new int[partCount[i]];
            partCount[i] = 0;
        }
        for (int p = 0; p < parts; p++) {
            int owner = partOwner[p];
            partsOf[owner][partCount[owner]++] = partNames.get(p);
        }
        int[] partName = new int[parts];
        int partAt = 0;
        for (int i = 0; i < instances; i++) {
            int old = instanceOrder[i];
            inSymbol[i] = instanceSymbol[old];
            inSympos[i] = instanceSympos[old];
            inAddress[i] = instanceAddress[old];
            inSection[i] = instanceSection[old];
            inUnit[i] = info.instanceUnit(old);
            inFlags[i] = (byte) ((info.instanceFlags(old) & DebugInfo.NOCALL) != 0 ? NOCALL : 0);
            inChangeStart[i] = changes.size();
            changes.addAll(info.parameterChanges(old));
            inPartStart[i] = partAt;
            for (int part : partsOf[old]) {
                partName[partAt++] = part;
            }
        }
        inChangeStart[instances] = changes.size();
        inPartStart[instances] = partAt;

        int changeCount = changes.size();
        int[] chPosition = new int[changeCount];
        byte[] chKind = new byte[changeCount];
        int[] chName = new int[changeCount];
        long[] chConstant = new long[changeCount];
        for (int c = 0; c < changeCount; c++) {
            ParameterChange change = changes.get(c);
            chPosition[c] = change.position();
            chKind[c] = (byte) change.kind().ordinal();
            chName[c] = names.intern(change.name());
            chConstant[c] = change.constant();
        }

        // Instances by symbol name (counting sort over name ids, then sympos order within a name).
        nameCount = names.size();
        int[] bySymbolStart = new int[nameCount + 1];
        for (int i = 0; i < instances; i++) {
            if (inSymbol[i] >= 0) {
                bySymbolStart[inSymbol[i] + 1]++;
            }
        }
        prefixSum(bySymbolStart);
        int[] fill = Arrays.copyOf(bySymbolStart, nameCount);
        int[] bySymbolInstances = new int[bySymbolStart[nameCount]];
        for (int i = 0; i < instances; i++) {
            if (inSymbol[i] >= 0) {
                bySymbolInstances[fill[inSymbol[i]]++] = i;
            }
        }
        for (int id = 0; id < nameCount; id++) {
            int from = bySymbolStart[id];
            int to = bySymbolStart[id + 1];
            if (to - from > 1) {
                Integer[] run = new Integer[to - from];
                for (int k = from; k < to; k++) {
                    run[k - from] = bySymbolInstances[k];
                }
                Arrays.sort(run, (a, b) -> Integer.compare(inSympos[a], inSympos[b]));
                for (int k = from; k < to; k++) {
                    bySymbolInstances[k] = run[k - from];
                }
            }
        }
        int[] fnByNameStartFull = Arrays.copyOf(fnByNameStart, nameCount + 1);
        for (int id = fnByNameStart.length; id <= nameCount; id++) {
            fnByNameStartFull[id] = functions;
        }

        int[] stInstance = new int[sites];
        int[] stCaller = new int[sites];
        int[] stFile = new int[sites];
        int[] stLine = new int[sites];
        for (int s = 0; s < sites; s++) {
            int old = siteOrder[s];
            stInstance[s] = info.siteInstance(old) < 0 ? -1 : newInstance[info.siteInstance(old)];
            stCaller[s] = info.siteCaller(old) < 0 ? -1 : newFunction[info.siteCaller(old)];
            stFile[s] = info.siteFile(old);
            stLine[s] = info.siteLine(old);
        }
        int resolvedSites = fnSiteStart[functions];

        String[] files = new String[info.fileCount()];
        for (int f = 0; f < files.length; f++) {
            files[f] = info.file(f);
        }
        String[] units = new String[info.unitCount()];
        Map<String, Integer> producerIds = new HashMap<>();
        List<String> producers = new ArrayList<>();
        int[] unitProducer = new int[units.length];
        for (int u = 0; u < units.length; u++) {
            units[u] = info.unitName(u);
            unitProducer[u] = KernelIndexBuilder.idOf(info.unitProducer(u), producerIds, producers);
        }

        ByteBuffer buffer = null;
        IndexLayout.Sink measured = null;
        for (int pass = 0; pass < 2; pass++) {
            IndexLayout.Sink out = new IndexLayout.Sink(buffer, measured);
            out.string(object);
            out.string(info.path().toString());
            out.string(elf.buildId().orElse(""));
            out.strings(files);
            out.strings(units);
            out.strings(producers.toArray(String[]::new));
            out.intColumn(unitProducer, unitProducer.length, 0);
            out.strings(sectionNames.toArray(String[]::new));
            out.names(names);
            out.intColumn(fnName, functions, 0);
            out.intColumn(fnFile, functions, 1);
            out.intColumn(fnLine, functions, 0);
            out.intColumn(fnByNameStartFull, nameCount + 1, 0);
            out.intColumn(fnInstanceStart, functions + 1, 0);
            out.intColumn(fnSiteStart, functions + 1, 0);
            out.intColumn(inSymbol, instances, 1);
            out.intColumn(inSympos, instances, 1);
            out.longColumn(inAddress, instances);
            out.intColumn(inSection, instances, 1);
            out.intColumn(inUnit, instances, 0);
            out.byteColumn(inFlags, instances);
            out.intColumn(inChangeStart, instances + 1, 0);
            out.intColumn(inPartStart, instances + 1, 0);
            out.intColumn(partName, parts, 0);
            out.intColumn(bySymbolStart, nameCount + 1, 0);
            out.intColumn(bySymbolInstances, bySymbolInstances.length, 0);
            out.intColumn(chPosition, changeCount, 0);
            out.byteColumn(chKind, changeCount);
            out.intColumn(chName, changeCount, 0);
            out.longColumn(chConstant, changeCount);
            out.intColumn(stInstance, resolvedSites, 1);
            out.intColumn(stCaller, resolvedSites, 1);
            out.intColumn(stFile, resolvedSites, 1);
            out.intColumn(stLine, resolvedSites, 0);
            out.putInt(sites - resolvedSites);
            out.putInt(info.skippedRelocations());
            out.align();
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(out.position).order(ByteOrder.LITTLE_ENDIAN);
                measured = out;
            }
        }
        return buffer;
    }

    /** {@link CountingSort#order} of [0, n) by {@code key}: the order, and each key's start in {@code starts}. */
    static int[] countingSort(int n, int keys, java.util.function.IntUnaryOperator key, int[] starts) {
        int[] keyOf = new int[n];
        for (int i = 0; i < n; i++) {
            keyOf[i] = key.applyAsInt(i);
        }
        return CountingSort.order(keyOf, keys, starts);
    }

    /**
     * Sorts each bucket of an order by a long key (ties keep their order): buckets are a few entries, except
     * the sites of much-inlined functions (thousands), so keys and positions go into one primitive sort.
     */
    static void sortBuckets(int[] order, int[] starts, java.util.function.IntToLongFunction key) {
        for (int b = 0; b + 1 < starts.length; b++) {
            int from = starts[b];
            int to = starts[b + 1];
            if (to - from < 2) {
                continue;
            }
            long[] keys = new long[to - from];
            for (int k = from; k < to; k++) {
                keys[k - from] = key.applyAsLong(order[k]);
            }
            Integer[] positions = new Integer[to - from];
            for (int k = 0; k < positions.length; k++) {
                positions[k] = k;
            }
            Arrays.sort(positions, (x, y) -> keys[x] != keys[y] ? Long.compare(keys[x], keys[y])
                    : Integer.compare(x, y));
            int[] sorted = new int[to - from];
            for (int k = 0; k < sorted.length; k++) {
                sorted[k] = order[from + positions[k]];
            }
            System.arraycopy(sorted, 0, order, from, sorted.length);
        }
    }

    private static int[] inverse(int[] order) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i]] = i;
        }
        return inverse;
    }

    /** A site's callee in the new function order; unresolved callees rank after every function. */
    private static int calleeRank(DebugInfo info, int[] newFunction, int site) {
        int callee = info.siteCallee(site);
        return callee < 0 ? newFunction.length : newFunction[callee];
    }

    private static String sectionName(List<SectionInfo> sections, int index) {
        return index >= 0 && index < sections.size() ? sections.get(index).name() : null;
    }

    private static void prefixSum(int[] counts) {
        for (int i = 1; i < counts.length; i++) {
            counts[i] += counts[i - 1];
        }
    }
}
