// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * One place where the compiler copied a function's body into other code (DW_TAG_inlined_subroutine).
 *
 * @param container        the out-of-line copy whose code holds the inlined body: the symbol a livepatch would
 *                         have to replace to change that code (empty for malformed debug information)
 * @param callingFunction  the source function whose code makes the call: the container's function, or, when the
 *                         call sits in another inlined body, that body's function
 * @param call             DW_AT_call_file and DW_AT_call_line
 * @param insideOwnCopy    the container is a copy of the inlined function itself (recursion or partial
 *                         inlining): replacing the function replaces this copy too, so it is no other caller
 */
public record InlineSite(Optional<OutOfLineInstance> container, String callingFunction, Optional<SourceLine> call,
        boolean insideOwnCopy) {

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof InlineSite that && Objects.equals(container, that.container)
                && Objects.equals(callingFunction, that.callingFunction) && Objects.equals(call, that.call)
                && insideOwnCopy == that.insideOwnCopy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, callingFunction, call, insideOwnCopy);
    }
}
