// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

/**
 * The ELF symbol type (STT_*). From System.map or a kallsyms dump only the nm letter is known: text letters
 * (t, T, W, w) are reported as FUNC, data letters as OBJECT, the rest as NOTYPE.
 */
public enum SymbolType {
    NOTYPE, OBJECT, FUNC, TLS, IFUNC, OTHER;

    static SymbolType fromElf(int sttType) {
        return switch (sttType) {
            case 0 -> NOTYPE;
            case 1 -> OBJECT;
            case 2 -> FUNC;
            case 6 -> TLS;
            case 10 -> IFUNC;
            default -> OTHER;
        };
    }

    static SymbolType fromNmLetter(char letter) {
        return switch (Character.toLowerCase(letter)) {
            case 't', 'w' -> FUNC;
            case 'd', 'b', 'r', 'v', 'g', 's' -> OBJECT;
            default -> NOTYPE;
        };
    }
}
