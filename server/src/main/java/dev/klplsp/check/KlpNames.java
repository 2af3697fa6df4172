// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.Optional;

/**
 * The livepatch name formats, built and parsed like kernel 6.1 and the klp-convert proposals do:
 * <ul>
 * <li>symbol {@code .klp.sym.vmlinux.do_poweroff,2} — {@code klp_resolve_symbols()} scans
 * {@code ".klp.sym.%55[^.].%511[^,],%lu"}: the object has no dot, the name may have dots but no comma;</li>
 * <li>section {@code .klp.rela.vmlinux..text} — {@code klp_apply_section_relocs()} only reads
 * {@code ".klp.rela.%55[^.]"}; the base section name (with its leading dot, as v7, kpatch and objtool write it)
 * follows;</li>
 * <li>minimal-style symbols {@code .klp.sym.rela.<lp_obj>.<sym_obj>.<name>,<pos>} (v1/v2) and
 * {@code .klp.sym.rela.<lp_obj>.<sym_obj>.<name>.<pos>} (v3, the only form binutils 2.40 assembles); objects
 * never contain a dot, so in the dot form the name is everything between the object and the last dot.</li>
 * </ul>
 */
public final class KlpNames {
    public static final String SYM_PREFIX = ".klp.sym.";
    public static final String RELA_PREFIX = ".klp.rela.";
    public static final String MINIMAL_PREFIX = ".klp.sym.rela.";
    /** MODULE_NAME_LEN - 1 on 64-bit (the kernel's {@code %55}). */
    public static final int MAX_OBJECT_NAME = 55;
    /** KSYM_NAME_LEN - 1 (the kernel's {@code %511}). */
    public static final int MAX_SYMBOL_NAME = 511;

    /** A parsed {@code .klp.sym.<object>.<name>,<sympos>}. */
    public record KlpSymbol(String object, String name, long sympos) {
    }

    /** A parsed minimal-style {@code .klp.sym.rela.<lpObject>.<object>.<name>[,.]<sympos>}. */
    public record MinimalSymbol(String lpObject, String object, String name, long sympos) {
    }

    private KlpNames() {
    }

    /** {@code .klp.sym.vmlinux.do_poweroff,2}. */
    public static String symbolName(String object, String name, long sympos) {
        return SYM_PREFIX + object + "." + name + "," + sympos;
    }

    /** {@code .klp.rela.vmlinux..text} for base section {@code .text}. */
    public static String sectionName(String object, String baseSection) {
        return RELA_PREFIX + object + "." + baseSection;
    }

    /** Parses a symbol name exactly as the kernel's sscanf would accept it; empty when it would not. */
    public static Optional<KlpSymbol> parseSymbol(String symbolName) {
        if (!symbolName.startsWith(SYM_PREFIX)) {
            return Optional.empty();
        }
        String rest = symbolName.substring(SYM_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot > MAX_OBJECT_NAME) {
            return Optional.empty();
        }
        String object = rest.substring(0, dot);
        String tail = rest.substring(dot + 1);
        int comma = tail.indexOf(',');
        if (comma <= 0 || comma > MAX_SYMBOL_NAME) {
            return Optional.empty();
        }
        Optional<Long> sympos = parsePosition(tail.substring(comma + 1));
        return sympos.map(pos -> new KlpSymbol(object, tail.substring(0, comma), pos));
    }

    /** Parses a minimal-style name in the comma or the dot form; empty when it is neither. */
    public static Optional<MinimalSymbol> parseMinimal(String symbolName) {
        if (!symbolName.startsWith(MINIMAL_PREFIX)) {
            return Optional.empty();
        }
        String rest = symbolName.substring(MINIMAL_PREFIX.length());
        int firstDot = rest.indexOf('.');
        if (firstDot <= 0) {
            return Optional.empty();
        }
        int secondDot = rest.indexOf('.', firstDot + 1);
        if (secondDot <= firstDot + 1) {
            return Optional.empty();
        }
        String lpObject = rest.substring(0, firstDot);
        String object = rest.substring(firstDot + 1, secondDot);
        String tail = rest.substring(secondDot + 1);
        int separator = tail.lastIndexOf(',');
        if (separator < 0) {
            separator = tail.lastIndexOf('.');
        }
        if (separator <= 0) {
            return Optional.empty();
        }
        String name = tail.substring(0, separator);
        return parsePosition(tail.substring(separator + 1)).map(pos -> new MinimalSymbol(lpObject, object, name, pos));
    }

    /** The object of a {@code .klp.rela.<object>.<anything>} section; empty when the kernel's scan fails. */
    public static Optional<String> parseSectionObject(String sectionName) {
        if (!sectionName.startsWith(RELA_PREFIX)) {
            return Optional.empty();
        }
        String rest = sectionName.substring(RELA_PREFIX.length());
        int dot = rest.indexOf('.');
        String object = dot < 0 ? rest : rest.substring(0, dot);
        return object.isEmpty() ? Optional.empty() : Optional.of(object);
    }

    /** Why an object name cannot be used in a KLP name, or empty when it can. */
    public static Optional<String> objectNameProblem(String object) {
        if (object.isEmpty()) {
            return Optional.of("is empty");
        }
        if (object.length() > MAX_OBJECT_NAME) {
            return Optional.of("is " + object.length() + " characters long; the kernel reads at most "
                    + MAX_OBJECT_NAME + " (MODULE_NAME_LEN - 1)");
        }
        if (object.indexOf('.') >= 0) {
            return Optional.of("contains '.', which ends the object field of a KLP name");
        }
        if (object.indexOf('-') >= 0) {
            return Optional.of("contains '-'; the kernel's module name has '_' instead (use "
                    + object.replace('-', '_') + ")");
        }
        return Optional.empty();
    }

    /** Why a symbol name cannot be used in a KLP symbol name, or empty when it can. */
    public static Optional<String> symbolNameProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.indexOf(',') >= 0) {
            return Optional.of("contains ',', which ends the name field of .klp.sym names");
        }
        if (name.length() > MAX_SYMBOL_NAME) {
            return Optional.of("is " + name.length() + " characters long; the kernel reads at most "
                    + MAX_SYMBOL_NAME + " (KSYM_NAME_LEN - 1)");
        }
        return Optional.empty();
    }

    private static Optional<Long> parsePosition(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(digits));
    }
}
