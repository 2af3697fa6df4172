// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

/** The exit codes of every klp-lsp command; only {@link Main} maps outcomes to them. */
public final class ExitCodes {
    /** Success, no error findings. */
    public static final int OK = 0;
    /** Error findings, or a conversion refused because of them. */
    public static final int FINDINGS = 1;
    /** Command-line usage error. */
    public static final int USAGE = 2;
    /** An input could not be used (missing, corrupt, foreign, malformed). */
    public static final int INPUT = 3;
    /** A bug in klp-lsp. */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
