// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import dev.klplsp.base.KlpException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A file that is not a usable ELF object: truncated, foreign, corrupt or of the wrong type. */
public class ElfFormatException extends KlpException {
    private final OptionalLong offset;

    public ElfFormatException(Path path, String message) {
        this(path, OptionalLong.empty(), message, null);
    }

    /** An error without an offset, e.g. a file that cannot be read (the shape of {@code InputFile.Errors}). */
    public ElfFormatException(Path path, String message, Throwable cause) {
        this(path, OptionalLong.empty(), message, cause);
    }

    public ElfFormatException(Path path, long offset, String message) {
        this(path, OptionalLong.of(offset), message, null);
    }

    public ElfFormatException(Path path, OptionalLong offset, String message, Throwable cause) {
        super(path, offset.isPresent() ? String.format("at offset 0x%x: %s", offset.getAsLong(), message) : message,
                cause);
        this.offset = offset;
    }

    /** The file offset the problem was found at, when one is known. */
    public OptionalLong offset() {
        return offset;
    }
}
