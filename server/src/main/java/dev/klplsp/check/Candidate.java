// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.KernelSymbol;
import java.util.Optional;

/**
 * A kernel symbol a reference could resolve to, as a finding lists it.
 *
 * @param sympos    the sympos that names exactly this symbol: 0 when unique in its object, else 1-based;
 *                  -1 for a module symbol no sympos reaches (dropped from kallsyms after the module's init)
 * @param type      FUNC, OBJECT, NOTYPE...
 * @param nmLetter  the kallsyms type letter (t, T, d, b...)
 * @param address   vmlinux: link-time or dumped address; module: section-relative st_value
 */
public record Candidate(String object, String name, int sympos, String type, String binding, char nmLetter,
        Optional<String> sourceFile, Optional<String> section, long address, long size, boolean exported,
        boolean init) {

    public static Candidate of(KernelSymbol symbol) {
        return new Candidate(symbol.object(), symbol.name(), symbol.sympos(), symbol.type().name(),
                symbol.binding().name(), symbol.nmLetter(), symbol.sourceFile(), symbol.section(), symbol.address(),
                symbol.size(), symbol.isExported(), symbol.init());
    }

    /** The choice that selects this candidate. */
    public SymposChoice choice() {
        return new SymposChoice(object, name, sympos);
    }
}
