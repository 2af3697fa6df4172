// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Something the index built around rather than failing on: a skipped unreadable module, inputs of different
 * releases, a stub System.map. {@code kind} is a stable kebab-case id.
 */
public record IndexWarning(String kind, Optional<Path> path, String message) {
    public static IndexWarning of(String kind, Path path, String message) {
        return new IndexWarning(kind, Optional.ofNullable(path), message);
    }

    @Override
    public String toString() {
        return path.map(p -> p + ": ").orElse("") + message + " [" + kind + "]";
    }
}
