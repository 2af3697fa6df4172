// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** What a {@link ScanProblem} is about; {@link #id()} is a stable kebab-case id. */
public enum ProblemKind {
    /** A block comment that runs to the end of the text. */
    UNTERMINATED_COMMENT("unterminated-comment"),
    /** A string or char literal with no closing quote on its line. */
    UNTERMINATED_LITERAL("unterminated-literal"),
    /** A (, [ or { with no partner, or a closer with no opener. */
    UNBALANCED_BRACKET("unbalanced-bracket"),
    /** An #if/#ifdef/#ifndef without #endif. */
    UNTERMINATED_CONDITIONAL("unterminated-conditional"),
    /** An #elif/#else/#endif without #if. */
    STRAY_CONDITIONAL("stray-conditional"),
    /** KLP_SYMPOS(sym) or a relocation label without a position. */
    SYMPOS_MISSING("sympos-missing"),
    /** A position that is not a non-negative integer literal. */
    SYMPOS_NOT_A_NUMBER("sympos-not-a-number"),
    /** KLP_MODULE_RELOC(...) whose argument is not an object name. */
    MODULE_RELOC_OBJECT_SYNTAX("module-reloc-object-syntax"),
    /** An entry of a KLP_MODULE_RELOC array that is not KLP_SYMPOS(symbol, pos). */
    MODULE_RELOC_ENTRY_SYNTAX("module-reloc-entry-syntax"),
    /** KLP_RELOC_SYMBOL[_POS] with the wrong number or kind of arguments. */
    RELOC_SYMBOL_ARGUMENTS("reloc-symbol-arguments"),
    /** An asm label starting with .klp.sym that does not have the expected fields. */
    RELOC_LABEL_MALFORMED("reloc-label-malformed"),
    /** An element of a run-time lookup table that is not { "name", &pointer[, "object"[, sympos]] }. */
    KALLSYMS_RELOC_ENTRY_SYNTAX("kallsyms-reloc-entry-syntax");

    private final String id;

    ProblemKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
