// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

/**
 * The stable finding codes. {@link #id()} is shipped (CLI, JSON, LSP, docs anchor) and never renamed; one entry
 * per code in docs/diagnostics.md, each linking its canonical test.
 */
public enum Code {
    UNRESOLVED_SYMBOL("unresolved-symbol", Severity.ERROR),
    AMBIGUOUS_SYMBOL("ambiguous-symbol", Severity.ERROR),
    BAD_SYMPOS("bad-sympos", Severity.ERROR),
    FUNCTION_SYMBOL_RISK("function-symbol-risk", Severity.WARNING),
    INIT_SYMBOL("init-symbol", Severity.ERROR),
    SPECIAL_SECTION_MODULE_SYMBOL("special-section-module-symbol", Severity.ERROR),
    RELOC_IN_INIT_SECTION("reloc-in-init-section", Severity.ERROR),
    RELOC_IN_NONALLOC_SECTION("reloc-in-nonalloc-section", Severity.ERROR),
    RELOC_TYPE_UNSUPPORTED("reloc-type-unsupported", Severity.ERROR),
    INVALID_OBJECT_NAME("invalid-object-name", Severity.ERROR),
    INVALID_SYMBOL_NAME("invalid-symbol-name", Severity.ERROR),
    MODULE_SECTION_VMLINUX_SYMBOL("module-section-vmlinux-symbol", Severity.ERROR),
    KLP_SYM_IN_NORMAL_RELA("klp-sym-in-normal-rela", Severity.ERROR),
    KLP_SECTION_NOT_ALLOC("klp-section-not-alloc", Severity.ERROR),
    KLP_SECTION_SYMBOL_NOT_LIVEPATCH("klp-section-symbol-not-livepatch", Severity.ERROR),
    MALFORMED_KLP_NAME("malformed-klp-name", Severity.ERROR),
    MALFORMED_ANNOTATION("malformed-annotation", Severity.ERROR),
    NOT_LIVEPATCH_MODULE("not-livepatch-module", Severity.ERROR),
    UNRESOLVED_AFTER_CONVERSION("unresolved-after-conversion", Severity.ERROR),
    EXPORTED_BY_MODULE("exported-by-module", Severity.INFO),
    ANNOTATION_UNUSED("annotation-unused", Severity.WARNING),
    KLP_OBJECT_MISSING("klp-object-missing", Severity.WARNING),
    SIGNATURE_DROPPED("signature-dropped", Severity.INFO),
    NO_EXPORT_DATA("no-export-data", Severity.WARNING),
    RUNTIME_LOOKUP("runtime-lookup", Severity.INFO),
    KALLSYMS_LOOKUP_NAME("kallsyms-lookup-name", Severity.ERROR),
    REPLACED_FUNCTION_INLINED("replaced-function-inlined", Severity.WARNING),
    REPLACED_FUNCTION_CLONED("replaced-function-cloned", Severity.WARNING),
    REPLACED_FUNCTION_ONLY_INLINED("replaced-function-only-inlined", Severity.ERROR),
    FUNCTION_TRANSFORMED("function-transformed", Severity.WARNING),
    PIN_UNRESOLVED("pin-unresolved", Severity.ERROR),
    SYMPOS_MOVED("sympos-moved", Severity.ERROR),
    COPY_UNMATCHED("copy-unmatched", Severity.WARNING);

    private final String id;
    private final Severity defaultSeverity;

    Code(String id, Severity defaultSeverity) {
        this.id = id;
        this.defaultSeverity = defaultSeverity;
    }

    /** The stable kebab-case id, e.g. {@code ambiguous-symbol}. */
    public String id() {
        return id;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** Where the code is explained: {@code docs/diagnostics.md#ambiguous-symbol}. */
    public String docAnchor() {
        return "docs/diagnostics.md#" + id;
    }
}
