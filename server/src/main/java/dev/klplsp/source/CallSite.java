// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Optional;

/**
 * A call in a function body and where it stands, so an edit can take it away without changing what the code
 * around it means: a call that is a whole statement goes ({@link Placement#STATEMENT}), or leaves an empty
 * statement where the grammar needs one; a call inside an expression is replaced by a value.
 *
 * @param callSpan from the callee's name to the closing ')'
 * @param statementSpan the whole statement holding the call, up to its ';' (for EXPRESSION, the statement around it)
 * @param function the function whose body holds the call
 */
public record CallSite(String callee, Span calleeSpan, Span callSpan, Placement placement, Span statementSpan,
        Optional<String> function) {

    public enum Placement {
        /** {@code call(...);} in a list of statements: can simply go. */
        STATEMENT,
        /** {@code if (x) call(...);}, {@code else call(...);}: the body must stay a statement. */
        CONTROL_BODY,
        /** {@code out: call(...);}: a label needs a statement after it. */
        AFTER_LABEL,
        /** {@code ret = call(...)}, {@code return call(...)}, {@code if (call(...))}: the call is a value. */
        EXPRESSION
    }
}
