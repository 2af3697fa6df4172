// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** One declarator of a declaration, as token indexes (-1 when absent), for the readers that look at it. */
final class Declarator {
    int nameToken = -1;
    boolean isFunction;
    boolean isArray;
    int initStart = -1;
    int initEnd = -1;
    int declaratorEnd = -1;
    AsmLabel asmLabel;
    int relocMacroToken = -1;
    /** {@code __attribute__((alias("f")))}: a prototype that is really a definition. */
    boolean isAlias;
}
