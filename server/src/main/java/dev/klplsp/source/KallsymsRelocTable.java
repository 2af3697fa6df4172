// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;

/**
 * A file-scope array of run-time lookup entries, {@code static struct klp_kallsyms_reloc klp_funcs[] = {...};},
 * recognized by its struct name or by the shape of its elements (a name string, then the address of a pointer).
 *
 * @param structName the struct tag as written, e.g. {@code klp_kallsyms_reloc}
 * @param declarationSpan the whole declaration including its ';'
 * @param usedElsewhere whether the code names the table anywhere but as the first argument of a call that walks
 *     it (a loop over its entries, say): then its entries cannot simply go
 */
public record KallsymsRelocTable(String name, Span nameSpan, String structName, Span declarationSpan,
        List<KallsymsRelocEntry> entries, boolean usedElsewhere) {
}
