// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the {@link UnitRecords} of one unit into {@link UnitFacts}: names, declaration coordinates and files
 * resolved through DW_AT_abstract_origin and DW_AT_specification chains (across units when a reference
 * leaves its unit), out-of-line instances with their entry addresses and parameter changes, inline sites with
 * their callers. One instance per worker thread; the records of every unit are read-only by then.
 */
final class UnitResolver {
    /** Longer DW_AT_abstract_origin/DW_AT_specification chains are cut (cycles in hostile input). */
    static final int MAX_CHAIN = 8;
    /** Range starts kept per instance: the entry, a .cold part, rarely more. */
    static final int MAX_STARTS = 16;

    /** A source function: DWARF name and declaration coordinates (file null and line 0 when unknown). */
    record FunctionKey(String name, String file, int line) {
    }

    /** What one unit contributes, with unit-local function ids. */
    static final class UnitFacts {
        String name;
        String compDir;
        String producer;
        int version;
        final List<FunctionKey> functions = new ArrayList<>();
        int instances;
        int[] instanceFunction;
        int[] instanceFlags;
        int[] startFirst;
        long[] startAddress;
        int[] startSection;
        int starts;
        int[] changeFirst;
        final List<ParameterChange> changes = new ArrayList<>();
        int sites;
        int[] siteCallee;
        int[] siteInstance;
        int[] siteCaller;
        String[] siteFile;
        int[] siteLine;
    }

    private final DebugSections sections;
    private final UnitRecords[] units;
    private final long[] unitStarts;
    private final Map<Long, LineFileTable> lineTables;
    private final Strings strings;

    // State for the unit being resolved.
    private UnitFacts facts;
    private Map<FunctionKey, Integer> functionIds;
    private Map<Long, Integer> foreignFunctions;
    private int[] recordFunction;
    private UnitRecords own;

    UnitResolver(DebugSections sections, UnitRecords[] units, Map<Long, LineFileTable> lineTables) {
        this.sections = sections;
        this.units = units;
        this.unitStarts = new long[units.length];
        for (int i = 0; i < units.length; i++) {
            unitStarts[i] = units[i].offset;
        }
        this.lineTables = lineTables;
        this.strings = new Strings(sections);
    }

    static Map<Long, LineFileTable> newLineTableCache() {
        return new ConcurrentHashMap<>();
    }

    UnitFacts resolve(UnitRecords r) {
        UnitFacts f = new UnitFacts();
        this.facts = f;
        this.own = r;
        this.functionIds = new HashMap<>();
        this.foreignFunctions = new HashMap<>();
        f.name = strings.get(r.nameHandle);
        f.compDir = strings.get(r.compDirHandle);
        f.producer = strings.get(r.producerHandle);
        f.version = r.version;
        recordFunction = new int[r.subprograms];
        Arrays.fill(recordFunction, -2);

        int[] instanceOfRecord = new int[r.subprograms];
        Arrays.fill(instanceOfRecord, -1);
        int[] instanceRecords = new int[r.subprograms];
        int instances = 0;
        for (int i = 0; i < r.subprograms; i++) {
            if ((r.flags[i] & UnitRecords.HAS_CODE) != 0 && functionOf(r, i) >= 0) {
                instanceOfRecord[i] = instances;
                instanceRecords[instances++] = i;
            }
        }
        f.instances = instances;
        f.instanceFunction = new int[instances];
        f.instanceFlags = new int[instances];
        f.startFirst = new int[instances + 1];
        f.startAddress = new long[Math.max(4, instances)];
        f.startSection = new int[Math.max(4, instances)];
        f.changeFirst = new int[instances + 1];
        long[] starts = new long[MAX_STARTS];
        int[] startSections = new int[MAX_STARTS];
        for (int k = 0; k < instances; k++) {
            int i = instanceRecords[k];
            f.instanceFunction[k] = functionOf(r, i);
            f.instanceFlags[k] = r.flags[i];
            int count;
            if (r.rangesOffset[i] >= 0) {
                count = LocationLists.rangeStarts(sections, r, r.rangesOffset[i], starts, startSections, MAX_STARTS);
            } else {
                starts[0] = r.entry[i];
                startSections[0] = r.entrySection[i];
                count = 1;
            }
            f.startFirst[k] = f.starts;
            for (int s = 0; s < count; s++) {
                if (f.starts == f.startAddress.length) {
                    f.startAddress = Arrays.copyOf(f.startAddress, f.starts * 2);
                    f.startSection = Arrays.copyOf(f.startSection, f.starts * 2);
                }
                f.startAddress[f.starts] = starts[s];
                f.startSection[f.starts] = startSections[s];
                f.starts++;
            }
            f.changeFirst[k] = f.changes.size();
            if (r.origin[i] >= 0) {
                parameterChanges(r, i, r.origin[i]);
            }
        }
        f.startFirst[instances] = f.starts;
        f.changeFirst[instances] = f.changes.size();

        f.sites = r.sites;
        f.siteCallee = new int[r.sites];
        f.siteInstance = new int[r.sites];
        f.siteCaller = new int[r.sites];
        f.siteFile = new String[r.sites];
        f.siteLine = new int[r.sites];
        LineFileTable lines = lineTable(r);
        for (int s = 0; s < r.sites; s++) {
            f.siteCallee[s] = functionAt(r.siteOrigin[s]);
            int container = r.siteContainer[s];
            f.siteInstance[s] = container >= 0 ? instanceOfRecord[container] : -1;
            int parent = r.siteParent[s];
            f.siteCaller[s] = parent >= 0 ? f.siteCallee[parent] : container >= 0 ? functionOf(r, container) : -1;
            f.siteFile[s] = r.siteFile[s] >= 0 ? lines.path(r.siteFile[s], strings) : null;
            f.siteLine[s] = r.siteLine[s];
        }
        return f;
    }

