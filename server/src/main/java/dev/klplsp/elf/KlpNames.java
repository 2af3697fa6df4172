// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The livepatch name formats, the one place they are built and parsed (objtool keeps them in {@code klp.h} the
 * same way). Parsed like kernel 6.1 and the klp-convert proposals parse them:
 * <ul>
 * <li>symbol {@code .klp.sym.vmlinux.do_poweroff,2}: {@code klp_resolve_symbols()} scans
 * {@code ".klp.sym.%55[^.].%511[^,],%lu"}: the object has no dot, the name may have dots but ends at the first
 * comma;</li>
 * <li>section {@code .klp.rela.vmlinux..text}: {@code klp_apply_section_relocs()} only reads
 * {@code ".klp.rela.%55[^.]"}; the base section name (with its leading dot, as v7, kpatch and objtool write it)
 * follows;</li>
 * <li>minimal-style symbols {@code .klp.sym.rela.<lp_obj>.<sym_obj>.<name>,<pos>} (v1/v2) and
 * {@code .klp.sym.rela.<lp_obj>.<sym_obj>.<name>.<pos>} (v3, the only form binutils 2.40 assembles); objects
 * never contain a dot, so in the dot form the name is everything between the object and the last dot (v3
 * itself stops at the first dot and so cannot name {@code foo.isra.0}; reading the longer name is a superset).</li>
 * </ul>
 */
public final class KlpNames {
    public static final String SYM_PREFIX = ".klp.sym.";
    public static final String RELA_PREFIX = ".klp.rela.";
    public static final String MINIMAL_PREFIX = ".klp.sym.rela.";
    /** The object name of the core kernel (a module's is its runtime name). */
    public static final String VMLINUX = "vmlinux";
    /** MODULE_NAME_LEN - 1 on 64-bit (the kernel's {@code %55}). */
    public static final int MAX_OBJECT_NAME = 55;
    /** KSYM_NAME_LEN - 1 (the kernel's {@code %511}). */
    public static final int MAX_SYMBOL_NAME = 511;
    /** 2^63 - 1 has 19 digits; a longer position is not one the kernel could mean. */
    private static final int MAX_SYMPOS_DIGITS = 18;

    /** A parsed {@code .klp.sym.<object>.<name>,<sympos>}. */
    public record KlpSymbol(String object, String name, long sympos) {
    }

    /** A parsed minimal-style {@code .klp.sym.rela.<lpObject>.<object>.<name>[,.]<sympos>}. */
    public record MinimalSymbol(String lpObject, String object, String name, long sympos) {
    }

    /** Which of the three symbol name forms a name has. */
    public enum Form {
        /** {@code .klp.sym.<obj>.<name>,<pos>}: what the kernel resolves. */
        KLP_SYM,
        /** {@code .klp.sym.rela.<lp>.<obj>.<name>,<pos>}: minimal v1/v2. */
        MINIMAL_COMMA,
        /** {@code .klp.sym.rela.<lp>.<obj>.<name>.<pos>}: minimal v3. */
        MINIMAL_DOT
    }

    /**
     * The fields of a symbol name as char ranges of it, {@code [start, end)}, for callers that point at a field
     * (the source scanner underlines the one that is wrong).
     *
     * @param lpStart  -1 for {@link Form#KLP_SYM}, which names no livepatched object
     * @param posStart -1 when the name has no position field; else the position runs to the end of the name
     */
    public record Fields(Form form, int lpStart, int lpEnd, int objectStart, int objectEnd, int nameStart,
            int nameEnd, int posStart) {

        public Optional<String> lpObject(String label) {
            return lpStart < 0 ? Optional.empty() : Optional.of(label.substring(lpStart, lpEnd));
        }

        public String object(String label) {
            return label.substring(objectStart, objectEnd);
        }

        public String name(String label) {
            return label.substring(nameStart, nameEnd);
        }

        public Optional<String> pos(String label) {
            return posStart < 0 ? Optional.empty() : Optional.of(label.substring(posStart));
        }
    }

    /** What {@link #split} makes of a name: its fields, or why it has none. */
    public record Split(Optional<Fields> fields, Optional<String> problem) {
        static Split of(Fields fields) {
            return new Split(Optional.of(fields), Optional.empty());
        }

        static Split problem(String problem) {
            return new Split(Optional.empty(), Optional.of(problem));
        }
    }

    private KlpNames() {
    }

    /** {@code .klp.sym.vmlinux.do_poweroff,2}. */
    public static String symbolName(String object, String name, long sympos) {
        // Sized up front (20 digits of a long): a conversion names every converted symbol, and a default-sized
        // builder grew twice per name.
        return new StringBuilder(SYM_PREFIX.length() + object.length() + name.length() + 22).append(SYM_PREFIX)
                .append(object).append('.').append(name).append(',').append(sympos).toString();
    }

    /** {@code .klp.sym.rela.vmlinux.vmlinux.saved_command_line.0}: the dot form {@code KLP_RELOC_SYMBOL_POS} makes. */
    public static String minimalName(String lpObject, String object, String name, String sympos) {
        return MINIMAL_PREFIX + lpObject + "." + object + "." + name + "." + sympos;
    }

