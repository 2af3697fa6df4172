// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Code;
import dev.klplsp.check.FunctionRiskText;
import dev.klplsp.check.NameText;
import dev.klplsp.check.OptimizationCheck;
import dev.klplsp.check.OptimizationText;
import dev.klplsp.check.Severity;
import dev.klplsp.check.SymposText;
import dev.klplsp.check.UnresolvedText;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SymbolType;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.ObjectNameRef;
import dev.klplsp.source.RelocSymbol;
import dev.klplsp.source.ScanProblem;
import dev.klplsp.source.SourceEdits;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.SymposEntry;
import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The as-you-type analysis of one livepatch C file: every external name the file declares but the workspace
 * does not define is looked up in the kernel index (unresolved, ambiguous, risky function reference), every
 * sympos annotation and {@code klp_func .old_sympos} is checked against the kernel's count, and object names
 * are checked for the characters the kernel cannot take. With the kernel's debug information, function
 * references and replaced functions are checked against what the compiler did ({@link OptimizationCheck}).
 */
final class SourceAnalyzer {
    private final Path file;
    private final SourceScan scan;
    private final Optional<KernelLookups> index;
    private final Settings settings;
    private final Set<String> workspaceDefinitions;
    private final OptimizationFacts optimization;
    private final List<FileDiagnostic> out = new ArrayList<>();

    /** @param optimization the kernel's debug information per object ({@link OptimizationFacts#NONE} without) */
    SourceAnalyzer(Path file, SourceScan scan, Optional<KernelLookups> index, Settings settings,
            Set<String> workspaceDefinitions, OptimizationFacts optimization) {
        this.file = file;
        this.scan = scan;
        this.index = index;
        this.settings = settings;
        this.workspaceDefinitions = workspaceDefinitions;
        this.optimization = optimization;
    }

    List<FileDiagnostic> run() {
        objectNames();
        scanProblems();
        if (index.isPresent()) {
            KernelLookups kernel = index.get();
            Set<String> annotated = annotations(kernel);
            externals(kernel, annotated);
            klpFuncs(kernel);
        }
        out.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
        return List.copyOf(out);
    }

    private void objectNames() {
        for (ObjectNameRef ref : scan.objectNames()) {
            String name = ref.name();
            NameText.objectName(name).ifPresent(message -> {
                List<Fix> fixes = name.contains("-") && !NameText.moduleObject(name).contains(".")
                        && NameText.objectName(NameText.moduleObject(name)).isEmpty()
                        ? List.of(new Fix(NameText.objectNameFix(name), file, SourceEdits.normalizeObjectName(scan,
                                ref), true))
                        : List.of();
                out.add(diagnostic(ref.span(), Code.INVALID_OBJECT_NAME, message, name, List.of(), fixes));
            });
        }
    }

    private void scanProblems() {
        for (ScanProblem problem : scan.problems()) {
            Code code = switch (problem.kind()) {
                case SYMPOS_MISSING, SYMPOS_NOT_A_NUMBER -> Code.BAD_SYMPOS;
                case MODULE_RELOC_OBJECT_SYNTAX, MODULE_RELOC_ENTRY_SYNTAX, RELOC_SYMBOL_ARGUMENTS,
                        RELOC_LABEL_MALFORMED -> Code.MALFORMED_ANNOTATION;
                default -> null;
            };
            if (code != null) {
                out.add(diagnostic(problem.span(), code, problem.message(), "", List.of(), List.of()));
            }
        }
    }

