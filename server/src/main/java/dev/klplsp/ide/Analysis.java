// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.LookupText;
import dev.klplsp.check.Code;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KallsymsRelocEntry;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.LookupNameCall;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.RelocSymbol;
import dev.klplsp.source.RuntimeLookups;
import dev.klplsp.source.SourceEdits;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.SymposEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of the workspace that answers the editor's questions. Results are memoized only
 * within the snapshot; a new edit makes a new snapshot.
 */
public final class Analysis {
    private final Path root;
    private final Map<Path, Document> documents;
    private final Map<Path, Document> sources;
    private final Map<Path, Set<String>> workspaceDefinitions;
    private final Map<Path, KernelsResult> modules;
    private final Settings settings;
    private final List<TargetKernel> kernels;
    private final List<KernelLookups> lookups;
    private final OptimizationFacts optimization;
    private final KernelDefinitions definitions;
    private final Map<Path, List<FileDiagnostic>> diagnostics = new ConcurrentHashMap<>();
    private final Map<Path, SourceResult> sourceResults = new ConcurrentHashMap<>();
    private final Map<Path, Optional<Fix>> migrations = new ConcurrentHashMap<>();
    private volatile Map<Path, List<FileDiagnostic>> moduleDiagnostics;

    Analysis(Path root, Map<Path, Document> documents, Map<Path, Document> sources,
            Map<Path, Set<String>> definitions, Map<Path, KernelsResult> modules, Settings settings,
            List<TargetKernel> kernels, List<KernelLookups> lookups, OptimizationFacts optimization) {
        this.root = root;
        this.documents = documents;
        this.sources = sources;
        this.workspaceDefinitions = definitions;
        this.modules = modules;
        this.settings = settings;
        this.kernels = kernels;
        this.lookups = lookups;
        this.optimization = optimization;
        this.definitions = new KernelDefinitions(optimization, KernelSourceTree.of(settings.kernelSource()),
                KernelSourceTree.build(kernels.stream().findFirst().flatMap(kernel -> kernel.index().release())));
    }

    public Path root() {
        return root;
    }

    public Settings settings() {
        return settings;
    }

    public boolean isIndexReady() {
        return !kernels.isEmpty();
    }

    /** The kernels with their indexes, in the configured order; empty while none is ready. */
    public List<TargetKernel> kernels() {
        return kernels;
    }

    /** What the first kernel's debug information says per object, as this snapshot knows it. */
    public OptimizationFacts optimization() {
        return optimization;
    }

    public Optional<Document> document(Path file) {
        return Optional.ofNullable(documents.get(file.toAbsolutePath().normalize()));
    }

    /** Where an open file defines its patch (the first line of its {@code klp_patch}), for a command on it. */
    public Optional<Span> patchDefinition(Path file) {
        return document(file).flatMap(document -> {
            SourceScan scan = document.scan();
            return scan.klpPatch().map(span -> new Span(span.start(), Math.max(span.start(),
                    Math.min(span.end(), scan.lines().lineContentEnd(scan.lines().lineOf(span.start()))))));
        });
    }

    /** The open document, else the workspace's copy read from disk. */
    public Optional<Document> source(Path file) {
        Path path = file.toAbsolutePath().normalize();
        return Optional.ofNullable(documents.get(path)).or(() -> Optional.ofNullable(sources.get(path)));
    }

    /**
     * The findings of a file, sorted by position: the as-you-type analysis of an open file, plus the findings of
     * the last check of each built module that map to this file (unless the source analysis says the same).
     */
    public List<FileDiagnostic> diagnostics(Path file) {
        Path path = file.toAbsolutePath().normalize();
        return diagnostics.computeIfAbsent(path, key -> {
            List<FileDiagnostic> result = new ArrayList<>();
            Document document = documents.get(path);
            if (document != null) {
                result.addAll(sourceResult(path).diagnostics());
            }
            for (FileDiagnostic fromModule : moduleDiagnostics().getOrDefault(path, List.of())) {
                boolean known = result.stream().anyMatch(d -> d.code() == fromModule.code()
                        && d.symbol().equals(fromModule.symbol()));
                if (!known && !(document != null && annotatedSince(document.scan(), fromModule))) {
                    result.add(fromModule);
                }
            }
            result.sort(Comparator.comparingInt(d -> d.span().start()));
            return result.stream().map(this::withCandidateSources).toList();
        });
    }

    /** The finding with the kernel source of each candidate whose declaration the debug information knows. */
    private FileDiagnostic withCandidateSources(FileDiagnostic diagnostic) {
        Map<Candidate, SourceLocation> found = new HashMap<>();
        for (Candidate candidate : diagnostic.candidates()) {
            if (candidate.sympos() >= 0) {
                definitions.copy(candidate.object(), candidate.name(), candidate.sympos())
                        .ifPresent(location -> found.put(candidate, location));
            }
        }
        return found.isEmpty() ? diagnostic : diagnostic.withCandidateSources(found);
    }

