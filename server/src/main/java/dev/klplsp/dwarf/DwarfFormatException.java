// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import dev.klplsp.base.KlpException;
import java.nio.file.Path;

/**
 * Debug information that cannot be read: truncated, corrupt or of a kind this reader does not know. The
 * message names the file, the section and the offset in it: {@code vmlinux: .debug_info at offset 0x1a2b:
 * unknown attribute form 0x99}.
 */
public class DwarfFormatException extends KlpException {
    private final String section;
    private final long offset;

    public DwarfFormatException(Path path, String section, long offset, String message) {
        this(path, section, offset, message, null);
    }

    public DwarfFormatException(Path path, String section, long offset, String message, Throwable cause) {
        super(path, String.format("%s at offset 0x%x: %s", section, offset, message), cause);
        this.section = section;
        this.offset = offset;
    }

    /** The section the problem is in, e.g. {@code .debug_info}. */
    public String section() {
        return section;
    }

    /** The offset in {@link #section()} where reading failed. */
    public long offset() {
        return offset;
    }
}