    /** Checks every written sympos; returns the symbol names that carry an annotation. */
    private Set<String> annotations(KernelLookups kernel) {
        Set<String> annotated = new LinkedHashSet<>();
        Map<String, Map<Integer, Span>> positions = new LinkedHashMap<>();
        for (ModuleRelocBlock block : scan.moduleRelocBlocks()) {
            for (SymposEntry entry : block.entries()) {
                annotated.add(entry.symbol());
                if (entry.pos().isEmpty()) {
                    continue;
                }
                int pos = entry.pos().getAsInt();
                positions.computeIfAbsent(normalize(block.objectName()) + "." + entry.symbol(),
                        key -> new LinkedHashMap<>()).putIfAbsent(pos, entry.posSpan().orElse(entry.span()));
                checkPosition(kernel, normalize(block.objectName()), entry.symbol(), pos, entry.symbolSpan(),
                        "KLP_SYMPOS", p -> SourceEdits.setSympos(scan, entry, p));
            }
        }
        for (RelocSymbol reloc : scan.relocSymbols()) {
            annotated.add(reloc.declaredName());
            annotated.add(reloc.symbolName());
            if (reloc.pos().isEmpty()) {
                continue;
            }
            int pos = reloc.pos().getAsInt();
            String object = normalize(reloc.symbolObject());
            positions.computeIfAbsent(object + "." + reloc.symbolName(), key -> new LinkedHashMap<>())
                    .putIfAbsent(pos, reloc.posSpan().orElse(reloc.span()));
            checkPosition(kernel, object, reloc.symbolName(), pos, reloc.symbolNameSpan(),
                    reloc.form().isMacro() ? "KLP_RELOC_SYMBOL_POS" : "asm label", posReplacer(reloc));
        }
        positions.forEach((key, byPosition) -> {
            if (byPosition.size() > 1) {
                String object = key.substring(0, key.indexOf('.'));
                String name = key.substring(key.indexOf('.') + 1);
                List<String> choices = byPosition.entrySet().stream().map(choice -> object + "," + choice.getKey()
                        + " (line " + (scan.lines().lineOf(choice.getValue().start()) + 1) + ")").toList();
                for (Span span : byPosition.values()) {
                    out.add(diagnostic(span, Code.BAD_SYMPOS, SymposText.conflicting(name, choices), name, List.of(),
                            List.of()));
                }
            }
        });
        return annotated;
    }

    /** Builds the edits that set a new position in an existing annotation. */
    @FunctionalInterface
    private interface Replacer {
        List<TextEdit> edits(int pos);
    }

    private Replacer posReplacer(RelocSymbol reloc) {
        Optional<ExternalDeclaration> declaration = scan.externals().stream()
                .filter(external -> external.relocSymbol().map(reloc::equals).orElse(false)).findFirst();
        if (declaration.isPresent()) {
            return pos -> SourceEdits.setRelocSymbol(scan, declaration.get(),
                    reloc.lpObject().orElse(reloc.symbolObject()), reloc.symbolObject(), reloc.symbolName(), pos);
        }
        if (reloc.posSpan().isPresent()) {
            Span span = reloc.posSpan().get();
            return pos -> List.of(new TextEdit(span, Integer.toString(pos)));
        }
        return null;
    }

    /** Checks one annotation (object, name, pos) the way the kernel's klp_find_object_symbol() would resolve it. */
    private void checkPosition(KernelLookups kernel, String object, String name, int pos, Span nameSpan,
            String origin, Replacer replacer) {
        List<KernelSymbol> inObject = counted(kernel.lookup(object, name));
        if (inObject.isEmpty()) {
            reportUnresolved(kernel, name, object, nameSpan, "", null);
            return;
        }
        int count = inObject.size();
        String problem = null;
        if (pos == 0 && count > 1) {
            problem = SymposText.zeroNotUnique(name, object, count, origin);
        } else if (pos > count) {
            problem = SymposText.beyondCount(name, object, pos, count, origin);
        }
        if (problem == null) {
            inObject.stream().filter(symbol -> symbol.sympos() == Math.max(pos, 1) || count == 1).findFirst()
                    .ifPresent(symbol -> reportRisk(kernel, symbol, nameSpan));
            return;
        }
        List<Candidate> candidates = inObject.stream().map(Candidate::of).toList();
        List<Fix> fixes = new ArrayList<>();
        if (replacer != null) {
            for (Candidate candidate : candidates) {
                fixes.add(new Fix(SymposText.chooseFix(candidate), file, replacer.edits(candidate.sympos()),
                        candidates.size() == 1));
            }
        }
        out.add(diagnostic(nameSpan, Code.BAD_SYMPOS, problem, name, candidates, fixes));
    }

    private void externals(KernelLookups kernel, Set<String> annotated) {
        for (ExternalDeclaration external : scan.externals()) {
            String name = external.name();
            String symbol = external.symbolName();
            if (workspaceDefinitions.contains(name) || external.relocSymbol().isPresent()
                    || annotated.contains(symbol) || annotated.contains(name) || isLivepatchPlumbing(name)) {
                continue;
            }
            List<KernelSymbol> all = counted(kernel.lookup(symbol));
            if (all.isEmpty()) {
                reportUnresolved(kernel, symbol, null, external.nameSpan(), "", external);
                continue;
            }
            Optional<KernelSymbol> exported = kernel.export(symbol)
                    .flatMap(export -> all.stream().filter(s -> s.object().equals(export.object())).findFirst());
            if (all.size() == 1 || exported.isPresent() && counted(kernel.lookup(exported.get().object(), symbol))
                    .size() == 1) {
                reportRisk(kernel, exported.orElse(all.get(0)), external.nameSpan());
                continue;
            }
            reportAmbiguous(external, symbol, all);
        }
    }

