// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.testing.ReadelfDwarf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares an {@link OptimizationIndex} with what readelf shows for the same file ({@link ReadelfDwarf}):
 * every function's inline sites (calling function, call file and line, function of the containing code), its
 * number of out-of-line instances and their DW_AT_low_pc, and the totals.
 */
final class ReadelfComparison {
    private ReadelfComparison() {
    }

    static Optional<FunctionFacts> find(OptimizationIndex index, ReadelfDwarf.Key key) {
        Optional<SourceLine> declaration = key.file() == null ? Optional.empty()
                : Optional.of(new SourceLine(key.file(), key.line()));
        return index.functions(key.name()).stream().filter(f -> f.declaration().equals(declaration)).findFirst();
    }

    static List<String> sites(FunctionFacts facts) {
        List<String> sites = new ArrayList<>();
        for (InlineSite site : facts.inlineSites()) {
            sites.add(ReadelfDwarf.site(site.callingFunction(), site.call().map(SourceLine::file).orElse(null),
                    site.call().map(SourceLine::line).orElse(0),
                    site.container().map(OutOfLineInstance::function).orElse("")));
        }
        sites.sort(null);
        return sites;
    }

    /** The differences, at most {@code limit} of them (empty when the index says what readelf says). */
    static List<String> differences(OptimizationIndex index, ReadelfDwarf oracle, int limit) {
        List<String> differences = new ArrayList<>();
        if (oracle.siteCount != index.inlineSiteCount()) {
            differences.add("inline sites: readelf " + oracle.siteCount + ", index " + index.inlineSiteCount());
        }
        int instances = oracle.instanceCounts.values().stream().mapToInt(Integer::intValue).sum();
        if (instances != index.instanceCount()) {
            differences.add("out-of-line instances: readelf " + instances + ", index " + index.instanceCount());
        }
        for (Map.Entry<ReadelfDwarf.Key, List<String>> entry : oracle.sitesByFunction.entrySet()) {
            if (differences.size() >= limit) {
                return differences;
            }
            Optional<FunctionFacts> facts = find(index, entry.getKey());
            if (facts.isEmpty()) {
                differences.add(entry.getKey() + ": inlined " + entry.getValue().size() + " times, not in the index");
                continue;
            }
            List<String> actual = sites(facts.get());
            if (!actual.equals(entry.getValue())) {
                List<String> missing = new ArrayList<>(entry.getValue());
                actual.forEach(missing::remove);
                List<String> extra = new ArrayList<>(actual);
                entry.getValue().forEach(extra::remove);
                differences.add(entry.getKey() + ": sites differ; readelf only " + head(missing) + "; index only "
                        + head(extra));
            }
        }
        for (Map.Entry<ReadelfDwarf.Key, Integer> entry : oracle.instanceCounts.entrySet()) {
            if (differences.size() >= limit) {
                return differences;
            }
            Optional<FunctionFacts> facts = find(index, entry.getKey());
            int actual = facts.map(f -> f.instances().size()).orElse(0);
            if (actual != entry.getValue()) {
                differences.add(entry.getKey() + ": " + entry.getValue() + " out-of-line instances in readelf, "
                        + actual + " in the index");
                continue;
            }
            Map<Long, Integer> addresses = new HashMap<>();
            facts.get().instances().forEach(i -> addresses.merge(i.address(), 1, Integer::sum));
            for (long lowPc : oracle.lowPcsByFunction.getOrDefault(entry.getKey(), List.of())) {
                if (addresses.merge(lowPc, -1, Integer::sum) < 0) {
                    differences.add(entry.getKey() + String.format(": DW_AT_low_pc 0x%x has no instance at that"
                            + " address in the index %s", lowPc, facts.get().instances()));
                    break;
                }
            }
        }
        return differences;
    }

    private static String head(List<String> values) {
        return values.size() <= 3 ? values.toString() : values.subList(0, 3) + " and " + (values.size() - 3) + " more";
    }
}
