// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import java.util.Map;

/**
 * What {@link Converter#apply} did.
 *
 * @param klpSections relocations moved per KLP section name, in creation order
 */
public record ConversionSummary(int symbolsConverted, int relocationsMoved, Map<String, Integer> klpSections,
        int sectionsRemoved, int symbolsRemoved) {
    public boolean changed() {
        return symbolsConverted + relocationsMoved + sectionsRemoved + symbolsRemoved > 0;
    }
}