    /** What the as-you-type analysis of an open file found, and its plan for the file's run-time lookups. */
    private record SourceResult(List<FileDiagnostic> diagnostics, LookupPlan plan) {
        static final SourceResult NONE = new SourceResult(List.of(), LookupPlan.NONE);
    }

    private SourceResult sourceResult(Path path) {
        return sourceResults.computeIfAbsent(path, key -> {
            Document document = documents.get(path);
            if (document == null) {
                return SourceResult.NONE;
            }
            Set<String> others = otherDefinitions(path);
            if (lookups.isEmpty()) {
                SourceAnalyzer analyzer = new SourceAnalyzer(path, document.scan(), Optional.empty(), settings, others,
                        optimization);
                List<FileDiagnostic> found = analyzer.run();
                return new SourceResult(found, analyzer.lookupPlan());
            }
            // One analysis per kernel, merged: each finding says the kernels it holds in, with what only a
            // comparison of the kernels shows (AcrossKernels). Run-time lookups are converted as the first kernel
            // (the reference) resolves them.
            List<List<FileDiagnostic>> perKernel = new ArrayList<>();
            LookupPlan plan = null;
            for (KernelLookups kernel : lookups) {
                // The debug information is the first kernel's.
                SourceAnalyzer analyzer = new SourceAnalyzer(path, document.scan(), Optional.of(kernel), settings,
                        others, perKernel.isEmpty() ? optimization : OptimizationFacts.NONE);
                perKernel.add(analyzer.run());
                plan = plan == null ? analyzer.lookupPlan() : plan;
            }
            List<FileDiagnostic> merged = new AcrossKernels(path, document.scan(), kernels, settings).merge(perKernel);
            // The findings that hold lookups back, as published: with the kernels they hold in.
            List<FileDiagnostic> blocking = plan.blocking().stream().map(finding -> merged.stream()
                    .filter(published -> published.span().equals(finding.span()) && published.code() == finding.code()
                            && published.symbol().equals(finding.symbol())
                            && published.message().startsWith(finding.message()))
                    .findFirst().orElse(finding)).toList();
            return new SourceResult(merged, new LookupPlan(plan.migrations(), plan.left(), blocking, plan.style()));
        });
    }

    /**
     * The refactorings of an open file at a range (a cursor or a selection), alternatives like fixes: when the range
     * touches the file's run-time lookups (a table, a lookup call, a resolver call, a pointer or its use) and
     * some can become KLP relocations, the conversion of all of them ({@link #migration}).
     */
    public List<Fix> refactorings(Path file, Span range) {
        Optional<Document> document = document(file);
        if (document.isEmpty() || !touchesLookups(document.get().scan().runtimeLookups(), range)) {
            return List.of();
        }
        return migration(file).map(List::of).orElse(List.of());
    }

    /**
     * "Convert run-time lookups to KLP relocations" for an open file: every lookup the index resolves to one
     * symbol whose pointer can become that symbol; lookups kept back by a finding (an ambiguous name waits for a
     * chosen copy) stay as they are, see {@link #migrationBlockers}. Empty when there is nothing to convert.
     */
    public Optional<Fix> migration(Path file) {
        // One Fix per snapshot: an editor asks for code actions on every cursor move, the edit is computed once.
        return migrations.computeIfAbsent(file.toAbsolutePath().normalize(), path -> {
            Optional<Document> document = document(path);
            LookupPlan plan = sourceResult(path).plan();
            if (document.isEmpty() || plan.migrations().isEmpty()) {
                return Optional.empty();
            }
            SourceScan scan = document.get().scan();
            String title = LookupText.convertAll(plan.migrations().size(), plan.left());
            return Optional.of(Fix.lazy(title, path, false,
                    () -> SourceEdits.migrateLookups(scan, plan.migrations(), plan.style())));
        });
    }

    /** How many run-time lookups of an open file {@link #migration} converts. */
    public int convertibleLookups(Path file) {
        return sourceResult(file.toAbsolutePath().normalize()).plan().migrations().size();
    }

    /** How many run-time lookups of an open file stay as they are, for the reasons {@link #migrationBlockers} gives. */
    public int lookupsLeft(Path file) {
        return sourceResult(file.toAbsolutePath().normalize()).plan().left();
    }

    /** The findings that keep run-time lookups of an open file from being converted, in source order. */
    public List<FileDiagnostic> migrationBlockers(Path file) {
        return sourceResult(file.toAbsolutePath().normalize()).plan().blocking();
    }

