// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.file.Path;

/** Builds an {@link ElfObject} from bytes; the only class that uses jelf for the model. */
final class ElfReader {
    private ElfReader() {
    }

    static ElfObject read(Path path, byte[] bytes) {
        throw new UnsupportedOperationException("ElfReader: in progress");
    }
}
