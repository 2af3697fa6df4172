// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link SourceScanner#scan(String)} found in one livepatch C source. Immutable; every span is a
 * char range of {@link #text()}, convertible with {@link #lines()}.
 */
public final class SourceScan {
    private final String text;
    private final LineIndex lines;
    private final List<MacroDefinition> macroDefinitions;
    private final List<IncludeDirective> includes;
    private final List<Span> inactiveRegions;
    private final List<Definition> definitions;
    private final List<ExternalDeclaration> externals;
    private final List<RelocSymbol> relocSymbols;
    private final List<ModuleRelocBlock> moduleRelocBlocks;
    private final List<KlpFunc> klpFuncs;
    private final List<KlpObject> klpObjects;
    private final List<MacroUse> macroUses;
    private final List<ObjectNameRef> objectNames;
    private final Optional<Span> klpPatch;
    private final Optional<Span> livepatchModInfo;
    private final Map<String, List<Span>> uses;
    private final RuntimeLookups runtimeLookups;
    private final List<ScanProblem> problems;
    private final Set<String> definedNames = new HashSet<>();

    SourceScan(String text, LineIndex lines, List<MacroDefinition> macroDefinitions, List<IncludeDirective> includes,
            List<Span> inactiveRegions, List<Definition> definitions, List<ExternalDeclaration> externals,
            List<RelocSymbol> relocSymbols, List<ModuleRelocBlock> moduleRelocBlocks, List<KlpFunc> klpFuncs,
            List<KlpObject> klpObjects, List<MacroUse> macroUses, List<ObjectNameRef> objectNames,
            Optional<Span> klpPatch, Optional<Span> livepatchModInfo, Map<String, List<Span>> uses,
            RuntimeLookups runtimeLookups, List<ScanProblem> problems) {
        this.text = text;
        this.lines = lines;
        this.macroDefinitions = List.copyOf(macroDefinitions);
        this.includes = List.copyOf(includes);
        this.inactiveRegions = List.copyOf(inactiveRegions);
        this.definitions = List.copyOf(definitions);
        this.externals = List.copyOf(externals);
        this.relocSymbols = List.copyOf(relocSymbols);
        this.moduleRelocBlocks = List.copyOf(moduleRelocBlocks);
        this.klpFuncs = List.copyOf(klpFuncs);
        this.klpObjects = List.copyOf(klpObjects);
        this.macroUses = List.copyOf(macroUses);
        this.objectNames = List.copyOf(objectNames);
        this.klpPatch = klpPatch;
        this.livepatchModInfo = livepatchModInfo;
        this.uses = uses;
        this.runtimeLookups = runtimeLookups;
        this.problems = List.copyOf(problems);
        for (Definition definition : definitions) {
            definedNames.add(definition.name());
        }
        for (MacroDefinition macro : macroDefinitions) {
            definedNames.add(macro.name());
        }
    }

    public String text() {
        return text;
    }

    public LineIndex lines() {
        return lines;
    }

    /** {@code #define}d names in active code. */
    public List<MacroDefinition> macroDefinitions() {
        return macroDefinitions;
    }

    /** {@code #include} directives in active code, in source order. */
    public List<IncludeDirective> includes() {
        return includes;
    }

    /** The run-time lookup style: lookup tables, the pointers they fill and their uses, kallsyms_lookup_name calls. */
    public RuntimeLookups runtimeLookups() {
        return runtimeLookups;
    }

    /** Text skipped because of {@code #if 0} (and friends), from after the directive line to the next directive. */
    public List<Span> inactiveRegions() {
        return inactiveRegions;
    }

    public List<Definition> definitions() {
        return definitions;
    }

    /** Declarations of names used but not defined in this file, in source order. */
    public List<ExternalDeclaration> externals() {
        return externals;
    }

    /** Minimal-style annotations and .klp.sym labels, in source order. */
    public List<RelocSymbol> relocSymbols() {
        return relocSymbols;
    }

    /** v7 {@code KLP_MODULE_RELOC} arrays, in source order. */
    public List<ModuleRelocBlock> moduleRelocBlocks() {
        return moduleRelocBlocks;
    }

    public List<KlpFunc> klpFuncs() {
        return klpFuncs;
    }

    public List<KlpObject> klpObjects() {
        return klpObjects;
    }

    /** File-scope macro statements such as {@code MODULE_INFO(...)} and {@code module_init(...)}. */
    public List<MacroUse> macroUses() {
        return macroUses;
    }

    /** Every written object name (annotations, klp_object .name), in source order. */
    public List<ObjectNameRef> objectNames() {
        return objectNames;
    }

    /** The first {@code struct klp_patch} variable with an initializer. */
    public Optional<Span> klpPatch() {
        return klpPatch;
    }

    /** The first {@code MODULE_INFO(livepatch, ...)}. */
    public Optional<Span> livepatchModInfo() {
        return livepatchModInfo;
    }

    public List<ScanProblem> problems() {
        return problems;
    }

    /**
     * Where {@code name} is used in function bodies, initializers, array sizes and macro arguments, in source
     * order; members after '.' or '->' and annotation arguments do not count.
     */
    public List<Span> usesOf(String name) {
        return List.copyOf(uses.getOrDefault(name, List.of()));
    }

    public Optional<Span> findFirstUse(String name) {
        List<Span> found = uses.get(name);
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** All names with at least one use. */
    public Set<String> usedNames() {
        return Set.copyOf(uses.keySet());
    }

    /** Whether the file defines {@code name} as a function, a file-scope variable or a macro. */
    public boolean isDefined(String name) {
        return definedNames.contains(name);
    }

    public Optional<Definition> findDefinition(String name) {
        return definitions.stream().filter(definition -> definition.name().equals(name)).findFirst();
    }

    /** The first external declaration whose C identifier is {@code name}. */
    public Optional<ExternalDeclaration> findExternal(String name) {
        return externals.stream().filter(external -> external.name().equals(name)).findFirst();
    }

    /**
     * The external declaration for an ELF symbol name: by the emitted symbol (asm label or C name) first,
     * then by the symbol name inside a relocation annotation ({@code KLP_RELOC_SYMBOL(lp, obj, foo)} answers "foo").
     */
    public Optional<ExternalDeclaration> findExternalBySymbol(String symbolName) {
        return externals.stream().filter(external -> external.symbolName().equals(symbolName)).findFirst()
                .or(() -> externals.stream().filter(external -> external.relocSymbol()
                        .map(reloc -> reloc.symbolName().equals(symbolName)).orElse(false)).findFirst());
    }

    /**
     * Where a finding about ELF symbol {@code symbolName} belongs: the external declaration's name, else the
     * first use of that name, else a v7 {@code KLP_SYMPOS} entry naming it, else a {@code klp_func .old_name}.
     */
    public Optional<Span> findSymbolSite(String symbolName) {
        Optional<Span> declared = findExternalBySymbol(symbolName).map(ExternalDeclaration::nameSpan);
        if (declared.isPresent()) {
            return declared;
        }
        Optional<Span> used = findFirstUse(symbolName);
        if (used.isPresent()) {
            return used;
        }
        return moduleRelocBlocks.stream().flatMap(block -> block.entries().stream())
                .filter(entry -> entry.symbol().equals(symbolName)).map(SymposEntry::symbolSpan).findFirst()
                .or(() -> findReplacedSite(symbolName));
    }

    /** The {@code .old_name} string of the first {@code klp_func} that replaces {@code function}. */
    public Optional<Span> findReplacedSite(String function) {
        return klpFuncs.stream().filter(func -> func.oldName().filter(function::equals).isPresent())
                .flatMap(func -> func.oldNameSpan().stream()).findFirst();
    }

    /** The first v7 {@code KLP_SYMPOS} entry for {@code symbol} in a {@code KLP_MODULE_RELOC(objectName)} array. */
    public Optional<SymposEntry> findSymposEntry(String objectName, String symbol) {
        return moduleRelocBlocks.stream().filter(block -> block.objectName().equals(objectName))
                .flatMap(block -> block.entries().stream()).filter(entry -> entry.symbol().equals(symbol)).findFirst();
    }

    /** The first {@code KLP_MODULE_RELOC(objectName)} array with an initializer. */
    public Optional<ModuleRelocBlock> findModuleRelocBlock(String objectName) {
        return moduleRelocBlocks.stream().filter(block -> block.objectName().equals(objectName)
                && block.initializer().isPresent()).findFirst();
    }

    /** The style the file already uses; v7 wins when both are present (the first found in source order). */
    public AnnotationStyle annotationStyle() {
        int v7 = moduleRelocBlocks.isEmpty() ? Integer.MAX_VALUE : moduleRelocBlocks.get(0).declarationSpan().start();
        int minimal = relocSymbols.isEmpty() ? Integer.MAX_VALUE : relocSymbols.get(0).span().start();
        if (v7 == Integer.MAX_VALUE && minimal == Integer.MAX_VALUE) {
            return AnnotationStyle.NONE;
        }
        return v7 <= minimal ? AnnotationStyle.V7 : AnnotationStyle.MINIMAL;
    }
}
