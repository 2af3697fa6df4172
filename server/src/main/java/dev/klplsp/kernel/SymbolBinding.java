// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

/** The ELF symbol binding (STB_*); from an nm letter: lower case LOCAL, upper case GLOBAL, W/V/w/v WEAK. */
public enum SymbolBinding {
    LOCAL, GLOBAL, WEAK;

    static SymbolBinding fromElf(int stbBind) {
        return switch (stbBind) {
            case 0 -> LOCAL;
            case 2 -> WEAK;
            default -> GLOBAL;
        };
    }

    static SymbolBinding fromNmLetter(char letter) {
        if (letter == 'W' || letter == 'w' || letter == 'V' || letter == 'v') {
            return WEAK;
        }
        return Character.isUpperCase(letter) ? GLOBAL : LOCAL;
    }
}
