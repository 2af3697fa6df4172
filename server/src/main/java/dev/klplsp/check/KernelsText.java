// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wording of where a finding holds when a livepatch is checked against several kernels, and of a copy's
 * sympos in each of them, for the command line and the editor alike.
 */
public final class KernelsText {
    private KernelsText() {
    }

    /**
     * Where a finding holds: nothing with a single kernel, {@code in all 3 kernels}, or
     * {@code in 6.1.0-56-amd64 (not in 6.1.0-47-amd64, 6.1.0-52-amd64)}.
     */
    public static String holdsIn(List<String> kernels, List<String> all) {
        if (all.size() <= 1) {
            return "";
        }
        if (kernels.containsAll(all)) {
            return "in all " + all.size() + " kernels";
        }
        List<String> others = all.stream().filter(kernel -> !kernels.contains(kernel)).toList();
        return "in " + String.join(", ", kernels) + " (not in " + String.join(", ", others) + ")";
    }

    /** A message that holds only in some kernels says which: {@code message [6.1.0-56-amd64]}. */
    public static String qualified(String message, List<String> kernels, List<String> all) {
        return all.size() <= 1 || kernels.containsAll(all) ? message
                : message + " [" + String.join(", ", kernels) + "]";
    }

    /**
     * A copy's sympos in each kernel, kernels with the same sympos together:
     * {@code sympos 11 in 6.1.0-56-amd64; 10 in 6.1.0-47-amd64, 6.1.0-52-amd64}; a kernel without it says so.
     *
     * @param symposByKernel in kernel order; a negative sympos means the kernel has no such copy
     */
    public static String symposPerKernel(Map<String, Long> symposByKernel) {
        Map<Long, List<String>> grouped = new LinkedHashMap<>();
        symposByKernel.forEach((kernel, sympos) -> grouped.computeIfAbsent(sympos, s -> new ArrayList<>())
                .add(kernel));
        List<String> parts = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<Long, List<String>> group : grouped.entrySet()) {
            String where = String.join(", ", group.getValue());
            parts.add(group.getKey() < 0 ? "none in " + where
                    : (first ? "sympos " : "") + group.getKey() + " in " + where);
            first = first && group.getKey() < 0;
        }
        return String.join("; ", parts);
    }

    /** How a status line counts kernels: {@code 3 kernels}. */
    public static String count(int kernels) {
        return kernels + (kernels == 1 ? " kernel" : " kernels");
    }
}
