// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfSymbolFile;
import dev.klplsp.elf.ElfSymbolFile.SectionInfo;
import dev.klplsp.elf.ElfSymbolFile.SymbolEntry;
import dev.klplsp.elf.ModinfoEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns the symbol table of a vmlinux or a module ({@link ElfSymbolFile}) into {@link ObjectSymbols}. */
final class ElfSymbolSource {
    /** Sections the kernel interprets itself; a livepatch should not reference their entries. */
    private static final Set<String> SPECIAL_SECTIONS = Set.of("__jump_table", ".static_call_sites",
            ".static_call.text", ".altinstructions", ".altinstr_replacement", ".altinstr_aux", "__ex_table",
            ".parainstructions", "__bug_table", ".orc_unwind", ".orc_unwind_ip", ".orc_header", "__mcount_loc",
            ".retpoline_sites", ".return_sites", ".call_sites", ".ibt_endbr_seal", ".smp_locks", "__param",
            "__modver", ".static_call_tramp_key", "__tracepoints_ptrs", "__tracepoints_strings",
            ".kprobes.text", "_ftrace_events", "_ftrace_eval_map", "__dyndbg", "__dyndbg_classes",
            "__bpf_raw_tp_map", ".gnu.linkonce.this_module", "__patchable_function_entries");
    private static final String[] SPECIAL_PREFIXES = {"__ksymtab", "___ksymtab", "__kcrctab", "___kcrctab",
        "__kstrtab", ".discard"};

    private ElfSymbolSource() {
    }

