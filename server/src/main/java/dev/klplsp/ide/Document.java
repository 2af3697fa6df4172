// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.SourceScanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One version of a C source the editor has open (or the workspace read from disk), scanned once. */
public record Document(Path path, int version, SourceScan scan) {
    /**
     * The largest C source analysed: a livepatch source is a few kilobytes, the largest kernel .c files a few
     * megabytes; past this a scan would cost more memory than an editor should give it.
     */
    public static final long MAX_SOURCE_BYTES = InputFile.C_SOURCE.maxBytes();

    public static Document of(Path path, int version, String text) {
        return new Document(path, version, SourceScanner.scan(text));
    }

    /**
     * Reads a C source from disk: a regular file (not a device, fifo or directory) of at most
     * {@link #MAX_SOURCE_BYTES}; bytes that are not UTF-8 read as U+FFFD, so positions stay on their lines.
     *
     * @throws KlpException naming the file when it is missing, not a regular file, too large or unreadable
     */
    public static Document read(Path file) {
        return of(file.toAbsolutePath().normalize(), 0, new String(InputFile.readAllBytes(file, InputFile.C_SOURCE,
                KlpException::new), StandardCharsets.UTF_8));
    }

    public String text() {
        return scan.text();
    }

    /** Whether a path names a file the source checks read (a .c or .h file). */
    public static boolean isSource(Path file) {
        String name = String.valueOf(file.getFileName());
        return name.endsWith(".c") || name.endsWith(".h");
    }
}
