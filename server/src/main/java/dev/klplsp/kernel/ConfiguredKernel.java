// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kernel as the user configured it (one {@code --kernel} with its files, one entry of the {@code kernels}
 * setting): where its symbols come from, how the user wrote it, and the name they gave it.
 *
 * @param label how the user wrote it, for status lines: {@code 6.1.0-56-amd64}, {@code ../kernel-tree},
 *              {@code System.map, Module.symvers}
 * @param name  the display name the user gave it, if any; findings and output files ({@code {kernel}}) use
 *              {@link #displayNames}
 */
public record ConfiguredKernel(KernelSources sources, String label, Optional<String> name) {

    public ConfiguredKernel withRoot(java.nio.file.Path root) {
        return new ConfiguredKernel(sources.withRoot(root), label, name);
    }

    /**
     * The names of several kernels once indexed: the name the user gave, else the release the index found
     * ({@code 6.1.0-56-amd64}), else the last component of the path the kernel was given as ({@code kernel-next}),
     * else the label. Names are distinct: a release or path component another kernel shares gives way to the label,
     * and a name still taken gets {@code #2}, {@code #3}...
     */
    public static List<String> displayNames(List<ConfiguredKernel> kernels, List<KernelIndex> indexes) {
        List<String> preferred = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            ConfiguredKernel kernel = kernels.get(k);
            Optional<String> release = indexes.get(k).release();
            preferred.add(kernel.name().or(() -> release).orElseGet(kernel::shortLabel));
        }
        Map<String, Integer> counts = new HashMap<>();
        preferred.forEach(name -> counts.merge(name, 1, Integer::sum));
        List<String> names = new ArrayList<>();
        Map<String, Integer> taken = new HashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            ConfiguredKernel kernel = kernels.get(k);
            String name = counts.get(preferred.get(k)) == 1 || kernel.name().isPresent() ? preferred.get(k)
                    : kernel.label();
            int seen = taken.merge(name, 1, Integer::sum);
            names.add(seen == 1 ? name : name + "#" + seen);
        }
        return names;
    }

    /** The last component of the path the kernel was given as, else the label. */
    private String shortLabel() {
        return sources.kernel().filter(kernel -> kernel.contains("/")).map(kernel -> {
            java.nio.file.Path file = java.nio.file.Path.of(kernel).getFileName();
            return file == null ? kernel : file.toString();
        }).orElse(label);
    }
}
