// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.KlpNames;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Symbol;
import dev.klplsp.elf.SymbolTable;
import dev.klplsp.kernel.CopyIdentity;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks one livepatch module against several kernels (the builds a distribution ships it for): each kernel on
 * its own with {@link ModuleChecker}, then what only a comparison shows. A number that is right for one build can
 * name another copy in the next, so every reference resolved by a number (an annotation, a numeric choice, a
 * minimal-style name, a {@code .klp.sym} symbol already in the module) is followed by {@link CopyAcross}: when the
 * copy it names in the first kernel (the reference, the build the number was written for) has another sympos in a
 * kernel, that kernel gets {@code sympos-moved}; when no copy there can be told to be that one,
 * {@code copy-unmatched}. References pinned by identity resolve in each kernel on their own and need no comparison.
 *
 * <p>Pure, like {@link ModuleChecker}: reads the module and the indexes, returns data.
 */
public final class KernelsCheck {
    private KernelsCheck() {
    }

    /** A reference resolved by a number: the symbol-table index, and what it resolves as. */
    private record Reference(int symbolIndex, String object, String name, long sympos) {
    }

    /**
     * Checks {@code module} against each kernel and compares the copies its numbers name.
     *
     * @param kernels at least one, with distinct names; the first is the reference for numbers
     */
    public static KernelsResult check(ElfObject module, List<TargetKernel> kernels, CheckConfig config) {
        if (kernels.isEmpty()) {
            throw new IllegalArgumentException("no kernel to check against");
        }
        if (kernels.stream().map(TargetKernel::name).distinct().count() != kernels.size()) {
            throw new IllegalArgumentException("two kernels share a name: " + kernels.stream().map(TargetKernel::name)
                    .toList());
        }
        List<CheckResult> own = new ArrayList<>();
        // The debug information is the first kernel's: another kernel's functions are other binaries.
        CheckConfig withoutDebugInfo = config.withOptimization(OptimizationFacts.NONE);
        for (int k = 0; k < kernels.size(); k++) {
            own.add(ModuleChecker.check(module, kernels.get(k).index(), k == 0 ? config : withoutDebugInfo));
        }
        List<List<Finding>> across = kernels.size() > 1 ? compare(module, kernels, own, config)
                : List.of(List.of());
        Map<String, List<CopyAcross>> rows = new HashMap<>();
        List<KernelsResult.PerKernel> perKernel = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            List<Finding> findings = new ArrayList<>();
            for (Finding finding : own.get(k).findings()) {
                findings.add(kernels.size() > 1 ? withChoicesAcross(finding, kernels, k, rows) : finding);
            }
            findings.addAll(across.get(k));
            perKernel.add(new KernelsResult.PerKernel(kernels.get(k).name(), new CheckResult(findings,
                    own.get(k).plan())));
        }
        return new KernelsResult(perKernel, merge(perKernel));
    }

    /** A finding that chooses a copy, with the choices that hold across the kernels ({@link #choicesAcross}). */
    private static Finding withChoicesAcross(Finding finding, List<TargetKernel> kernels, int k,
            Map<String, List<CopyAcross>> rows) {
        boolean choosesCopy = finding.code() == Code.AMBIGUOUS_SYMBOL || finding.code() == Code.BAD_SYMPOS
                || finding.code() == Code.PIN_UNRESOLVED;
        if (!choosesCopy || finding.object() == null || finding.symbol() == null) {
            return finding;
        }
        List<SymposChoice> fixes = choicesAcross(kernels, k, finding.object(), finding.symbol(), finding.fixes(),
                rows);
        return fixes.equals(finding.fixes()) ? finding : new Finding(finding.code(), finding.severity(),
                finding.message(), finding.symbol(), finding.object(), finding.location(), finding.candidates(), fixes,
                finding.kernelMessage());
    }

    /**
     * The choices a finding about {@code object.name} offers when several kernels are checked and the name's copies
     * do not have the same sympos in each: a pin by identity for each copy one names in every kernel, then those of
     * {@code choices} whose number names the same copy everywhere (a number that fits one kernel only is dropped;
     * a rename or another object's choice is kept). Unchanged when the positions agree.
     *
     * @param kernel the kernel whose numbers {@code choices} are
     * @param cache  {@link CopyAcross} rows by object and name, shared between calls
     */
    public static List<SymposChoice> choicesAcross(List<TargetKernel> kernels, int kernel, String object, String name,
            List<SymposChoice> choices, Map<String, List<CopyAcross>> cache) {
        if (kernels.size() < 2 || !CopyAcross.duplicatedSomewhere(kernels, object, name)) {
            return choices;
        }
        List<CopyAcross> rows = cache.computeIfAbsent(object + "\0" + name, key -> CopyAcross.of(kernels, object,
                name));
        if (rows.stream().allMatch(CopyAcross::sameSymposEverywhere)) {
            return choices;
        }
        List<SymposChoice> result = new ArrayList<>();
        for (CopyAcross row : rows) {
            row.pin().ifPresent(pin -> result.add(SymposChoice.pinned(object, name, pin)));
        }
        KernelIndex index = kernels.get(kernel).index();
        for (SymposChoice choice : choices) {
            if (choice.pin().isPresent() || !choice.object().equals(object) || !choice.name().equals(name)) {
                result.add(choice);
                continue;
            }
            index.resolve(object, name, (int) choice.sympos()).flatMap(copy -> CopyAcross.rowOf(rows, kernel, copy))
                    .filter(CopyAcross::sameSymposEverywhere).ifPresent(row -> result.add(choice));
        }
        return result;
    }

    /** Every distinct finding once, with the kernels it holds in. */
    static List<KernelsResult.Merged> merge(List<KernelsResult.PerKernel> perKernel) {
        Map<List<Object>, Finding> first = new LinkedHashMap<>();
        Map<List<Object>, List<String>> where = new HashMap<>();
        for (KernelsResult.PerKernel kernel : perKernel) {
            for (Finding finding : kernel.result().findings()) {
                List<Object> key = java.util.Arrays.asList(finding.code(), finding.severity(), finding.symbol(),
                        finding.object(), finding.location(), finding.message());
                first.putIfAbsent(key, finding);
                List<String> kernels = where.computeIfAbsent(key, k -> new ArrayList<>());
                if (!kernels.contains(kernel.kernel())) {
                    kernels.add(kernel.kernel());
                }
            }
        }
        List<KernelsResult.Merged> merged = new ArrayList<>();
        first.forEach((key, finding) -> merged.add(new KernelsResult.Merged(finding, where.get(key))));
        return merged;
    }

    private static List<List<Finding>> compare(ElfObject module, List<TargetKernel> kernels, List<CheckResult> own,
            CheckConfig config) {
        List<Map<Integer, Reference>> references = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            references.add(numberedReferences(module, own.get(k).plan(), config));
        }
        List<List<Finding>> added = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            added.add(new ArrayList<>());
        }
        Map<String, List<CopyAcross>> rows = new HashMap<>();
        for (Reference ref : references.get(0).values()) {
            long[] sympos = new long[kernels.size()];
            for (int k = 0; k < kernels.size(); k++) {
                Reference there = references.get(k).get(ref.symbolIndex());
                // Only the same object and name compare; a kernel whose own check refused the reference has none.
                sympos[k] = there != null && there.object().equals(ref.object()) && there.name().equals(ref.name())
                        ? there.sympos() : -1;
            }
            Optional<ElfLocation> at = Optional.empty();
            for (Divergence divergence : compareNumber(kernels, ref.object(), ref.name(), sympos, rows)) {
                if (at.isEmpty()) {
                    at = firstUse(module, ref.symbolIndex());
                }
                Finding finding = new Finding(divergence.code(), divergence.code().defaultSeverity(),
                        divergence.message(), ref.name(), ref.object(), at, divergence.candidates(),
                        divergence.fixes(), Optional.empty());
                divergence.kernels().forEach(k -> added.get(k).add(finding));
            }
        }
        return added;
    }

    /**
     * Where a number names another copy than in the reference kernel.
     *
     * @param code     {@code sympos-moved} or {@code copy-unmatched}
     * @param kernels  the indexes (into the kernel list) of the kernels it holds in
     * @param fixes    the pin by identity of the reference's copy, when one names it in every kernel
     */
    public record Divergence(Code code, String message, List<Integer> kernels, List<Candidate> candidates,
            List<SymposChoice> fixes) {
    }

    /**
     * Follows the copy {@code object.name,sympos[0]} names in the first kernel into the others, where the number
     * is {@code sympos[k]} (-1: not resolved there, skipped): each kernel where that copy has another sympos gets
     * {@code sympos-moved} (grouped by the sympos it has there), each where no copy can be told to be it gets
     * {@code copy-unmatched}. Nothing when the name has at most one copy in every kernel.
     *
     * @param cache {@link CopyAcross} rows by object and name, shared between calls of one check
     */
    public static List<Divergence> compareNumber(List<TargetKernel> kernels, String object, String name,
            long[] sympos, Map<String, List<CopyAcross>> cache) {
        if (kernels.size() < 2 || sympos[0] < 0 || !CopyAcross.duplicatedSomewhere(kernels, object, name)) {
            return List.of();
        }
        Optional<KernelSymbol> named = kernels.get(0).index().resolve(object, name, (int) sympos[0]);
        if (named.isEmpty()) {
            return List.of();
        }
        List<CopyAcross> rows = cache.computeIfAbsent(object + "\0" + name, key -> CopyAcross.of(kernels, object,
                name));
        Optional<CopyAcross> copy = CopyAcross.rowOf(rows, 0, named.get());
        if (copy.isEmpty()) {
            return List.of();
        }
        CopyAcross row = copy.get();
        Map<Long, List<Integer>> moved = new TreeMap<>();
        Map<String, List<Integer>> unmatched = new LinkedHashMap<>();
        for (int k = 1; k < kernels.size(); k++) {
            if (sympos[k] < 0) {
                continue;
            }
            KernelIndex index = kernels.get(k).index();
            Optional<KernelSymbol> resolved = index.resolve(object, name, (int) sympos[k]);
            if (resolved.isEmpty()) {
                continue; // that kernel's own check says why
            }
            Optional<KernelSymbol> same = row.copies().get(k);
            if (same.isPresent()) {
                if (!same.get().equals(resolved.get())) {
                    moved.computeIfAbsent((long) same.get().sympos(), s -> new ArrayList<>()).add(k);
                }
            } else {
                String thereCopy = CopyIdentity.of(index, resolved.get()).map(CopyIdentity::describe)
                        .orElse("sympos " + sympos[k]);
                unmatched.computeIfAbsent(thereCopy, d -> new ArrayList<>()).add(k);
            }
        }
        String copyName = row.identity().describe();
        List<SymposChoice> fixes = row.pin().map(pin -> List.of(SymposChoice.pinned(object, name, pin)))
                .orElse(List.of());
        List<Divergence> result = new ArrayList<>();
        moved.forEach((there, group) -> result.add(new Divergence(Code.SYMPOS_MOVED,
                SymposText.moved(name, object, sympos[0], copyName, kernels.get(0).name(), there, names(kernels, group),
                        row.pin()),
                group, List.of(Candidate.of(row.copies().get(group.get(0)).get())), fixes)));
        unmatched.forEach((thereCopy, group) -> result.add(new Divergence(Code.COPY_UNMATCHED,
                SymposText.unmatched(name, object, sympos[0], copyName, kernels.get(0).name(), names(kernels, group),
                        thereCopy, row.pin()),
                group, List.of(), fixes)));
        return result;
    }

    private static List<String> names(List<TargetKernel> kernels, List<Integer> indexes) {
        return indexes.stream().map(k -> kernels.get(k).name()).toList();
    }

    /**
     * The references of a module whose copy a number decides in this kernel's check: the plan's conversions not
     * pinned by identity, and the {@code .klp.sym} symbols already in the module (their number is fixed).
     */
    private static Map<Integer, Reference> numberedReferences(ElfObject module, ConversionPlan plan,
            CheckConfig config) {
        Map<Integer, Reference> references = new LinkedHashMap<>();
        for (ConversionPlan.SymbolConversion conversion : plan.symbols()) {
            Choice choice = config.choices().get(conversion.name());
            if (choice != null && choice.pin().isPresent()) {
                continue;
            }
            references.put(conversion.symbolIndex(), new Reference(conversion.symbolIndex(), conversion.object(),
                    conversion.name(), conversion.sympos()));
        }
        Optional<SymbolTable> symtab = module.symbolTable();
        if (symtab.isPresent()) {
            List<Symbol> symbols = symtab.get().symbols();
            for (int i = 1; i < symbols.size(); i++) {
                Symbol symbol = symbols.get(i);
                if (symbol.specialIndex() == Elf.SHN_LIVEPATCH && symbol.section() == null) {
                    int index = i;
                    KlpNames.parseSymbol(symbol.name()).ifPresent(klp -> references.putIfAbsent(index,
                            new Reference(index, klp.object(), klp.name(), klp.sympos())));
                }
            }
        }
        return references;
    }

    /** Where the module first uses a symbol (a relocation against it), as findings point at it. */
    private static Optional<ElfLocation> firstUse(ElfObject module, int symbolIndex) {
        Optional<SymbolTable> symtab = module.symbolTable();
        if (symtab.isEmpty() || symbolIndex >= symtab.get().symbols().size()) {
            return Optional.empty();
        }
        Symbol symbol = symtab.get().symbols().get(symbolIndex);
        for (RelocationSection relocations : module.relocationSections()) {
            if (relocations.target() == null || relocations.target().name().startsWith(ModuleChecker.ANNOTATION_PREFIX)) {
                continue; // an annotation's entry names the symbol; it is not a use
            }
            for (Relocation relocation : relocations.relocations()) {
                if (relocation.symbol() == symbol) {
                    return Optional.of(new ElfLocation(module.path(), relocations.target().name(),
                            relocation.offset(), symbol.name()));
                }
            }
        }
        return Optional.empty();
    }
}
