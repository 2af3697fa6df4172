// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Code;
import dev.klplsp.check.ConversionPlan;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.check.Severity;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.SourceScanner;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import dev.klplsp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Run-time lookups checked and converted against the fixture kernel of testdata/example (vmlinux: do_poweroff in
 * c_poweroff.c, sympos 1, and d_manage.c, sympos 2; saved_command_line, max_threads, nr_processes; the init-only
 * setup_command_line; module nvram: nvram_size, pc_nvram_get_size, homonym twice; kallsyms_lookup_name is not
 * exported). Every converted file must scan without run-time lookups or problems, compile with gcc and check clean
 * against the same kernel, with the KLP relocations the lookups meant.
 */
class RuntimeLookupAnalysisTest {
    private static final Path FILE = Path.of("/ws/patch.c");

    private static Analysis analyze(String text, Settings settings) {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(settings);
        workspace.setIndex(FixtureKernel.index());
        workspace.open(FILE, 1, text);
        return workspace.snapshot();
    }

    private static Analysis analyze(String text) {
        return analyze(text, Settings.DEFAULT);
    }

    private static String fixture(String name) {
        try {
            return Files.readString(Fixtures.testdata().resolve("c").resolve(name).resolve("patch.c"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "code@text" per diagnostic. */
    private static String summary(Analysis analysis) {
        String text = analysis.document(FILE).orElseThrow().text();
        return analysis.diagnostics(FILE).stream().map(d -> d.code().id() + "@" + d.span().textOf(text))
                .collect(Collectors.joining("\n"));
    }

    private static FileDiagnostic only(Analysis analysis, Code code) {
        List<FileDiagnostic> found = analysis.diagnostics(FILE).stream().filter(d -> d.code() == code).toList();
        assertEquals(1, found.size(), summary(analysis));
        return found.get(0);
    }

    private static String apply(Analysis analysis, Fix fix) {
        return TextEdit.apply(analysis.document(FILE).orElseThrow().text(), fix.edits());
    }

    /** The converted text: no run-time lookup or scanner problem left, and gcc compiles it. */
    private static Path assertConvertedAndCompiles(String caseName, String converted) {
        SourceScan again = SourceScanner.scan(converted);
        assertTrue(again.runtimeLookups().isEmpty(), converted);
        assertTrue(again.runtimeLookups().pointers().isEmpty(), converted);
        assertEquals(List.of(), again.problems(), converted);
        return Fixtures.moduleFromSources(caseName, Map.of("patch.c", converted));
    }

    /**
     * The KLP symbols a conversion of the module would write; the check must be clean but for the unresolved
     * {@code leftovers} (kernel functions the fixture kernel lacks, called by code the conversion kept).
     */
    private static List<String> klpSymbols(Path module, String... leftovers) {
        CheckResult result = ModuleChecker.check(ElfObject.read(module), FixtureKernel.index(), CheckConfig.DEFAULT);
        List<String> errors = result.findings().stream().filter(f -> f.isError()).map(f -> f.code().id() + " "
                + f.symbol()).sorted().toList();
        assertEquals(java.util.Arrays.stream(leftovers).map(name -> "unresolved-symbol " + name).sorted().toList(),
                errors, result.findings().toString());
        assertTrue(result.findings().stream().noneMatch(f -> f.code() == Code.KLP_OBJECT_MISSING),
                result.findings().toString());
        return result.plan().symbols().stream().map(ConversionPlan.SymbolConversion::klpName).sorted().toList();
    }

    @Test
    void runtimeLookup_marksEachConvertibleLookupWithItsFix() {
        Analysis analysis = analyze(fixture("runtime_table"));
        assertEquals("""
                runtime-lookup@saved_command_line
                runtime-lookup@max_threads
                runtime-lookup@nr_processes
                runtime-lookup@do_poweroff
                runtime-lookup@nvram_size
                runtime-lookup@pc_nvram_get_size""", summary(analysis));
        FileDiagnostic first = analysis.diagnostics(FILE).get(0);
        assertEquals(Severity.INFO, first.severity());
        assertEquals("klpe_saved_command_line is filled at run time by a kallsyms lookup of saved_command_line in"
                + " vmlinux; as a KLP relocation the kernel resolves it when the patch loads, and refuses a name that"
                + " is missing or ambiguous", first.message());
        assertEquals(List.of("Convert klpe_do_poweroff to a KLP relocation (vmlinux do_poweroff, sympos 2)"),
                analysis.diagnostics(FILE).get(3).fixes().stream().map(Fix::title).toList());

        // The per-entry fix converts that lookup alone: the table keeps the others.
        String one = apply(analysis, analysis.diagnostics(FILE).get(3).fixes().get(0));
        assertTrue(one.contains("void do_poweroff(struct work_struct *work) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux,"
                + " do_poweroff, 2);"), one);
        assertFalse(one.contains("klpe_do_poweroff"), one);
        assertTrue(one.contains("{ \"nr_processes\", (void *)&klpe_nr_processes },\n};"), one);
        assertEquals(5, SourceScanner.scan(one).runtimeLookups().entries().size());
        Fixtures.moduleFromSources("runtime_table_one", Map.of("patch.c", one));
    }

    @Test
    void convertingAPositionalTableWithANotifierGivesKlpRelocationsThatCheckClean() {
        Analysis analysis = analyze(fixture("runtime_table"));
        Fix convert = analysis.migration(FILE).orElseThrow();
        assertEquals("Convert run-time lookups to KLP relocations", convert.title());
        String converted = apply(analysis, convert);
        assertEquals(List.of(".klp.sym.nvram.nvram_size,0", ".klp.sym.nvram.pc_nvram_get_size,0",
                ".klp.sym.vmlinux.do_poweroff,2", ".klp.sym.vmlinux.max_threads,0",
                ".klp.sym.vmlinux.nr_processes,0", ".klp.sym.vmlinux.saved_command_line,0"),
                klpSymbols(assertConvertedAndCompiles("runtime_table_converted", converted)));
        assertTrue(converted.contains("""
                #include "kallsyms_relocs.h"
                #include "klp_relocs.h"
                """), converted);
        assertTrue(converted.contains("""
                extern char *saved_command_line KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, saved_command_line, 0);
                extern int max_threads KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, max_threads, 0);
                int nr_processes(void) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, nr_processes, 0);
                void do_poweroff(struct work_struct *work) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, do_poweroff, 2);
                extern long nvram_size KLP_RELOC_SYMBOL_POS(nvram, nvram, nvram_size, 0);
                long pc_nvram_get_size(void) KLP_RELOC_SYMBOL_POS(nvram, nvram, pc_nvram_get_size, 0);
                """), converted);
        assertTrue(converted.contains("""
                	seq_printf(m, "%s %c %d %p %d %p\\n", saved_command_line, saved_command_line[0],
                		   max_threads, &max_threads, nr_processes(), do_poweroff);
                """), converted);
        assertTrue(converted.contains("return (int)nvram_size + (int)pc_nvram_get_size();"), converted);
        // The notifier only resolved: it goes with its notifier_block and its registrations.
        assertFalse(converted.contains("module_notify") || converted.contains("module_nb"), converted);
        assertTrue(converted.contains("""
                	ret = 0;
                	if (ret)
                		return ret;
                	return 0;
                }

                void livepatch_cleanup(void)
                {
                }
                """), converted);
        // Converting again finds nothing to convert.
        assertTrue(analyze(converted).migration(FILE).isEmpty());
        // Hover on a looked-up name lists the kernel's copies.
        String text = fixture("runtime_table");
        HoverInfo hover = analysis.hover(FILE, text.indexOf("\"do_poweroff\"") + 3).orElseThrow();
        assertEquals("do_poweroff", hover.name());
        assertEquals(2, hover.candidates().size());
    }

    @Test
    void designatedEntriesAV7FileAClashingNameAndABusyNotifier() {
        Analysis analysis = analyze(fixture("runtime_designated"));
        assertEquals("""
                runtime-lookup@nr_processes
                runtime-lookup@do_poweroff
                runtime-lookup@nvram_size
                runtime-lookup@homonym""", summary(analysis));
        String converted = apply(analysis, analysis.migration(FILE).orElseThrow());
        assertEquals(List.of(".klp.sym.nvram.homonym,2", ".klp.sym.nvram.nvram_size,0",
                ".klp.sym.vmlinux.do_poweroff,1", ".klp.sym.vmlinux.nr_processes,0",
                ".klp.sym.vmlinux.saved_command_line,0"),
                klpSymbols(assertConvertedAndCompiles("runtime_designated_converted", converted),
                        "register_module_notifier", "strcmp"));
        // The patch defines its own nr_processes(): the kernel's keeps the pointer's name, with a label naming it.
        assertTrue(converted.contains(
                "int klpe_nr_processes(void) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, nr_processes, 0);\n"), converted);
        assertTrue(converted.contains("return events + klpe_nr_processes();"), converted);
        // The file is v7: the others go into KLP_MODULE_RELOC arrays that follow their declarations.
        assertTrue(converted.contains("""
                extern long nvram_size;
                extern long homonym;

                KLP_MODULE_RELOC(nvram) nvram_relocs[] = {
                	KLP_SYMPOS(homonym, 2),
                	KLP_SYMPOS(nvram_size, 0),
                };
                void do_poweroff(struct work_struct *work);

                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs_2[] = {
                	KLP_SYMPOS(do_poweroff, 1),
                };
                """), converted);
        // The second declaration of klpe_do_poweroff goes; klpe_nvram_size[0] is (&nvram_size)[0].
        assertEquals(1, converted.split("do_poweroff\\(struct work_struct", -1).length - 1, converted);
        assertTrue(converted.contains("saved_command_line, (&nvram_size)[0], homonym, do_poweroff);"), converted);
        // The notifier also counts events: it stays, with a note, and its resolver call becomes 0.
        assertTrue(converted.contains("/* klp-lsp: the kallsyms lookups of this notifier are KLP relocations now"),
                converted);
        assertTrue(converted.contains("\treturn 0;\n}\n\nstatic struct notifier_block module_nb"), converted);
        assertTrue(converted.contains("\tif (0)\n\t\treturn -ENOENT;\n\treturn register_module_notifier(&module_nb);"),
                converted);
    }

    @Test
    void kallsymsLookupName_isAnErrorWhenTheKernelDoesNotExportIt() {
        Analysis analysis = analyze(fixture("runtime_lookup_name"));
        assertEquals("""
                kallsyms-lookup-name@kallsyms_lookup_name
                runtime-lookup@saved_command_line
                kallsyms-lookup-name@kallsyms_lookup_name
                runtime-lookup@nr_processes
                kallsyms-lookup-name@kallsyms_lookup_name
                runtime-lookup@max_threads""", summary(analysis));
        FileDiagnostic error = analysis.diagnostics(FILE).get(0);
        assertEquals(Severity.ERROR, error.severity());
        assertEquals("kallsyms_lookup_name is not exported by this kernel (not since Linux 5.7): the module loader"
                + " refuses the patch; look saved_command_line up with a KLP relocation instead", error.message());
        // Its fix is the conversion of that lookup.
        assertEquals(List.of("Convert klpe_saved_command_line to a KLP relocation (vmlinux saved_command_line,"
                + " sympos 0)"), error.fixes().stream().map(Fix::title).toList());

        String converted = apply(analysis, analysis.migration(FILE).orElseThrow());
        assertEquals(List.of(".klp.sym.vmlinux.max_threads,0", ".klp.sym.vmlinux.nr_processes,0",
                ".klp.sym.vmlinux.saved_command_line,0"),
                klpSymbols(assertConvertedAndCompiles("runtime_lookup_name_converted", converted)));
        // The statements and their null checks go; the last test of the pointer becomes a test of the address.
        assertTrue(converted.contains("""
                int livepatch_init(void)
                {
                	return &max_threads ? 0 : -ENOENT;
                }
                """), converted);
        assertEquals("", summary(analyze(converted)));
    }

    @Test
    void aDuplicatedNameWithoutSymposSaysWhichCopyTheLookupBindsAndWaitsForAChoice() {
        String text = fixture("runtime_table").replace("{ \"do_poweroff\", (void *)&klpe_do_poweroff, NULL, 2 },",
                "{ \"do_poweroff\", (void *)&klpe_do_poweroff },");
        Analysis analysis = analyze(text);
        FileDiagnostic ambiguous = only(analysis, Code.AMBIGUOUS_SYMBOL);
        assertEquals(Severity.ERROR, ambiguous.severity());
        assertTrue(ambiguous.message().matches("do_poweroff is ambiguous: 2 symbols of that name in vmlinux; the"
                + " run-time lookup binds the first in kallsyms order \\(vmlinux, c_poweroff\\.c, t, 0x[0-9a-f]+\\),"
                + " which may not be the one you mean; set the entry's sympos"), ambiguous.message());
        assertEquals(List.of(1, 2), ambiguous.candidates().stream().map(c -> c.sympos()).toList());

        // Not converted silently: the file action leaves it, and says so.
        Fix partial = analysis.migration(FILE).orElseThrow();
        assertEquals("Convert 5 of 6 run-time lookups to KLP relocations (1 needs a fix first)", partial.title());
        assertEquals(List.of(ambiguous), analysis.migrationBlockers(FILE));
        String partly = apply(analysis, partial);
        assertTrue(partly.contains("static void (*klpe_do_poweroff)(struct work_struct *work);"), partly);
        assertTrue(partly.contains("""
                static struct klp_kallsyms_reloc klp_funcs[] = {
                	{ "do_poweroff", (void *)&klpe_do_poweroff },
                };
                """), partly);
        assertTrue(partly.contains("ret = __klp_resolve_kallsyms_relocs(klp_funcs, ARRAY_SIZE(klp_funcs));"), partly);
        Fixtures.moduleFromSources("runtime_table_partly", Map.of("patch.c", partly));

        // The quick fix picks a copy in the entry's own form; then the whole file converts.
        assertTrue(ambiguous.fixes().get(1).title().startsWith("sympos 2 \u2014 vmlinux, d_manage.c, t, 0x"));
        String chosen = apply(analysis, ambiguous.fixes().get(1));
        assertTrue(chosen.contains("{ \"do_poweroff\", (void *)&klpe_do_poweroff, NULL, 2 },"), chosen);
        Analysis after = analyze(chosen);
        assertEquals("Convert run-time lookups to KLP relocations", after.migration(FILE).orElseThrow().title());
        assertTrue(klpSymbols(assertConvertedAndCompiles("runtime_table_chosen",
                apply(after, after.migration(FILE).orElseThrow()))).contains(".klp.sym.vmlinux.do_poweroff,2"));
    }

    @Test
    void namesTheIndexCannotResolveAreReportedLikeAnyReference() {
        Analysis analysis = analyze("""
                static char **klpe_a;
                static int *klpe_b;
                static int (*klpe_c)(void);
                static void (*klpe_d)(void *);
                static int *klpe_e;
                static struct klp_kallsyms_reloc funcs[] = {
                	{ "saved_comand_line", (void *)&klpe_a },
                	{ "max_threads", (void *)&klpe_b, "nvram" },
                	{ "setup_command_line", (void *)&klpe_c },
                	{ .symname = "do_poweroff", .addr = (void **)&klpe_d, .sympos = 3 },
                	{ "homonym", (void *)&klpe_e, "nvr-am" },
                };
                int f(void) { return **klpe_a + *klpe_b + klpe_c() + *klpe_e; }
                """);
        assertEquals("""
                unresolved-symbol@saved_comand_line
                unresolved-symbol@max_threads
                init-symbol@setup_command_line
                bad-sympos@3
                unresolved-symbol@homonym
                invalid-object-name@nvr-am""", summary(analysis));
        List<FileDiagnostic> found = analysis.diagnostics(FILE);
        assertEquals("saved_comand_line is not in vmlinux; did you mean saved_command_line?", found.get(0).message());
        assertEquals("saved_command_line", apply(analysis, found.get(0).fixes().get(0)).lines()
                .filter(line -> line.contains("klpe_a }")).findFirst().orElseThrow().replaceAll(".*\"(.*)\".*", "$1"));
        assertEquals("max_threads is not in nvram, but in vmlinux", found.get(1).message());
        assertEquals("sympos 3 for do_poweroff (run-time lookup sympos) but vmlinux has only 2 of them",
                found.get(3).message());
        assertEquals("homonym is not in nvr_am, but in nvram", found.get(4).message());
        // A '-' never matches a module name at run time either; the fix writes the kernel's spelling.
        assertEquals("Use object name 'nvr_am'", found.get(5).fixes().get(0).title());
        assertTrue(analysis.migration(FILE).isEmpty(), "nothing here can be converted");
        assertEquals(5, analysis.migrationBlockers(FILE).size());
    }

    @Test
    void pointersTheCodeChangesStayLookups() {
        Analysis analysis = analyze("""
                static int *klpe_a;
                static int *klpe_b;
                #define B_VALUE (*klpe_b)
                static int *klpe_c;
                static struct klp_kallsyms_reloc funcs[] = {
                	{ "max_threads", (void *)&klpe_a },
                	{ "total_forks", (void *)&klpe_b },
                };
                static struct klp_kallsyms_reloc walked[] = { { "saved_command_line", (void *)&klpe_c } };
                void f(void) { klpe_a = 0; }
                int g(void) { return *klpe_c + my_walk(walked, 1) + sizeof(walked); }
                """);
        List<FileDiagnostic> found = analysis.diagnostics(FILE);
        assertEquals("the run-time lookup of max_threads cannot become a KLP relocation automatically: the code"
                + " changes klpe_a itself (line 10)", found.get(0).message());
        assertEquals("the run-time lookup of total_forks cannot become a KLP relocation automatically: the macro"
                + " B_VALUE uses klpe_b (line 3), and macros are not rewritten", found.get(1).message());
        // sizeof(walked) is a use of the table besides the call that walks it: its entries stay.
        assertEquals("the run-time lookup of saved_command_line cannot become a KLP relocation automatically: the code uses"
                + " the table walked besides walking it", found.get(2).message());
        assertTrue(found.stream().allMatch(d -> d.code() == Code.RUNTIME_LOOKUP && d.fixes().isEmpty()));
        assertTrue(analysis.migration(FILE).isEmpty());
    }

    @Test
    void theFileActionIsOfferedOnTheLookupsOnly() {
        String text = fixture("runtime_table");
        Analysis analysis = analyze(text, new Settings(java.util.List.of(), AnnotationStyle.V7, false,
                Settings.DEFAULT.output(), java.util.Optional.empty(), Settings.DEFAULT.functionReferences(),
                java.util.Map.of()));
        int table = text.indexOf("klp_funcs[]");
        int use = text.indexOf("*klpe_max_threads");
        int elsewhere = text.indexOf("struct klp_object {");
        assertEquals(1, analysis.refactorings(FILE, Span.at(table)).size());
        assertEquals(1, analysis.refactorings(FILE, Span.at(use)).size());
        assertEquals(List.of(), analysis.refactorings(FILE, Span.at(elsewhere)));
        // With annotationStyle v7 and a file without annotations, the conversion writes v7 arrays.
        String converted = apply(analysis, analysis.refactorings(FILE, Span.at(table)).get(0));
        assertTrue(converted.contains("KLP_MODULE_RELOC(nvram) nvram_relocs[] = {"), converted);
        assertEquals(6, klpSymbols(assertConvertedAndCompiles("runtime_table_v7", converted)).size());
    }
}
