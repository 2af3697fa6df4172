// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Code;
import dev.klplsp.check.Finding;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.KernelsText;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.check.SymposText;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.check.UnresolvedText;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Places the findings of a module check on source lines: at the declaration of the finding's symbol, else at
 * its first use (a finding about a replaced function: at its klp_func's {@code .old_name}), else on the file that
 * defines the patch (its {@code klp_patch} or {@code MODULE_INFO(livepatch,
 * ...)}), else at the top of the first source.
 */
final class ModuleFindings {
    /** The codes about a function a klp_func replaces. */
    private static final Set<Code> REPLACED = Set.of(Code.REPLACED_FUNCTION_INLINED, Code.REPLACED_FUNCTION_CLONED,
            Code.REPLACED_FUNCTION_ONLY_INLINED);

    private ModuleFindings() {
    }

    private record Site(Path file, SourceScan scan, Span span) {
    }

    static Map<Path, List<FileDiagnostic>> place(Path module, KernelsResult result, Map<Path, Document> sources,
            Settings settings, List<TargetKernel> kernels) {
        List<Map.Entry<Path, Document>> ordered = new ArrayList<>(sources.entrySet());
        ordered.sort(Map.Entry.comparingByKey(Comparator.comparing(Path::toString)));
        Map<Path, List<FileDiagnostic>> placed = new LinkedHashMap<>();
        List<String> names = result.names();
        for (KernelsResult.Merged merged : result.findings()) {
            Finding finding = merged.finding();
            Optional<Site> site = siteOf(finding, ordered);
            if (site.isEmpty()) {
                continue;
            }
            Site where = site.get();
            String symbol = finding.symbol() == null ? "" : finding.symbol();
            String location = finding.location().map(l -> ", " + l.describe()).orElse("");
            String message = KernelsText.qualified(finding.message(), merged.kernels(), names) + " ("
                    + module.getFileName() + location + ")";
            List<Fix> fixes = fixes(finding, where, settings, kernels);
            placed.computeIfAbsent(where.file(), key -> new ArrayList<>()).add(new FileDiagnostic(where.span(),
                    finding.code(), finding.severity(), message, symbol, finding.candidates(), fixes,
                    merged.kernels()));
        }
        return placed;
    }

    private static Optional<Site> siteOf(Finding finding, List<Map.Entry<Path, Document>> sources) {
        if (REPLACED.contains(finding.code()) && finding.symbol() != null) {
            // About a klp_func, not a reference: its .old_name, even when the patch also declares the function.
            for (Map.Entry<Path, Document> source : sources) {
                SourceScan scan = source.getValue().scan();
                Optional<Span> span = scan.findReplacedSite(finding.symbol());
                if (span.isPresent()) {
                    return Optional.of(new Site(source.getKey(), scan, span.get()));
                }
            }
        }
        if (finding.symbol() != null && !finding.symbol().isEmpty()) {
            for (Map.Entry<Path, Document> source : sources) {
                SourceScan scan = source.getValue().scan();
                Optional<Span> span = scan.findSymbolSite(finding.symbol());
                if (span.isPresent()) {
                    return Optional.of(new Site(source.getKey(), scan, span.get()));
                }
            }
        }
        for (Map.Entry<Path, Document> source : sources) {
            SourceScan scan = source.getValue().scan();
            Optional<Span> patch = scan.klpPatch().or(scan::livepatchModInfo);
            if (patch.isPresent()) {
                Span span = patch.get();
                int lineEnd = scan.lines().lineContentEnd(scan.lines().lineOf(span.start()));
                return Optional.of(new Site(source.getKey(), scan, new Span(span.start(), Math.max(span.start(),
                        Math.min(span.end(), lineEnd)))));
            }
        }
        return sources.stream().findFirst().map(source -> new Site(source.getKey(), source.getValue().scan(),
                Span.at(0)));
    }

    /**
     * One quick fix per choice the checker offers, when the symbol has a declaration to annotate; a pin by identity
     * goes into the settings.
     */
    private static List<Fix> fixes(Finding finding, Site site, Settings settings, List<TargetKernel> kernels) {
        List<Fix> fixes = new ArrayList<>();
        if (finding.symbol() == null) {
            return fixes;
        }
        for (SymposChoice choice : finding.fixes()) {
            if (choice.pin().isPresent()) {
                fixes.add(Fix.pin(site.file(), choice, kernels));
            }
        }
        Optional<ExternalDeclaration> external = site.scan().findExternalBySymbol(finding.symbol());
        if (external.isEmpty()) {
            return fixes;
        }
        AnnotationStyle style = site.scan().annotationStyle() == AnnotationStyle.NONE ? settings.annotationStyle()
                : site.scan().annotationStyle();
        for (SymposChoice choice : finding.fixes()) {
            if (choice.pin().isPresent()) {
                continue;
            }
            if (choice.name().equals(finding.symbol())) {
                String title = finding.candidates().stream()
                        .filter(c -> c.object().equals(choice.object()) && c.sympos() == choice.sympos())
                        .findFirst().map(SymposText::chooseFix)
                        .orElse("sympos " + choice.sympos() + " \u2014 " + choice.object());
                fixes.add(new Fix(title, site.file(), AnnotationEdits.annotate(site.scan(), external.get(),
                        choice.object(), (int) choice.sympos(), style), false));
            } else {
                fixes.add(new Fix(UnresolvedText.useCloneFix(choice.name()), site.file(),
                        AnnotationEdits.asmLabel(site.scan(), external.get(), choice.name()), false));
            }
        }
        return fixes;
    }
}
