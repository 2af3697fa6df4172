// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.dwarf.ParameterChange;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler did to the functions of one kernel object (vmlinux or a module), from the object's debug
 * information: per source function its out-of-line instances, each tied to its symbol and sympos, the compiler
 * clones among them and what they changed, and every inlined copy of its body. Immutable and thread-safe.
 *
 * <p>Stored like {@link KernelIndex}: one {@link IndexLayout} buffer — a direct buffer after a build, the
 * memory-mapped cache file after a reload — read in place; records are made on query. Built and cached by
 * {@link OptimizationIndexLoader}.
 *
 * <p>A reload checks the checksum and the column sizes, not every value (that would cost a fresh JVM most of
 * its 100 ms): queries check each id and range they read instead, so a cache file that passed its checksum but
 * holds other bytes than the builder wrote (a bug, or tampering) makes a query throw
 * {@link IllegalStateException}, never hang, never read past its buffer.
 */
public final class OptimizationIndex {
    private static final ParameterChange.Kind[] KINDS = ParameterChange.Kind.values();

    private final ByteBuffer layout;
    private final String object;
    private final Path debugFile;
    private final Optional<String> buildId;
    private final IndexLayout.LazyStrings files;
    private final IndexLayout.LazyStrings units;
    private final IndexLayout.LazyStrings producers;
    private final Column unitProducer;
    private final String[] sectionNames;
    private final NameTable names;
    private final Column fnName;
    private final Column fnFile;
    private final Column fnLine;
    private final Column fnByNameStart;
    private final Column fnInstanceStart;
    private final Column fnSiteStart;
    private final Column inSymbol;
    private final Column inSympos;
    private final Column inAddress;
    private final Column inSection;
    private final Column inUnit;
    private final Column inFlags;
    private final Column inChangeStart;
    private final Column inPartStart;
    private final Column partName;
    private final Column bySymbolStart;
    private final Column bySymbolInstances;
    private final Column chPosition;
    private final Column chKind;
    private final Column chName;
    private final Column chConstant;
    private final Column stInstance;
    private final Column stCaller;
    private final Column stFile;
    private final Column stLine;
    private final int unresolvedSites;
    private final int skippedRelocations;
    private final KernelIndex.LoadInfo loadInfo;

    /** Wraps a layout written by {@link OptimizationIndexBuilder}; every column is checked against its count. */
    OptimizationIndex(ByteBuffer layout, KernelIndex.LoadInfo loadInfo) {
        IndexLayout.Source in = new IndexLayout.Source(layout);
        this.layout = in.buffer();
        this.loadInfo = loadInfo;
        this.object = in.string();
        this.debugFile = Path.of(in.string());
        String id = in.string();
        this.buildId = id.isEmpty() ? Optional.empty() : Optional.of(id);
        this.files = in.lazyStrings();
        this.units = in.lazyStrings();
        this.producers = in.lazyStrings();
        this.unitProducer = in.column();
        this.sectionNames = in.strings();
        this.names = NameTable.read(in);
        this.fnName = in.column();
        this.fnFile = in.column();
        this.fnLine = in.column();
        this.fnByNameStart = in.column();
        this.fnInstanceStart = in.column();
        this.fnSiteStart = in.column();
        this.inSymbol = in.column();
        this.inSympos = in.column();
        this.inAddress = in.column();
        this.inSection = in.column();
        this.inUnit = in.column();
        this.inFlags = in.column();
        this.inChangeStart = in.column();
        this.inPartStart = in.column();
        this.partName = in.column();
        this.bySymbolStart = in.column();
        this.bySymbolInstances = in.column();
        this.chPosition = in.column();
        this.chKind = in.column();
        this.chName = in.column();
        this.chConstant = in.column();
        this.stInstance = in.column();
        this.stCaller = in.column();
        this.stFile = in.column();
        this.stLine = in.column();
        this.unresolvedSites = in.getInt();
        this.skippedRelocations = in.getInt();
        int functions = fnName.size();
        int instances = inSymbol.size();
        int sites = stInstance.size();
        if (unitProducer.size() != units.size() || fnFile.size() != functions || fnLine.size() != functions
                || fnByNameStart.size() != names.size() + 1 || fnInstanceStart.size() != functions + 1
                || fnSiteStart.size() != functions + 1 || inSympos.size() != instances
                || inAddress.size() != instances || inSection.size() != instances || inUnit.size() != instances
                || inFlags.size() != instances || inChangeStart.size() != instances + 1
                || inPartStart.size() != instances + 1 || bySymbolStart.size() != names.size() + 1
                || chKind.size() != chPosition.size() || chName.size() != chPosition.size()
                || chConstant.size() != chPosition.size() || stCaller.size() != sites || stFile.size() != sites
                || stLine.size() != sites || fnSiteStart.get(functions) != sites
                || fnInstanceStart.get(functions) != instances || inPartStart.get(instances) != partName.size()
                || inChangeStart.get(instances) != chPosition.size()) {
            throw new IllegalStateException("inconsistent optimization index columns");
        }
    }

