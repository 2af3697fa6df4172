// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import java.nio.file.Path;
import java.util.OptionalInt;

/** A symbol source that cannot be used: malformed line (file:line), unknown format, missing path. */
public class SymbolSourceException extends KlpException {
    private final OptionalInt line;

    public SymbolSourceException(Path path, String message) {
        super(path, message);
        this.line = OptionalInt.empty();
    }

    public SymbolSourceException(Path path, String message, Throwable cause) {
        super(path, message, cause);
        this.line = OptionalInt.empty();
    }

    /** An error at a line of a text source; the message reads {@code path:line: message}. */
    public SymbolSourceException(Path path, int line, String message) {
        super(null, path + ":" + line + ": " + message);
        this.line = OptionalInt.of(line);
    }

    public OptionalInt line() {
        return line;
    }
}
