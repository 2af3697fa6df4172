// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.CopyPin;
import java.util.Optional;

/**
 * An explicit decision for a referenced symbol: resolve it in {@code object} at {@code sympos}, or, with a
 * {@code pin}, at whatever sympos the pinned copy has in the kernel checked against (so one choice holds for
 * every build: {@code cpumask_weight = vmlinux, near clockevents_program_min_delta}).
 *
 * @param sympos 0 with a pin (the pin decides)
 * @param origin where the choice came from, for messages: {@code --sympos}, {@code choices.txt:3},
 *               {@code .klp.module_relocs.vmlinux[1]}
 */
public record Choice(String object, int sympos, Optional<CopyPin> pin, String origin) {

    public Choice(String object, int sympos, String origin) {
        this(object, sympos, Optional.empty(), origin);
    }

    public static Choice pinned(String object, CopyPin pin, String origin) {
        return new Choice(object, 0, Optional.of(pin), origin);
    }

    /** The right-hand side as users write it: {@code vmlinux:2}, {@code vmlinux, near foo}. */
    public String spec() {
        return pin.map(copy -> object + ", " + copy).orElse(object + ":" + sympos);
    }
}