    /** "vmlinux" or the module name. */
    public String object() {
        return object;
    }

    /** The file the debug information was read from. */
    public Path debugFile() {
        return debugFile;
    }

    /** The GNU build ID of the debug file: equal to the running kernel's or module's when they match. */
    public Optional<String> buildId() {
        return buildId;
    }

    /** Whether this index came from the cache, which file, and why a cache was not used. */
    public KernelIndex.LoadInfo loadInfo() {
        return loadInfo;
    }

    public int functionCount() {
        return fnName.size();
    }

    public int instanceCount() {
        return inSymbol.size();
    }

    public int inlineSiteCount() {
        return stInstance.size();
    }

    /** Inline sites whose abstract origin did not resolve to a function (0 for well-formed debug information). */
    public int unresolvedSiteCount() {
        return unresolvedSites;
    }

    /** Relocations the debug sections carry that were not applied (0 for gcc's output). */
    public int skippedRelocationCount() {
        return skippedRelocations;
    }

    /** The bytes of the index (its cache file payload). */
    ByteBuffer layout() {
        return layout;
    }

    /** Every source function of this name (several for same-named static functions of different files). */
    public List<FunctionFacts> functions(String name) {
        return checked(() -> {
            int id = names.find(name);
            if (id < 0) {
                return List.of();
            }
            List<FunctionFacts> result = new ArrayList<>();
            int[] range = range(fnByNameStart, id, fnName.size());
            for (int f = range[0]; f < range[1]; f++) {
                result.add(facts(f));
            }
            return result;
        });
    }

    /**
     * The out-of-line instance a symbol names — {@code foo}, or a clone such as {@code foo.isra.0} — with the
     * sympos the kernel counts (0 for a unique name).
     */
    public Optional<OutOfLineInstance> instance(String symbol, int sympos) {
        return checked(() -> {
            int instance = instanceIndex(symbol, sympos);
            return instance < 0 ? Optional.<OutOfLineInstance>empty() : Optional.of(instance(instance));
        });
    }

    /** Every out-of-line instance whose symbol has this name, by sympos. */
    public List<OutOfLineInstance> instances(String symbol) {
        return checked(() -> {
            int id = names.find(symbol);
            if (id < 0) {
                return List.of();
            }
            List<OutOfLineInstance> result = new ArrayList<>();
            int[] range = range(bySymbolStart, id, bySymbolInstances.size());
            for (int k = range[0]; k < range[1]; k++) {
                result.add(instance(id(bySymbolInstances.get(k), inSymbol.size(), "instance")));
            }
            return result;
        });
    }

    /** The source function a symbol (with its sympos) is an out-of-line instance of. */
    public Optional<FunctionFacts> functionOfSymbol(String symbol, int sympos) {
        return checked(() -> {
            int instance = instanceIndex(symbol, sympos);
            return instance < 0 ? Optional.<FunctionFacts>empty() : Optional.of(facts(functionOfInstance(instance)));
        });
    }