    static boolean isSpecialSection(String name) {
        if (SPECIAL_SECTIONS.contains(name)) {
            return true;
        }
        for (String prefix : SPECIAL_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * vmlinux (ET_EXEC): what {@code nm -n | scripts/kallsyms} keep — defined, in an allocated section (or one
     * of the few kept absolute symbols), not a section or file symbol, no ignored name — sorted into kallsyms
     * order.
     */
    static ObjectSymbols vmlinux(ElfSymbolFile file) {
        List<SectionInfo> sections = file.sections();
        SectionFacts facts = new SectionFacts(sections, true);
        List<SymbolEntry> entries = file.symbols();
        ObjectSymbols out = new ObjectSymbols(KernelSymbol.VMLINUX, file.path(), entries.size());
        String currentFile = null;
        for (SymbolEntry entry : entries) {
            if (entry.index() == 0) {
                continue;
            }
            if (entry.type() == Elf.STT_FILE) {
                currentFile = entry.name();
                continue;
            }
            if (entry.type() == Elf.STT_SECTION || !entry.isDefined() || Sympos.isIgnoredVmlinuxName(entry.name())) {
                continue;
            }
            int section = -1;
            if (entry.shndx() >= Elf.SHN_LORESERVE || entry.shndx() >= sections.size()) {
                if (entry.shndx() != Elf.SHN_ABS || !Sympos.keepsAbsolute(entry.name())) {
                    continue;
                }
            } else {
                section = entry.shndx();
                if (!facts.allocated[section]) {
                    continue;
                }
            }
            addElfSymbol(out, entry, facts, section, entry.bind() == Elf.STB_LOCAL ? currentFile : null, 0);
        }
        flagVmlinuxRanges(out);
        Sympos.sortVmlinux(out);
        return out;
    }

    /**
     * A module (ET_REL) in .symtab order. Symbols of allocated init sections are kept but flagged
     * NOT_COUNTED (the kernel drops them after the module's init); symbols of non-allocated sections
     * (.modinfo...) are dropped.
     */
    static ObjectSymbols module(ElfSymbolFile file, String moduleName) {
        List<SectionInfo> sections = file.sections();
        SectionFacts facts = new SectionFacts(sections, false);
        List<SymbolEntry> entries = file.symbols();
        ObjectSymbols out = new ObjectSymbols(moduleName, file.path(), entries.size());
        out.release = releaseOf(file.modinfo());
        String currentFile = null;
        for (SymbolEntry entry : entries) {
            if (entry.index() == 0) {
                continue;
            }
            if (entry.type() == Elf.STT_FILE) {
                currentFile = entry.name();
                continue;
            }
            // is_core_symbol(): defined, named, a real section index.
            if (!entry.isDefined() || entry.name().isEmpty() || entry.shndx() >= sections.size()
                    || entry.type() == Elf.STT_SECTION || Sympos.isIgnoredName(entry.name())) {
                continue;
            }
            int section = entry.shndx();
            if (!facts.moduleCore[section] && !facts.moduleInit[section]) {
                continue;
            }
            String sourceFile = entry.bind() == Elf.STB_LOCAL ? currentFile : null;
            addElfSymbol(out, entry, facts, section, sourceFile, facts.moduleCore[section] ? 0
                    : ObjectSymbols.NOT_COUNTED);
        }
        return out;
    }

    /**
     * What the symbols of each section inherit from it, worked out once per section rather than once per symbol
     * (a module has tens of sections and thousands of symbols).
     */
    private static final class SectionFacts {
        final boolean[] allocated;
        /** Module symbols the kernel keeps in core kallsyms ({@link Sympos#isModuleCoreSymbol}). */
        final boolean[] moduleCore;
        /** Allocated .init* sections of a module: kept, but not counted. */
        final boolean[] moduleInit;
        /** {@link ObjectSymbols#INIT}, {@link ObjectSymbols#RO_AFTER_INIT}, {@link ObjectSymbols#SPECIAL}. */
        final int[] flags;
        final List<SectionInfo> sections;

        SectionFacts(List<SectionInfo> sections, boolean vmlinux) {
            int n = sections.size();
            this.sections = sections;
            allocated = new boolean[n];
            moduleCore = new boolean[n];
            moduleInit = new boolean[n];
            flags = new int[n];
            for (int i = 0; i < n; i++) {
                SectionInfo section = sections.get(i);
                String name = section.name();
                allocated[i] = (section.flags() & Elf.SHF_ALLOC) != 0;
                moduleCore[i] = Sympos.isModuleCoreSymbol(name, allocated[i]);
                moduleInit[i] = allocated[i] && name.startsWith(".init");
                int flag = 0;
                if (name.startsWith(".init") || (vmlinux && name.startsWith(".exit"))) {
                    flag |= ObjectSymbols.INIT;
                }
                if (name.equals(".data..ro_after_init")) {
                    flag |= ObjectSymbols.RO_AFTER_INIT;
                }
                if (isSpecialSection(name)) {
                    flag |= ObjectSymbols.SPECIAL;
                }
                flags[i] = flag;
            }
        }
    }

    private static void addElfSymbol(ObjectSymbols out, SymbolEntry entry, SectionFacts facts, int sectionIndex,
            String sourceFile, int extraFlags) {
        SectionInfo section = sectionIndex < 0 ? null : facts.sections.get(sectionIndex);
        String sectionName = section == null ? null : section.name();
        int flags = extraFlags | (sectionIndex < 0 ? 0 : facts.flags[sectionIndex]);
        SymbolBinding binding = SymbolBinding.fromElf(entry.bind());
        out.add(entry.name(), SymbolType.fromElf(entry.type()), binding, nmLetter(entry, section, binding),
                sectionName, flags, entry.value(), entry.size(), sourceFile);
        if (sectionName != null && entry.name().startsWith("__ksymtab_")) {
            String exported = entry.name().substring("__ksymtab_".length());
            String type = sectionName.contains("_gpl") ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL";
            out.exports.add(new Export(exported, out.object, type, Optional.empty()));
        }
    }

    /** The letter nm prints (bfd's decode_section_type), which kallsyms shows too. */
    static char nmLetter(SymbolEntry entry, SectionInfo section, SymbolBinding binding) {
        char letter;
        if (section == null) {
            letter = 'a';
        } else if ((section.flags() & Elf.SHF_EXECINSTR) != 0) {
            letter = 't';
        } else if (section.type() == Elf.SHT_NOBITS) {
            letter = 'b';
        } else if ((section.flags() & Elf.SHF_WRITE) != 0) {
            letter = 'd';
        } else {
            letter = 'r';
        }
        if (binding == SymbolBinding.WEAK) {
            return entry.type() == Elf.STT_OBJECT ? 'V' : 'W';
        }
        return binding == SymbolBinding.GLOBAL ? Character.toUpperCase(letter) : letter;
    }

    /**
     * Flags init and ro_after_init symbols by the boundary symbols the linker script defines, which also
     * works for System.map and kallsyms (x86 links .data..ro_after_init into .rodata, so the section name
     * alone does not tell).
     */
    static void flagVmlinuxRanges(ObjectSymbols out) {
        Optional<Long> initBegin = out.addressOf("__init_begin");
        Optional<Long> initEnd = out.addressOf("__init_end");
        if (initBegin.isPresent() && initEnd.isPresent()) {
            out.flagAddressRange(initBegin.get(), initEnd.get(), ObjectSymbols.INIT);
        }
        Optional<Long> roBegin = out.addressOf("__start_ro_after_init");
        Optional<Long> roEnd = out.addressOf("__end_ro_after_init");
        if (roBegin.isPresent() && roEnd.isPresent()) {
            out.flagAddressRange(roBegin.get(), roEnd.get(), ObjectSymbols.RO_AFTER_INIT);
        }
    }

    /** The release a module was built for: the first word of its vermagic ("6.1.0-56-amd64 SMP ..."). */
    static Optional<String> releaseOf(List<ModinfoEntry> modinfo) {
        for (ModinfoEntry entry : modinfo) {
            if (entry.key().equals("vermagic")) {
                String value = entry.value().strip();
                int space = value.indexOf(' ');
                return Optional.of(space < 0 ? value : value.substring(0, space));
            }
        }
        return Optional.empty();
    }

    /** The runtime module name of a file: basename without .ko/.ko.xz/..., every '-' turned into '_'. */
    static String moduleName(Path file) {
        return moduleName(file.getFileName().toString());
    }

    /**
     * {@link #moduleName(Path)} of a path as a file lists it (Module.symvers, modules.builtin): text, which may hold
     * what no {@link Path} can (a NUL byte), so it is not made one.
     */
    static String moduleName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        if (ko > 0) {
            base = base.substring(0, ko);
        } else {
            int dot = base.indexOf('.');
            if (dot > 0) {
                base = base.substring(0, dot);
            }
        }
        return base.replace('-', '_');
    }
}
