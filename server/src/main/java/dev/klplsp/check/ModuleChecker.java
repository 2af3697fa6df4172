// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.base.CountingSort;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.KlpNames;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Section;
import dev.klplsp.elf.Symbol;
import dev.klplsp.elf.SymbolTable;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SymbolType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a built livepatch module against a kernel's symbols and plans its conversion.
 *
 * <p>A reference needs a KLP relocation when its symbol is undefined in the module, not {@code .TOC.}, and not
 * exported by vmlinux (the module loader resolves those). Symbols exported by a module are left to the module
 * loader unless {@link CheckConfig#convertModuleExports()}. Object and sympos come, in this order, from an
 * explicit choice, a minimal-style symbol name, a v7 {@code KLP_SYMPOS} annotation, or a unique name in the
 * index. Already converted parts ({@code .klp.rela.*}, {@code .klp.sym.*}) are verified with the same checks.
 */
public final class ModuleChecker {
    /** Sections the kernel or the module loader interprets at livepatch load, before late KLP relocations. */
    private static final Set<String> SPECIAL_SECTIONS = Set.of("__jump_table", ".static_call_sites",
            ".altinstructions", ".altinstr_replacement", ".parainstructions", ".smp_locks", "__ex_table",
            ".retpoline_sites", ".return_sites", ".call_sites", ".ibt_endbr_seal", "__bug_table", "__mcount_loc",
            ".orc_unwind_ip", ".orc_unwind", "__patchable_function_entries", ".static_call.text", "__tracepoints",
            "__tracepoints_ptrs", "__dyndbg", "__param", ".kprobes.text", "_error_injection_whitelist");
    private static final Pattern COLD = Pattern.compile(".*\\.cold(\\.\\d+)?$");
    static final String ANNOTATION_PREFIX = ".klp.module_relocs.";
    /** sizeof(struct klp_module_reloc): a pointer unioned with a u64, then a u32 sympos, packed. */
    private static final int ANNOTATION_ENTRY_SIZE = 12;

    private final ElfObject module;
    private final KernelIndex index;
    private final CheckConfig config;
    private final List<Finding> findings = new ArrayList<>();
    private SymbolTable symtab;
    /** Relocations against undefined symbols, by symbol. */
    private Uses references;
    /** Relocations in KLP sections already in the module, by symbol. */
    private Uses klpReferences;
    private final Map<String, Annotation> annotations = new LinkedHashMap<>();
    private final List<ConversionPlan.SymbolConversion> conversions = new ArrayList<>();
    private final List<ConversionPlan.SectionRef> removedSections = new ArrayList<>();
    private final List<ConversionPlan.SymbolRef> removedSymbols = new ArrayList<>();
    private String moduleName;

    /** A relocation against a symbol and the section it patches. */
    private record Reference(RelocationSection relocations, Relocation relocation) {
        Section target() {
            return relocations.target();
        }
    }

    /**
     * The relocations against each symbol, in file order, grouped by symbol-table index: collected in file order,
     * then counting-sorted so that symbol i's are entries [start[i], start[i + 1]). Arrays rather than an object
     * or a list per relocation, indexed rather than hashed, grouped rather than linked: a module has a relocation
     * or two per symbol, and the check reads them symbol by symbol, which is not the order of the relocations.
     */
    private static final class Uses {
        private final int symbolCount;
        private int[] symbolOf;
        private RelocationSection[] sections;
        private Relocation[] relocations;
        private int size;
        private int[] start;

        Uses(int symbols, int capacity) {
            symbolCount = symbols;
            symbolOf = new int[capacity];
            sections = new RelocationSection[capacity];
            relocations = new Relocation[capacity];
        }

        void add(int symbol, RelocationSection section, Relocation relocation) {
            symbolOf[size] = symbol;
            sections[size] = section;
            relocations[size] = relocation;
            size++;
        }

        /** Groups what was added by symbol (stable: file order within a symbol); call once, after the adds. */
        void group() {
            start = new int[symbolCount + 1];
            int[] order = CountingSort.order(java.util.Arrays.copyOf(symbolOf, size), symbolCount, start);
            RelocationSection[] groupedSections = new RelocationSection[size];
            Relocation[] groupedRelocations = new Relocation[size];
            for (int at = 0; at < size; at++) {
                groupedSections[at] = sections[order[at]];
                groupedRelocations[at] = relocations[order[at]];
            }
            sections = groupedSections;
            relocations = groupedRelocations;
            symbolOf = null;
        }

        boolean any(int symbol) {
            return start[symbol + 1] > start[symbol];
        }

        List<Reference> of(int symbol) {
            int from = start[symbol];
            int count = start[symbol + 1] - from;
            if (count == 0) {
                return List.of();
            }
            Reference[] all = new Reference[count];
            for (int i = 0; i < count; i++) {
                all[i] = new Reference(sections[from + i], relocations[from + i]);
            }
            return List.of(all);
        }
    }

    /** A v7 annotation: object and sympos for a name, from {@code .klp.module_relocs.<object>} entry i. */
    private record Annotation(String name, String object, long sympos, String origin, Symbol symbol,
            Optional<ElfLocation> location) {
    }

    private ModuleChecker(ElfObject module, KernelIndex index, CheckConfig config) {
        this.module = module;
        this.index = index;
        this.config = config;
    }

    /** Checks {@code module}; pure: reads the model and the index, changes neither. */
    public static CheckResult check(ElfObject module, KernelIndex index, CheckConfig config) {
        ModuleChecker checker = new ModuleChecker(module, index, config);
        checker.run();
        return new CheckResult(checker.findings,
                new ConversionPlan(checker.conversions, checker.removedSections, checker.removedSymbols));
    }

    private void run() {
        requireRelaOnly();
        if (module.modinfo("livepatch").isEmpty()) {
            add(Code.NOT_LIVEPATCH_MODULE, "module has no 'livepatch' entry in .modinfo"
                    + " (MODULE_INFO(livepatch, \"Y\")): the kernel will not treat it as a livepatch", null, null,
                    Optional.empty(), List.of(), List.of(),
                    Optional.of("module " + moduleName() + " is not marked as a livepatch module"));
        }
        module.signature().ifPresent(signature -> add(Code.SIGNATURE_DROPPED,
                "the module's signature (" + signature.length() + " bytes) is dropped by a conversion; sign the"
                        + " converted module again if the kernel enforces signatures", null, null, Optional.empty(),
                List.of(), List.of(), Optional.empty()));
        if (index.exportCount() == 0) {
            add(Code.NO_EXPORT_DATA, "the kernel index knows no exports (give its Module.symvers,"
                    + " or a vmlinux with __ksymtab_ symbols): exported symbols such as _printk would be"
                    + " converted too", null, null, Optional.empty(), List.of(), List.of(), Optional.empty());
        }
        Optional<SymbolTable> table = module.symbolTable();
        if (table.isEmpty()) {
            return;
        }
        symtab = table.get();
        collectReferences();
        readAnnotations();
        checkKlpSections();
        List<Symbol> symbols = symtab.symbols();
        for (int i = 1; i < symbols.size(); i++) {
            Symbol symbol = symbols.get(i);
            if (symbol.specialIndex() == Elf.SHN_LIVEPATCH && symbol.section() == null) {
                verifyLivepatchSymbol(symbol);
            } else if (!symbol.isDefined() && !symbol.name().isEmpty()) {
                checkUndefined(i, symbol);
            }
        }
        checkUnusedAnnotations();
        checkKlpObjects();
        checkReplacedFunctions();
    }

    /**
     * Livepatch applies KLP relocations with {@code apply_relocate_add()}, which only takes SHT_RELA; every
     * architecture with livepatch support (x86_64, arm64, ppc64le, s390x) uses RELA. A module with SHT_REL
     * sections (32-bit x86 or arm) cannot be a livepatch for any of them, so it is refused as foreign input.
     */
    private void requireRelaOnly() {
        for (RelocationSection relocations : module.relocationSections()) {
            if (!relocations.isRela()) {
                throw new KlpException(module.path(), relocations.name() + " holds SHT_REL relocations: livepatch"
                        + " applies KLP relocations as SHT_RELA only (x86_64, arm64, ppc64le, s390x); is this a"
                        + " 32-bit object?");
            }
        }
    }

    /**
     * A {@code .klp.rela.<M>.*} section is applied only when the patch has a klp_object named M. Its name is a string
     * in the module's data, so when no allocated section holds "M" as a whole NUL-terminated string, no klp_object
     * can be named M and the relocations would silently never be applied.
     */
    private void checkKlpObjects() {
        Set<String> objects = new java.util.TreeSet<>();
        for (ConversionPlan.SymbolConversion conversion : conversions) {
            objects.add(conversion.lpObject());
        }
        for (RelocationSection relocations : module.relocationSections()) {
            if (KlpNames.isKlpSection(relocations)) {
                KlpNames.parseSectionObject(relocations.name()).ifPresent(objects::add);
            }
        }
        objects.remove(KernelSymbol.VMLINUX);
        for (String object : objects) {
            if (!hasString(object)) {
                add(Code.KLP_OBJECT_MISSING, "KLP relocations for object " + object
                        + " are applied only when the patch has a klp_object named \"" + object
                        + "\", but the module contains no such string", null, object, Optional.empty(), List.of(),
                        List.of(), Optional.empty());
            }
        }
    }

    private boolean hasString(String string) {
        byte[] wanted = (string + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Section section : module.sections()) {
            if (!section.isAlloc() || section.type() == Elf.SHT_NOBITS || section.name().equals(".modinfo")) {
                continue;
            }
            byte[] data = section.data();
            for (int at = 0; at + wanted.length <= data.length; at++) {
                if ((at == 0 || data[at - 1] == 0) && java.util.Arrays.equals(data, at, at + wanted.length, wanted,
                        0, wanted.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The module's name as the kernel prints it; asked once per relocation checked, so worked out once. */
    private String moduleName() {
        if (moduleName == null) {
            moduleName = module.modinfo("name").orElseGet(() -> {
                String file = module.path().getFileName().toString();
                int dot = file.indexOf('.');
                return (dot > 0 ? file.substring(0, dot) : file).replace('-', '_');
            });
        }
        return moduleName;
    }

    private void collectReferences() {
        int normal = 0;
        int klp = 0;
        for (RelocationSection relocations : module.relocationSections()) {
            if (KlpNames.isKlpSection(relocations)) {
                klp += relocations.relocations().size();
            } else {
                normal += relocations.relocations().size();
            }
        }
        references = new Uses(symtab.symbols().size(), normal);
        klpReferences = new Uses(symtab.symbols().size(), klp);
        // Each symbol's kind, in one pass in symbol order: the relocation loop below reads a byte per relocation
        // instead of following each relocation to its symbol (relocations are not in symbol order).
        List<Symbol> symbols = symtab.symbols();
        byte[] kinds = new byte[symbols.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kindOf(symbols.get(i));
        }
        for (RelocationSection relocations : module.relocationSections()) {
            Section target = relocations.target();
            boolean annotation = target != null && target.name().startsWith(ANNOTATION_PREFIX);
            if (KlpNames.isKlpSection(relocations)) {
                for (Relocation relocation : relocations.relocations()) {
                    int symbol = symtab.indexOfSymbol(relocation);
                    if (symbol >= 0) {
                        klpReferences.add(symbol, relocations, relocation);
                    }
                }
                continue;
            }
            if (annotation) {
                continue;
            }
            for (Relocation relocation : relocations.relocations()) {
                int index = symtab.indexOfSymbol(relocation);
                Symbol symbol = relocation.symbol();
                byte kind = index >= 0 ? kinds[index] : symbol == null ? DEFINED : kindOf(symbol);
                if (kind == LIVEPATCH) {
                    add(Code.KLP_SYM_IN_NORMAL_RELA, "livepatch symbol " + symbol.name()
                            + " is referenced from the normal relocation section " + relocations.name()
                            + ": the module loader resolves it to 0 and the code oopses when it runs",
                            symbol.name(), null, location(target, relocation.offset(), symbol.name()), List.of(),
                            List.of(), Optional.empty());
                } else if (kind == UNDEFINED && index >= 0) {
                    references.add(index, relocations, relocation);
                }
            }
        }
        references.group();
        klpReferences.group();
    }

    /** {@link #kindOf}: a symbol defined in the module (or SHN_ABS/SHN_COMMON). */
    private static final byte DEFINED = 0;
    /** {@link #kindOf}: a SHN_LIVEPATCH symbol. */
    private static final byte LIVEPATCH = 1;
    /** {@link #kindOf}: an undefined symbol, one a conversion may turn into a KLP symbol. */
    private static final byte UNDEFINED = 2;

    private static byte kindOf(Symbol symbol) {
        if (symbol.specialIndex() == Elf.SHN_LIVEPATCH && symbol.section() == null) {
            return LIVEPATCH;
        }
        return symbol.isDefined() ? DEFINED : UNDEFINED;
    }

    private void readAnnotations() {
        for (Section section : module.sections()) {
            if (!section.name().startsWith(ANNOTATION_PREFIX)) {
                continue;
            }
            String object = section.name().substring(ANNOTATION_PREFIX.length());
            Optional<String> kept = keptByOthers(section);
            if (section.type() != Elf.SHT_PROGBITS || kept.isPresent()) {
                // A conversion drops the table; it can only drop a data section nothing else needs.
                add(Code.MALFORMED_ANNOTATION, section.name() + " cannot be a klp_module_reloc"
                        + " table: " + kept.orElse("it is " + Elf.sectionTypeName(section.type())
                        + ", not SHT_PROGBITS"), null, object, location(section, 0, null), List.of(), List.of(),
                        Optional.empty());
                continue;
            }
            removedSections.add(new ConversionPlan.SectionRef(module.indexOf(section), section.name()));
            checkObjectName(object, null, Optional.of(new ElfLocation(module.path(), section.name(), 0, null)));
            byte[] data = section.data();
            if (data.length % ANNOTATION_ENTRY_SIZE != 0) {
                add(Code.MALFORMED_ANNOTATION, section.name() + " is " + data.length
                        + " bytes, not a multiple of sizeof(struct klp_module_reloc) = 12", null, object,
                        location(section, 0, null), List.of(), List.of(), Optional.empty());
                continue;
            }
            ByteBuffer buffer = ByteBuffer.wrap(data).order(module.byteOrder());
            for (RelocationSection relocations : module.relocationSectionsFor(section)) {
                for (Relocation relocation : relocations.relocations()) {
                    long offset = relocation.offset();
                    Symbol symbol = relocation.symbol();
                    // Pair by offset (entry i starts at 12 * i): robust against relocation order.
                    if (offset < 0 || offset % ANNOTATION_ENTRY_SIZE != 0
                            || offset + ANNOTATION_ENTRY_SIZE > data.length || symbol == null) {
                        add(Code.MALFORMED_ANNOTATION, "relocation at " + section.name() + "+0x"
                                + Long.toHexString(offset) + " is not the pointer of a klp_module_reloc entry",
                                symbol == null ? null : symbol.name(), object, location(section, offset, null),
                                List.of(), List.of(), Optional.empty());
                        continue;
                    }
                    long sympos = Integer.toUnsignedLong(buffer.getInt((int) offset + 8));
                    String origin = section.name() + "[" + offset / ANNOTATION_ENTRY_SIZE + "]";
                    Annotation annotation = new Annotation(symbol.name(), object, sympos, origin, symbol,
                            location(section, offset, symbol.name()));
                    Annotation previous = annotations.get(symbol.name());
                    if (previous == null) {
                        annotations.put(symbol.name(), annotation);
                    } else if (!previous.object().equals(object) || previous.sympos() != sympos) {
                        add(Code.BAD_SYMPOS, SymposText.conflicting(symbol.name(), List.of(previous.object() + ","
                                + previous.sympos() + " (" + previous.origin() + ")", object + "," + sympos + " ("
                                + origin + ")")), symbol.name(), object,
                                annotation.location(), List.of(), List.of(), Optional.empty());
                    }
                }
            }
        }
    }

    /**
     * What, outside an annotation table and its relocation sections, refers to them by sh_link, sh_info or group
     * membership (the writer could not drop them then); empty when nothing does.
     */
    private Optional<String> keptByOthers(Section table) {
        Set<Section> dropped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        dropped.add(table);
        dropped.addAll(module.relocationSectionsFor(table));
        for (Section other : module.sections()) {
            if (dropped.contains(other)) {
                continue;
            }
            boolean member = other instanceof dev.klplsp.elf.GroupSection group
                    && group.members().stream().anyMatch(dropped::contains);
            if (dropped.contains(other.link()) || dropped.contains(other.infoSection()) || member) {
                return Optional.of(other.name() + " refers to it (sh_link, sh_info or group)");
            }
        }
        return Optional.empty();
    }

    private void checkUnusedAnnotations() {
        for (Annotation annotation : annotations.values()) {
            Symbol symbol = annotation.symbol();
            int symbolIndex = symtab.indexOf(symbol);
            if (symbolIndex >= 0 && references.any(symbolIndex)) {
                continue;
            }
            add(Code.ANNOTATION_UNUSED, "annotation KLP_SYMPOS(" + annotation.name() + ", "
                    + annotation.sympos() + ") for object " + annotation.object() + " matches no relocation",
                    annotation.name(), annotation.object(), annotation.location(), List.of(), List.of(),
                    Optional.empty());
            if (!symbol.isDefined() && symbol.specialIndex() != Elf.SHN_LIVEPATCH) {
                // Left undefined it would make the module loader fail with "Unknown symbol".
                if (symbolIndex >= 0) {
                    removedSymbols.add(new ConversionPlan.SymbolRef(symbolIndex, symbol.name()));
                }
            }
        }
    }

    /** Verifies KLP sections already in the module: flags, name, and that they reference livepatch symbols only. */
    private void checkKlpSections() {
        for (RelocationSection relocations : module.relocationSections()) {
            if (!KlpNames.isKlpSection(relocations)) {
                continue;
            }
            String name = relocations.name();
            Optional<String> object = KlpNames.parseSectionObject(name);
            Optional<ElfLocation> where = Optional.of(new ElfLocation(module.path(), name, 0, null));
            if (object.isEmpty()) {
                add(Code.MALFORMED_KLP_NAME, "section " + name + " has SHF_RELA_LIVEPATCH but is not"
                        + " named .klp.rela.<object>.<section>", null, null, where, List.of(), List.of(),
                        Optional.of("section " + name + " has an incorrectly formatted name"));
                continue;
            }
            if ((relocations.flags() & Elf.SHF_RELA_LIVEPATCH) == 0) {
                add(Code.MALFORMED_KLP_NAME, "section " + name + " is named like a KLP relocation"
                        + " section but lacks SHF_RELA_LIVEPATCH: the module loader applies it as a normal one",
                        null, object.get(), where, List.of(), List.of(), Optional.empty());
            }
            if (!relocations.isAlloc()) {
                add(Code.KLP_SECTION_NOT_ALLOC, "KLP section " + name + " lacks SHF_ALLOC: the"
                        + " kernel reads its freed load image when " + object.get() + " loads (page fault)", null,
                        object.get(), where, List.of(), List.of(), Optional.empty());
            }
            checkObjectName(object.get(), null, where);
            Set<Symbol> reported = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Relocation relocation : relocations.relocations()) {
                Symbol symbol = relocation.symbol();
                if (symbol == null || !reported.add(symbol)) {
                    continue;
                }
                Optional<ElfLocation> at = location(relocations.target(), relocation.offset(), symbol.name());
                if (symbol.specialIndex() != Elf.SHN_LIVEPATCH || symbol.section() != null) {
                    add(Code.KLP_SECTION_SYMBOL_NOT_LIVEPATCH, "symbol " + symbol.displayName()
                            + " in KLP section " + name + " is not SHN_LIVEPATCH", symbol.displayName(),
                            object.get(), at, List.of(), List.of(),
                            Optional.of("symbol " + symbol.displayName() + " is not marked as a livepatch symbol"));
                    continue;
                }
                Optional<KlpNames.KlpSymbol> parsed = KlpNames.parseSymbol(symbol.name());
                if (parsed.isPresent() && !object.get().equals(KernelSymbol.VMLINUX)
                        && parsed.get().object().equals(KernelSymbol.VMLINUX)) {
                    add(Code.MODULE_SECTION_VMLINUX_SYMBOL, "module-specific KLP section " + name
                            + " references vmlinux symbol " + parsed.get().name(), parsed.get().name(),
                            object.get(), at, List.of(), List.of(), Optional.of("invalid access to vmlinux symbol '"
                                    + parsed.get().name() + "' from module-specific livepatch relocation section"));
                }
            }
        }
    }

    /** An existing SHN_LIVEPATCH symbol: its name must parse and resolve like the kernel resolves it. */
    private void verifyLivepatchSymbol(Symbol symbol) {
        Optional<ElfLocation> where = firstKlpUse(symbol);
        Optional<KlpNames.KlpSymbol> parsed = KlpNames.parseSymbol(symbol.name());
        if (parsed.isEmpty()) {
            add(Code.MALFORMED_KLP_NAME, "livepatch symbol " + symbol.name()
                    + " is not named .klp.sym.<object>.<name>,<sympos>", symbol.name(), null, where, List.of(),
                    List.of(), Optional.of("symbol " + symbol.name() + " has an incorrectly formatted name"));
            return;
        }
        KlpNames.KlpSymbol klp = parsed.get();
        checkObjectName(klp.object(), klp.name(), where);
        resolveChoice(klp.name(), klp.object(), klp.sympos(), symbol.name(), where, List.of())
                .ifPresent(resolved -> checkTarget(klp.name(), resolved, klpUses(symbol), where));
    }

    private Optional<ElfLocation> firstKlpUse(Symbol symbol) {
        List<Reference> uses = klpUses(symbol);
        return uses.isEmpty() ? Optional.empty()
                : location(uses.get(0).target(), uses.get(0).relocation().offset(), symbol.name());
    }

    private List<Reference> klpUses(Symbol symbol) {
        int index = symtab.indexOf(symbol);
        return index < 0 ? List.of() : klpReferences.of(index);
    }

    private void checkUndefined(int symbolIndex, Symbol symbol) {
        String name = symbol.name();
        List<Reference> uses = references.of(symbolIndex);
        Optional<ElfLocation> where = uses.isEmpty() ? Optional.empty()
                : location(uses.get(0).target(), uses.get(0).relocation().offset(), name);
        if (name.equals(".TOC.") && module.machine() == Elf.EM_PPC64) {
            return;
        }
        if (name.startsWith(KlpNames.MINIMAL_PREFIX)) {
            checkMinimal(symbolIndex, symbol, uses, where);
            return;
        }
        if (name.startsWith(KlpNames.SYM_PREFIX)) {
            // A .klp.sym name left SHN_UNDEF (hand-made or half converted): finish its conversion as named.
            Optional<KlpNames.KlpSymbol> parsed = KlpNames.parseSymbol(name);
            if (parsed.isEmpty()) {
                add(Code.MALFORMED_KLP_NAME, "undefined symbol " + name
                        + " is not named .klp.sym.<object>.<name>,<sympos>", name, null, where, List.of(), List.of(),
                        Optional.empty());
                return;
            }
            KlpNames.KlpSymbol klp = parsed.get();
            if (checkObjectName(klp.object(), klp.name(), where)) {
                resolveChoice(klp.name(), klp.object(), klp.sympos(), name, where, List.of())
                        .ifPresent(resolved -> plan(symbolIndex, symbol, klp.name(), resolved.object(), klp.sympos(),
                                klp.object(), uses, resolved, where));
            }
            return;
        }
        if (uses.isEmpty() && !annotations.containsKey(name)) {
            if (index.export(name).isEmpty()) {
                add(Code.UNRESOLVED_AFTER_CONVERSION, "undefined symbol " + name + " is not"
                        + " exported and no relocation uses it, so it cannot become a KLP relocation: the module"
                        + " loader will refuse the module", name, null, where, List.of(), List.of(),
                        Optional.of("Unknown symbol " + name));
            }
            return;
        }
        if (uses.isEmpty()) {
            return; // only a (removed) annotation refers to it: checkUnusedAnnotations handles it
        }
        Choice explicit = config.choices().get(name);
        if (explicit == null && index.isExportedByVmlinux(name)) {
            return;
        }
        Optional<dev.klplsp.kernel.Export> moduleExport = index.export(name)
                .filter(e -> !e.object().equals(KernelSymbol.VMLINUX));
        Annotation annotation = annotations.get(name);
        if (explicit == null && annotation == null && moduleExport.isPresent()) {
            String owner = moduleExport.get().object();
            if (!config.convertModuleExports()) {
                add(Code.EXPORTED_BY_MODULE, name + " is exported by module " + owner
                        + ": left as a normal relocation, so the patch loads only after " + owner
                        + " and depends on it", name, owner, where, List.of(), List.of(), Optional.empty());
                return;
            }
            addRaised(Code.EXPORTED_BY_MODULE, Severity.WARNING, name + " is exported by module " + owner
                    + ": converted to a KLP relocation with sympos 0, applied only if the patch has a klp_object"
                    + " for " + owner, name, owner, where, List.of(), List.of(), Optional.empty());
            explicit = new Choice(owner, 0, "exported by " + owner);
        }
        if (!checkSymbolName(name, where)) {
            return;
        }
        if (explicit != null || annotation != null) {
            String object = explicit != null ? explicit.object() : annotation.object();
            long sympos = explicit != null ? explicit.sympos() : annotation.sympos();
            String origin = explicit != null ? explicit.origin() : annotation.origin();
            if (checkObjectName(object, name, where)) {
                Optional<CopyPin> pin = explicit != null ? explicit.pin() : Optional.empty();
                Optional<KernelSymbol> resolved = pin.isPresent()
                        ? resolvePin(name, object, pin.get(), origin, where)
                        : resolveChoice(name, object, sympos, origin, where, uses);
                resolved.ifPresent(copy -> plan(symbolIndex, symbol, name, object, pin.isPresent() ? copy.sympos()
                        : sympos, object, uses, copy, where));
            }
            return;
        }
        List<KernelSymbol> all = index.lookup(name);
        List<KernelSymbol> counted = countedOf(all);
        if (counted.isEmpty()) {
            if (symbol.bind() == Elf.STB_WEAK && all.isEmpty()) {
                return; // the module loader resolves a missing weak symbol to 0, as the author asked for
            }
            reportMissing(name, null, where, all);
            return;
        }
        if (counted.size() > 1) {
            List<Candidate> candidates = counted.stream().map(Candidate::of).toList();
            boolean oneObject = counted.stream().map(KernelSymbol::object).distinct().count() == 1;
            String object = counted.get(0).object();
            add(Code.AMBIGUOUS_SYMBOL, SymposText.ambiguous(name, candidates, "symbols", SymposText.ANNOTATE), name,
                    oneObject ? object : null, where, candidates,
                    candidates.stream().map(Candidate::choice).toList(),
                    Optional.of("unresolvable ambiguity for symbol '" + name + "' in object '"
                            + kernelObjectSpelling(object) + "'"));
            return;
        }
        KernelSymbol resolved = counted.get(0);
        plan(symbolIndex, symbol, name, resolved.object(), 0, resolved.object(), uses, resolved, where);
    }

    /** The symbols the kernel counts, without a stream: this runs once per undefined symbol of the module. */
    private static List<KernelSymbol> countedOf(List<KernelSymbol> symbols) {
        for (int i = 0; i < symbols.size(); i++) { // indexed: no iterator per symbol on the CLI's C1 code
            if (!symbols.get(i).isCounted()) {
                return symbols.stream().filter(KernelSymbol::isCounted).toList();
            }
        }
        return symbols;
    }

    private void checkMinimal(int symbolIndex, Symbol symbol, List<Reference> uses, Optional<ElfLocation> where) {
        Optional<KlpNames.MinimalSymbol> parsed = KlpNames.parseMinimal(symbol.name());
        if (parsed.isEmpty()) {
            add(Code.MALFORMED_KLP_NAME, "symbol " + symbol.name() + " is not"
                    + " .klp.sym.rela.<lp_obj>.<sym_obj>.<name>.<pos> (KLP_RELOC_SYMBOL_POS)", symbol.name(), null,
                    where, List.of(), List.of(), Optional.empty());
            return;
        }
        KlpNames.MinimalSymbol minimal = parsed.get();
        boolean namesOk = checkObjectName(minimal.lpObject(), minimal.name(), where)
                & checkObjectName(minimal.object(), minimal.name(), where)
                & checkSymbolName(minimal.name(), where);
        if (!namesOk) {
            return;
        }
        if (!minimal.lpObject().equals(KernelSymbol.VMLINUX) && minimal.object().equals(KernelSymbol.VMLINUX)) {
            add(Code.MODULE_SECTION_VMLINUX_SYMBOL, "KLP_RELOC_SYMBOL(" + minimal.lpObject()
                    + ", vmlinux, " + minimal.name() + ") puts vmlinux symbol " + minimal.name()
                    + " in a section of module " + minimal.lpObject() + ": use vmlinux as the first argument",
                    minimal.name(), minimal.lpObject(), where, List.of(),
                    List.of(new SymposChoice(KernelSymbol.VMLINUX, minimal.name(), minimal.sympos())),
                    Optional.of("invalid access to vmlinux symbol '" + minimal.name()
                            + "' from module-specific livepatch relocation section"));
            return;
        }
        Choice explicit = config.choices().get(minimal.name());
        if (explicit != null && explicit.object().equals(minimal.object())) {
            // An explicit choice overrides the number the annotation wrote into the name, as it overrides KLP_SYMPOS.
            Optional<KernelSymbol> resolved = explicit.pin().isPresent()
                    ? resolvePin(minimal.name(), minimal.object(), explicit.pin().get(), explicit.origin(), where)
                    : resolveChoice(minimal.name(), minimal.object(), explicit.sympos(), explicit.origin(), where, uses);
            resolved.ifPresent(copy -> plan(symbolIndex, symbol, minimal.name(), minimal.object(),
                    explicit.pin().isPresent() ? copy.sympos() : explicit.sympos(), minimal.lpObject(), uses, copy,
                    where));
            return;
        }
        resolveChoice(minimal.name(), minimal.object(), minimal.sympos(), symbol.name(), where, uses)
                .ifPresent(resolved -> plan(symbolIndex, symbol, minimal.name(), minimal.object(), minimal.sympos(),
                        minimal.lpObject(), uses, resolved, where));
    }

    /**
     * Resolves a pin by identity in this kernel: the pinned copy, or empty after adding the finding that says why
     * the pin names no copy here ({@code pin-unresolved}, or {@code unresolved-symbol} when the object has no
     * symbol of that name at all).
     */
    private Optional<KernelSymbol> resolvePin(String name, String object, CopyPin pin,
            String origin, Optional<ElfLocation> where) {
        CopyPin.Resolution resolution = pin.resolve(index, object, name);
        if (resolution.copy().isPresent()) {
            return resolution.copy();
        }
        if (resolution.problem().orElseThrow() == CopyPin.Problem.NO_COPIES) {
            reportMissing(name, object, where, index.lookup(name));
            return Optional.empty();
        }
        List<Candidate> candidates = index.lookup(object, name).stream().filter(KernelSymbol::isCounted)
                .map(Candidate::of).toList();
        add(Code.PIN_UNRESOLVED, SymposText.pinUnresolved(name, object, pin, origin, resolution), name, object, where,
                candidates, candidates.stream().map(Candidate::choice).toList(), Optional.empty());
        return Optional.empty();
    }

    /**
     * Validates {@code object.name,sympos} like {@code klp_find_object_symbol()}; the resolved symbol, or empty
     * after adding the finding the kernel's refusal corresponds to.
     */
    private Optional<KernelSymbol> resolveChoice(String name, String object, long sympos, String origin,
            Optional<ElfLocation> where, List<Reference> uses) {
        List<KernelSymbol> all = index.lookup(name);
        List<KernelSymbol> inObject = index.lookup(object, name);
        List<KernelSymbol> counted = inObject.stream().filter(KernelSymbol::isCounted).toList();
        if (counted.isEmpty()) {
            reportMissing(name, object, where, all);
            return Optional.empty();
        }
        List<Candidate> candidates = counted.stream().map(Candidate::of).toList();
        List<SymposChoice> fixes = candidates.stream().map(Candidate::choice).toList();
        if (sympos == 0 && counted.size() > 1) {
            add(Code.BAD_SYMPOS, SymposText.zeroNotUnique(name, object, counted.size(), origin), name, object, where,
                    candidates, fixes, Optional.of("unresolvable ambiguity for symbol '" + name + "' in object '"
                            + kernelObjectSpelling(object) + "'"));
            return Optional.empty();
        }
        if (sympos > counted.size()) {
            add(Code.BAD_SYMPOS, SymposText.beyondCount(name, object, sympos, counted.size(), origin),
                    name, object, where, candidates, fixes, Optional.of("symbol position " + sympos
                            + " for symbol '" + name + "' in object '" + object + "' not found"));
            return Optional.empty();
        }
        return Optional.of(counted.get(sympos == 0 ? 0 : (int) sympos - 1));
    }

    /** How the kernel prints an object in the ambiguity message: vmlinux's objname is NULL there. */
    private static String kernelObjectSpelling(String object) {
        return object.equals(KernelSymbol.VMLINUX) ? "(null)" : object;
    }

    private void reportMissing(String name, String object, Optional<ElfLocation> where, List<KernelSymbol> all) {
        List<KernelSymbol> elsewhere = all.stream().filter(s -> object == null || !s.object().equals(object))
                .toList();
        List<KernelSymbol> initOnly = all.stream().filter(s -> !s.isCounted()).toList();
        if (!initOnly.isEmpty() && elsewhere.stream().allMatch(s -> !s.isCounted())) {
            add(Code.INIT_SYMBOL, UnresolvedText.init(name, initOnly.get(0).object()), name, initOnly.get(0).object(),
                    where, initOnly.stream().map(Candidate::of).toList(), List.of(),
                    Optional.of("symbol '" + name + "' not found in symbol table"));
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        elsewhere.stream().filter(KernelSymbol::isCounted).forEach(symbol -> candidates.add(Candidate.of(symbol)));
        List<KernelSymbol> clones = index.cloneFamily(name).stream()
                .filter(s -> s.isCounted() && (object == null || s.object().equals(object))).toList();
        clones.forEach(clone -> candidates.add(Candidate.of(clone)));
        List<String> close = clones.isEmpty() && elsewhere.isEmpty() ? index.closeNames(name, 5) : List.of();
        // A built-in module never loads as a module: its symbols are vmlinux's (modules.builtin).
        boolean builtin = object != null && !object.equals(KernelSymbol.VMLINUX) && index.isBuiltin(object);
        String message = UnresolvedText.unresolved(name, Optional.ofNullable(object), builtin,
                elsewhere.stream().map(KernelSymbol::object).distinct().toList(),
                clones.stream().map(s -> s.object() + " " + s.name()).distinct().limit(5).toList(), close);
        add(Code.UNRESOLVED_SYMBOL, message, name, object, where, candidates,
                candidates.stream().map(Candidate::choice).toList(),
                Optional.of("symbol '" + name + "' not found in symbol table"));
    }

    /** Checks what the reference resolves to and where the module uses it, then plans the conversion. */
    private void plan(int symbolIndex, Symbol symbol, String name, String object, long sympos, String lpObject,
            List<Reference> uses, KernelSymbol resolved, Optional<ElfLocation> where) {
        boolean ok = checkTarget(name, resolved, uses, where);
        for (int i = 0; i < uses.size(); i++) { // indexed: no iterator per symbol on the CLI's C1 code
            ok &= checkPlacement(name, object, uses.get(i));
            ok &= checkRelocationType(name, object, uses.get(i));
        }
        if (ok) {
            conversions.add(new ConversionPlan.SymbolConversion(symbolIndex, symbol.name(), object, name, sympos,
                    lpObject));
        }
    }

    /** Findings about the resolved kernel symbol itself: init-only, function risks. False on an error. */
    private boolean checkTarget(String name, KernelSymbol resolved, List<Reference> uses, Optional<ElfLocation> where) {
        if (resolved.init()) {
            add(Code.INIT_SYMBOL, UnresolvedText.init(name, resolved.object()), name,
                    resolved.object(), where, List.of(Candidate.of(resolved)), List.of(), Optional.empty());
            return false;
        }
        if (resolved.type() == SymbolType.FUNC) {
            checkFunctionReference(name, resolved, uses, where);
        }
        return true;
    }

    /**
     * A reference to a kernel function: with the object's debug information, what the compiler made of the copy
     * referenced ({@code function-transformed} for a clone with changed parameters, an informational
     * {@code function-symbol-risk} for the function as written); without, the risks the ELF shows and how to get
     * exact answers.
     */
    private void checkFunctionReference(String name, KernelSymbol resolved, List<Reference> uses,
            Optional<ElfLocation> where) {
        Optional<Severity> configured = config.functionReferences().severity();
        List<String> reasons = new ArrayList<>();
        Optional<Reference> addressTaken = uses.stream()
                .filter(use -> !CallRelocations.isCall(module.machine(), use.relocation(), use.target())).findFirst();
        addressTaken.ifPresent(use -> reasons.add("its address is taken ("
                + dev.klplsp.elf.RelocTypes.name(module.machine(), use.relocation().type()) + " at "
                + (use.target() == null ? "?" : use.target().name()) + "+0x"
                + Long.toHexString(use.relocation().offset())
                + "), not only called: an indirect call through it faults under IBT when the target lost its ENDBR,"
                + " and the pointer bypasses other livepatches of that function"));
        if (COLD.matcher(name).matches()) {
            reasons.add("it is the .cold part of a split function, not a function entry");
        }
        Optional<ElfLocation> at = addressTaken.flatMap(use -> location(use.target(), use.relocation().offset(), name))
                .or(() -> where);
        List<Candidate> candidates = List.of(Candidate.of(resolved));
        Optional<OptimizationIndex> facts = config.optimization().index(resolved.object());
        if (facts.isPresent()) {
            OptimizationCheck.Call call = OptimizationCheck.called(facts.get(), name, resolved.sympos());
            switch (call.kind()) {
                case TRANSFORMED -> {
                    add(Code.FUNCTION_TRANSFORMED, call.text(), name, resolved.object(), at, candidates, List.of(),
                            Optional.empty());
                    return;
                }
                case AS_WRITTEN -> configured.ifPresent(severity -> addRaised(Code.FUNCTION_SYMBOL_RISK,
                        reasons.isEmpty() ? Severity.INFO : severity,
                        FunctionRiskText.exact(name, resolved.object(), call.text(), reasons), name,
                        resolved.object(), at, candidates, List.of(), Optional.empty()));
                case STILL_RISKY -> configured.ifPresent(severity -> addRaised(Code.FUNCTION_SYMBOL_RISK, severity,
                        FunctionRiskText.exact(name, resolved.object(), call.text(), reasons), name,
                        resolved.object(), at, candidates, List.of(), Optional.empty()));
                case UNDESCRIBED -> configured.ifPresent(severity -> addRaised(Code.FUNCTION_SYMBOL_RISK, severity,
                        FunctionRiskText.message(name, resolved.object(), withClones(name, resolved, reasons),
                                Optional.of(call.text())), name, resolved.object(), at, candidates, List.of(),
                        Optional.empty()));
            }
            return;
        }
        configured.ifPresent(severity -> addRaised(Code.FUNCTION_SYMBOL_RISK, severity,
                FunctionRiskText.message(name, resolved.object(), withClones(name, resolved, reasons),
                        Optional.of(OptimizationText.debugInfoHint(index.release()))),
                name, resolved.object(), at, candidates, List.of(), Optional.empty()));
    }

    /**
     * The reasons with, when the kernel has compiler clones of the name in the object, the clause for them after
     * the address-taken one (the symbol table's view of clones, for when the debug information says nothing).
     */
    private List<String> withClones(String name, KernelSymbol resolved, List<String> reasons) {
        List<KernelSymbol> clones = index.cloneFamily(name).stream()
                .filter(s -> s.object().equals(resolved.object())).toList();
        if (clones.isEmpty()) {
            return reasons;
        }
        List<String> all = new ArrayList<>(reasons);
        boolean cold = COLD.matcher(name).matches();
        all.add(cold ? all.size() - 1 : all.size(),
                FunctionRiskText.clones(clones.stream().map(KernelSymbol::name).toList()));
        return all;
    }

    /**
     * The functions the module's klp_func arrays replace, against the debug information of their objects: copies
     * inlined into other functions, other out-of-line copies, a transformed copy, or no copy at all.
     */
    private void checkReplacedFunctions() {
        List<KlpFuncTable.Entry> entries = KlpFuncTable.read(module);
        for (KlpFuncTable.Entry entry : entries) {
            String object = NameText.moduleObject(entry.object());
            List<OptimizationCheck.Replacement> patch = entries.stream()
                    .filter(other -> NameText.moduleObject(other.object()).equals(object))
                    .map(other -> new OptimizationCheck.Replacement(other.oldName(), other.oldSympos())).toList();
            Optional<OptimizationIndex> facts = config.optimization().index(object);
            if (facts.isEmpty()) {
                continue;
            }
            Optional<ElfLocation> at = location(entry.section(), entry.offset(), entry.oldName());
            for (OptimizationCheck.Verdict verdict : OptimizationCheck.replaced(facts.get(), entry.oldName(),
                    entry.oldSympos(), patch)) {
                List<Candidate> related = new ArrayList<>();
                for (OutOfLineInstance copy : verdict.related()) {
                    index.lookup(object, copy.symbol()).stream()
                            .filter(symbol -> symbol.isCounted() && symbol.sympos() == copy.sympos())
                            .findFirst().map(Candidate::of).ifPresent(related::add);
                }
                add(verdict.code(), verdict.message(), entry.oldName(), object, at, related, List.of(),
                        verdict.code() == Code.REPLACED_FUNCTION_ONLY_INLINED
                                ? Optional.of("symbol '" + entry.oldName() + "' not found in symbol table")
                                : Optional.empty());
            }
        }
    }

    /** Where the relocation sits: init, non-allocated and (for module symbols) special sections refuse it. */
    private boolean checkPlacement(String name, String object, Reference use) {
        // The location is made only for a finding: this runs for every relocation converted.
        Section target = use.target();
        String section = target == null ? "?" : target.name();
        if (target == null || !target.isAlloc()) {
            Optional<ElfLocation> at = location(target, use.relocation().offset(), name);
            add(Code.RELOC_IN_NONALLOC_SECTION, "reference to " + name + " from non-allocated"
                    + " section " + section + ": the kernel applies no KLP relocation there", name, object, at,
                    List.of(), List.of(), Optional.empty());
            return false;
        }
        if (section.startsWith(".init") || section.startsWith(".exit")) {
            Optional<ElfLocation> at = location(target, use.relocation().offset(), name);
            add(Code.RELOC_IN_INIT_SECTION, "reference to " + name + " from " + section
                    + ": init and exit code is not patched and is freed; move the use out of __init/__exit code",
                    name, object, at, List.of(), List.of(), Optional.empty());
            return false;
        }
        if (!object.equals(KernelSymbol.VMLINUX) && isSpecial(section)) {
            Optional<ElfLocation> at = location(target, use.relocation().offset(), name);
            add(Code.SPECIAL_SECTION_MODULE_SYMBOL, "reference to " + name + " of module " + object
                    + " from special section " + section + ": the kernel processes it when the patch loads, before"
                    + " the module's KLP relocations are applied (use static_key_enabled() instead of a static"
                    + " branch on a module key)", name, object, at, List.of(), List.of(), Optional.empty());
            return false;
        }
        return true;
    }

    /** A type the architecture's apply_relocate_add() refuses fails the whole patch when it loads. */
    private boolean checkRelocationType(String name, String object, Reference use) {
        int type = use.relocation().type();
        Optional<AcceptedRelocationTypes.Refusal> refusal = AcceptedRelocationTypes.refusal(module.machine(), type,
                moduleName());
        if (refusal.isEmpty()) {
            return true; // before the lambda below: it would be allocated per relocation on the CLI's C1 code
        }
        refusal.ifPresent(r -> add(Code.RELOC_TYPE_UNSUPPORTED, "reference to " + name + " by a "
                + dev.klplsp.elf.RelocTypes.name(module.machine(), type) + " relocation: the kernel's " + r.arch()
                + " apply_relocate_add() refuses this type in a KLP relocation ('" + r.kernelLine() + "'), so the"
                + " patch would not load", name, object, location(use.target(), use.relocation().offset(), name),
                List.of(), List.of(), Optional.empty()));
        return refusal.isEmpty();
    }

    private static boolean isSpecial(String section) {
        return SPECIAL_SECTIONS.contains(section) || section.startsWith("__ksymtab");
    }

    /** Adds invalid-object-name when needed; true when the name is usable. */
    private boolean checkObjectName(String object, String symbol, Optional<ElfLocation> where) {
        Optional<String> problem = NameText.objectName(object);
        if (problem.isEmpty()) {
            return true;
        }
        problem.ifPresent(message -> add(Code.INVALID_OBJECT_NAME, message,
                symbol, object, where, List.of(), object.indexOf('-') >= 0 && symbol != null
                        ? List.of(new SymposChoice(NameText.moduleObject(object), symbol, 0)) : List.of(),
                Optional.empty()));
        return problem.isEmpty();
    }

    private boolean checkSymbolName(String name, Optional<ElfLocation> where) {
        Optional<String> problem = NameText.symbolName(name);
        if (problem.isEmpty()) {
            return true;
        }
        problem.ifPresent(message -> add(Code.INVALID_SYMBOL_NAME, message, name, null, where, List.of(),
                List.of(), Optional.of("symbol " + name + " has an incorrectly formatted name")));
        return problem.isEmpty();
    }

    private Optional<ElfLocation> location(Section section, long offset, String symbol) {
        return section == null ? Optional.empty()
                : Optional.of(new ElfLocation(module.path(), section.name(), offset, symbol));
    }

    /** A finding with its code's default severity (the rule table, {@link Code#defaultSeverity}). */
    private void add(Code code, String message, String symbol, String object, Optional<ElfLocation> location,
            List<Candidate> candidates, List<SymposChoice> fixes, Optional<String> kernelMessage) {
        addRaised(code, code.defaultSeverity(), message, symbol, object, location, candidates, fixes, kernelMessage);
    }

    /** A finding whose severity the configuration or the situation sets instead of the rule table. */
    private void addRaised(Code code, Severity severity, String message, String symbol, String object,
            Optional<ElfLocation> location, List<Candidate> candidates, List<SymposChoice> fixes,
            Optional<String> kernelMessage) {
        findings.add(new Finding(code, severity, message, symbol, object, location, candidates, fixes, kernelMessage));
    }
}
