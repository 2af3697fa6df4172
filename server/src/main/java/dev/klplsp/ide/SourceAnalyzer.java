// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Choice;
import dev.klplsp.check.Code;
import dev.klplsp.check.FunctionRiskText;
import dev.klplsp.check.LookupText;
import dev.klplsp.check.NameText;
import dev.klplsp.check.OptimizationCheck;
import dev.klplsp.check.OptimizationText;
import dev.klplsp.check.Severity;
import dev.klplsp.check.SymposText;
import dev.klplsp.check.UnresolvedText;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SymbolType;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KallsymsRelocEntry;
import dev.klplsp.source.KallsymsRelocTable;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.LookupMigration;
import dev.klplsp.source.LookupNameCall;
import dev.klplsp.source.LookupPointer;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.ObjectNameRef;
import dev.klplsp.source.PointerUse;
import dev.klplsp.source.ProblemKind;
import dev.klplsp.source.RelocSymbol;
import dev.klplsp.source.RuntimeLookups;
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
 * are checked for the characters the kernel cannot take. Run-time lookups (lookup tables and
 * {@code kallsyms_lookup_name} calls) are checked like references, the way the lookup resolves them, and those
 * that can become KLP relocations are marked and planned ({@link #lookupPlan()}). With the kernel's debug
 * information, function references and replaced functions are checked against what the compiler did
 * ({@link OptimizationCheck}).
 */
final class SourceAnalyzer {
    private final Path file;
    private final SourceScan scan;
    private final Optional<KernelLookups> index;
    private final Settings settings;
    private final Set<String> workspaceDefinitions;
    private final OptimizationFacts optimization;
    private final List<FileDiagnostic> out = new ArrayList<>();
    /** Names whose settings choice was checked (a name can be annotated and declared). */
    private final Set<String> checkedChoices = new java.util.HashSet<>();
    private final List<LookupMigration> migrations = new ArrayList<>();
    private final List<FileDiagnostic> blocking = new ArrayList<>();
    private int lookupsLeft;

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
            runtimeLookups(kernel);
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
                if (chosen(kernel, entry.symbol(), entry.symbolSpan(), null)) {
                    continue;
                }
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
            if (chosen(kernel, reloc.symbolName(), reloc.symbolNameSpan(), null)) {
                continue;
            }
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

    /**
     * Checks the explicit choice the settings make for {@code name} (the {@code sympos} setting, which overrides
     * annotations in the module as {@code --sympos} does), once per name; false when there is none.
     */
    private boolean chosen(KernelLookups kernel, String name, Span span, ExternalDeclaration external) {
        Choice choice = settings.sympos().get(name);
        if (choice == null) {
            return false;
        }
        if (!checkedChoices.add(name)) {
            return true;
        }
        String object = normalize(choice.object());
        if (choice.pin().isEmpty()) {
            checkPosition(kernel, object, name, choice.sympos(), span, choice.origin(), null);
            return true;
        }
        CopyPin pin = choice.pin().get();
        CopyPin.Resolution resolution = pin.resolve(kernel.index(), object, name);
        if (resolution.copy().isPresent()) {
            reportRisk(kernel, resolution.copy().get(), span);
        } else if (resolution.problem().orElseThrow() == CopyPin.Problem.NO_COPIES) {
            reportUnresolved(kernel, name, object, span, "", external);
        } else {
            out.add(diagnostic(span, Code.PIN_UNRESOLVED, SymposText.pinUnresolved(name, object, pin, choice.origin(),
                    resolution), name, counted(kernel.lookup(object, name)).stream().map(Candidate::of).toList(),
                    List.of()));
        }
        return true;
    }

    private void externals(KernelLookups kernel, Set<String> annotated) {
        for (ExternalDeclaration external : scan.externals()) {
            String name = external.name();
            String symbol = external.symbolName();
            if (workspaceDefinitions.contains(name) || external.relocSymbol().isPresent()
                    || annotated.contains(symbol) || annotated.contains(name) || isLivepatchPlumbing(name)) {
                continue;
            }
            if (chosen(kernel, symbol, external.nameSpan(), external)) {
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
     * What {@link #run()} found about the run-time lookups: the ones that can become KLP relocations, and the
     * findings that keep the others as they are.
     */
    LookupPlan lookupPlan() {
        return new LookupPlan(migrations, lookupsLeft, blocking, lookupStyle());
    }

    private AnnotationStyle lookupStyle() {
        return scan.annotationStyle() == AnnotationStyle.NONE ? settings.annotationStyle() : scan.annotationStyle();
    }

    // ---- run-time lookups -------------------------------------------------------------------------------------

    private void runtimeLookups(KernelLookups kernel) {
        RuntimeLookups lookups = scan.runtimeLookups();
        // Text the scanner could not read as intended (an unclosed bracket, comment or literal) is not rewritten.
        readable = scan.problems().stream().noneMatch(problem -> UNREADABLE.contains(problem.kind()));
        for (KallsymsRelocEntry entry : lookups.entries()) {
            if (entry.symbol().isPresent()) {
                tableEntry(kernel, lookups, entry);
            }
        }
        for (LookupNameCall call : lookups.lookupNameCalls()) {
            lookupNameCall(kernel, lookups, call);
        }
    }

    /** An entry resolves like the helper walks kallsyms: in its object, the sympos-th match, the first for 0. */
    private void tableEntry(KernelLookups kernel, RuntimeLookups lookups, KallsymsRelocEntry entry) {
        String name = entry.symbol().orElseThrow();
        String object = normalize(entry.object().orElse(KernelSymbol.VMLINUX));
        Span span = entry.symbolSpan();
        int before = out.size();
        List<KernelSymbol> inObject = counted(kernel.lookup(object, name));
        int count = inObject.size();
        int pos = entry.sympos().orElse(0);
        List<Candidate> candidates = inObject.stream().map(Candidate::of).toList();
        if (count == 0) {
            reportUnresolved(kernel, name, object, span, "", null);
        } else if (pos == 0 && count > 1) {
            out.add(diagnostic(span, Code.AMBIGUOUS_SYMBOL, SymposText.runtimeAmbiguous(name, candidates,
                    "the run-time lookup", firstCopy(candidates), LookupText.SET_ENTRY_SYMPOS), name, candidates,
                    symposChoices(entry, candidates)));
        } else if (pos > count) {
            out.add(diagnostic(entry.symposSpan().orElse(span), Code.BAD_SYMPOS, SymposText.beyondCount(name, object,
                    pos, count, "run-time lookup sympos"), name, candidates, symposChoices(entry, candidates)));
        } else {
            KernelSymbol symbol = count == 1 ? inObject.get(0)
                    : inObject.stream().filter(s -> s.sympos() == pos).findFirst().orElse(inObject.get(0));
            Optional<String> tableInUse = lookups.tableOf(entry).filter(KallsymsRelocTable::usedElsewhere)
                    .map(table -> "the code uses the table " + table.name() + " besides walking it");
            lookupResolved(kernel, lookups, entry.pointer(), symbol, pos, span, null, tableInUse);
            return;
        }
        blocking.addAll(out.subList(before, out.size()));
        lookupsLeft++;
    }

    /**
     * {@code kallsyms_lookup_name} looks in vmlinux first, then in the modules (newest first), and takes the first
     * match; {@code "module:name"} looks in that module only.
     */
    private void lookupNameCall(KernelLookups kernel, RuntimeLookups lookups, LookupNameCall call) {
        String written = call.symbol().orElse("");
        boolean unexported = kernel.hasExports() && !kernel.isExportedByVmlinux(LOOKUP_NAME);
        Optional<FileDiagnostic> notExported = unexported ? Optional.of(diagnostic(call.site().calleeSpan(),
                Code.KALLSYMS_LOOKUP_NAME, LookupText.lookupNameNotExported(written), LOOKUP_NAME, List.of(),
                List.of())) : Optional.empty();
        if (call.symbol().isEmpty()) {
            notExported.ifPresent(out::add);
            return;
        }
        int colon = written.indexOf(':');
        String name = colon >= 0 ? written.substring(colon + 1) : written;
        List<KernelSymbol> matches = colon >= 0 ? counted(kernel.lookup(normalize(written.substring(0, colon)), name))
                : counted(kernel.lookup(KernelSymbol.VMLINUX, name));
        if (matches.isEmpty() && colon < 0) {
            matches = counted(kernel.lookup(name));
        }
        Span span = call.symbolSpan();
        int before = out.size();
        if (matches.isEmpty()) {
            notExported.ifPresent(out::add);
            reportUnresolved(kernel, name, colon >= 0 ? normalize(written.substring(0, colon)) : null, span, "", null);
        } else if (matches.size() > 1) {
            notExported.ifPresent(out::add);
            List<Candidate> candidates = matches.stream().map(Candidate::of).toList();
            boolean oneObject = candidates.stream().map(Candidate::object).distinct().count() == 1;
            // Each fix makes the lookup a KLP relocation of one copy: the choice a lookup call itself cannot carry.
            List<Fix> fixes = new ArrayList<>();
            for (KernelSymbol symbol : matches) {
                migration(lookups, call.assignedPointer(), symbol, symbol.sympos()).ifPresent(migration -> fixes.add(
                        convertFix(migration, SymposText.chooseFix(Candidate.of(symbol)))));
            }
            out.add(diagnostic(span, Code.AMBIGUOUS_SYMBOL, SymposText.runtimeAmbiguous(name, candidates, LOOKUP_NAME,
                    oneObject ? firstCopy(candidates) : Optional.empty(), LookupText.CHOOSE_COPY), name, candidates,
                    fixes));
        } else {
            lookupResolved(kernel, lookups, call.assignedPointer(), matches.get(0), 0, span, notExported.orElse(null),
                    Optional.empty());
            return;
        }
        blocking.addAll(out.subList(before, out.size()));
        lookupsLeft++;
    }

    /**
     * A lookup that names one symbol: its risks, and either a plan to make it a KLP relocation (marked with a
     * {@code runtime-lookup} info carrying the fix) or the reason it cannot be one automatically.
     *
     * @param notExported the {@code kallsyms-lookup-name} error of the call, which the same fix resolves
     * @param tableInUse why the entry's table cannot lose entries, if it cannot
     */
    private void lookupResolved(KernelLookups kernel, RuntimeLookups lookups, Optional<String> pointer,
            KernelSymbol symbol, int pos, Span span, FileDiagnostic notExported, Optional<String> tableInUse) {
        int before = out.size();
        reportRisk(kernel, symbol, span);
        if (symbol.init()) {
            if (notExported != null) {
                out.add(notExported);
            }
            blocking.addAll(out.subList(before, out.size()));
            lookupsLeft++;
            return;
        }
        Optional<String> reason = pointer.isEmpty() ? Optional.of("its address is not stored in a pointer of this file")
                : tableInUse.or(() -> unconvertible(lookups, pointer.get()));
        String name = symbol.name();
        if (reason.isPresent()) {
            FileDiagnostic info = diagnostic(span, Code.RUNTIME_LOOKUP, LookupText.notConvertible(name, reason.get()),
                    name, List.of(Candidate.of(symbol)), List.of());
            out.add(info);
            blocking.add(info);
            if (notExported != null) {
                out.add(notExported);
                blocking.add(notExported); // the call stays, and with it the error
            }
            lookupsLeft++;
            return;
        }
        LookupMigration migration = migration(lookups, pointer, symbol, pos).orElseThrow();
        migrations.add(migration);
        Fix fix = convertFix(migration, LookupText.convertFix(migration.pointer(), name, symbol.object(), pos));
        out.add(diagnostic(span, Code.RUNTIME_LOOKUP, LookupText.runtime(pointer.get(), name, symbol.object()), name,
                List.of(Candidate.of(symbol)), List.of(fix)));
        if (notExported != null) {
            out.add(new FileDiagnostic(notExported.span(), notExported.code(), notExported.severity(),
                    notExported.message(), notExported.symbol(), List.of(), List.of(fix)));
        }
    }

    /** The lookup as a migration when its pointer can become the symbol; the patched object is the symbol's own. */
    private Optional<LookupMigration> migration(RuntimeLookups lookups, Optional<String> pointer, KernelSymbol symbol,
            int pos) {
        if (pointer.isEmpty() || unconvertible(lookups, pointer.get()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new LookupMigration(pointer.get(), symbol.name(), symbol.object(), symbol.object(), pos));
    }

    private Fix convertFix(LookupMigration migration, String title) {
        AnnotationStyle style = lookupStyle();
        return Fix.lazy(title, file, false, () -> SourceEdits.migrateLookups(scan, List.of(migration), style));
    }

    /** Why a pointer cannot simply become the symbol it is filled with; empty when it can. */
    private Optional<String> unconvertible(RuntimeLookups lookups, String pointer) {
        if (!readable) {
            return Optional.of("the file has brackets, comments, literals or #if blocks that do not close");
        }
        List<LookupPointer> declarations = lookups.declarationsOf(pointer);
        if (declarations.isEmpty()) {
            return Optional.of(pointer + " is not declared in this file");
        }
        Optional<String> problem = declarations.stream().flatMap(d -> d.problem().stream()).findFirst();
        if (problem.isPresent()) {
            return Optional.of(pointer + ": " + problem.get());
        }
        int fills = lookups.fillCount(pointer);
        if (fills > 1) {
            return Optional.of(pointer + " is filled by " + fills + " lookups");
        }
        for (PointerUse use : lookups.usesOf(pointer)) {
            if (!use.shape().rewritable()) {
                int line = scan.lines().lineOf(use.span().start()) + 1;
                return Optional.of(switch (use.shape()) {
                    case ASSIGNED -> "the code changes " + pointer + " itself (line " + line + ")";
                    case ADDRESS -> "the code takes the address of " + pointer + " (line " + line + ")";
                    default -> "the macro " + use.span().textOf(scan.text()) + " uses " + pointer + " (line " + line
                            + "), and macros are not rewritten";
                });
            }
        }
        return Optional.empty();
    }

    /** One fix per candidate, writing its sympos into the entry. */
    private List<Fix> symposChoices(KallsymsRelocEntry entry, List<Candidate> candidates) {
        return candidates.stream().map(candidate -> new Fix(SymposText.chooseFix(candidate), file,
                SourceEdits.setLookupSympos(scan, entry, candidate.sympos()), false)).toList();
    }

    /** The copy a lookup without sympos binds: the first in kallsyms order, sympos 1. */
    private static Optional<Candidate> firstCopy(List<Candidate> candidates) {
        return candidates.stream().filter(candidate -> candidate.sympos() == 1).findFirst();
    }

    private static final String LOOKUP_NAME = "kallsyms_lookup_name";
    private static final Set<ProblemKind> UNREADABLE = Set.of(ProblemKind.UNBALANCED_BRACKET,
            ProblemKind.UNTERMINATED_COMMENT, ProblemKind.UNTERMINATED_LITERAL, ProblemKind.UNTERMINATED_CONDITIONAL,
            ProblemKind.STRAY_CONDITIONAL);
    private boolean readable = true;

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
