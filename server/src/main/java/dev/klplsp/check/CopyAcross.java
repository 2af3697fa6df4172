// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.CopyIdentity;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One copy of a duplicated name followed through several kernels: the symbol it is in each kernel (by
 * {@link CopyIdentity}: the same source file or the same neighbourhood), and a pin by identity that names exactly
 * that copy in each of them, when one does.
 *
 * @param copies      per kernel, in the order of the kernels: the copy there; empty where that kernel has no
 *                    copy that can be told to be this one
 * @param identity    the copy's identity in the first kernel that has it
 * @param pin         a pin that resolves, in every kernel, to the copy this row says it is there (and to some
 *                    copy where the row knows none); empty when none does
 */
public record CopyAcross(String object, String name, List<Optional<KernelSymbol>> copies, CopyIdentity identity,
        Optional<CopyPin> pin) {

    public CopyAcross {
        copies = List.copyOf(copies);
    }

    /**
     * Every copy of {@code name} in {@code object} across {@code kernels}: the first kernel's copies in counting
     * order, each followed into the others, then the copies only later kernels have (or that cannot be told to be
     * one of the first's).
     */
    public static List<CopyAcross> of(List<TargetKernel> kernels, String object, String name) {
        List<List<CopyIdentity>> perKernel = new ArrayList<>();
        for (TargetKernel kernel : kernels) {
            perKernel.add(CopyIdentity.copies(kernel.index(), object, name));
        }
        List<CopyAcross> rows = new ArrayList<>();
        List<List<Boolean>> taken = new ArrayList<>();
        for (List<CopyIdentity> copies : perKernel) {
            taken.add(new ArrayList<>(Collections.nCopies(copies.size(), false)));
        }
        for (int first = 0; first < kernels.size(); first++) {
            List<CopyIdentity> copies = perKernel.get(first);
            for (int i = 0; i < copies.size(); i++) {
                if (taken.get(first).get(i)) {
                    continue;
                }
                CopyIdentity identity = copies.get(i);
                taken.get(first).set(i, true);
                List<Optional<KernelSymbol>> row = new ArrayList<>(Collections.nCopies(kernels.size(),
                        Optional.empty()));
                row.set(first, identity.symbolIn(kernels.get(first).index()));
                for (int other = first + 1; other < kernels.size(); other++) {
                    Optional<CopyIdentity> same = identity.sameCopyAmong(perKernel.get(other));
                    if (same.isPresent()) {
                        int position = same.get().sympos() == 0 ? 0 : same.get().sympos() - 1;
                        if (!taken.get(other).get(position)) {
                            taken.get(other).set(position, true);
                            row.set(other, same.get().symbolIn(kernels.get(other).index()));
                        }
                    }
                }
                rows.add(new CopyAcross(object, name, row, identity, Optional.empty()));
            }
        }
        List<java.util.Set<KernelSymbol>> claimed = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            java.util.Set<KernelSymbol> symbols = new java.util.HashSet<>();
            for (CopyAcross row : rows) {
                row.copies().get(k).ifPresent(symbols::add);
            }
            claimed.add(symbols);
        }
        List<CopyAcross> pinned = new ArrayList<>(rows.size());
        for (CopyAcross row : rows) {
            pinned.add(new CopyAcross(object, name, row.copies(), row.identity(),
                    pinFor(kernels, object, name, row.identity(), row.copies(), claimed)));
        }
        return Collections.unmodifiableList(pinned);
    }

    /**
     * The first of the copy's own pins (its file, its anchors) that names the row's copy in every kernel, and, in a
     * kernel where the row knows no copy, one no other row claims.
     */
    private static Optional<CopyPin> pinFor(List<TargetKernel> kernels, String object, String name,
            CopyIdentity identity, List<Optional<KernelSymbol>> row, List<java.util.Set<KernelSymbol>> claimed) {
        List<CopyPin> candidates = new ArrayList<>();
        identity.pin().ifPresent(candidates::add);
        identity.sourceFile().map(CopyPin::file).ifPresent(candidates::add);
        identity.before().anchor().map(CopyPin::near).ifPresent(candidates::add);
        identity.after().anchor().map(CopyPin::near).ifPresent(candidates::add);
        for (CopyPin pin : candidates.stream().distinct().toList()) {
            boolean everywhere = true;
            for (int k = 0; k < kernels.size() && everywhere; k++) {
                Optional<KernelSymbol> resolved = pin.resolve(kernels.get(k).index(), object, name).copy();
                everywhere = resolved.isPresent() && (row.get(k).isEmpty() ? !claimed.get(k).contains(resolved.get())
                        : row.get(k).equals(resolved));
            }
            if (everywhere) {
                return Optional.of(pin);
            }
        }
        return Optional.empty();
    }

    /** What a pin resolves to in each kernel (by kernel name; -1 where it names no copy). */
    public static Map<String, Long> resolvedSympos(List<TargetKernel> kernels, String object, String name,
            CopyPin pin) {
        Map<String, Long> result = new LinkedHashMap<>();
        for (TargetKernel kernel : kernels) {
            result.put(kernel.name(), pin.resolve(kernel.index(), object, name).copy()
                    .map(copy -> (long) copy.sympos()).orElse(-1L));
        }
        return result;
    }

    /** Whether the copy has the same sympos in every kernel (so a number names it everywhere). */
    public boolean sameSymposEverywhere() {
        return copies.stream().allMatch(Optional::isPresent)
                && copies.stream().map(copy -> copy.get().sympos()).distinct().count() == 1;
    }

    /** The row whose copy in kernel {@code k} is {@code symbol}. */
    public static Optional<CopyAcross> rowOf(List<CopyAcross> rows, int k, KernelSymbol symbol) {
        return rows.stream().filter(row -> row.copies().get(k).filter(symbol::equals).isPresent()).findFirst();
    }

    /** Whether {@code name} has more than one copy in {@code object} of any of the kernels. */
    public static boolean duplicatedSomewhere(List<TargetKernel> kernels, String object, String name) {
        for (TargetKernel kernel : kernels) {
            KernelIndex index = kernel.index();
            if (index.lookup(object, name).stream().filter(KernelSymbol::isCounted).count() > 1) {
                return true;
            }
        }
        return false;
    }
}
