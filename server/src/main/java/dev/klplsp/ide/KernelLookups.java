// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The index queries the editor repeats on every keystroke, memoized for one index. The index is immutable, so
 * an answer never goes stale; "did you mean" walks every name of the kernel and is worth remembering.
 */
final class KernelLookups {
    private final KernelIndex index;
    private final Map<String, List<KernelSymbol>> byName = new ConcurrentHashMap<>();
    private final Map<String, List<KernelSymbol>> byObjectAndName = new ConcurrentHashMap<>();
    private final Map<String, List<KernelSymbol>> clones = new ConcurrentHashMap<>();
    private final Map<String, List<String>> closeNames = new ConcurrentHashMap<>();

    KernelLookups(KernelIndex index) {
        this.index = index;
    }

    KernelIndex index() {
        return index;
    }

    List<KernelSymbol> lookup(String name) {
        return byName.computeIfAbsent(name, index::lookup);
    }

    List<KernelSymbol> lookup(String object, String name) {
        return byObjectAndName.computeIfAbsent(object + "\0" + name, key -> index.lookup(object, name));
    }

    List<KernelSymbol> cloneFamily(String name) {
        return clones.computeIfAbsent(name, index::cloneFamily);
    }

    List<String> closeNames(String name) {
        return closeNames.computeIfAbsent(name, key -> index.closeNames(key, 3));
    }

    Optional<dev.klplsp.kernel.Export> export(String name) {
        return index.export(name);
    }

    /** Whether the index knows what the kernel exports (a Module.symvers or a vmlinux with __ksymtab_ symbols). */
    boolean hasExports() {
        return index.exportCount() > 0;
    }

    boolean isExportedByVmlinux(String name) {
        return index.isExportedByVmlinux(name);
    }
}
