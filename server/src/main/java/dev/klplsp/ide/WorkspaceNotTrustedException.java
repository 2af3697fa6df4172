// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

/** A request that writes (a conversion) in a workspace the front end does not trust. */
public final class WorkspaceNotTrustedException extends RuntimeException {
    public WorkspaceNotTrustedException() {
        super("klp.convert is disabled because the workspace is not trusted: converting writes modules. Trust the"
                + " workspace to convert; klp.check still works.");
    }
}
