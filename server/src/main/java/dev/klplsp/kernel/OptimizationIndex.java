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
 */
public final class OptimizationIndex {
    private static final ParameterChange.Kind[] KINDS = ParameterChange.Kind.values();

    private final ByteBuffer layout;
    private final String object;
    private final Path debugFile;
    private final Optional<String> buildId;
    private final String[] files;
    private final String[] units;
    private final String[] producers;
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
        this.files = in.strings();
        this.units = in.strings();
        this.producers = in.strings();
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
        if (unitProducer.size() != units.length || fnFile.size() != functions || fnLine.size() != functions
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

    /**
     * Checks every column of an index read from a cache file, so that no query can fail or loop on a file
     * that passed the checksum but was not written by {@link OptimizationIndexBuilder}.
     */
    void verify() {
        int functions = fnName.size();
        int instances = inSymbol.size();
        int sites = stInstance.size();
        int nameCount = names.size();
        names.verify();
        fnByNameStart.requireRanges(functions, "functions by name");
        fnInstanceStart.requireRanges(instances, "instances by function");
        fnSiteStart.requireRanges(sites, "sites by function");
        inChangeStart.requireRanges(chPosition.size(), "parameter changes");
        inPartStart.requireRanges(partName.size(), "cold parts");
        bySymbolStart.requireRanges(bySymbolInstances.size(), "instances by symbol");
        unitProducer.requireWithin(0, producers.length, "unit producer");
        fnName.requireWithin(0, nameCount, "function name");
        fnFile.requireWithin(-1, files.length, "function file");
        inSymbol.requireWithin(-1, nameCount, "instance symbol");
        inSection.requireWithin(-1, sectionNames.length, "instance section");
        inUnit.requireWithin(0, units.length, "instance unit");
        partName.requireWithin(0, nameCount, "part name");
        bySymbolInstances.requireWithin(0, instances, "instance by symbol");
        chKind.requireWithin(0, KINDS.length, "parameter change kind");
        chName.requireWithin(0, nameCount, "parameter name");
        stInstance.requireWithin(-1, instances, "site instance");
        stCaller.requireWithin(-1, functions, "site caller");
        stFile.requireWithin(-1, files.length, "site file");
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
        int id = names.find(name);
        if (id < 0) {
            return List.of();
        }
        List<FunctionFacts> result = new ArrayList<>();
        for (int f = fnByNameStart.get(id); f < fnByNameStart.get(id + 1); f++) {
            result.add(facts(f));
        }
        return result;
    }

    /**
     * The out-of-line instance a symbol names — {@code foo}, or a clone such as {@code foo.isra.0} — with the
     * sympos the kernel counts (0 for a unique name).
     */
    public Optional<OutOfLineInstance> instance(String symbol, int sympos) {
        int instance = instanceIndex(symbol, sympos);
        return instance < 0 ? Optional.empty() : Optional.of(instance(instance));
    }

    /** Every out-of-line instance whose symbol has this name, by sympos. */
    public List<OutOfLineInstance> instances(String symbol) {
        int id = names.find(symbol);
        if (id < 0) {
            return List.of();
        }
        List<OutOfLineInstance> result = new ArrayList<>();
        for (int k = bySymbolStart.get(id); k < bySymbolStart.get(id + 1); k++) {
            result.add(instance(bySymbolInstances.get(k)));
        }
        return result;
    }

    /** The source function a symbol (with its sympos) is an out-of-line instance of. */
    public Optional<FunctionFacts> functionOfSymbol(String symbol, int sympos) {
        int instance = instanceIndex(symbol, sympos);
        if (instance < 0) {
            return Optional.empty();
        }
        return Optional.of(facts(functionOfInstance(instance)));
    }

    private int instanceIndex(String symbol, int sympos) {
        int id = names.find(symbol);
        if (id < 0) {
            return -1;
        }
        for (int k = bySymbolStart.get(id); k < bySymbolStart.get(id + 1); k++) {
            int instance = bySymbolInstances.get(k);
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
        return low;
    }

    private FunctionFacts facts(int function) {
        List<OutOfLineInstance> instances = new ArrayList<>();
        for (int i = fnInstanceStart.get(function); i < fnInstanceStart.get(function + 1); i++) {
            instances.add(instance(i));
        }
        List<InlineSite> sites = new ArrayList<>();
        for (int s = fnSiteStart.get(function); s < fnSiteStart.get(function + 1); s++) {
            int container = stInstance.get(s);
            int caller = stCaller.get(s);
            int file = stFile.get(s);
            sites.add(new InlineSite(container < 0 ? Optional.empty() : Optional.of(instance(container)),
                    caller < 0 ? "" : names.get(fnName.get(caller)),
                    file < 0 ? Optional.empty() : Optional.of(new SourceLine(files[file], stLine.get(s))),
                    container >= 0 && functionOfInstance(container) == function));
        }
        int file = fnFile.get(function);
        return new FunctionFacts(object, names.get(fnName.get(function)),
                file < 0 ? Optional.empty() : Optional.of(new SourceLine(files[file], fnLine.get(function))),
                Collections.unmodifiableList(instances), Collections.unmodifiableList(sites));
    }

    private OutOfLineInstance instance(int i) {
        int symbol = inSymbol.get(i);
        int section = inSection.get(i);
        List<ParameterChange> changes = new ArrayList<>();
        for (int c = inChangeStart.get(i); c < inChangeStart.get(i + 1); c++) {
            int kind = chKind.get(c);
            changes.add(new ParameterChange(chPosition.get(c), names.get(chName.get(c)),
                    KINDS[Math.min(kind, KINDS.length - 1)], chConstant.getLong(c)));
        }
        List<String> parts = new ArrayList<>();
        for (int p = inPartStart.get(i); p < inPartStart.get(i + 1); p++) {
            parts.add(names.get(partName.get(p)));
        }
        int unit = inUnit.get(i);
        return new OutOfLineInstance(names.get(fnName.get(functionOfInstance(i))),
                symbol < 0 ? "" : names.get(symbol), inSympos.get(i), inAddress.getLong(i),
                section < 0 ? Optional.empty() : Optional.of(sectionNames[section]), units[unit],
                producers[unitProducer.get(unit)], List.copyOf(changes), List.copyOf(parts),
                (inFlags.get(i) & OptimizationIndexBuilder.NOCALL) != 0);
    }
}
