// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** A written object name (vmlinux or a module), kept as written so a '-' can be flagged. */
public record ObjectNameRef(String name, Span span, Origin origin) {
    public enum Origin {
        /** {@code KLP_MODULE_RELOC(name)} */
        MODULE_RELOC,
        /** first argument / field of a minimal relocation annotation */
        RELOC_SYMBOL_LP_OBJECT,
        /** second argument / field of a minimal relocation annotation, or the object of a .klp.sym label */
        RELOC_SYMBOL_OBJECT,
        /** {@code .name = "mod"} of a klp_object */
        KLP_OBJECT,
        /** the object of a run-time lookup table entry, {@code { "sym", &p, "mod" }} */
        KALLSYMS_RELOC_OBJECT
    }
}
