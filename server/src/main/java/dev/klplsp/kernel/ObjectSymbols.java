// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kallsyms-visible symbols of one object as a reader produced them, columnar, before the index interns
 * them. Vmlinux readers add in any order and {@link Sympos#sortVmlinux} puts them in kallsyms order; module
 * readers add in .symtab order, which is already the kernel's order.
 */
final class ObjectSymbols {
    static final byte INIT = 1;
    static final byte RO_AFTER_INIT = 2;
    static final byte SPECIAL = 4;
    /** A module symbol outside core kallsyms: the kernel forgets it after the module's init. */
    static final byte NOT_COUNTED = 8;

    final String object;
    final Path source;
    /** The release this object was built for (module vermagic), when known. */
    Optional<String> release = Optional.empty();
    final List<Export> exports = new ArrayList<>();

    int count;
    String[] names;
    byte[] types;
    byte[] bindings;
    char[] letters;
    String[] sections;
    byte[] flags;
    long[] addresses;
    long[] sizes;
    String[] files;

    ObjectSymbols(String object, Path source, int expected) {
        this.object = object;
        this.source = source;
        int capacity = Math.max(16, expected);
        names = new String[capacity];
        types = new byte[capacity];
        bindings = new byte[capacity];
        letters = new char[capacity];
        sections = new String[capacity];
        flags = new byte[capacity];
        addresses = new long[capacity];
        sizes = new long[capacity];
        files = new String[capacity];
    }

    void add(String name, SymbolType type, SymbolBinding binding, char letter, String section, int flag,
            long address, long size, String file) {
        if (count == names.length) {
            int capacity = count * 2;
            names = Arrays.copyOf(names, capacity);
            types = Arrays.copyOf(types, capacity);
            bindings = Arrays.copyOf(bindings, capacity);
            letters = Arrays.copyOf(letters, capacity);
            sections = Arrays.copyOf(sections, capacity);
            flags = Arrays.copyOf(flags, capacity);
            addresses = Arrays.copyOf(addresses, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            files = Arrays.copyOf(files, capacity);
        }
        names[count] = name;
        types[count] = (byte) type.ordinal();
        bindings[count] = (byte) binding.ordinal();
        letters[count] = letter;
        sections[count] = section;
        flags[count] = (byte) flag;
        addresses[count] = address;
        sizes[count] = size;
        files[count] = file;
        count++;
    }

    /** Reorders every column by a permutation ({@code order[newIndex] = oldIndex}). */
    void permute(int[] order) {
        names = permuted(names, order);
        sections = permuted(sections, order);
        files = permuted(files, order);
        byte[] t = new byte[count];
        byte[] b = new byte[count];
        byte[] f = new byte[count];
        char[] l = new char[count];
        long[] a = new long[count];
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            int old = order[i];
            t[i] = types[old];
            b[i] = bindings[old];
            f[i] = flags[old];
            l[i] = letters[old];
            a[i] = addresses[old];
            s[i] = sizes[old];
        }
        types = t;
        bindings = b;
        flags = f;
        letters = l;
        addresses = a;
        sizes = s;
    }

    private String[] permuted(String[] column, int[] order) {
        String[] result = new String[count];
        for (int i = 0; i < count; i++) {
            result[i] = column[order[i]];
        }
        return result;
    }

    /** Marks the symbols whose address lies in [start, end) with a flag (e.g. the init area of vmlinux). */
    void flagAddressRange(long start, long end, byte flag) {
        for (int i = 0; i < count; i++) {
            if (Long.compareUnsigned(addresses[i], start) >= 0 && Long.compareUnsigned(addresses[i], end) < 0) {
                flags[i] |= flag;
            }
        }
    }

    /** The address of the first symbol with this name, if any (for boundary symbols like __init_begin). */
    Optional<Long> addressOf(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return Optional.of(addresses[i]);
            }
        }
        return Optional.empty();
    }
}