    private void reportAmbiguous(ExternalDeclaration external, String symbol, List<KernelSymbol> all) {
        List<Candidate> candidates = all.stream().map(Candidate::of).toList();
        AnnotationStyle style = scan.annotationStyle() == AnnotationStyle.NONE ? settings.annotationStyle()
                : scan.annotationStyle();
        List<Fix> fixes = candidates.stream().map(candidate -> new Fix(SymposText.chooseFix(candidate), file,
                AnnotationEdits.annotate(scan, external, candidate.object(), candidate.sympos(), style), false))
                .toList();
        out.add(diagnostic(external.nameSpan(), Code.AMBIGUOUS_SYMBOL,
                SymposText.ambiguous(symbol, candidates, "symbols", SymposText.ANNOTATE), symbol, candidates, fixes));
    }

    private void klpFuncs(KernelLookups kernel) {
        for (KlpFunc func : scan.klpFuncs()) {
            if (func.oldName().isEmpty() || func.oldNameSpan().isEmpty()) {
                continue;
            }
            String name = func.oldName().get();
            Span nameSpan = func.oldNameSpan().get();
            String object = normalize(func.objectName().orElse(KernelSymbol.VMLINUX));
            List<KernelSymbol> inObject = counted(kernel.lookup(object, name));
            int pos = func.oldSympos().orElse(0);
            if (inObject.isEmpty()) {
                if (!reportReplaced(kernel, object, name, pos, nameSpan)) {
                    reportUnresolved(kernel, name, object, nameSpan, "klp_func .old_name: ", null);
                }
                continue;
            }
            int count = inObject.size();
            if (pos == 0 && count == 1 || pos > 0 && pos <= count) {
                reportReplaced(kernel, object, name, pos, nameSpan);
                continue;
            }
            List<Candidate> candidates = inObject.stream().map(Candidate::of).toList();
            List<Fix> fixes = candidates.stream().map(candidate -> new Fix(SymposText.chooseFix(candidate), file,
                    AnnotationEdits.setOldSympos(scan, func, candidate.sympos()), false)).toList();
            if (pos == 0) {
                out.add(diagnostic(nameSpan, Code.AMBIGUOUS_SYMBOL, "klp_func " + SymposText.ambiguous(name,
                        candidates, "functions", SymposText.SET_OLD_SYMPOS), name, candidates, fixes));
            } else {
                out.add(diagnostic(func.oldSymposSpan().orElse(nameSpan), Code.BAD_SYMPOS,
                        SymposText.beyondCount(name, object, pos, count, ".old_sympos"), name, candidates, fixes));
            }
        }
    }

    /**
     * No symbol of that name (in {@code object}, when given): suggests compiler clones and close names, and
     * offers a rename when exactly one clear target exists.
     */
    private void reportUnresolved(KernelLookups kernel, String name, String object, Span span, String prefix,
            ExternalDeclaration external) {
        List<KernelSymbol> clones = counted(kernel.cloneFamily(name)).stream()
                .filter(clone -> object == null || clone.object().equals(object)).toList();
        List<String> elsewhere = object == null ? List.of() : counted(kernel.lookup(name)).stream()
                .map(KernelSymbol::object).distinct().toList();
        List<String> close = clones.isEmpty() && elsewhere.isEmpty() ? kernel.closeNames(name) : List.of();
        List<Fix> fixes = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Set<String> cloneNames = clones.stream().map(KernelSymbol::name).collect(Collectors.toCollection(
                LinkedHashSet::new));
        clones.forEach(clone -> candidates.add(Candidate.of(clone)));
        close.forEach(other -> counted(kernel.lookup(other)).forEach(s -> candidates.add(Candidate.of(s))));
        if (cloneNames.size() == 1) {
            String target = cloneNames.iterator().next();
            fixes.add(new Fix(UnresolvedText.useCloneFix(target), file, external != null
                    ? AnnotationEdits.asmLabel(scan, external, target) : List.of(new TextEdit(span, target)), true));
        } else if (close.size() == 1) {
            String target = close.get(0);
            fixes.add(new Fix(UnresolvedText.renameFix(target), file, external != null
                    ? AnnotationEdits.rename(scan, external, target) : List.of(new TextEdit(span, target)), true));
        }
        String message = prefix + UnresolvedText.unresolved(name, Optional.ofNullable(object), false, elsewhere,
                clones.stream().map(clone -> clone.object() + " " + clone.name()).distinct().limit(5).toList(),
                close);
        out.add(diagnostic(span, Code.UNRESOLVED_SYMBOL, message, name, candidates, fixes));
    }