    /** {@code .klp.rela.vmlinux..text} for base section {@code .text}. */
    public static String sectionName(String object, String baseSection) {
        return RELA_PREFIX + object + "." + baseSection;
    }

    /** Whether a relocation section is a KLP one: flagged SHF_RELA_LIVEPATCH, or named like one. */
    public static boolean isKlpSection(Section section) {
        return (section.flags() & Elf.SHF_RELA_LIVEPATCH) != 0 || section.name().startsWith(RELA_PREFIX);
    }

    /**
     * Splits a {@code .klp.sym.*} name into its fields without judging them (the position may be missing or not
     * a number; see {@link #parseSympos}). A name without the prefix, or without an object and a name after it,
     * has a problem instead, worded to follow the name: "has no symbol name after the object".
     */
    public static Split split(String label) {
        boolean minimal = label.startsWith(MINIMAL_PREFIX);
        if (!minimal && !label.startsWith(SYM_PREFIX)) {
            return Split.problem("does not start with " + SYM_PREFIX);
        }
        int fieldsStart = minimal ? MINIMAL_PREFIX.length() : SYM_PREFIX.length();
        int lpStart = -1;
        int lpEnd = -1;
        int objectStart = fieldsStart;
        if (minimal) {
            lpEnd = label.indexOf('.', fieldsStart);
            if (lpEnd < 0) {
                return Split.problem("has no symbol object and name after the livepatched object");
            }
            lpStart = fieldsStart;
            objectStart = lpEnd + 1;
        }
        int objectEnd = label.indexOf('.', objectStart);
        if (objectEnd < 0) {
            return Split.problem("has no symbol name after the object");
        }
        int nameStart = objectEnd + 1;
        // The kernel's %511[^,] ends the name at the first comma; the dot form's position is after the last dot.
        int comma = label.indexOf(',', nameStart);
        int separator;
        Form form;
        if (comma >= 0) {
            separator = comma;
            form = minimal ? Form.MINIMAL_COMMA : Form.KLP_SYM;
        } else if (minimal) {
            separator = label.lastIndexOf('.');
            form = Form.MINIMAL_DOT;
            if (separator < nameStart) {
                separator = -1;
            }
        } else {
            separator = -1;
            form = Form.KLP_SYM;
        }
        if (lpStart >= 0 && lpEnd == lpStart || objectEnd == objectStart || nameStart == label.length()
                || separator == nameStart) {
            return Split.problem("has an empty field");
        }
        int nameEnd = separator >= 0 ? separator : label.length();
        return Split.of(new Fields(form, lpStart, lpEnd, objectStart, objectEnd, nameStart, nameEnd,
                separator >= 0 ? separator + 1 : -1));
    }

    /** Parses a symbol name exactly as the kernel's sscanf would accept it; empty when it would not. */
    public static Optional<KlpSymbol> parseSymbol(String symbolName) {
        if (!symbolName.startsWith(SYM_PREFIX)) {
            return Optional.empty();
        }
        int objectStart = SYM_PREFIX.length();
        int objectEnd = symbolName.indexOf('.', objectStart);
        if (objectEnd <= objectStart || objectEnd - objectStart > MAX_OBJECT_NAME) {
            return Optional.empty();
        }
        int comma = symbolName.indexOf(',', objectEnd + 1);
        if (comma <= objectEnd + 1 || comma - objectEnd - 1 > MAX_SYMBOL_NAME) {
            return Optional.empty();
        }
        OptionalLong sympos = parseSympos(symbolName.substring(comma + 1));
        return sympos.isPresent() ? Optional.of(new KlpSymbol(symbolName.substring(objectStart, objectEnd),
                symbolName.substring(objectEnd + 1, comma), sympos.getAsLong())) : Optional.empty();
    }

    /** Parses a minimal-style name in the comma or the dot form; empty when it is neither or has no position. */
    public static Optional<MinimalSymbol> parseMinimal(String symbolName) {
        if (!symbolName.startsWith(MINIMAL_PREFIX)) {
            return Optional.empty();
        }
        Optional<Fields> split = split(symbolName).fields();
        if (split.isEmpty() || split.get().posStart() < 0) {
            return Optional.empty();
        }
        Fields fields = split.get();
        OptionalLong sympos = parseSympos(fields.pos(symbolName).orElse(""));
        return sympos.isPresent() ? Optional.of(new MinimalSymbol(fields.lpObject(symbolName).orElse(""),
                fields.object(symbolName), fields.name(symbolName), sympos.getAsLong())) : Optional.empty();
    }

    /**
     * A position as the kernel's {@code %lu} reads it from a name: ASCII decimal digits only (never another
     * script's digits), the whole field, no sign; empty otherwise or when it does not fit a long.
     */
    public static OptionalLong parseSympos(CharSequence digits) {
        int length = digits.length();
        if (length == 0 || length > MAX_SYMPOS_DIGITS) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            value = value * 10 + (c - '0');
        }
        return OptionalLong.of(value);
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
}
