// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.convert.ModuleConversion;
import dev.klplsp.check.Code;
import dev.klplsp.check.OptimizedKernel;
import dev.klplsp.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module findings land on the symbol's declaration, or on the patch definition when they name no symbol. */
class ModulePlacementTest {
    @Test
    void symbolFindingsGoToTheDeclarationAndOthersToTheKlpPatch() throws Exception {
        Path root = SampleWorkspaces.copy("ambiguous");
        Path source = root.resolve("livepatch.c");
        // Without MODULE_INFO(livepatch, "Y") the kernel refuses the module: a finding with no symbol.
        Files.writeString(source, Files.readString(source).replace("MODULE_INFO(livepatch, \"Y\");", ""));
        Path module = SampleWorkspaces.buildModule(root);
        Workspace workspace = new Workspace(root);
        workspace.setIndex(SampleWorkspaces.fixtureIndex());
        workspace.scanDisk(List.of(source));
        KernelsResult result = ModuleConversion.checkKernels(module, () -> workspace.kernels(), CheckConfig.DEFAULT);
        assertTrue(result.findings().stream().anyMatch(f -> f.finding().code() == Code.NOT_LIVEPATCH_MODULE),
                result.findings().toString());
        workspace.setModuleResult(module, result);

        Analysis analysis = workspace.snapshot();
        assertEquals(java.util.Set.of(source), analysis.filesWithModuleFindings());
        String text = Files.readString(source);
        List<String> placed = analysis.diagnostics(source).stream()
                .map(d -> d.code().id() + "@" + text.substring(d.span().start(), d.span().end())).toList();
        assertEquals(List.of("ambiguous-symbol@irq_thread_check", "not-livepatch-module@static struct klp_patch patch = {"), placed);
        FileDiagnostic ambiguous = analysis.diagnostics(source).get(0);
        assertTrue(ambiguous.message().endsWith("(livepatch.ko, .text+0x5)"), ambiguous.message());
        assertEquals(2, ambiguous.fixes().size());
        assertTrue(ambiguous.fixes().get(1).title().startsWith("sympos 2 \u2014 vmlinux, chip.c, t, 0x"));
    }

    @Test
    void findingsAboutAReplacedFunctionGoToItsKlpFuncEvenWhenThePatchAlsoDeclaresIt(@TempDir Path root)
            throws Exception {
        // testdata/c/klp_optimized both replaces scaled (a klp_func) and calls it (an extern declaration).
        Path source = root.resolve("patch.c");
        Files.writeString(source, Files.readString(Fixtures.testdata().resolve("c/klp_optimized/patch.c"))
                .replace("READ_THROUGH_CLONE", "\"" + OptimizedKernel.readThroughClone() + "\""));
        Workspace workspace = new Workspace(root);
        workspace.setIndex(OptimizedKernel.index());
        workspace.scanDisk(List.of(source));
        workspace.setModuleResult(OptimizedKernel.patch(), ModuleConversion.checkKernels(OptimizedKernel.patch(),
                () -> workspace.kernels(), CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts())));
        String text = Files.readString(source);
        List<String> placed = workspace.snapshot().diagnostics(source).stream()
                .filter(d -> d.code() == Code.REPLACED_FUNCTION_CLONED || d.code() == Code.FUNCTION_SYMBOL_RISK
                        && d.symbol().equals("scaled"))
                .map(d -> d.code().id() + "@" + text.substring(d.span().start(), d.span().end() + 1)).toList();
        assertEquals(List.of("function-symbol-risk@scaled(", "replaced-function-cloned@scaled\""), placed);
    }
}