    /** The local function id of a record of this unit, -1 when it resolves to no name. */
    private int functionOf(UnitRecords r, int record) {
        int id = recordFunction[record];
        if (id == -2) {
            id = intern(resolveKey(r, record));
            recordFunction[record] = id;
        }
        return id;
    }

    /** The local function id of the subprogram DIE at a global offset, -1 when there is none. */
    private int functionAt(long dieOffset) {
        if (dieOffset < 0) {
            return -1;
        }
        if (own.contains(dieOffset)) {
            int record = own.subprogramAt(dieOffset);
            return record < 0 ? -1 : functionOf(own, record);
        }
        Integer known = foreignFunctions.get(dieOffset);
        if (known != null) {
            return known;
        }
        UnitRecords unit = unitAt(dieOffset);
        int record = unit == null ? -1 : unit.subprogramAt(dieOffset);
        int id = record < 0 ? -1 : intern(resolveKey(unit, record));
        foreignFunctions.put(dieOffset, id);
        return id;
    }

    private int intern(FunctionKey key) {
        if (key == null) {
            return -1;
        }
        Integer id = functionIds.get(key);
        if (id == null) {
            id = facts.functions.size();
            facts.functions.add(key);
            functionIds.put(key, id);
        }
        return id;
    }

    private UnitRecords unitAt(long dieOffset) {
        int at = Arrays.binarySearch(unitStarts, dieOffset);
        int index = at >= 0 ? at : -at - 2;
        if (index < 0 || index >= units.length || !units[index].contains(dieOffset)) {
            return null;
        }
        return units[index];
    }

    /**
     * Name and declaration coordinates of a subprogram record: each from the first DIE of its origin and
     * specification chain that has it (a concrete copy names none of them; a definition after a prototype
     * has its own line but the prototype's name).
     */
    private FunctionKey resolveKey(UnitRecords unit, int record) {
        String name = null;
        String file = null;
        int line = -1;
        UnitRecords u = unit;
        int i = record;
        for (int hop = 0; hop <= MAX_CHAIN; hop++) {
            if (name == null && u.subprogramName[i] != Strings.NONE) {
                name = strings.get(u.subprogramName[i]);
            }
            if (file == null && u.declFile[i] >= 0) {
                file = lineTable(u).path(u.declFile[i], strings);
            }
            if (line < 0 && u.declLine[i] >= 0) {
                line = u.declLine[i];
            }
            if (name != null && file != null && line >= 0) {
                break;
            }
            long next = u.origin[i] >= 0 ? u.origin[i] : u.specification[i];
            if (next < 0) {
                break;
            }
            UnitRecords nextUnit = u.contains(next) ? u : unitAt(next);
            int nextRecord = nextUnit == null ? -1 : nextUnit.subprogramAt(next);
            if (nextRecord < 0) {
                break;
            }
            u = nextUnit;
            i = nextRecord;
        }
        if (name == null || name.isEmpty()) {
            return null;
        }
        return new FunctionKey(name, file, Math.max(line, 0));
    }

    private LineFileTable lineTable(UnitRecords u) {
        if (u.stmtList < 0 || u.skipped) {
            return LineFileTable.EMPTY;
        }
        LineFileTable table = lineTables.get(u.stmtList);
        if (table == null) {
            table = LineFileTable.parse(sections, u.stmtList, strings.get(u.compDirHandle), strings);
            LineFileTable raced = lineTables.putIfAbsent(u.stmtList, table);
            if (raced != null) {
                table = raced;
            }
        }
        return table;
    }

    /**
     * Compares a concrete copy's parameters with those of its abstract origin: a parameter of the origin that
     * the copy lists with DW_AT_const_value or a DW_OP_GNU_parameter_ref location, or does not list at all,
     * changed. Only when the copy lists parameters or the origin has some.
     */
    private void parameterChanges(UnitRecords r, int record, long originOffset) {
        UnitRecords originUnit = r.contains(originOffset) ? r : unitAt(originOffset);
        int origin = originUnit == null ? -1 : originUnit.subprogramAt(originOffset);
        if (origin < 0) {
            return;
        }
        int position = 0;
        for (int p = originUnit.firstParameter[origin]; p >= 0; p = originUnit.nextParameter[p], position++) {
            long abstractOffset = originUnit.parameterOffset[p];
            int concrete = -1;
            for (int q = r.firstParameter[record]; q >= 0; q = r.nextParameter[q]) {
                if (r.parameterOrigin[q] == abstractOffset) {
                    concrete = q;
                    break;
                }
            }
            ParameterChange.Kind kind;
            long constant = 0;
            if (concrete < 0) {
                kind = ParameterChange.Kind.DROPPED;
            } else if (r.parameterState[concrete] == UnitRecords.PARAMETER_CONSTANT) {
                kind = ParameterChange.Kind.CONSTANT;
                constant = r.parameterConstant[concrete];
            } else if (r.parameterState[concrete] == UnitRecords.PARAMETER_NOT_PASSED) {
                kind = ParameterChange.Kind.NOT_PASSED;
            } else {
                continue;
            }
            String name = strings.get(originUnit.parameterName[p]);
            facts.changes.add(new ParameterChange(position, name == null ? "" : name, kind, constant));
        }
    }
}
