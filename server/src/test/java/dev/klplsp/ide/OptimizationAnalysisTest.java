// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Code;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.check.OptimizedKernel;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.OutOfLineInstance;
import dev.klplsp.kernel.SourceLine;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor's analysis with the kernel's debug information: the opt_kernel fixture (testdata/c/opt_kernel, its
 * source tree the kernelSource) and its module dwarf_facts. Replaced and called functions get the module check's
 * findings at the source's names, hover shows the facts, and go to definition opens the kernel's source.
 */
class OptimizationAnalysisTest {
    private static final Path FILE = Path.of("/ws/livepatch.c");
    private static final String PATCH = """
            struct klp_func { const char *old_name; void *new_func; unsigned long old_sympos; };
            struct klp_object { const char *name; struct klp_func *funcs; };
            extern int plain_function(int x);
            extern int scaled(int x, int factor);
            extern int read_through_clone(int value) __asm__("read_through.isra.0");
            static int new_conv(int *valp, int write, int value) { return plain_function(value) + scaled(1, 2); }
            static struct klp_func funcs[] = {
            	{ .old_name = "dointvec_conv", .new_func = new_conv },
            	{ .old_name = "only_inlined", .new_func = new_conv },
            	{ .old_name = "scaled", .new_func = new_conv },
            	{ }
            };
            static struct klp_func module_funcs[] = {
            	{ .old_name = "dup_helper", .new_func = new_conv, .old_sympos = 1 },
            	{ .old_name = "always_inlined", .new_func = new_conv },
            	{ }
            };
            static struct klp_object objs[] = {
            	{ .funcs = funcs },
            	{ .name = "dwarf_facts", .funcs = module_funcs },
            	{ }
            };
            int use(void) { return read_through_clone(3); }
            """;

    private static Settings settings(Optional<Path> kernelSource) {
        return new Settings(List.of(), AnnotationStyle.MINIMAL, false, OutputRule.IN_PLACE_RULE,
                Optional.empty(), FunctionReferences.WARNING, Map.of(), List.of(), kernelSource);
    }

    private static Analysis analyze(String text, OptimizationFacts facts, Optional<Path> kernelSource) {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(settings(kernelSource));
        workspace.setIndex(OptimizedKernel.index());
        workspace.setOptimization(facts);
        workspace.open(FILE, 1, text);
        return workspace.snapshot();
    }

    private static Analysis analyze(String text) {
        return analyze(text, OptimizedKernel.facts(), Optional.of(OptimizedKernel.sourceTree()));
    }

    /** "code@text" per diagnostic. */
    private static String summary(Analysis analysis) {
        String text = analysis.document(FILE).orElseThrow().text();
        return analysis.diagnostics(FILE).stream().map(d -> d.code().id() + "@" + d.span().textOf(text))
                .collect(Collectors.joining("\n"));
    }

    private static FileDiagnostic only(Analysis analysis, Code code, String symbol) {
        List<FileDiagnostic> found = analysis.diagnostics(FILE).stream()
                .filter(d -> d.code() == code && d.symbol().equals(symbol)).toList();
        assertEquals(1, found.size(), code + " " + symbol + " in " + analysis.diagnostics(FILE));
        return found.get(0);
    }

    private static int offsetOf(String text, String needle) {
        int at = text.indexOf(needle);
        assertTrue(at >= 0, needle);
        return at + 1;
    }

    private static SourceLocation declared(String function) {
        SourceLine line = OptimizedKernel.declaration(function);
        return new SourceLocation(OptimizedKernel.sourceTree().resolve(line.file()), line.line(),
                "line of the kernel build's sources");
    }

    @Test
    void replacedAndCalledFunctionsGetTheModuleChecksFindingsAtTheirNames() {
        Analysis analysis = analyze(PATCH);
        assertEquals("""
                function-symbol-risk@scaled
                function-transformed@read_through_clone
                replaced-function-inlined@dointvec_conv
                replaced-function-only-inlined@only_inlined
                replaced-function-cloned@scaled
                replaced-function-inlined@dup_helper
                replaced-function-only-inlined@always_inlined""", summary(analysis));
        FileDiagnostic inlined = only(analysis, Code.REPLACED_FUNCTION_INLINED, "dointvec_conv");
        assertEquals("klp_func replaces dointvec_conv, but vmlinux also has 1 inlined copy of it, in"
                + " dointvec_minmax_conv (" + OptimizedKernel.marker("CALL: dointvec_conv") + "): those copies keep"
                + " the old code: patch the callers too", inlined.message());
        // The candidate (the caller to patch) points at its declaration in the kernel source tree.
        Candidate caller = inlined.candidates().get(0);
        assertEquals("dointvec_minmax_conv", caller.name());
        assertEquals(declared("dointvec_minmax_conv"), inlined.candidateSources().get(caller));
        // A plain call (plain_function) is no finding in the source, with or without debug information.
        assertTrue(analysis.diagnostics(FILE).stream().noneMatch(d -> d.symbol().equals("plain_function")));
    }

