// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

/**
 * Stable finding codes of the source analysis, anchored at {@code docs/diagnostics.md#<id>}.
 * FIXME(check): replace by dev.klplsp.check.Code once that branch lands; the ids are the same.
 */
public enum Code {
    UNRESOLVED_SYMBOL("unresolved-symbol", Severity.ERROR),
    AMBIGUOUS_SYMBOL("ambiguous-symbol", Severity.ERROR),
    BAD_SYMPOS("bad-sympos", Severity.ERROR),
    FUNCTION_SYMBOL_RISK("function-symbol-risk", Severity.WARNING),
    INIT_SYMBOL("init-symbol", Severity.ERROR),
    INVALID_OBJECT_NAME("invalid-object-name", Severity.ERROR),
    MALFORMED_KLP_NAME("malformed-klp-name", Severity.ERROR);

    private final String id;
    private final Severity defaultSeverity;

    Code(String id, Severity defaultSeverity) {
        this.id = id;
        this.defaultSeverity = defaultSeverity;
    }

    public String id() {
        return id;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public String docAnchor() {
        return "docs/diagnostics.md#" + id;
    }
}
