// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The identity of a copy across three of Debian's builds (6.1.0-56, -47, -52, each indexed from its vmlinuz
 * alone, as a user without the -dbg packages would): for each of the 146 names whose number of copies
 * differs between -47 and -56, every copy {@link CopyAcross} claims to be the same in two builds must have the
 * same type letter, the same size and the same neighbours. The size of an image-only copy is the kernel's own
 * notion (the distance to the next address, what {@code kallsyms_lookup_size_offset()} reports); the -56 copy's
 * true size comes from its -dbg vmlinux, so a difference is allowed only where it is the padding before an
 * aligned next symbol that both copies fit in.
 */
class CopyIdentityRealTest {
    /** A copy as one kernel's kallsyms table has it: position, address, letter, size to next, neighbours. */
    private record Slot(int position, long address, char letter, long extent, String previous, String next) {
    }

    private static KernelIndex load(KernelSources sources) {
        Path cache = Fixtures.repoRoot().resolve("server/target/real-index-cache");
        return KernelIndexLoader.load(sources, new IndexOptions(Optional.of(cache), true), ProgressListener.NONE);
    }

    /** Every vmlinux symbol by name and sympos, with what the raw table says around it. */
    private static Map<String, Slot> slots(KernelIndex index) {
        List<KernelSymbol> symbols = index.symbolsOf(KernelSymbol.VMLINUX);
        Map<String, Slot> slots = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            KernelSymbol symbol = symbols.get(i);
            long extent = i + 1 < symbols.size() ? symbols.get(i + 1).address() - symbol.address() : -1;
            slots.put(symbol.name() + "," + symbol.sympos(), new Slot(i, symbol.address(), symbol.nmLetter(), extent,
                    i > 0 ? symbols.get(i - 1).name() : "", i + 1 < symbols.size() ? symbols.get(i + 1).name() : ""));
        }
        return slots;
    }

    @Test
    void everyCopyClaimedTheSameHasTheSameTypeSizeAndNeighbours() {
        RealKernel kernel = RealKernel.require();
        Map<String, RealKernel.OtherBuild> others = new HashMap<>();
        kernel.otherBuilds().forEach(build -> others.put(build.release(), build));
        List<TargetKernel> kernels = List.of(
                new TargetKernel("6.1.0-56", load(KernelSources.ofKernel(kernel.vmlinuz().toString()))),
                new TargetKernel("6.1.0-47", load(KernelSources.ofKernel(
                        others.get("6.1.0-47-amd64").vmlinuz().toString()))),
                new TargetKernel("6.1.0-52", load(KernelSources.ofKernel(
                        others.get("6.1.0-52-amd64").vmlinuz().toString()))));
        // The -dbg vmlinux of -56: the true st_size of its copies, by address and name.
        Optional<Path> debug = kernel.debugVmlinux();
        Map<String, Long> trueSize = new HashMap<>();
        debug.ifPresent(vmlinux -> load(KernelSources.ofSymbols(vmlinux)).symbolsOf(KernelSymbol.VMLINUX)
                .forEach(symbol -> trueSize.put(symbol.address() + " " + symbol.name(), symbol.size())));

        List<Map<String, Slot>> slots = kernels.stream().map(target -> slots(target.index())).toList();
        Map<String, Integer> countsIn47 = counts(kernels.get(1).index());
        Map<String, Integer> countsIn56 = counts(kernels.get(0).index());
        List<String> changed = countsIn47.keySet().stream().filter(countsIn56::containsKey)
                .filter(name -> !countsIn47.get(name).equals(countsIn56.get(name))).sorted().toList();
        assertEquals(146, changed.size(), "kernel-facts-2.md: 146 names changed their number of copies");

        Map<String, Integer> stats = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String name : changed) {
            for (CopyAcross row : CopyAcross.of(kernels, KernelSymbol.VMLINUX, name)) {
                List<Integer> present = new ArrayList<>();
                for (int k = 0; k < kernels.size(); k++) {
                    if (row.copies().get(k).isPresent()) {
                        present.add(k);
                    }
                }
                stats.merge("copies in " + present.size() + " kernels", 1, Integer::sum);
                for (int a = 0; a < present.size(); a++) {
                    for (int b = a + 1; b < present.size(); b++) {
                        int ka = present.get(a);
                        int kb = present.get(b);
                        KernelSymbol sa = row.copies().get(ka).get();
                        KernelSymbol sb = row.copies().get(kb).get();
                        Slot x = slots.get(ka).get(name + "," + sa.sympos());
                        Slot y = slots.get(kb).get(name + "," + sb.sympos());
                        String pair = name + " " + kernels.get(ka).name() + " sympos " + sa.sympos() + " = "
                                + kernels.get(kb).name() + " sympos " + sb.sympos();
                        stats.merge("pairs claimed the same", 1, Integer::sum);
                        if (x.letter() != y.letter()) {
                            wrong.add(pair + ": type " + x.letter() + " vs " + y.letter());
                        }
                        if (!x.previous().equals(y.previous()) || !x.next().equals(y.next())) {
                            wrong.add(pair + ": neighbours " + x.previous() + "/" + x.next() + " vs " + y.previous()
                                    + "/" + y.next());
                        }
                        if (x.extent() != y.extent()) {
                            // Only the -56 copy has a true size; the rest of a distance is padding.
                            Long size = ka == 0 ? trueSize.get(x.address() + " " + name) : null;
                            if (size != null && size <= Math.min(x.extent(), y.extent())
                                    && paddingOnly(x, y, size)) {
                                stats.merge("sizes equal but for the padding after them", 1, Integer::sum);
                            } else {
                                wrong.add(pair + ": size " + x.extent() + " vs " + y.extent()
                                        + (size == null ? "" : " (st_size " + size + ")"));
                            }
                        }
                    }
                }
            }
        }
        System.out.println("CopyIdentityRealTest: " + stats);
        assertEquals(List.of(), wrong);
        // Not vacuous: most copies are followed (4,775 pairs when this was written; the rest changed their
        // neighbourhood or, for __func__.N and the like, their name).
        assertTrue(stats.getOrDefault("pairs claimed the same", 0) > 4_500, stats.toString());
        assertTrue(debug.isEmpty() || stats.containsKey("sizes equal but for the padding after them"),
                "the -dbg sizes were used: " + stats);

        // The examples. cpumask_weight: -56 has a 16th copy (kernel/rcu/tasks.h, the 10th), so the copy
        // next to clockevents_program_min_delta is sympos 11 there and 10 in -47 and -52.
        List<CopyAcross> weights = CopyAcross.of(kernels, KernelSymbol.VMLINUX, "cpumask_weight");
        CopyAcross clockevents = weights.stream().filter(row -> row.copies().get(0)
                .filter(copy -> copy.sympos() == 11).isPresent()).findFirst().orElseThrow();
        assertEquals(List.of(11, 10, 10), clockevents.copies().stream().map(copy -> copy.orElseThrow().sympos())
                .toList());
        assertEquals(Optional.of(CopyPin.near("clockevents_program_min_delta")), clockevents.pin());
        CopyAcross tasks = weights.stream().filter(row -> row.copies().get(0)
                .filter(copy -> copy.sympos() == 10).isPresent()).findFirst().orElseThrow();
        assertTrue(tasks.copies().get(1).isEmpty() && tasks.copies().get(2).isEmpty(), tasks.toString());
        // pmus: unique in -47 and -52, two copies in -56; the events/core.c one is the same.
        CopyAcross pmus = CopyAcross.of(kernels, KernelSymbol.VMLINUX, "pmus").get(0);
        assertEquals(List.of(1, 0, 0), pmus.copies().stream().map(copy -> copy.orElseThrow().sympos()).toList());
        assertEquals(Optional.of(CopyPin.near("pmus_lock")), pmus.pin());
    }

    /**
     * Whether two distances to the next symbol differ only by padding: the true size fits both, and each next
     * symbol sits on a boundary of a power of two larger than the difference (its alignment).
     */
    private static boolean paddingOnly(Slot x, Slot y, long size) {
        long difference = Math.abs(x.extent() - y.extent());
        long alignment = Long.highestOneBit(difference) << 1;
        return (x.address() + x.extent()) % alignment == 0 && (y.address() + y.extent()) % alignment == 0
                && size <= Math.min(x.extent(), y.extent());
    }

    private static Map<String, Integer> counts(KernelIndex index) {
        Map<String, Integer> counts = new HashMap<>();
        for (String name : index.distinctNamesOf(KernelSymbol.VMLINUX)) {
            counts.put(name, index.lookup(KernelSymbol.VMLINUX, name).size());
        }
        return counts;
    }
}