    @Test
    void withSeveralKernelsTheDebugInformationIsTheFirstKernelsAndItsFindingsSaySo() {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(settings(Optional.of(OptimizedKernel.sourceTree())));
        // The fixture twice, as two builds: the debug information given describes the first.
        workspace.setKernels(List.of(new TargetKernel("described", OptimizedKernel.index()),
                new TargetKernel("other", OptimizedKernel.index())));
        workspace.setOptimization(OptimizedKernel.facts());
        workspace.open(FILE, 1, PATCH);
        Analysis analysis = workspace.snapshot();
        FileDiagnostic inlined = only(analysis, Code.REPLACED_FUNCTION_INLINED, "dointvec_conv");
        assertEquals(List.of("described"), inlined.kernels());
        assertTrue(inlined.message().contains("[described]"), inlined.message());
        // The candidates still point into the kernel's sources after the kernels' findings are merged.
        assertEquals(declared("dointvec_minmax_conv"), inlined.candidateSources().get(inlined.candidates().get(0)));
        assertEquals(List.of("described"), only(analysis, Code.FUNCTION_TRANSFORMED,
                OptimizedKernel.readThroughClone()).kernels());
        // Hover shows the first kernel's debug information under both kernels' symbol rows.
        HoverInfo hover = analysis.hover(FILE, offsetOf(PATCH, "\"scaled\"")).orElseThrow();
        assertEquals(2, hover.rows().size(), hover.rows().toString());
        assertFalse(hover.functions().isEmpty());
    }

    @Test
    void withoutDebugInformationTheSourceSaysWhatItSaidBeforeAndHowToGetExactAnswers() {
        Analysis analysis = analyze(PATCH, OptimizationFacts.NONE, Optional.empty());
        assertEquals("""
                function-symbol-risk@scaled
                unresolved-symbol@only_inlined
                unresolved-symbol@always_inlined""", summary(analysis));
        assertTrue(only(analysis, Code.FUNCTION_SYMBOL_RISK, "scaled").message().endsWith("for exact answers give"
                + " the kernel's debug information (the debugInfo setting or --debug-info)"));
    }

    @Test
    void hoverShowsCopiesClonesAndInlinedCopies() {
        Analysis analysis = analyze(PATCH);
        String conv = analysis.hover(FILE, offsetOf(PATCH, "dointvec_conv\"")).orElseThrow().markdown();
        assertTrue(conv.contains("Debug information of vmlinux: **dointvec_conv**, declared at "
                + OptimizedKernel.declaration("dointvec_conv")), conv);
        assertTrue(conv.contains("- out of line as `dointvec_conv` at 0x"), conv);
        assertTrue(conv.contains("built -O2 without -fno-ipa-ra: callers there may rely on the registers this copy"
                + " leaves untouched"), conv);
        assertTrue(conv.contains("- inlined in 1 place (those copies keep the old code when only this function is"
                + " replaced):\n  - dointvec_minmax_conv at " + OptimizedKernel.marker("CALL: dointvec_conv")), conv);
        String scaled = analysis.hover(FILE, offsetOf(PATCH, "scaled(int")).orElseThrow().markdown();
        assertTrue(scaled.contains("- compiler clone `scaled.constprop.0` at 0x"), scaled);
        assertTrue(scaled.contains("'factor' replaced by the constant 4"), scaled);
        String only = analysis.hover(FILE, offsetOf(PATCH, "only_inlined")).orElseThrow().markdown();
        assertTrue(only.contains("- no out-of-line copy: only inlined, so there is no symbol to patch"), only);
        // The clone's own name shows its function.
        String clone = analysis.hover(FILE, offsetOf(PATCH, "read_through_clone(int")).orElseThrow().markdown();
        assertTrue(clone.contains("**read_through**"), clone);
    }

