// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What makes one copy of a duplicated name the same copy in another build of the kernel, where its sympos may
 * differ (a copy added or removed elsewhere shifts the count): its source file where the index has one (an ELF
 * symbol table's STT_FILE), else its neighbourhood in the order the kernel counts (kallsyms order for vmlinux,
 * {@code .symtab} order for a module). The statics of one object file sit together, so a copy is identified by
 * the nearest names on each side that are unique in the object (its anchors) and the names between it and them.
 *
 * <p>Two copies are the same only when that evidence agrees: the same source file, unique among the copies in
 * both kernels; or, by neighbourhood, both anchors and every name between them and the copy. A copy whose
 * surroundings changed on either side is not claimed to be anything ({@link #sameCopyIn} is empty): a wrong
 * "same" would put a livepatch on the wrong copy, an unknown only asks the author to pin it.
 *
 * <p>Debug information can name a copy's file more precisely than STT_FILE (a compilation unit's path, such as
 * {@code lib/cpumask.c}, instead of a base name): an index whose file column holds such paths makes file
 * identities and {@code file} pins ({@link CopyPin#sameFile}) work unchanged, and more copies identifiable.
 *
 * @param sympos       the copy's sympos in its kernel
 * @param sourceFile   its source file, when the index has one and no other copy of the name shares it
 * @param before       the names before it up to its anchor
 * @param after        the names after it up to its anchor
 * @param pin          a pin that names this copy in its own kernel: its file, else its nearest anchor
 */
public record CopyIdentity(String object, String name, int sympos, Optional<String> sourceFile, Side before,
        Side after, Optional<CopyPin> pin) {

    /** How far a run of non-unique names is followed before a side counts as unanchored. */
    static final int MAX_RUN = 64;

    /**
     * One side of a copy: the nearest name unique in the object ({@code anchor}; empty at the object's edge),
     * and the names between it and the copy, nearest first.
     *
     * @param bounded false when no anchor nor the edge came within {@link #MAX_RUN} names: nothing to compare
     */
    public record Side(Optional<String> anchor, List<String> between, boolean bounded) {
        public Side {
            between = List.copyOf(between);
        }
    }

    /** The identity of the copy of {@code symbol}'s name that {@code symbol} is, in {@code index}. */
    public static Optional<CopyIdentity> of(KernelIndex index, KernelSymbol symbol) {
        if (!symbol.isCounted()) {
            return Optional.empty();
        }
        int[] copies = index.countedRows(symbol.object(), symbol.name());
        int position = symbol.sympos() == 0 ? 0 : symbol.sympos() - 1;
        if (position >= copies.length) {
            return Optional.empty();
        }
        return Optional.of(of(index, symbol.object(), symbol.name(), copies, position));
    }

    private static CopyIdentity of(KernelIndex index, String object, String name, int[] copies, int position) {
        int row = copies[position];
        int[] range = index.rowRange(object);
        Side before = side(index, row, -1, range);
        Side after = side(index, row, 1, range);
        Optional<String> file = index.fileAt(row).filter(own -> {
            for (int other : copies) {
                if (other != row && index.fileAt(other).filter(own::equals).isPresent()) {
                    return false;
                }
            }
            return true;
        });
        int sympos = copies.length == 1 ? 0 : position + 1;
        Optional<CopyPin> pin = file.map(CopyPin::file);
        if (pin.isEmpty()) {
            for (Side side : List.of(before, after)) {
                if (side.anchor().isPresent() && pin.isEmpty()) {
                    CopyPin near = CopyPin.near(side.anchor().get());
                    if (near.resolveRow(index, object, name, copies) == row) {
                        pin = Optional.of(near);
                    }
                }
            }
        }
        return new CopyIdentity(object, name, sympos, file, before, after, pin);
    }

    private static Side side(KernelIndex index, int row, int step, int[] range) {
        List<String> between = new ArrayList<>();
        for (int at = row + step; at >= range[0] && at < range[1]; at += step) {
            int sympos = index.symposAt(at);
            if (sympos < 0) {
                continue;
            }
            if (sympos == 0) {
                return new Side(Optional.of(index.nameAt(at)), between, true);
            }
            if (between.size() == MAX_RUN) {
                return new Side(Optional.empty(), between, false);
            }
            between.add(index.nameAt(at));
        }
        return new Side(Optional.empty(), between, true);
    }

    /** Every copy of {@code name} in {@code object}, in counting order. */
    public static List<CopyIdentity> copies(KernelIndex index, String object, String name) {
        int[] copies = index.countedRows(object, name);
        List<CopyIdentity> result = new ArrayList<>(copies.length);
        for (int i = 0; i < copies.length; i++) {
            result.add(of(index, object, name, copies, i));
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The same copy in another kernel (another build), when the evidence says so: the same source file (unique
     * among the copies there too), else the same neighbourhood on both sides. Empty when that kernel has no such
     * copy or when it cannot be told.
     */
    public Optional<CopyIdentity> sameCopyIn(KernelIndex other) {
        return sameCopyAmong(copies(other, object, name));
    }

    /** {@link #sameCopyIn} among another kernel's {@link #copies} of the name, computed once by the caller. */
    public Optional<CopyIdentity> sameCopyAmong(List<CopyIdentity> theirs) {
        if (sourceFile.isPresent()) {
            List<CopyIdentity> byFile = theirs.stream()
                    .filter(copy -> copy.sourceFile.filter(file -> CopyPin.sameFile(file, sourceFile.get())).isPresent())
                    .toList();
            if (byFile.size() == 1) {
                return Optional.of(byFile.get(0));
            }
        }
        if (!before.bounded || !after.bounded) {
            return Optional.empty();
        }
        List<CopyIdentity> byNeighbours = theirs.stream()
                .filter(copy -> before.equals(copy.before) && after.equals(copy.after)).toList();
        return byNeighbours.size() == 1 ? Optional.of(byNeighbours.get(0)) : Optional.empty();
    }

    /** The copy in its kernel: {@code index} must be the one this identity was made from. */
    public Optional<KernelSymbol> symbolIn(KernelIndex index) {
        int[] copies = index.countedRows(object, name);
        int position = sympos == 0 ? 0 : sympos - 1;
        return position < copies.length ? Optional.of(index.symbol(copies[position])) : Optional.empty();
    }

    /** How a message names the copy: {@code near clockevents_program_min_delta}, {@code file manage.c}. */
    public String describe() {
        if (pin.isPresent()) {
            return pin.get().toString();
        }
        String left = before.anchor.map(anchor -> "after " + anchor).orElse("");
        String right = after.anchor.map(anchor -> "before " + anchor).orElse("");
        return left.isEmpty() && right.isEmpty() ? "sympos " + sympos
                : (left + (left.isEmpty() || right.isEmpty() ? "" : ", ") + right);
    }
}
