// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Arrays;
import java.util.Set;

/**
 * The only code that decides which symbols the kernel counts and in which order (kernel 6.1):
 *
 * <ul>
 * <li>{@code klp_find_object_symbol()} counts every kallsyms entry of the requested object whose name matches
 * and takes the sympos-th (1-based); sympos 0 demands a unique name.</li>
 * <li>vmlinux: {@code kallsyms_on_each_symbol()} walks the kallsyms table in index order. scripts/kallsyms
 * built that table from {@code nm -n} (System.map) output, dropped what {@code is_ignored_symbol()} ignores,
 * and sorted it with {@code compare_symbols()}: by address, then non-weak before weak, then not
 * linker-provided before linker-provided, then fewer leading underscores, then input order. Not ELF
 * .symtab order: 187 duplicated names of Debian's 6.1 vmlinux are in a different order there.</li>
 * <li>modules: {@code module_kallsyms_on_each_symbol()} walks {@code mod->kallsyms} in index order, which is
 * the module's .symtab order filtered by {@code is_core_symbol()} once the module finished its init: defined,
 * with a name, a real section index, and either the per-cpu section or an allocated, non-init section.</li>
 * </ul>
 */
final class Sympos {
    /** Absolute symbols scripts/kallsyms keeps (is_ignored_symbol); every other 'A' symbol is dropped. */
    private static final Set<String> KEPT_ABSOLUTE = Set.of("__kernel_syscall_via_break",
            "__kernel_syscall_via_epc", "__kernel_sigtramp", "__gp");
    private static final Set<String> IGNORED_NAMES = Set.of("kallsyms_addresses", "kallsyms_offsets",
            "kallsyms_relative_base", "kallsyms_num_syms", "kallsyms_names", "kallsyms_markers",
            "kallsyms_token_table", "kallsyms_token_index", "kallsyms_seqs_of_names", "_SDA_BASE_", "_SDA2_BASE_");
    private static final String[] IGNORED_PREFIXES = {"$", ".L", "__crc_", "__efistub_", "__kvm_nvhe_$",
        "__kvm_nvhe_.L", "__AArch64ADRPThunk_", "__ARMV5PILongThunk_", "__ARMV7PILongThunk_",
        "__ThumbV7PILongThunk_", "__LA25Thunk_", "__microLA25Thunk_"};
    private static final String[] IGNORED_SUFFIXES = {"_from_arm", "_from_thumb", "_veneer"};
    private static final String[] IGNORED_INFIXES = {".long_branch.", ".plt_branch."};

    private Sympos() {
    }

