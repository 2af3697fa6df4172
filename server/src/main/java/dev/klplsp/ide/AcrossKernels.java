// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Code;
import dev.klplsp.check.CopyAcross;
import dev.klplsp.check.KernelsCheck;
import dev.klplsp.check.KernelsText;
import dev.klplsp.check.NameText;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.check.SymposText;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.RelocSymbol;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.SymposEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The as-you-type findings of one file over the configured kernels: each kernel's {@link SourceAnalyzer} findings
 * merged, so a finding that holds in every kernel shows once and one that holds in some says where
 * ({@link KernelsText#qualified}); the numbers the file writes (KLP_SYMPOS, KLP_RELOC_SYMBOL_POS) followed from the
 * first kernel into the others ({@link KernelsCheck#compareNumber}: {@code sympos-moved}, {@code copy-unmatched});
 * and, where a name's copies have different positions in different kernels, fixes that pin the copy by identity in
 * the settings instead of numbers that fit one kernel only.
 */
final class AcrossKernels {
    private final Path file;
    private final SourceScan scan;
    private final List<TargetKernel> kernels;
    private final List<String> names;
    private final Settings settings;
    private final Map<String, List<CopyAcross>> copies = new HashMap<>();

    AcrossKernels(Path file, SourceScan scan, List<TargetKernel> kernels, Settings settings) {
        this.file = file;
        this.scan = scan;
        this.kernels = kernels;
        this.names = kernels.stream().map(TargetKernel::name).toList();
        this.settings = settings;
    }

    /** Merges the findings of each kernel's analysis (in the order of {@code kernels}). */
    List<FileDiagnostic> merge(List<List<FileDiagnostic>> perKernel) {
        Map<List<Object>, FileDiagnostic> first = new LinkedHashMap<>();
        Map<List<Object>, List<String>> where = new HashMap<>();
        Map<List<Object>, Integer> firstKernel = new HashMap<>();
        for (int k = 0; k < perKernel.size(); k++) {
            for (FileDiagnostic diagnostic : perKernel.get(k)) {
                List<Object> key = Arrays.asList(diagnostic.span(), diagnostic.code(), diagnostic.severity(),
                        diagnostic.symbol(), diagnostic.message());
                if (first.putIfAbsent(key, diagnostic) == null) {
                    firstKernel.put(key, k);
                }
                List<String> holds = where.computeIfAbsent(key, x -> new ArrayList<>());
                if (!holds.contains(names.get(k))) {
                    holds.add(names.get(k));
                }
            }
        }
        List<FileDiagnostic> merged = new ArrayList<>();
        first.forEach((key, diagnostic) -> merged.add(diagnostic.withKernels(
                KernelsText.qualified(diagnostic.message(), where.get(key), names), where.get(key),
                kernels.size() > 1 ? fixes(diagnostic, firstKernel.get(key)) : diagnostic.fixes())));
        if (kernels.size() > 1) {
            merged.addAll(numbers());
        }
        merged.sort(Comparator.comparingInt(d -> d.span().start()));
        return merged;
    }

    /**
     * The fixes of a finding whose fixes choose a copy, when the name's copies do not have the same sympos in
     * every kernel: a pin by identity per copy that one names in all kernels, and of the numeric fixes only those
     * whose number is the same copy everywhere.
     */
    private List<Fix> fixes(FileDiagnostic diagnostic, int kernel) {
        boolean choosesCopy = diagnostic.code() == Code.AMBIGUOUS_SYMBOL || diagnostic.code() == Code.BAD_SYMPOS
                || diagnostic.code() == Code.PIN_UNRESOLVED;
        if (!choosesCopy || diagnostic.candidates().isEmpty() || onKlpFunc(diagnostic.span())) {
            return diagnostic.fixes();
        }
        String object = diagnostic.candidates().get(0).object();
        String name = diagnostic.symbol();
        // Each numeric fix is the choice of the candidate it is titled after.
        Map<Fix, SymposChoice> numbers = new LinkedHashMap<>();
        for (Fix fix : diagnostic.fixes()) {
            diagnostic.candidates().stream().filter(candidate -> SymposText.chooseFix(candidate).equals(fix.title()))
                    .findFirst().ifPresent(candidate -> numbers.put(fix, candidate.choice()));
        }
        List<SymposChoice> kept = KernelsCheck.choicesAcross(kernels, kernel, object, name,
                List.copyOf(numbers.values()), copies);
        if (kept.equals(List.copyOf(numbers.values()))) {
            return diagnostic.fixes();
        }
        List<Fix> fixes = new ArrayList<>();
        kept.stream().filter(choice -> choice.pin().isPresent())
                .forEach(choice -> fixes.add(Fix.pin(file, choice, kernels)));
        for (Fix fix : diagnostic.fixes()) {
            SymposChoice number = numbers.get(fix);
            if (number == null || kept.contains(number)) {
                fixes.add(fix);
            }
        }
        return fixes;
    }

    /** Whether a span is a klp_func's .old_name or .old_sympos: the kernel resolves those, a pin cannot. */
    private boolean onKlpFunc(Span span) {
        for (KlpFunc func : scan.klpFuncs()) {
            if (func.oldNameSpan().filter(span::equals).isPresent()
                    || func.oldSymposSpan().filter(span::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The numbers the file writes, followed from the first kernel into the others; a name with an explicit choice
     * in the settings is left out (the choice overrides the annotation).
     */
    private List<FileDiagnostic> numbers() {
        List<FileDiagnostic> found = new ArrayList<>();
        for (ModuleRelocBlock block : scan.moduleRelocBlocks()) {
            for (SymposEntry entry : block.entries()) {
                if (entry.pos().isPresent()) {
                    follow(NameText.moduleObject(block.objectName()), entry.symbol(), entry.pos().getAsInt(),
                            entry.symbolSpan(), found);
                }
            }
        }
        for (RelocSymbol reloc : scan.relocSymbols()) {
            if (reloc.pos().isPresent()) {
                follow(NameText.moduleObject(reloc.symbolObject()), reloc.symbolName(), reloc.pos().getAsInt(),
                        reloc.symbolNameSpan(), found);
            }
        }
        return found;
    }

    private void follow(String object, String name, int pos, Span span, List<FileDiagnostic> found) {
        if (settings.sympos().containsKey(name)) {
            return;
        }
        long[] sympos = new long[kernels.size()];
        Arrays.fill(sympos, pos);
        for (KernelsCheck.Divergence divergence : KernelsCheck.compareNumber(kernels, object, name, sympos,
                copies)) {
            List<Fix> fixes = divergence.fixes().stream().map(choice -> Fix.pin(file, choice, kernels)).toList();
            found.add(new FileDiagnostic(span, divergence.code(), divergence.code().defaultSeverity(),
                    divergence.message(), name, divergence.candidates(), fixes,
                    divergence.kernels().stream().map(names::get).toList()));
        }
    }


}
