// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.base.KlpException;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.SourceScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** One version of a C source the editor has open (or the workspace read from disk), scanned once. */
public record Document(Path path, int version, SourceScan scan) {
    /**
     * The largest C source analysed: a livepatch source is a few kilobytes, the largest kernel .c files a few
     * megabytes; past this a scan would cost more memory than an editor should give it.
     */
    public static final long MAX_SOURCE_BYTES = 8L << 20;

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
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new KlpException(file, attributes.isDirectory() ? "is a directory, not a C source"
                        : "is not a regular file");
            }
            if (attributes.size() > MAX_SOURCE_BYTES) {
                throw new KlpException(file, "is " + attributes.size() + " bytes; C sources larger than "
                        + MAX_SOURCE_BYTES + " bytes are not analysed");
            }
            return of(file.toAbsolutePath().normalize(), 0, new String(Files.readAllBytes(file),
                    StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KlpException(file, "no such file", e);
        } catch (IOException e) {
            throw new KlpException(file, "cannot read: " + e.getMessage(), e);
        }
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
