// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.dwarf;

import java.util.Objects;

/**
 * What an out-of-line copy of a function did to one of its source parameters, as its DWARF says: the
 * concrete DIE of a compiler clone lists the parameters of its abstract origin that it still has.
 *
 * @param position  0-based position in the source declaration
 * @param name      the parameter's source name ("" when DWARF has none)
 * @param kind      what changed
 * @param constant  the value, for {@link Kind#CONSTANT} (the raw DW_AT_const_value, 0 when it is a block)
 */
public record ParameterChange(int position, String name, Kind kind, long constant) {
    public enum Kind {
        /** The copy's DIE does not list the parameter at all: it was removed (IPA-SRA) and its value is lost. */
        DROPPED,
        /** DW_AT_const_value: every caller passed the same constant and the copy has it built in (IPA-CP). */
        CONSTANT,
        /**
         * The location is DW_OP_GNU_parameter_ref: the copy no longer receives the parameter; callers' call
         * sites describe its value (IPA-SRA removed or replaced it, e.g. a pointer by the value it pointed to).
         */
        NOT_PASSED
    }

    public String describe() {
        String what = name.isEmpty() ? "parameter " + (position + 1) : "'" + name + "'";
        return switch (kind) {
            case DROPPED -> what + " dropped";
            case CONSTANT -> what + " replaced by the constant " + constant;
            case NOT_PASSED -> what + " no longer passed";
        };
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterChange that && position == that.position && constant == that.constant
                && Objects.equals(name, that.name) && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, name, kind, constant);
    }
}