    /** Runs a query; a value out of range in a damaged cache file becomes an {@link IllegalStateException}. */
    private <T> T checked(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(e.toString());
        }
    }

    private IllegalStateException corrupt(String what) {
        return new IllegalStateException("optimization index of " + debugFile + " is corrupt (" + what + ")"
                + loadInfo.cacheFile().map(file -> "; delete " + file).orElse(""));
    }

    /** An id read from a column, checked to lie in [0, count). */
    private int id(int value, int count, String what) {
        if (value < 0 || value >= count) {
            throw corrupt(what + " " + value + " outside [0, " + count + ")");
        }
        return value;
    }

    /** The range [starts[i], starts[i + 1]) of a start column, checked to lie inside [0, total]. */
    private int[] range(Column starts, int i, int total) {
        int from = starts.get(i);
        int to = starts.get(i + 1);
        if (from < 0 || from > to || to > total) {
            throw corrupt("range [" + from + ", " + to + ") outside [0, " + total + "]");
        }
        return new int[] {from, to};
    }

    private int instanceIndex(String symbol, int sympos) {
        int id = names.find(symbol);
        if (id < 0) {
            return -1;
        }
        int[] range = range(bySymbolStart, id, bySymbolInstances.size());
        for (int k = range[0]; k < range[1]; k++) {
            int instance = id(bySymbolInstances.get(k), inSymbol.size(), "instance");
            if (inSympos.get(instance) == sympos) {
                return instance;
            }
        }
        return -1;
    }

    private int functionOfInstance(int instance) {
        int low = 0;
        int high = fnName.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (fnInstanceStart.get(middle) <= instance) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return id(low, fnName.size(), "function");
    }

    private FunctionFacts facts(int function) {
        List<OutOfLineInstance> instances = new ArrayList<>();
        int[] instanceRange = range(fnInstanceStart, function, inSymbol.size());
        for (int i = instanceRange[0]; i < instanceRange[1]; i++) {
            instances.add(instance(i));
        }
        List<InlineSite> sites = new ArrayList<>();
        int[] siteRange = range(fnSiteStart, function, stInstance.size());
        for (int s = siteRange[0]; s < siteRange[1]; s++) {
            int container = stInstance.get(s);
            int caller = stCaller.get(s);
            int file = stFile.get(s);
            OutOfLineInstance containerInstance = container < 0 ? null
                    : instance(id(container, inSymbol.size(), "site container"));
            sites.add(new InlineSite(Optional.ofNullable(containerInstance),
                    caller < 0 ? "" : name(fnName.get(id(caller, fnName.size(), "site caller"))),
                    file < 0 ? Optional.empty() : Optional.of(new SourceLine(file(file, "site file"), stLine.get(s))),
                    container >= 0 && functionOfInstance(container) == function));
        }
        int file = fnFile.get(function);
        return new FunctionFacts(object, name(fnName.get(function)),
                file < 0 ? Optional.empty() : Optional.of(new SourceLine(file(file, "function file"),
                        fnLine.get(function))),
                Collections.unmodifiableList(instances), Collections.unmodifiableList(sites));
    }

    private String file(int id, String what) {
        return files.get()[id(id, files.size(), what)];
    }

    private String name(int id) {
        return names.get(id(id, names.size(), "name"));
    }

    private OutOfLineInstance instance(int i) {
        int symbol = inSymbol.get(i);
        int section = inSection.get(i);
        List<ParameterChange> changes = new ArrayList<>();
        int[] changeRange = range(inChangeStart, i, chPosition.size());
        for (int c = changeRange[0]; c < changeRange[1]; c++) {
            changes.add(new ParameterChange(chPosition.get(c), name(chName.get(c)),
                    KINDS[id(chKind.get(c), KINDS.length, "parameter change kind")], chConstant.getLong(c)));
        }
        List<String> parts = new ArrayList<>();
        int[] partRange = range(inPartStart, i, partName.size());
        for (int p = partRange[0]; p < partRange[1]; p++) {
            parts.add(name(partName.get(p)));
        }
        int unit = id(inUnit.get(i), units.size(), "unit");
        return new OutOfLineInstance(name(fnName.get(functionOfInstance(i))), symbol < 0 ? "" : name(symbol),
                inSympos.get(i), inAddress.getLong(i),
                section < 0 ? Optional.empty() : Optional.of(sectionNames[id(section, sectionNames.length, "section")]),
                units.get()[unit], producers.get()[id(unitProducer.get(unit), producers.size(), "producer")],
                List.copyOf(changes),
                List.copyOf(parts), (inFlags.get(i) & OptimizationIndexBuilder.NOCALL) != 0);
    }
}
