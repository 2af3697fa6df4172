// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

/** Encodes an {@link ElfObject}; keeps unchanged sections at their original offsets. */
final class ElfWriter {
    private final ElfObject object;

    ElfWriter(ElfObject object) {
        this.object = object;
    }

    byte[] write() {
        throw new UnsupportedOperationException("ElfWriter: in progress");
    }
}
