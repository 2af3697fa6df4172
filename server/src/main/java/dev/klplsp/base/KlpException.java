// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An input error: a file the user gave us that we cannot use (corrupt or foreign ELF, malformed
 * symbol file, missing path). Never used for findings in a livepatch, never for our own bugs.
 * The message always names the file and, where known, the offset or line.
 */
public class KlpException extends RuntimeException {
    private final Path path;

    public KlpException(Path path, String message) {
        this(path, message, null);
    }

    public KlpException(Path path, String message, Throwable cause) {
        super(path == null ? message : path + ": " + message, cause);
        this.path = path;
    }

    /** The file the problem is in, if the problem is tied to one. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }
}