    /**
     * Whether scripts/kallsyms {@code is_ignored_symbol()} drops a name regardless of its type. Applied to
     * module symbols too: the kernel keeps {@code .LC0} in module kallsyms, but nothing can name it and
     * dropping it changes no other name's count.
     */
    static boolean isIgnoredName(String name) {
        if (name.isEmpty() || IGNORED_NAMES.contains(name)) {
            return true;
        }
        for (String prefix : IGNORED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        for (String suffix : IGNORED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        for (String infix : IGNORED_INFIXES) {
            if (name.contains(infix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a vmlinux symbol is left out of System.map by scripts/mksysmap (6.1 also drops
     * {@code __kstrtab_*} and {@code __kstrtabns_*}) or out of kallsyms by scripts/kallsyms, which reads it.
     */
    static boolean isIgnoredVmlinuxName(String name) {
        return isIgnoredName(name) || name.startsWith("__kstrtab_") || name.startsWith("__kstrtabns_")
                || name.equals("L0");
    }

    /** Whether scripts/kallsyms keeps a System.map line of this type letter. */
    static boolean keepsNmLetter(char letter, String name) {
        return switch (letter) {
            case 'U', 'u', 'N', 'n', 'w' -> false;
            case 'A', 'a' -> KEPT_ABSOLUTE.contains(name);
            default -> true;
        };
    }

    /** Whether an absolute ELF symbol (SHN_ABS) survives into vmlinux kallsyms. */
    static boolean keepsAbsolute(String name) {
        return KEPT_ABSOLUTE.contains(name);
    }

    /**
     * {@code is_core_symbol()} for a defined, named module symbol in a real section: the per-cpu section
     * always counts (CONFIG_KALLSYMS_ALL), else an allocated section whose name does not start with
     * ".init" ({@code module_init_layout_section()} with CONFIG_MODULE_UNLOAD). The loader clears SHF_ALLOC of
     * .modinfo and __versions before counting, so those never count.
     */
    static boolean isModuleCoreSymbol(String sectionName, boolean allocated) {
        if (sectionName.equals(".data..percpu")) {
            return true;
        }
        if (!allocated || sectionName.equals(".modinfo") || sectionName.equals("__versions")) {
            return false;
        }
        return !sectionName.startsWith(".init");
    }

    /**
     * Sorts vmlinux symbols (given in nm input order) into kallsyms table order with scripts/kallsyms
     * {@code compare_symbols()}.
     */
    static void sortVmlinux(ObjectSymbols symbols) {
        int n = symbols.count;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] addresses = symbols.addresses;
        char[] letters = symbols.letters;
        String[] names = symbols.names;
        Arrays.sort(order, (a, b) -> {
            int byAddress = Long.compareUnsigned(addresses[a], addresses[b]);
            if (byAddress != 0) {
                return byAddress;
            }
            int weakA = letters[a] == 'w' || letters[a] == 'W' ? 1 : 0;
            int weakB = letters[b] == 'w' || letters[b] == 'W' ? 1 : 0;
            if (weakA != weakB) {
                return weakA - weakB;
            }
            int providedA = mayBeLinkerScriptProvided(names[a]) ? 1 : 0;
            int providedB = mayBeLinkerScriptProvided(names[b]) ? 1 : 0;
            if (providedA != providedB) {
                return providedA - providedB;
            }
            int underscoresA = leadingUnderscores(names[a]);
            int underscoresB = leadingUnderscores(names[b]);
            if (underscoresA != underscoresB) {
                return underscoresA - underscoresB;
            }
            return Integer.compare(a, b);
        });
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = order[i];
        }
        symbols.permute(permutation);
    }

    /** scripts/kallsyms {@code may_be_linker_script_provide_symbol()}. */
    static boolean mayBeLinkerScriptProvided(String name) {
        if (name.length() < 8 || !name.startsWith("__")) {
            return false;
        }
        return name.startsWith("__start_") || name.startsWith("__stop_") || name.startsWith("__end_")
                || name.endsWith("_start") || name.endsWith("_end");
    }

    private static int leadingUnderscores(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '_') {
            i++;
        }
        return i;
    }

    /**
     * Assigns sympos to symbols [from, to) of one object, given in the kernel's counting order: 0 for a name
     * counted once, else the 1-based position among the counted same-named symbols; -1 for symbols that are
     * not counted. {@code counts} is a scratch array indexed by name id, all zero on entry and on return.
     */
    static void assign(int[] nameIds, boolean[] counted, int from, int to, int[] sympos, int[] counts) {
        for (int i = from; i < to; i++) {
            if (counted[i]) {
                counts[nameIds[i]]++;
            }
        }
        // counts[id] now holds the total; a duplicated name's entry turns negative and counts down -1, -2...
        for (int i = from; i < to; i++) {
            int id = nameIds[i];
            if (!counted[i]) {
                sympos[i] = -1;
            } else if (counts[id] == 1) {
                sympos[i] = 0;
            } else {
                counts[id] = counts[id] > 1 ? -1 : counts[id] - 1;
                sympos[i] = -counts[id];
            }
        }
        for (int i = from; i < to; i++) {
            counts[nameIds[i]] = 0;
        }
    }
}