    /** A resolved function reference is risky when the compiler made clones of it (callers may use those). */
    private void reportRisk(KernelLookups kernel, KernelSymbol symbol, Span span) {
        if (symbol.init()) {
            out.add(diagnostic(span, Code.INIT_SYMBOL, UnresolvedText.init(symbol.name(), symbol.object()),
                    symbol.name(), List.of(Candidate.of(symbol)), List.of()));
            return;
        }
        Optional<Severity> reported = settings.functionReferences().severity();
        if (symbol.type() != SymbolType.FUNC || symbol.isExported()) {
            return;
        }
        List<KernelSymbol> clones = kernel.cloneFamily(symbol.name()).stream()
                .filter(clone -> clone.object().equals(symbol.object())).toList();
        Optional<OptimizationIndex> facts = optimization.index(symbol.object());
        Optional<String> note = Optional.of(OptimizationText.debugInfoHint(kernel.index().release()));
        if (facts.isPresent()) {
            OptimizationCheck.Call call = OptimizationCheck.called(facts.get(), symbol.name(), symbol.sympos());
            switch (call.kind()) {
                case TRANSFORMED -> {
                    out.add(diagnostic(span, Code.FUNCTION_TRANSFORMED, call.text(), symbol.name(),
                            List.of(Candidate.of(symbol)), List.of()));
                    return;
                }
                case STILL_RISKY -> {
                    reported.ifPresent(severity -> out.add(new FileDiagnostic(span, Code.FUNCTION_SYMBOL_RISK,
                            severity, FunctionRiskText.exact(symbol.name(), symbol.object(), call.text(), List.of()),
                            symbol.name(), clones.stream().map(Candidate::of).toList(), List.of())));
                    return;
                }
                case AS_WRITTEN -> {
                    return; // as before debug information: a plain call is no finding in the source
                }
                case UNDESCRIBED -> note = Optional.of(call.text());
            }
        }
        if (reported.isEmpty() || clones.isEmpty()) {
            return;
        }
        out.add(new FileDiagnostic(span, Code.FUNCTION_SYMBOL_RISK, reported.get(),
                FunctionRiskText.message(symbol.name(), symbol.object(),
                        List.of(FunctionRiskText.clones(clones.stream().map(KernelSymbol::name).toList())), note),
                symbol.name(), clones.stream().map(Candidate::of).toList(), List.of()));
    }

    /**
     * What the object's debug information says about the function a klp_func replaces ({@link OptimizationCheck});
     * whether it said something.
     */
    private boolean reportReplaced(KernelLookups kernel, String object, String name, int pos, Span nameSpan) {
        Optional<OptimizationIndex> facts = optimization.index(object);
        if (facts.isEmpty()) {
            return false;
        }
        List<OptimizationCheck.Replacement> patch = scan.klpFuncs().stream()
                .filter(func -> func.oldName().isPresent()
                        && normalize(func.objectName().orElse(KernelSymbol.VMLINUX)).equals(object))
                .map(func -> new OptimizationCheck.Replacement(func.oldName().get(), func.oldSympos().orElse(0)))
                .toList();
        List<OptimizationCheck.Verdict> verdicts = OptimizationCheck.replaced(facts.get(), name, pos, patch);
        for (OptimizationCheck.Verdict verdict : verdicts) {
            List<Candidate> related = new ArrayList<>();
            for (OutOfLineInstance copy : verdict.related()) {
                counted(kernel.lookup(object, copy.symbol())).stream()
                        .filter(symbol -> symbol.sympos() == copy.sympos()).findFirst().map(Candidate::of)
                        .ifPresent(related::add);
            }
            out.add(diagnostic(nameSpan, verdict.code(), verdict.message(), name, related, List.of()));
        }
        return !verdicts.isEmpty();
    }

    /** A finding with its code's default severity (the rule table, {@link Code#defaultSeverity}). */
    private static FileDiagnostic diagnostic(Span span, Code code, String message, String symbol,
            List<Candidate> candidates, List<Fix> fixes) {
        return new FileDiagnostic(span, code, code.defaultSeverity(), message, symbol, candidates, fixes);
    }

    private static List<KernelSymbol> counted(List<KernelSymbol> symbols) {
        return symbols.stream().filter(KernelSymbol::isCounted).toList();
    }

    /** Module objects are named with '_' at runtime; a written '-' is reported separately. */
    private static String normalize(String object) {
        return object.replace('-', '_');
    }

    /** Declarations every livepatch has that are not kernel references to check. */
    private static boolean isLivepatchPlumbing(String name) {
        return name.equals("__this_module") || name.equals("init_module") || name.equals("cleanup_module");
    }
}
