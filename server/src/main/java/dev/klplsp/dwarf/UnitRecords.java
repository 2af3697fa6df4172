// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.util.Arrays;

/**
 * What the scan of one unit keeps, before anything is resolved: every subprogram DIE (abstract, concrete,
 * declaration), the formal parameters of the subprograms that have code or are abstract, and every inlined
 * subroutine. Strings are {@link Strings} handles, references global {@code .debug_info} offsets (-1 when
 * absent), files line-table indexes (-1 when absent). Columnar, grown as the scan goes.
 */
final class UnitRecords {
    static final int DECLARATION = 1;
    static final int HAS_CODE = 2;
    static final int NOCALL = 4;
    static final int EXTERNAL = 8;

    /** Parameter states: what the concrete DIE says about a parameter of its abstract origin. */
    static final byte PARAMETER_PLAIN = 0;
    static final byte PARAMETER_CONSTANT = 1;
    static final byte PARAMETER_NOT_PASSED = 2;

    // Unit header and the unit DIE.
    long offset;
    long end;
    int version;
    int addressSize;
    int offsetSize;
    long nameHandle;
    long compDirHandle;
    long producerHandle;
    long stmtList = -1;
    long lowPc;
    int lowPcSection = -1;
    long strOffsetsBase;
    long addrBase;
    long rnglistsBase;
    long loclistsBase;
    /** Set when the unit is a type unit or split unit: nothing of interest in it. */
    boolean skipped;

    // Subprograms, in DIE order (so their offsets ascend).
    int subprograms;
    long[] subprogramOffset;
    long[] subprogramName;
    int[] declFile;
    int[] declLine;
    long[] origin;
    long[] specification;
    int[] flags;
    long[] entry;
    int[] entrySection;
    /** Range list offset (resolved: in .debug_rnglists or .debug_ranges), -1 when the DIE has low_pc or no code. */
    long[] rangesOffset;
    int[] firstParameter;
    int[] lastParameter;

    // Formal parameters of subprograms.
    int parameters;
    int[] parameterOwner;
    long[] parameterOffset;
    long[] parameterName;
    long[] parameterOrigin;
    byte[] parameterState;
    long[] parameterConstant;
    int[] nextParameter;

    // Inlined subroutines.
    int sites;
    long[] siteOrigin;
    /** The subprogram record whose code holds the site, -1 when none (malformed input). */
    int[] siteContainer;
    /** The enclosing inlined subroutine, -1 when the site is directly in its container's code. */
    int[] siteParent;
    int[] siteFile;
    int[] siteLine;

    /**
     * Columns sized for a unit of {@code unitBytes}: gcc's kernel units hold about one subprogram, parameter and
     * inlined subroutine per 600 bytes each, so the columns rarely grow.
     */
    UnitRecords(long unitBytes) {
        int capacity = (int) Math.max(16, Math.min(unitBytes / 512, 1 << 20));
        subprogramOffset = new long[capacity];
        subprogramName = new long[capacity];
        declFile = new int[capacity];
        declLine = new int[capacity];
        origin = new long[capacity];
        specification = new long[capacity];
        flags = new int[capacity];
        entry = new long[capacity];
        entrySection = new int[capacity];
        rangesOffset = new long[capacity];
        firstParameter = new int[capacity];
        lastParameter = new int[capacity];
        parameterOwner = new int[capacity];
        parameterOffset = new long[capacity];
        parameterName = new long[capacity];
        parameterOrigin = new long[capacity];
        parameterState = new byte[capacity];
        parameterConstant = new long[capacity];
        nextParameter = new int[capacity];
        siteOrigin = new long[capacity];
        siteContainer = new int[capacity];
        siteParent = new int[capacity];
        siteFile = new int[capacity];
        siteLine = new int[capacity];
    }

    int addSubprogram(long dieOffset) {
        if (subprograms == subprogramOffset.length) {
            int n = subprograms * 2;
            subprogramOffset = Arrays.copyOf(subprogramOffset, n);
            subprogramName = Arrays.copyOf(subprogramName, n);
            declFile = Arrays.copyOf(declFile, n);
            declLine = Arrays.copyOf(declLine, n);
            origin = Arrays.copyOf(origin, n);
            specification = Arrays.copyOf(specification, n);
            flags = Arrays.copyOf(flags, n);
            entry = Arrays.copyOf(entry, n);
            entrySection = Arrays.copyOf(entrySection, n);
            rangesOffset = Arrays.copyOf(rangesOffset, n);
            firstParameter = Arrays.copyOf(firstParameter, n);
            lastParameter = Arrays.copyOf(lastParameter, n);
        }
        int i = subprograms++;
        subprogramOffset[i] = dieOffset;
        subprogramName[i] = Strings.NONE;
        declFile[i] = -1;
        declLine[i] = -1;
        origin[i] = -1;
        specification[i] = -1;
        flags[i] = 0;
        entry[i] = 0;
        entrySection[i] = -1;
        rangesOffset[i] = -1;
        firstParameter[i] = -1;
        lastParameter[i] = -1;
        return i;
    }

    int addParameter(int owner, long dieOffset) {
        if (parameters == parameterOwner.length) {
            int n = parameters * 2;
            parameterOwner = Arrays.copyOf(parameterOwner, n);
            parameterOffset = Arrays.copyOf(parameterOffset, n);
            parameterName = Arrays.copyOf(parameterName, n);
            parameterOrigin = Arrays.copyOf(parameterOrigin, n);
            parameterState = Arrays.copyOf(parameterState, n);
            parameterConstant = Arrays.copyOf(parameterConstant, n);
            nextParameter = Arrays.copyOf(nextParameter, n);
        }
        int i = parameters++;
        parameterOwner[i] = owner;
        parameterOffset[i] = dieOffset;
        parameterName[i] = Strings.NONE;
        parameterOrigin[i] = -1;
        parameterState[i] = PARAMETER_PLAIN;
        parameterConstant[i] = 0;
        nextParameter[i] = -1;
        if (firstParameter[owner] < 0) {
            firstParameter[owner] = i;
        } else {
            nextParameter[lastParameter[owner]] = i;
        }
        lastParameter[owner] = i;
        return i;
    }

    int addSite(long originOffset, int container, int parent) {
        if (sites == siteOrigin.length) {
            int n = sites * 2;
            siteOrigin = Arrays.copyOf(siteOrigin, n);
            siteContainer = Arrays.copyOf(siteContainer, n);
            siteParent = Arrays.copyOf(siteParent, n);
            siteFile = Arrays.copyOf(siteFile, n);
            siteLine = Arrays.copyOf(siteLine, n);
        }
        int i = sites++;
        siteOrigin[i] = originOffset;
        siteContainer[i] = container;
        siteParent[i] = parent;
        siteFile[i] = -1;
        siteLine[i] = 0;
        return i;
    }

    /** The subprogram record at a global DIE offset, -1 when there is none. */
    int subprogramAt(long dieOffset) {
        int at = Arrays.binarySearch(subprogramOffset, 0, subprograms, dieOffset);
        return at < 0 ? -1 : at;
    }

    boolean contains(long dieOffset) {
        return dieOffset >= offset && dieOffset < end;
    }
}
