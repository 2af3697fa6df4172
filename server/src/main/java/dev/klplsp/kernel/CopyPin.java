// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One copy of a duplicated name, chosen by what it is rather than by its number, so that one choice holds for
 * every build of a kernel: {@code near clockevents_program_min_delta} (the copy next to that symbol, which is
 * unique in the object, in the order the kernel counts) or {@code file manage.c} (the copy whose source file is
 * that one). {@link #resolve} turns it into a kernel's own copy, whose sympos that kernel then uses.
 *
 * <p>"Next to" is as {@link CopyIdentity} sees a copy: the statics of one object file sit together, between
 * names that are unique in the object. {@code near X} is the copy of the name closest to X among those in the
 * runs of non-unique names right before and right after X.
 *
 * @param value the neighbour's name, or the source file (a path or its last components: {@code lib/foo.c} and
 *              {@code foo.c} both match a copy whose file is {@code foo.c} or {@code .../lib/foo.c})
 */
public record CopyPin(Kind kind, String value) {

    /** How the copy is named. */
    public enum Kind {
        NEAR("near"), FILE("file");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** Why a pin names no copy, or more than one, in a kernel. */
    public enum Problem {
        /** The kernel has no copy of the name in the object at all. */
        NO_COPIES,
        /** {@code near X}: the object has no X. */
        NO_SUCH_NEIGHBOUR,
        /** {@code near X}: X is not unique in the object ({@link Resolution#count} copies). */
        NEIGHBOUR_NOT_UNIQUE,
        /** {@code near X}: no copy of the name sits next to X. */
        NO_COPY_NEAR,
        /** {@code near X}: a copy right before X and one right after it, equally close. */
        TWO_COPIES_NEAR,
        /** {@code file F}: the index knows no source files for these copies (an image, System.map or kallsyms). */
        NO_FILES,
        /** {@code file F}: no copy comes from F ({@link Resolution#files} lists theirs). */
        NO_COPY_IN_FILE,
        /** {@code file F}: {@link Resolution#count} copies come from files named F. */
        SEVERAL_COPIES_IN_FILE
    }

    /**
     * What a pin names in one kernel: the copy, or why there is none.
     *
     * @param count NEIGHBOUR_NOT_UNIQUE: copies of the neighbour; SEVERAL_COPIES_IN_FILE: copies from the file
     * @param files NO_COPY_IN_FILE: the source files the copies do have
     */
    public record Resolution(Optional<KernelSymbol> copy, Optional<Problem> problem, int count, List<String> files) {
        public Resolution {
            files = List.copyOf(files);
        }

        static Resolution found(KernelSymbol copy) {
            return new Resolution(Optional.of(copy), Optional.empty(), 1, List.of());
        }

        static Resolution failed(Problem problem) {
            return new Resolution(Optional.empty(), Optional.of(problem), 0, List.of());
        }

        static Resolution failed(Problem problem, int count, List<String> files) {
            return new Resolution(Optional.empty(), Optional.of(problem), count, files);
        }
    }

