// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares two vmlinux symbol sources (e.g. System.map and a /proc/kallsyms dump): same build means the same
 * duplicated names with the same counts, and addresses a constant (KASLR) shift apart.
 */
final class VmlinuxCrossCheck {
    private VmlinuxCrossCheck() {
    }

    static Optional<IndexWarning> compare(ObjectSymbols primary, ObjectSymbols other) {
        Map<String, Integer> primaryCounts = counts(primary);
        Map<String, Integer> otherCounts = counts(other);
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : primaryCounts.entrySet()) {
            Integer count = otherCounts.get(entry.getKey());
            if (count != null && !count.equals(entry.getValue())) {
                differing.add(entry.getKey() + " (" + entry.getValue() + " vs " + count + ")");
            }
        }
        int missing = 0;
        for (String name : primaryCounts.keySet()) {
            if (!otherCounts.containsKey(name)) {
                missing++;
            }
        }
        for (String name : otherCounts.keySet()) {
            if (!primaryCounts.containsKey(name)) {
                missing++;
            }
        }
        // Same build: one shift (0 or the KASLR offset) explains nearly every unique symbol's address.
        Map<String, Long> primaryAddress = uniqueAddresses(primary, primaryCounts);
        Map<Long, Integer> shifts = new HashMap<>();
        int compared = 0;
        for (int i = 0; i < other.count; i++) {
            Long address = primaryAddress.get(other.names[i]);
            if (address != null && otherCounts.get(other.names[i]) == 1 && other.addresses[i] != 0) {
                shifts.merge(other.addresses[i] - address, 1, Integer::sum);
                compared++;
            }
        }
        int agreeing = shifts.values().stream().mapToInt(Integer::intValue).max().orElse(compared);
        boolean addressesDisagree = compared > 0 && agreeing < compared * 0.95;
        // A few names only one side has are normal (kallsyms drops kallsyms_* and absolute symbols).
        if (differing.isEmpty() && !addressesDisagree && missing <= 64) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder("vmlinux symbols of " + other.source + " do not match "
                + primary.source + " (different builds?):");
        if (!differing.isEmpty()) {
            message.append(' ').append(differing.size()).append(" names counted differently, e.g. ")
                    .append(String.join(", ", differing.subList(0, Math.min(3, differing.size())))).append(';');
        }
        if (missing > 64) {
            message.append(' ').append(missing).append(" names only in one of them;");
        }
        if (addressesDisagree) {
            message.append(" addresses are not one constant shift apart;");
        }
        message.append(" sympos follow ").append(primary.source.getFileName());
        return Optional.of(IndexWarning.of("mixed-vmlinux-sources", other.source, message.toString()));
    }

    private static Map<String, Integer> counts(ObjectSymbols symbols) {
        Map<String, Integer> counts = new HashMap<>(symbols.count * 2);
        for (int i = 0; i < symbols.count; i++) {
            counts.merge(symbols.names[i], 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Long> uniqueAddresses(ObjectSymbols symbols, Map<String, Integer> counts) {
        Map<String, Long> addresses = new HashMap<>(symbols.count * 2);
        for (int i = 0; i < symbols.count; i++) {
            if (counts.get(symbols.names[i]) == 1) {
                addresses.put(symbols.names[i], symbols.addresses[i]);
            }
        }
        return addresses;
    }
}
