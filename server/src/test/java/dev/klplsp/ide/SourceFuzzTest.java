// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzz targets of the C source scanner and the fix engine (see docs/fuzzing.md): any text is
 * scanned and analysed against the example's fixture kernel (ambiguous, unresolved and module symbols), every
 * fix offered applies to the text it was made for, and the fixed text is scanned and analysed again. Nothing
 * may throw: the scanner never fails and fixes are always well-formed edits.
 */
class SourceFuzzTest {
    private static final Path FILE = Path.of("/fuzz/livepatch.c");

    @FuzzTest
    void scanAnalyseAndApplyEveryFix(FuzzedDataProvider data) {
        int cursor = data.consumeInt();
        String text = data.consumeRemainingAsString();
        Workspace workspace = new Workspace(FILE.getParent());
        workspace.setIndex(FixtureKernel.index());
        workspace.open(FILE, 1, text);
        Analysis analysis = workspace.snapshot();
        List<FileDiagnostic> diagnostics = analysis.diagnostics(FILE);
        SourceScan scan = analysis.document(FILE).orElseThrow().scan();
        positions(scan.lines(), diagnostics);
        analysis.hover(FILE, Math.floorMod(cursor, text.length() + 1));
        analysis.patchDefinition(FILE);
        int version = 2;
        for (FileDiagnostic diagnostic : diagnostics) {
            for (Fix fix : diagnostic.fixes()) {
                String fixed = TextEdit.apply(text, fix.edits());
                workspace.change(FILE, version++, fixed);
                Analysis after = workspace.snapshot();
                positions(after.document(FILE).orElseThrow().scan().lines(), after.diagnostics(FILE));
            }
        }
    }

    /** What the language server does with each range: line/UTF-16 column and UTF-8 byte conversions. */
    private static void positions(LineIndex lines, List<FileDiagnostic> diagnostics) {
        for (FileDiagnostic diagnostic : diagnostics) {
            Span span = diagnostic.span();
            lines.span(lines.range(span));
            lines.offsetOfUtf8(lines.utf8Offset(span.start()));
        }
    }
}
