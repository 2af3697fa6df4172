// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The optimization indexes of one kernel's objects, each built (or reloaded from the cache) from the debug file
 * {@link DebugInfoLocator} finds for it, on the first request for that object and never again: a check of a
 * patch that touches vmlinux and one module reads those two debug files, not the other 4,000 modules'.
 * Thread-safe; a debug file that cannot be read fails every request for its object with the same exception.
 */
public final class DebugInfoIndexes implements OptimizationFacts {
    private final DebugInfoLocator locator;
    private final IndexOptions options;
    private final Map<String, Optional<OptimizationIndex>> loaded = new ConcurrentHashMap<>();
    private final Map<String, KlpException> failed = new ConcurrentHashMap<>();

    public DebugInfoIndexes(DebugInfoLocator locator, IndexOptions options) {
        this.locator = locator;
        this.options = options;
    }

    /** Where the debug files are looked for. */
    public DebugInfoLocator locator() {
        return locator;
    }

    /** The object's index, built or reloaded now when this is the first request for it. */
    @Override
    public Optional<OptimizationIndex> index(String object) {
        KlpException failure = failed.get(object);
        if (failure != null) {
            throw failure;
        }
        Optional<OptimizationIndex> known = loaded.get(object);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = loaded.get(object);
            if (known != null) {
                return known;
            }
            try {
                Optional<Path> file = locator.find(object);
                Optional<OptimizationIndex> index = file.map(debugFile -> OptimizationIndexLoader.load(debugFile,
                        options));
                loaded.put(object, index);
                return index;
            } catch (KlpException e) {
                failed.put(object, e);
                throw e;
            }
        }
    }

    /** The index when an earlier request loaded it; never loads. */
    public Optional<OptimizationIndex> loaded(String object) {
        return loaded.getOrDefault(object, Optional.empty());
    }

    /** Whether the object was requested already (loaded, found without debug information, or failed). */
    public boolean requested(String object) {
        return loaded.containsKey(object) || failed.containsKey(object);
    }

    /**
     * A fixed view of what is loaded now, which never blocks: a request for an object not requested before
     * answers empty and tells {@code onMiss}, which may load it elsewhere (the editor does, in the background)
     * and take a new view afterwards.
     */
    public OptimizationFacts loadedOnly(Consumer<String> onMiss) {
        Map<String, Optional<OptimizationIndex>> now = Map.copyOf(loaded);
        Set<String> failedNow = Set.copyOf(failed.keySet());
        return object -> {
            Optional<OptimizationIndex> known = now.get(object);
            if (known != null) {
                return known;
            }
            if (!failedNow.contains(object)) {
                onMiss.accept(object);
            }
            return Optional.empty();
        };
    }
}