    public CopyPin {
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace) && kind == Kind.NEAR) {
            throw new IllegalArgumentException("a pin needs a symbol name or a file, got '" + value + "'");
        }
    }

    public static CopyPin near(String neighbour) {
        return new CopyPin(Kind.NEAR, neighbour);
    }

    public static CopyPin file(String file) {
        return new CopyPin(Kind.FILE, file);
    }

    /** {@code near X} or {@code file F} (either word in any case); empty for anything else. */
    public static Optional<CopyPin> parse(String text) {
        String[] words = text.strip().split("\\s+", 2);
        if (words.length != 2 || words[1].isBlank() || words[1].indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String value = words[1].strip();
        return switch (words[0].toLowerCase(Locale.ROOT)) {
            case "near" -> value.chars().anyMatch(Character::isWhitespace) ? Optional.empty()
                    : Optional.of(near(value));
            case "file" -> Optional.of(file(value));
            default -> Optional.empty();
        };
    }

    /** {@code near clockevents_program_min_delta}, {@code file manage.c}: what {@link #parse} reads. */
    @Override
    public String toString() {
        return kind.word() + " " + value;
    }

    /** The copy of {@code name} in {@code object} this pin names in {@code index}, or why there is none. */
    public Resolution resolve(KernelIndex index, String object, String name) {
        int[] copies = index.countedRows(object, name);
        if (copies.length == 0) {
            return Resolution.failed(Problem.NO_COPIES);
        }
        return kind == Kind.NEAR ? resolveNear(index, object, name) : resolveFile(index, copies);
    }

    /** The row of the copy this pin names among {@code copies} (the name's counted rows), or -1. */
    int resolveRow(KernelIndex index, String object, String name, int[] copies) {
        if (kind == Kind.NEAR) {
            return near(index, object, name).row();
        }
        Resolution resolution = resolveFile(index, copies);
        if (resolution.copy().isEmpty()) {
            return -1;
        }
        int sympos = resolution.copy().get().sympos();
        return copies[sympos == 0 ? 0 : sympos - 1];
    }

    /** Where {@code near X} lands: a row, or (row -1) the problem and, for NEIGHBOUR_NOT_UNIQUE, the count. */
    private record Near(int row, Problem problem, int count) {
    }

    private Near near(KernelIndex index, String object, String name) {
        int[] neighbour = index.countedRows(object, value);
        if (neighbour.length == 0) {
            return new Near(-1, Problem.NO_SUCH_NEIGHBOUR, 0);
        }
        if (neighbour.length > 1) {
            return new Near(-1, Problem.NEIGHBOUR_NOT_UNIQUE, neighbour.length);
        }
        int[] range = index.rowRange(object);
        int at = neighbour[0];
        int before = nearestCopy(index, name, at, -1, range);
        int after = nearestCopy(index, name, at, 1, range);
        if (before < 0 && after < 0) {
            return new Near(-1, Problem.NO_COPY_NEAR, 0);
        }
        if (before >= 0 && after >= 0 && at - before == after - at) {
            return new Near(-1, Problem.TWO_COPIES_NEAR, 2);
        }
        return new Near(after < 0 || before >= 0 && at - before < after - at ? before : after, null, 0);
    }

    private Resolution resolveNear(KernelIndex index, String object, String name) {
        Near near = near(index, object, name);
        return near.row() >= 0 ? Resolution.found(index.symbol(near.row()))
                : Resolution.failed(near.problem(), near.count(), List.of());
    }

    /**
     * The closest row named {@code name} from {@code at} in direction {@code step}, within the run of
     * non-unique names that ends at the next unique one (at most {@link CopyIdentity#MAX_RUN} rows); -1 if none.
     */
    private static int nearestCopy(KernelIndex index, String name, int at, int step, int[] range) {
        int seen = 0;
        for (int row = at + step; row >= range[0] && row < range[1] && seen < CopyIdentity.MAX_RUN; row += step) {
            int sympos = index.symposAt(row);
            if (sympos < 0) {
                continue; // not counted: not part of what the kernel sees
            }
            if (index.nameAt(row).equals(name)) {
                return row;
            }
            if (sympos == 0) {
                return -1; // the next unique name: the end of the run around the neighbour
            }
            seen++;
        }
        return -1;
    }

    private Resolution resolveFile(KernelIndex index, int[] copies) {
        List<Integer> matches = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int row : copies) {
            Optional<String> file = index.fileAt(row);
            file.ifPresent(files::add);
            if (file.isPresent() && sameFile(file.get(), value)) {
                matches.add(row);
            }
        }
        if (files.isEmpty()) {
            return Resolution.failed(Problem.NO_FILES);
        }
        if (matches.isEmpty()) {
            return Resolution.failed(Problem.NO_COPY_IN_FILE, 0, files.stream().distinct().sorted().toList());
        }
        if (matches.size() > 1) {
            return Resolution.failed(Problem.SEVERAL_COPIES_IN_FILE, matches.size(), List.of());
        }
        return Resolution.found(index.symbol(matches.get(0)));
    }

    /**
     * Whether two spellings of a source file can be the same file: one is the other's trailing path components
     * ({@code foo.c} and {@code lib/foo.c}; not {@code oo.c}). An ELF symbol table's STT_FILE holds only the
     * base name; a path from debug information (a compilation unit's DW_AT_name) matches the same way.
     */
    static boolean sameFile(String indexed, String pinned) {
        String a = strip(indexed);
        String b = strip(pinned);
        if (a.equals(b)) {
            return true;
        }
        String longer = a.length() > b.length() ? a : b;
        String shorter = longer == a ? b : a;
        return longer.endsWith("/" + shorter);
    }

    private static String strip(String path) {
        String result = path;
        while (result.startsWith("./")) {
            result = result.substring(2);
        }
        return result;
    }

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof CopyPin that && Objects.equals(kind, that.kind) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value);
    }
}
