// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import dev.klplsp.elf.ElfSectionFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The optimization facts of one ELF file's DWARF: every source function (name and declaration file and
 * line), its out-of-line instances (entry addresses, the parameters a compiler clone changed) and its inlined
 * call sites (the instance whose code holds the copy, the function whose source has the call, the call's file
 * and line). Functions are identified by name, declaration file and line, so a static inline function of a
 * header is one function across all units, and two static functions of one name in two files are two.
 *
 * <p>Columnar and immutable; ids are dense ints: functions {@code [0, functionCount())}, instances, sites,
 * units and files likewise, -1 meaning none. Built by {@link #read}, which scans units on several threads.
 */
public final class DebugInfo {
    /** Instance flags. */
    public static final int EXTERNAL = UnitRecords.EXTERNAL;
    /** DW_AT_calling_convention DW_CC_nocall: the compiler changed how the copy is called. */
    public static final int NOCALL = UnitRecords.NOCALL;

    private final Path path;
    private final int skippedRelocations;
    private final String[] unitNames;
    private final String[] unitProducers;
    private final int[] unitVersions;
    private final String[] files;
    private final String[] functionNames;
    private final int[] functionFiles;
    private final int[] functionLines;
    private final int[] instanceFunction;
    private final int[] instanceUnit;
    private final int[] instanceFlags;
    private final int[] startFirst;
    private final long[] startAddress;
    private final int[] startSection;
    private final int[] changeFirst;
    private final ParameterChange[] changes;
    private final int[] siteCallee;
    private final int[] siteInstance;
    private final int[] siteCaller;
    private final int[] siteFile;
    private final int[] siteLine;

    /** Reads the DWARF of a file with up to {@code threads} threads. */
    public static DebugInfo read(ElfSectionFile elf, int threads) {
        DebugSections sections = DebugSections.of(elf);
        long[] bounds = UnitScanner.unitBounds(sections);
        int unitCount = bounds.length - 1;
        UnitRecords[] records = new UnitRecords[unitCount];
        runParallel(unitCount, threads, () -> new UnitScanner(sections), (scanner, u) -> {
            records[u] = scanner.scan(bounds[u], bounds[u + 1]);
        });
        Map<Long, LineFileTable> lineTables = UnitResolver.newLineTableCache();
        UnitResolver.UnitFacts[] facts = new UnitResolver.UnitFacts[unitCount];
        runParallel(unitCount, threads, () -> new UnitResolver(sections, records, lineTables), (resolver, u) -> {
            facts[u] = records[u].skipped ? null : resolver.resolve(records[u]);
        });
        return new DebugInfo(sections, facts);
    }

    /** Reads a file's DWARF (memory-mapped) with two threads. */
    public static DebugInfo read(Path path) {
        return read(ElfSectionFile.open(path), 2);
    }

    private interface Task<W> {
        void run(W worker, int index);
    }

    /** Runs {@code task} for 0..count-1 on up to {@code threads} threads, one worker state per thread. */
    private static <W> void runParallel(int count, int threads, java.util.function.Supplier<W> workers, Task<W> task) {
        int n = Math.max(1, Math.min(threads, count));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable body = () -> {
            W worker = workers.get();
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                try {
                    task.run(worker, i);
                } catch (RuntimeException | StackOverflowError e) {
                    failure.compareAndSet(null, e instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e));
                }
            }
        };
        Thread[] helpers = new Thread[n - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = new Thread(body, "klp-dwarf-" + t);
            helpers[t].setDaemon(true);
            helpers[t].start();
        }
        body.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading debug information", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Merges the units' facts in unit order, so ids do not depend on thread timing. */
    private DebugInfo(DebugSections sections, UnitResolver.UnitFacts[] facts) {
        this.path = sections.path;
        this.skippedRelocations = sections.skippedRelocations;
        Map<UnitResolver.FunctionKey, Integer> functionIds = new HashMap<>();
        List<UnitResolver.FunctionKey> functions = new ArrayList<>();
        Map<String, Integer> fileIds = new HashMap<>();
        List<String> fileList = new ArrayList<>();
        Function<String, Integer> fileId = file -> file == null ? -1
                : fileIds.computeIfAbsent(file, f -> {
                    fileList.add(f);
                    return fileList.size() - 1;
                });
        int units = 0;
        int instances = 0;
        int starts = 0;
        int changeCount = 0;
        int sites = 0;
        for (UnitResolver.UnitFacts f : facts) {
            if (f != null) {
                units++;
                instances += f.instances;
                starts += f.starts;
                changeCount += f.changes.size();
                sites += f.sites;
            }
        }
        unitNames = new String[units];
        unitProducers = new String[units];
        unitVersions = new int[units];
        instanceFunction = new int[instances];
        instanceUnit = new int[instances];
        instanceFlags = new int[instances];
        startFirst = new int[instances + 1];
        startAddress = new long[starts];
        startSection = new int[starts];
        changeFirst = new int[instances + 1];
        changes = new ParameterChange[changeCount];
        siteCallee = new int[sites];
        siteInstance = new int[sites];
        siteCaller = new int[sites];
        siteFile = new int[sites];
        siteLine = new int[sites];
        int unit = 0;
        int instance = 0;
        int start = 0;
        int change = 0;
        int site = 0;
        for (UnitResolver.UnitFacts f : facts) {
            if (f == null) {
                continue;
            }
            unitNames[unit] = f.name == null ? "" : f.name;
            unitProducers[unit] = f.producer == null ? "" : f.producer;
            unitVersions[unit] = f.version;
            int[] global = new int[f.functions.size()];
            for (int i = 0; i < global.length; i++) {
                UnitResolver.FunctionKey key = f.functions.get(i);
                Integer id = functionIds.get(key);
                if (id == null) {
                    id = functions.size();
                    functions.add(key);
                    functionIds.put(key, id);
                }
                global[i] = id;
            }
            int instanceBase = instance;
            for (int k = 0; k < f.instances; k++) {
                instanceFunction[instance] = global[f.instanceFunction[k]];
                instanceUnit[instance] = unit;
                instanceFlags[instance] = f.instanceFlags[k] & (EXTERNAL | NOCALL);
                startFirst[instance] = start;
                for (int s = f.startFirst[k]; s < f.startFirst[k + 1]; s++) {
                    startAddress[start] = f.startAddress[s];
                    startSection[start] = f.startSection[s];
                    start++;
                }
                changeFirst[instance] = change;
                for (int c = f.changeFirst[k]; c < f.changeFirst[k + 1]; c++) {
                    changes[change++] = f.changes.get(c);
                }
                instance++;
            }
            for (int s = 0; s < f.sites; s++) {
                siteCallee[site] = f.siteCallee[s] < 0 ? -1 : global[f.siteCallee[s]];
                siteInstance[site] = f.siteInstance[s] < 0 ? -1 : instanceBase + f.siteInstance[s];
                siteCaller[site] = f.siteCaller[s] < 0 ? -1 : global[f.siteCaller[s]];
                siteFile[site] = fileId.apply(f.siteFile[s]);
                siteLine[site] = f.siteLine[s];
                site++;
            }
            unit++;
        }
        startFirst[instances] = start;
        changeFirst[instances] = change;
        functionNames = new String[functions.size()];
        functionFiles = new int[functions.size()];
        functionLines = new int[functions.size()];
        for (int i = 0; i < functionNames.length; i++) {
            UnitResolver.FunctionKey key = functions.get(i);
            functionNames[i] = key.name();
            functionFiles[i] = fileId.apply(key.file());
            functionLines[i] = key.line();
        }
        files = fileList.toArray(String[]::new);
    }

    public Path path() {
        return path;
    }

    /** Relocations of types other than absolute data in the debug sections, left unapplied (0 normally). */
    public int skippedRelocations() {
        return skippedRelocations;
    }

    public int unitCount() {
        return unitNames.length;
    }

    /** DW_AT_name of a compilation unit: its primary source file. */
    public String unitName(int unit) {
        return unitNames[unit];
    }

    /** DW_AT_producer: the compiler and its flags ("GNU C11 12.2.0 -mno-sse -O2 ..."). */
    public String unitProducer(int unit) {
        return unitProducers[unit];
    }

    public int unitVersion(int unit) {
        return unitVersions[unit];
    }

    public int fileCount() {
        return files.length;
    }

    /** A source path as the line tables give it, normalized. */
    public String file(int file) {
        return files[file];
    }

    public int functionCount() {
        return functionNames.length;
    }

    public String functionName(int function) {
        return functionNames[function];
    }

    /** The declaring file, -1 when DWARF gives none. */
    public int functionFile(int function) {
        return functionFiles[function];
    }

    /** The declaration line, 0 when DWARF gives none. */
    public int functionLine(int function) {
        return functionLines[function];
    }

    public int instanceCount() {
        return instanceFunction.length;
    }

    public int instanceFunction(int instance) {
        return instanceFunction[instance];
    }

    public int instanceUnit(int instance) {
        return instanceUnit[instance];
    }

    /** {@link #EXTERNAL}, {@link #NOCALL}. */
    public int instanceFlags(int instance) {
        return instanceFlags[instance];
    }

    /**
     * How many code ranges start an instance: 1 for a DW_AT_low_pc, more for DW_AT_ranges (a function split
     * into a hot part and a {@code .cold} part), 0 when its range list is empty.
     */
    public int startCount(int instance) {
        return startFirst[instance + 1] - startFirst[instance];
    }

    /** The k-th start address: a link-time address, or in a relocatable file an offset in {@link #startSection}. */
    public long startAddress(int instance, int k) {
        return startAddress[startFirst[instance] + k];
    }

    /** The ELF section index a start address is relative to (relocatable files), else -1. */
    public int startSection(int instance, int k) {
        return startSection[startFirst[instance] + k];
    }

    public List<ParameterChange> parameterChanges(int instance) {
        return List.of(Arrays.copyOfRange(changes, changeFirst[instance], changeFirst[instance + 1]));
    }

    public int siteCount() {
        return siteCallee.length;
    }

    /** The inlined function, -1 when its abstract origin could not be resolved. */
    public int siteCallee(int site) {
        return siteCallee[site];
    }

    /** The out-of-line instance whose code holds the inlined copy, -1 when none. */
    public int siteInstance(int site) {
        return siteInstance[site];
    }

    /** The function whose source makes the call: the instance's, or the inlined function the call sits in. */
    public int siteCaller(int site) {
        return siteCaller[site];
    }

    /** DW_AT_call_file, -1 when absent. */
    public int siteFile(int site) {
        return siteFile[site];
    }

    /** DW_AT_call_line, 0 when absent. */
    public int siteLine(int site) {
        return siteLine[site];
    }
}
