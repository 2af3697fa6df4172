// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.Code;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.check.Severity;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The as-you-type analysis against the gcc-built fixture kernel (testdata/workspaces/fixture-kernel):
 * irq_thread_check and state_count twice (manage.c, chip.c), setup_chip only as setup_chip.isra.0,
 * lookup_symbol_name, cmdline_proc_show, saved_command_line unique.
 */
class AnalysisTest {
    private static final Path FILE = Path.of("/ws/livepatch.c");
    private static final String PRELUDE = """
            struct klp_func { const char *old_name; void *new_func; unsigned long old_sympos; };
            struct klp_object { const char *name; struct klp_func *funcs; };
            """;

    private static Analysis analyze(String text, Settings settings) {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(settings);
        workspace.setIndex(SampleWorkspaces.fixtureIndex());
        workspace.open(FILE, 1, text);
        return workspace.snapshot();
    }

    private static Analysis analyze(String text) {
        return analyze(text, Settings.DEFAULT);
    }

    /** "code@line:text" per diagnostic, to compare in one assert. */
    private static String summary(Analysis analysis) {
        String text = analysis.document(FILE).orElseThrow().text();
        return analysis.diagnostics(FILE).stream()
                .map(d -> d.code().id() + "@" + d.span().textOf(text))
                .collect(Collectors.joining("\n"));
    }

    private static String applyFix(Analysis analysis, Fix fix) {
        return TextEdit.apply(analysis.document(FILE).orElseThrow().text(), fix.edits());
    }

    @Test
    void ambiguousExternGetsOneMinimalAnnotationFixPerCandidateAndClearsAfterTheFix() {
        String text = "extern int irq_thread_check(int irq);\nint f(void) { return irq_thread_check(1); }\n";
        Analysis analysis = analyze(text);
        List<FileDiagnostic> diagnostics = analysis.diagnostics(FILE);
        assertEquals("ambiguous-symbol@irq_thread_check", summary(analysis));
        FileDiagnostic ambiguous = diagnostics.get(0);
        assertEquals(Severity.ERROR, ambiguous.severity());
        assertEquals(List.of("manage.c", "chip.c"), ambiguous.candidates().stream()
                .map(c -> c.sourceFile().orElse("?")).toList());
        List<String> titles = ambiguous.fixes().stream().map(Fix::title).toList();
        assertEquals(2, titles.size());
        assertTrue(titles.get(0).matches("sympos 1 \u2014 vmlinux, manage\\.c, t, 0xffffffff810010[0-9a-f]{2}"),
                titles.get(0));
        assertTrue(titles.get(1).startsWith("sympos 2 \u2014 vmlinux, chip.c, t, 0x"), titles.get(1));

        String fixed = applyFix(analysis, ambiguous.fixes().get(1));
        assertEquals("extern int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check,"
                + " 2);\nint f(void) { return irq_thread_check(1); }\n", fixed);
        assertEquals("", summary(analyze(fixed)));
    }

    @Test
    void ambiguousExternInV7FileExtendsTheExistingBlock() {
        String text = """
                extern int irq_thread_check(int irq);
                extern int state_count;
                KLP_MODULE_RELOC(vmlinux) relocs[] = {
                	KLP_SYMPOS(state_count, 1),
                };
                int f(void) { return irq_thread_check(state_count); }
                """;
        Analysis analysis = analyze(text);
        assertEquals("ambiguous-symbol@irq_thread_check", summary(analysis));
        String fixed = applyFix(analysis, analysis.diagnostics(FILE).get(0).fixes().get(0));
        assertTrue(fixed.contains("\tKLP_SYMPOS(state_count, 1),\n\tKLP_SYMPOS(irq_thread_check, 1),\n};"), fixed);
        assertEquals("", summary(analyze(fixed)));
    }

    @Test
    void configuredV7StyleCreatesABlockWhenTheFileHasNoAnnotations() {
        Settings v7 = new Settings(List.of(), AnnotationStyle.V7, false, OutputRule.IN_PLACE_RULE,
                Optional.empty(), FunctionReferences.WARNING, java.util.Map.of());
        String text = "extern int state_count;\nint f(void) { return state_count; }\n";
        Analysis analysis = analyze(text, v7);
        String fixed = applyFix(analysis, analysis.diagnostics(FILE).get(0).fixes().get(1));
        assertEquals("extern int state_count;\n\nKLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {\n"
                + "\tKLP_SYMPOS(state_count, 2),\n};\nint f(void) { return state_count; }\n", fixed);
        assertEquals("", summary(analyze(fixed, v7)));
    }

