// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where in the module a finding points: a section and an offset in it (a relocation's r_offset, for example),
 * and the symbol involved. {@code section} is the section the bytes are in (the relocation's target, e.g.
 * {@code .text}), not the relocation section.
 */
public record ElfLocation(Path module, String section, long offset, String symbol) {
    /** {@code .text+0x39}. */
    public String describe() {
        return section + "+0x" + Long.toHexString(offset);
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof ElfLocation that && offset == that.offset && Objects.equals(module, that.module)
                && Objects.equals(section, that.section) && Objects.equals(symbol, that.symbol);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, section, offset, symbol);
    }
}