    private static boolean touchesLookups(RuntimeLookups lookups, Span range) {
        if (lookups.isEmpty()) {
            return false;
        }
        List<Span> spans = new ArrayList<>();
        lookups.tables().forEach(table -> spans.add(table.declarationSpan()));
        lookups.pointers().forEach(pointer -> spans.add(pointer.declarationSpan()));
        lookups.uses().forEach(use -> spans.add(use.span()));
        lookups.lookupNameCalls().forEach(call -> spans.add(call.site().statementSpan()));
        lookups.resolverCalls().forEach(call -> spans.add(call.site().statementSpan()));
        return spans.stream().anyMatch(span -> span.start() <= range.end() && range.start() <= span.end());
    }

    /**
     * Whether the module finding is about a symbol the open source now annotates: the module predates the edit
     * (the source analysis checks the annotation itself), so the stale finding would only mislead.
     */
    private static boolean annotatedSince(SourceScan scan, FileDiagnostic fromModule) {
        if (fromModule.code() != Code.AMBIGUOUS_SYMBOL && fromModule.code() != Code.BAD_SYMPOS
                && fromModule.code() != Code.UNRESOLVED_SYMBOL) {
            return false;
        }
        String symbol = fromModule.symbol();
        return scan.relocSymbols().stream().anyMatch(reloc -> reloc.symbolName().equals(symbol))
                || scan.moduleRelocBlocks().stream().flatMap(block -> block.entries().stream())
                        .anyMatch(entry -> entry.symbol().equals(symbol));
    }

    /** Every file that has findings from a module check (open or not). */
    public Set<Path> filesWithModuleFindings() {
        return moduleDiagnostics().keySet();
    }

    private Map<Path, List<FileDiagnostic>> moduleDiagnostics() {
        Map<Path, List<FileDiagnostic>> placed = moduleDiagnostics;
        if (placed == null) {
            Map<Path, List<FileDiagnostic>> all = new HashMap<>();
            modules.forEach((module, result) -> ModuleFindings.place(module, result, sources, settings, kernels)
                    .forEach((file, list) -> all.computeIfAbsent(file, key -> new ArrayList<>()).addAll(list)));
            placed = Map.copyOf(all);
            moduleDiagnostics = placed;
        }
        return placed;
    }

    /** The diagnostics whose range touches {@code range} (a cursor or a selection). */
    public List<FileDiagnostic> diagnosticsTouching(Path file, Span range) {
        return diagnostics(file).stream()
                .filter(diagnostic -> diagnostic.span().start() <= range.end()
                        && range.start() <= diagnostic.span().end())
                .toList();
    }

    /** The fixes of every diagnostic whose range touches {@code range}, in diagnostic order; alternatives. */
    public List<Fix> fixes(Path file, Span range) {
        return diagnosticsTouching(file, range).stream().flatMap(diagnostic -> diagnostic.fixes().stream()).toList();
    }

    /** The kernel's symbols under the external name at {@code offset}, in each kernel. */
    public Optional<HoverInfo> hover(Path file, int offset) {
        Optional<Document> document = document(file);
        if (document.isEmpty() || kernels.isEmpty()) {
            return Optional.empty();
        }
        SourceScan scan = document.get().scan();
        return kernelNameAt(scan, offset).map(named -> HoverInfo.of(named.span(), named.name(), kernels,
                definitions.functions(named.name(), objects(named, kernels.get(0).index()))));
    }

    /**
     * Go to the kernel's source: the declaration of the copy the name at {@code offset} selects — a
     * {@code klp_func .old_name} with its object and {@code .old_sympos}, an annotation's object and sympos, an
     * external name annotated so — or of every copy when nothing selects one (an unannotated name, sympos 0 on a
     * duplicated name). Empty without the debug information or the kernel source tree.
     */
    public List<SourceLocation> definition(Path file, int offset) {
        Optional<Document> document = document(file);
        if (document.isEmpty() || kernels.isEmpty()) {
            return List.of();
        }
        KernelIndex index = kernels.get(0).index();
        Optional<NamedSpan> named = kernelNameAt(document.get().scan(), offset);
        if (named.isEmpty()) {
            return List.of();
        }
        NamedSpan at = named.get();
        if (at.object().isPresent() && at.sympos().isPresent()) {
            String object = at.object().get().replace('-', '_');
            int sympos = at.sympos().getAsInt();
            int copies = (int) index.lookup(object, at.name()).stream().filter(KernelSymbol::isCounted).count();
            if (sympos > 0 || copies <= 1) {
                Optional<SourceLocation> selected = definitions.copy(object, at.name(), sympos);
                if (selected.isPresent()) {
                    return List.of(selected.get());
                }
            }
            return definitions.all(at.name(), List.of(object));
        }
        return definitions.all(at.name(), objects(at, index));
    }