    @Test
    void hoverListsTheFirstTwentyInlinedCopiesAndCountsTheRest() {
        OutOfLineInstance caller = new OutOfLineInstance("caller", "caller", 0, 0x1000, Optional.of(".text"),
                "a.c", "GNU C17 -O2", List.of(), List.of(), false);
        List<InlineSite> sites = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            sites.add(new InlineSite(Optional.of(caller), "caller", Optional.of(new SourceLine("a.c", i)), false));
        }
        FunctionFacts function = new FunctionFacts("vmlinux", "helper", Optional.of(new SourceLine("a.c", 1)),
                List.of(), sites);
        String markdown = new HoverInfo(new Span(0, 6), "helper", List.of(), List.of(), 1, List.of(function)).markdown();
        assertTrue(markdown.contains("- inlined in 25 places"), markdown);
        assertTrue(markdown.contains("  - caller at a.c:20\n  - \u2026 and 5 more\n"), markdown);
        assertFalse(markdown.contains("a.c:21"), markdown);
    }

    @Test
    void definitionOpensTheKernelSourceOfTheSelectedCopyOrOfEveryCopy() {
        String text = PATCH + """
                extern int irrelevant KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, plain_function, 0);
                """;
        Analysis analysis = analyze(text);
        assertEquals(List.of(declared("dointvec_conv")), analysis.definition(FILE, offsetOf(text, "dointvec_conv\"")));
        assertEquals(List.of(declared("scaled")), analysis.definition(FILE, offsetOf(text, "scaled\"")));
        assertEquals(List.of(declared("read_through")), analysis.definition(FILE, offsetOf(text,
                "read_through_clone(int")));
        assertEquals(List.of(declared("plain_function")), analysis.definition(FILE, offsetOf(text,
                "plain_function, 0")));
        assertEquals(List.of(declared("only_inlined")), analysis.definition(FILE, offsetOf(text, "only_inlined")));
        // dup_helper of dwarf_facts: two static functions (a.c, b.c); sympos 1 selects a.c's, none would give both.
        List<SourceLocation> selected = analysis.definition(FILE, offsetOf(text, "dup_helper"));
        assertEquals(1, selected.size(), selected.toString());
        assertTrue(selected.get(0).file().endsWith("dwarf_facts/a.c"), selected.toString());
        String unselected = text.replace(".old_sympos = 1", ".old_sympos = 0");
        List<SourceLocation> both = analyze(unselected).definition(FILE, offsetOf(unselected, "dup_helper"));
        assertEquals(List.of("a.c", "b.c"), both.stream().map(l -> l.file().getFileName().toString()).toList());
        // A KLP_SYMPOS entry selects the copy of its block's object: dup_helper,2 is b.c's.
        String entry = text + """
                KLP_MODULE_RELOC(dwarf_facts) relocs[] = { KLP_SYMPOS(dup_helper, 2) };
                """;
        List<SourceLocation> second = analyze(entry).definition(FILE, offsetOf(entry, "dup_helper, 2"));
        assertEquals(List.of("b.c"), second.stream().map(l -> l.file().getFileName().toString()).toList());
        // Without the kernel source tree the relative paths of the debug information lead nowhere.
        assertEquals(List.of(), analyze(text, OptimizedKernel.facts(), Optional.empty()).definition(FILE,
                offsetOf(text, "dointvec_conv\"")));
    }

    @Test
    void locationsSayWhichVersionTheirLineIsOf(@TempDir Path root) throws IOException {
        Path tree = root.resolve("usr/src/linux-source-6.1");
        Files.createDirectories(tree.resolve("kernel"));
        Files.writeString(tree.resolve("kernel/sysctl.c"), "int x;\n");
        Files.writeString(tree.resolve("Makefile"), "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\n"
                + "SUBLEVEL = 192\nEXTRAVERSION =\nNAME = Curry Ramen\n");
        SourceLine line = new SourceLine("kernel/sysctl.c", 858);
        assertEquals(Optional.of(new SourceLocation(tree.resolve("kernel/sysctl.c"), 858,
                "line of the 6.1.0-56-amd64 build's sources; this tree is 6.1.192")),
                KernelSourceTree.locate(KernelSourceTree.of(Optional.of(tree)), line, "the 6.1.0-56-amd64 build"));
        Path changelog = root.resolve("usr/share/doc/linux-source-6.1/changelog.Debian.gz");
        Files.createDirectories(changelog.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(changelog))) {
            out.write("linux (6.1.192-3) bookworm-security; urgency=high\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("line of the 6.1.0-56-amd64 build's sources; this tree is Debian 6.1.192-3",
                KernelSourceTree.locate(KernelSourceTree.of(Optional.of(tree)), line, "the 6.1.0-56-amd64 build")
                        .orElseThrow().version());
        // A path that leaves the tree, or a file that is not there, is no location.
        assertEquals(Optional.empty(), KernelSourceTree.locate(KernelSourceTree.of(Optional.of(tree)),
                new SourceLine("../../../etc/passwd", 1), "the kernel build"));
        assertEquals(Optional.empty(), KernelSourceTree.locate(KernelSourceTree.of(Optional.of(tree)),
                new SourceLine("kernel/fork.c", 1), "the kernel build"));
    }
}
