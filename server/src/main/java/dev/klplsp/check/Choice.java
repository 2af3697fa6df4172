// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

/**
 * An explicit decision for a referenced symbol: resolve it in {@code object} at {@code sympos}.
 *
 * @param origin where the choice came from, for messages: {@code --sympos}, {@code choices.txt:3},
 *               {@code .klp.module_relocs.vmlinux[1]}
 */
public record Choice(String object, int sympos, String origin) {
}
