// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.source.SourceScan;
import dev.klplsp.source.SourceScanner;
import java.nio.file.Path;

/** One version of a C source the editor has open (or the workspace read from disk), scanned once. */
public record Document(Path path, int version, SourceScan scan) {
    public static Document of(Path path, int version, String text) {
        return new Document(path, version, SourceScanner.scan(text));
    }

    public String text() {
        return scan.text();
    }
}