    /** The objects a name may be in: the one it is annotated with, else those with a symbol of it, and vmlinux. */
    private static List<String> objects(NamedSpan named, KernelIndex kernel) {
        if (named.object().isPresent()) {
            return List.of(named.object().get().replace('-', '_'));
        }
        List<String> objects = new ArrayList<>();
        objects.add(KernelSymbol.VMLINUX);
        kernel.lookup(named.name()).forEach(symbol -> objects.add(symbol.object()));
        kernel.cloneFamily(named.name()).forEach(symbol -> objects.add(symbol.object()));
        return objects.stream().distinct().toList();
    }

    /**
     * A kernel name in the text, with the object and sympos its annotation gives (a klp_func's object and
     * {@code .old_sympos}, a KLP_SYMPOS entry's block, a KLP_RELOC_SYMBOL_POS), when it gives them.
     */
    private record NamedSpan(String name, Span span, Optional<String> object, OptionalInt sympos) {
        NamedSpan(String name, Span span) {
            this(name, span, Optional.empty(), OptionalInt.empty());
        }
    }

    /**
     * The kernel name at an offset: an external's name or use, a klp_func .old_name, an annotation's symbol, or the
     * name a run-time lookup looks up.
     */
    private Optional<NamedSpan> kernelNameAt(SourceScan scan, int offset) {
        for (KlpFunc func : scan.klpFuncs()) {
            if (func.oldNameSpan().isPresent() && func.oldNameSpan().get().touches(offset)) {
                return Optional.of(new NamedSpan(func.oldName().orElse(""), func.oldNameSpan().get(),
                        Optional.of(func.objectName().orElse(KernelSymbol.VMLINUX)),
                        OptionalInt.of(func.oldSympos().orElse(0))));
            }
        }
        for (RelocSymbol reloc : scan.relocSymbols()) {
            if (reloc.symbolNameSpan().touches(offset)) {
                return Optional.of(annotated(reloc, reloc.symbolNameSpan()));
            }
        }
        for (ModuleRelocBlock block : scan.moduleRelocBlocks()) {
            for (SymposEntry entry : block.entries()) {
                if (entry.symbolSpan().touches(offset)) {
                    return Optional.of(new NamedSpan(entry.symbol(), entry.symbolSpan(),
                            Optional.of(block.objectName()), entry.pos()));
                }
            }
        }
        for (KallsymsRelocEntry entry : scan.runtimeLookups().entries()) {
            if (entry.symbol().isPresent() && entry.symbolSpan().touches(offset)) {
                return Optional.of(new NamedSpan(entry.symbol().get(), entry.symbolSpan()));
            }
        }
        for (LookupNameCall call : scan.runtimeLookups().lookupNameCalls()) {
            if (call.symbol().isPresent() && call.symbolSpan().touches(offset)) {
                String written = call.symbol().get();
                return Optional.of(new NamedSpan(written.substring(written.indexOf(':') + 1), call.symbolSpan()));
            }
        }
        Span word = wordAt(scan.text(), offset);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        String name = word.textOf(scan.text());
        Optional<ExternalDeclaration> external = scan.findExternal(name);
        if (external.isPresent()) {
            if (external.get().relocSymbol().isPresent()) {
                return Optional.of(annotated(external.get().relocSymbol().get(), word));
            }
            String symbol = external.get().symbolName();
            for (ModuleRelocBlock block : scan.moduleRelocBlocks()) {
                for (SymposEntry entry : block.entries()) {
                    if (entry.symbol().equals(symbol) || entry.symbol().equals(name)) {
                        return Optional.of(new NamedSpan(symbol, word, Optional.of(block.objectName()), entry.pos()));
                    }
                }
            }
            return Optional.of(new NamedSpan(symbol, word));
        }
        return Optional.empty();
    }

    private static NamedSpan annotated(RelocSymbol reloc, Span span) {
        return new NamedSpan(reloc.symbolName(), span, Optional.of(reloc.symbolObject()), reloc.pos());
    }

    private static Span wordAt(String text, int offset) {
        int start = Math.min(Math.max(offset, 0), text.length());
        int end = start;
        while (start > 0 && isIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        return new Span(start, end);
    }

    private static boolean isIdentifierPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private Set<String> otherDefinitions(Path file) {
        Set<String> names = new HashSet<>();
        workspaceDefinitions.forEach((path, defined) -> {
            if (!path.equals(file)) {
                names.addAll(defined);
            }
        });
        return names;
    }
}
