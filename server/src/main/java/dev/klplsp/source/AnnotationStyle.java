// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** How a file pins symbols to objects and positions. */
public enum AnnotationStyle {
    /** No annotations yet. */
    NONE,
    /** klp-convert v7: {@code KLP_MODULE_RELOC(obj)} arrays of {@code KLP_SYMPOS(sym, pos)}. */
    V7,
    /** 2024 minimal klp-convert: {@code KLP_RELOC_SYMBOL[_POS]} or {@code .klp.sym.rela.*} asm labels. */
    MINIMAL
}