    @Test
    void wrongAndConflictingSymposAreReportedWithReplacements() {
        String text = """
                extern int irq_thread_check(int irq) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, irq_thread_check, 3);
                extern int state_count KLP_RELOC_SYMBOL(vmlinux, vmlinux, state_count);
                int f(void) { return irq_thread_check(state_count); }
                """;
        Analysis analysis = analyze(text);
        assertEquals("bad-sympos@irq_thread_check\nbad-sympos@state_count", summary(analysis));
        FileDiagnostic tooLarge = analysis.diagnostics(FILE).get(0);
        assertEquals("sympos 3 for irq_thread_check (KLP_RELOC_SYMBOL_POS) but vmlinux has only 2 of them",
                tooLarge.message());
        assertTrue(applyFix(analysis, tooLarge.fixes().get(1)).contains("irq_thread_check, 2);"));
        String fixed = applyFix(analysis, analysis.diagnostics(FILE).get(1).fixes().get(0));
        assertTrue(fixed.contains("extern int state_count KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, state_count, 1);"),
                fixed);

        String conflicting = """
                extern int state_count;
                KLP_MODULE_RELOC(vmlinux) a[] = { KLP_SYMPOS(state_count, 1), KLP_SYMPOS(state_count, 2) };
                """;
        assertEquals("bad-sympos@1\nbad-sympos@2", summary(analyze(conflicting)));
    }

    @Test
    void unresolvedNamesSuggestTheCloneOrTheCloseName() {
        String text = """
                extern int setup_chip(int irq);
                extern int lookup_symbl_name(unsigned long addr, char *name);
                int f(char *b) { return setup_chip(1) + lookup_symbl_name(0, b); }
                """;
        Analysis analysis = analyze(text);
        assertEquals("unresolved-symbol@setup_chip\nunresolved-symbol@lookup_symbl_name", summary(analysis));
        FileDiagnostic clone = analysis.diagnostics(FILE).get(0);
        assertEquals("setup_chip is not in the kernel; compiler clones exist: vmlinux setup_chip.isra.0",
                clone.message());
        assertTrue(applyFix(analysis, clone.fixes().get(0))
                .startsWith("extern int setup_chip(int irq) __asm__(\"setup_chip.isra.0\");"));
        FileDiagnostic typo = analysis.diagnostics(FILE).get(1);
        assertEquals("lookup_symbl_name is not in the kernel; did you mean lookup_symbol_name?", typo.message());
        String renamed = applyFix(analysis, typo.fixes().get(0));
        assertEquals(2, renamed.split("lookup_symbol_name", -1).length - 1, renamed);
        assertEquals("", summary(analyze(renamed)).replace("unresolved-symbol@setup_chip", "").strip());
    }

    @Test
    void klpFuncWithDuplicatedOldNameNeedsOldSympos() {
        String text = PRELUDE + """
                static int new_check(int irq) { return irq; }
                static struct klp_func funcs[] = {
                	{
                		.old_name = "irq_thread_check",
                		.new_func = new_check,
                	}, { }
                };
                static struct klp_object objs[] = { { .funcs = funcs, }, { } };
                """;
        Analysis analysis = analyze(text);
        assertEquals("ambiguous-symbol@irq_thread_check", summary(analysis));
        String fixed = applyFix(analysis, analysis.diagnostics(FILE).get(0).fixes().get(1));
        assertTrue(fixed.contains("\t\t.new_func = new_check,\n\t\t.old_sympos = 2,\n\t}, { }"), fixed);
        assertEquals("", summary(analyze(fixed)));
        assertEquals("bad-sympos@5", summary(analyze(fixed.replace(".old_sympos = 2", ".old_sympos = 5"))));
    }

    @Test
    void moduleNameWithDashGetsAFix() {
        String text = "extern int x KLP_RELOC_SYMBOL_POS(kvm-intel, kvm-intel, x, 1);\n";
        Analysis analysis = analyze(text);
        List<FileDiagnostic> dashes = analysis.diagnostics(FILE).stream()
                .filter(d -> d.code() == Code.INVALID_OBJECT_NAME).toList();
        assertEquals(2, dashes.size());
        assertEquals("kvm_intel", dashes.get(0).fixes().get(0).edits().get(0).newText());
    }

    @Test
    void uniqueAndWorkspaceDefinedNamesAreQuiet() {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setIndex(SampleWorkspaces.fixtureIndex());
        workspace.open(Path.of("/ws/helper.c"), 1, "int irq_thread_check(int irq) { return irq; }\n");
        workspace.open(FILE, 1, "extern char saved_command_line[];\nextern int irq_thread_check(int);\n"
                + "int f(void) { return saved_command_line[0] + irq_thread_check(0); }\n");
        assertEquals(List.of(), workspace.snapshot().diagnostics(FILE));
    }

    @Test
    void hoverListsTheCandidates() {
        String text = "extern int irq_thread_check(int irq);\nint f(void) { return irq_thread_check(1); }\n";
        Analysis analysis = analyze(text);
        int use = text.lastIndexOf("irq_thread_check") + 3;
        HoverInfo hover = analysis.hover(FILE, use).orElseThrow();
        assertEquals(new Span(text.lastIndexOf("irq_thread_check"), text.lastIndexOf("irq_thread_check") + 16),
                hover.span());
        assertTrue(hover.markdown().contains("| vmlinux | 2 | FUNC (t) | LOCAL | chip.c | .text | no |"),
                hover.markdown());
        assertTrue(analysis.hover(FILE, text.indexOf("return")).isEmpty());
    }
}
