// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.SymbolBinding;
import dev.klplsp.kernel.SymbolType;
import java.util.Optional;

/**
 * One kernel symbol a reference could mean, with what tells it apart from its namesakes.
 *
 * @param nmLetter the kallsyms type letter (t, T, d...)
 */
public record Candidate(String object, String name, int sympos, SymbolType type, SymbolBinding binding, char nmLetter,
        Optional<String> sourceFile, Optional<String> section, long address, long size, boolean exported) {

    public static Candidate of(KernelSymbol symbol) {
        return new Candidate(symbol.object(), symbol.name(), symbol.sympos(), symbol.type(), symbol.binding(),
                symbol.nmLetter(), symbol.sourceFile(), symbol.section(), symbol.address(), symbol.size(),
                symbol.isExported());
    }

    /** What distinguishes it, as a fix title shows it: {@code vmlinux, manage.c, t, 0xffffffff81660c90}. */
    public String distinction() {
        StringBuilder text = new StringBuilder(object);
        sourceFile.ifPresent(file -> text.append(", ").append(file));
        text.append(", ").append(nmLetter);
        text.append(", 0x").append(Long.toHexString(address));
        return text.toString();
    }
}
