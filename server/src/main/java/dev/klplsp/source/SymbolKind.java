// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/** Whether a declared name is a function or a variable (an object, in C terms). */
public enum SymbolKind {
    FUNCTION,
    VARIABLE
}
