// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Finding;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.Severity;
import dev.klplsp.convert.ConversionOutcome;
import dev.klplsp.convert.KernelsConversion;
import java.nio.file.Path;
import java.util.List;

/**
 * What checking or converting one module gave, as the {@code klp.check} and {@code klp.convert} commands return
 * it: the twin of {@code ModuleReport} in vscode-extension/src/lsp_ext.ts (documented in docs/lsp.md). A null
 * component is absent from the JSON.
 *
 * @param converted        klp.convert: whether the module was converted for every kernel (false: error findings
 *                         blocked it for at least one)
 * @param written          klp.convert: the file written (for several kernels, the first); null when blocked or
 *                         when the output was up to date
 * @param symbolsConverted klp.convert: symbols turned into KLP symbols (for several kernels, in the first)
 * @param errors           distinct error findings, each counted once however many kernels it holds in
 * @param kernels          per kernel: its name and what happened there
 * @param error            why the module could not be processed at all; then only {@code module} is set
 */
public record ModuleReport(String module, Boolean converted, String written, Integer symbolsConverted,
        Long errors, Long warnings, List<Entry> findings, List<PerKernel> kernels, String error) {

    /** One finding, reduced to what a command's caller shows, with the kernels it holds in. */
    public record Entry(String code, String severity, String message, List<String> kernels) {
        static Entry of(KernelsResult.Merged merged) {
            Finding finding = merged.finding();
            return new Entry(finding.code().id(), finding.severity().label(), finding.message(), merged.kernels());
        }
    }

    /** One kernel's part: klp.check sets only {@code kernel}, {@code errors} and {@code warnings}. */
    public record PerKernel(String kernel, Boolean converted, String written, Integer symbolsConverted, Long errors,
            Long warnings) {
    }

    static ModuleReport checked(Path module, KernelsResult result) {
        List<PerKernel> kernels = result.kernels().stream().map(kernel -> new PerKernel(kernel.kernel(), null, null,
                null, kernel.result().count(Severity.ERROR), kernel.result().count(Severity.WARNING))).toList();
        return new ModuleReport(module.toString(), null, null, null, result.count(Severity.ERROR),
                result.count(Severity.WARNING), entries(result), kernels, null);
    }

    static ModuleReport converted(KernelsConversion conversion) {
        KernelsResult result = conversion.check();
        List<PerKernel> kernels = new java.util.ArrayList<>();
        for (int k = 0; k < conversion.outcomes().size(); k++) {
            ConversionOutcome outcome = conversion.outcomes().get(k);
            kernels.add(new PerKernel(result.kernels().get(k).kernel(), !outcome.blocked(), written(outcome),
                    outcome.summary().map(summary -> summary.symbolsConverted()).orElse(null),
                    outcome.result().count(Severity.ERROR), outcome.result().count(Severity.WARNING)));
        }
        ConversionOutcome first = conversion.outcomes().get(0);
        return new ModuleReport(first.module().toString(), !conversion.anyBlocked(),
                conversion.outcomes().stream().map(ModuleReport::written).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null),
                first.summary().map(summary -> summary.symbolsConverted()).orElse(null),
                result.count(Severity.ERROR), result.count(Severity.WARNING), entries(result), kernels, null);
    }

    private static String written(ConversionOutcome outcome) {
        return outcome.written().map(write -> write.path().toString()).orElse(null);
    }

    static ModuleReport failed(Path module, String error) {
        return new ModuleReport(module.toString(), null, null, null, null, null, null, null, error);
    }

    private static List<Entry> entries(KernelsResult result) {
        return result.findings().stream().map(Entry::of).toList();
    }
}
