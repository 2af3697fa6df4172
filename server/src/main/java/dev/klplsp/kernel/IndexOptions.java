// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link KernelIndexLoader} uses the cache.
 *
 * @param cacheDir where cache files live; empty means {@link #defaultCacheDir}
 * @param useCache false: always build, never read nor write the cache
 */
public record IndexOptions(Optional<Path> cacheDir, boolean useCache) {
    public static final IndexOptions DEFAULT = new IndexOptions(Optional.empty(), true);
    public static final IndexOptions NO_CACHE = new IndexOptions(Optional.empty(), false);

    /** {@code $XDG_CACHE_HOME/klp-lsp}, else {@code ~/.cache/klp-lsp}. */
    public static Path defaultCacheDir(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
            return Paths.get(xdg, "klp-lsp");
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "klp-lsp");
    }

    public Path effectiveCacheDir() {
        return cacheDir.orElseGet(() -> defaultCacheDir(System.getenv()));
    }
}
