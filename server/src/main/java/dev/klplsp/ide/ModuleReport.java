// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Finding;
import dev.klplsp.check.Severity;
import dev.klplsp.convert.ConversionOutcome;
import java.nio.file.Path;
import java.util.List;

/**
 * What checking or converting one module gave, as the {@code klp.check} and {@code klp.convert} commands return
 * it: the twin of {@code ModuleReport} in vscode-extension/src/lsp_ext.ts (documented in docs/lsp.md). A null
 * component is absent from the JSON.
 *
 * @param converted        klp.convert: whether the module was converted (false: error findings blocked it)
 * @param written          klp.convert: the file written; null when blocked or when the output was up to date
 * @param symbolsConverted klp.convert: symbols turned into KLP symbols
 * @param error            why the module could not be processed at all; then only {@code module} is set
 */
public record ModuleReport(String module, Boolean converted, String written, Integer symbolsConverted,
        Long errors, Long warnings, List<Entry> findings, String error) {

    /** One finding, reduced to what a command's caller shows. */
    public record Entry(String code, String severity, String message) {
        static Entry of(Finding finding) {
            return new Entry(finding.code().id(), finding.severity().label(), finding.message());
        }
    }

    static ModuleReport checked(Path module, CheckResult result) {
        return new ModuleReport(module.toString(), null, null, null, result.count(Severity.ERROR),
                result.count(Severity.WARNING), entries(result), null);
    }

    static ModuleReport converted(ConversionOutcome outcome) {
        CheckResult result = outcome.result();
        return new ModuleReport(outcome.module().toString(), !outcome.blocked(),
                outcome.written().map(write -> write.path().toString()).orElse(null),
                outcome.summary().map(summary -> summary.symbolsConverted()).orElse(null),
                result.count(Severity.ERROR), result.count(Severity.WARNING), entries(result), null);
    }

    static ModuleReport failed(Path module, String error) {
        return new ModuleReport(module.toString(), null, null, null, null, null, null, error);
    }

    private static List<Entry> entries(CheckResult result) {
        return result.findings().stream().map(Entry::of).toList();
    }
}
