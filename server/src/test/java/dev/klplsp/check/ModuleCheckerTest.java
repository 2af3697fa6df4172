// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static dev.klplsp.check.FixtureKernel.check;
import static dev.klplsp.check.FixtureKernel.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.convert.Converter;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.KlpNames;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Symbol;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One canonical test per finding code (docs/diagnostics.md links each), on gcc-built fixture livepatches from
 * testdata/c checked against the bundled fixture kernel of testdata/example/kernel.
 */
class ModuleCheckerTest {

    private static Finding only(CheckResult result, Code code) {
        List<Finding> matches = findings(result, code);
        assertEquals(1, matches.size(), code.id() + " in " + result.findings());
        return matches.get(0);
    }

    private static Optional<ConversionPlan.SymbolConversion> planned(CheckResult result, String name) {
        return result.plan().symbols().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Test
    void uniqueNonExportedSymbolsAreConvertedWithSymposZeroAndExportsAreLeftAlone() {
        CheckResult result = check("klp_basic");
        assertFalse(result.hasErrors(), result.findings().toString());
        assertEquals(List.of(".klp.sym.vmlinux.saved_command_line,0", ".klp.sym.vmlinux.max_threads,0",
                ".klp.sym.vmlinux.nr_processes,0"),
                result.plan().symbols().stream().map(ConversionPlan.SymbolConversion::klpName).sorted(
                        (a, b) -> order(a) - order(b)).toList());
        assertTrue(planned(result, "seq_printf").isEmpty());
        assertTrue(planned(result, "_printk").isEmpty());
        assertTrue(result.plan().symbols().stream().allMatch(s -> s.lpObject().equals("vmlinux")));
    }

    private static int order(String klpName) {
        return List.of(".klp.sym.vmlinux.saved_command_line,0", ".klp.sym.vmlinux.max_threads,0",
                ".klp.sym.vmlinux.nr_processes,0").indexOf(klpName);
    }

    @Test
    void unresolvedSymbol_namesTyposAndClonesAndPredictsTheKernelMessage() {
        CheckResult result = check("klp_unresolved");
        List<Finding> unresolved = findings(result, Code.UNRESOLVED_SYMBOL);
        assertEquals(3, unresolved.size(), unresolved.toString());
        Finding missing = unresolved.stream().filter(f -> f.symbol().equals("no_such_symbol_klpc")).findFirst()
                .orElseThrow();
        assertEquals(Severity.ERROR, missing.severity());
        assertEquals(Optional.of("symbol 'no_such_symbol_klpc' not found in symbol table"), missing.kernelMessage());
        assertEquals(".text", missing.location().orElseThrow().section());
        Finding typo = unresolved.stream().filter(f -> f.symbol().equals("saved_comand_line")).findFirst()
                .orElseThrow();
        assertTrue(typo.message().contains("did you mean saved_command_line"), typo.message());
        Finding clone = unresolved.stream().filter(f -> f.symbol().equals("copy_process")).findFirst()
                .orElseThrow();
        assertTrue(clone.message().contains("compiler clones exist: vmlinux copy_process.isra.0"), clone.message());
        assertEquals(List.of(new SymposChoice("vmlinux", "copy_process.isra.0", 0)), clone.fixes());
        assertTrue(result.plan().symbols().isEmpty());
        assertTrue(result.findings().stream().noneMatch(f -> "optional_feature".equals(f.symbol())),
                "a missing weak symbol is the loader's 0, not an error");
    }

    @Test
    void ambiguousSymbol_listsEveryCandidateWithItsPositionInAddressOrder() {
        CheckResult result = check("klp_ambiguous");
        Finding finding = only(result, Code.AMBIGUOUS_SYMBOL);
        assertEquals("do_poweroff", finding.symbol());
        assertEquals("vmlinux", finding.object());
        assertEquals(2, finding.candidates().size());
        Candidate first = finding.candidates().get(0);
        Candidate second = finding.candidates().get(1);
        assertEquals(1, first.sympos());
        assertEquals(2, second.sympos());
        assertEquals(Optional.of("c_poweroff.c"), first.sourceFile());
        assertEquals(Optional.of("d_manage.c"), second.sourceFile());
        assertTrue(Long.compareUnsigned(first.address(), second.address()) < 0);
        assertEquals(List.of("do_poweroff=vmlinux:1", "do_poweroff=vmlinux:2"),
                finding.fixes().stream().map(SymposChoice::toOption).toList());
        assertEquals(Optional.of("unresolvable ambiguity for symbol 'do_poweroff' in object '(null)'"),
                finding.kernelMessage());
    }

    @Test
    void explicitChoiceResolvesTheAmbiguity() {
        CheckResult result = check("klp_ambiguous", CheckConfig.DEFAULT.withChoices(
                Map.of("do_poweroff", new Choice("vmlinux", 2, "--sympos"))));
        assertFalse(result.hasErrors(), result.findings().toString());
        assertEquals(".klp.sym.vmlinux.do_poweroff,2", planned(result, "do_poweroff").orElseThrow().klpName());
    }

    @Test
    void badSympos_zeroOnADuplicateAndBeyondTheCountAndConflictingAnnotations() {
        Finding zero = only(check("klp_ambiguous", CheckConfig.DEFAULT.withChoices(
                Map.of("do_poweroff", new Choice("vmlinux", 0, "--sympos")))), Code.BAD_SYMPOS);
        assertEquals(Optional.of("unresolvable ambiguity for symbol 'do_poweroff' in object '(null)'"),
                zero.kernelMessage());
        Finding beyond = only(check("klp_basic", CheckConfig.DEFAULT.withChoices(
                Map.of("saved_command_line", new Choice("vmlinux", 2, "--sympos")))), Code.BAD_SYMPOS);
        assertEquals(Optional.of("symbol position 2 for symbol 'saved_command_line' in object 'vmlinux' not found"),
                beyond.kernelMessage());
        assertTrue(beyond.message().contains("only one saved_command_line"), beyond.message());
        Finding conflict = only(check("klp_v7_conflict"), Code.BAD_SYMPOS);
        assertTrue(conflict.message().startsWith("conflicting annotations for do_poweroff: vmlinux,"),
                conflict.message());
        assertTrue(conflict.message().contains(",1 (") && conflict.message().contains(",2 ("), conflict.message());
    }

    @Test
    void v7AnnotationsGiveObjectAndSymposAndAreRemoved() {
        CheckResult result = check("klp_v7");
        assertFalse(result.hasErrors(), result.findings().toString());
        assertEquals(".klp.sym.vmlinux.do_poweroff,1", planned(result, "do_poweroff").orElseThrow().klpName());
        assertEquals(".klp.sym.vmlinux.saved_command_line,0",
                planned(result, "saved_command_line").orElseThrow().klpName());
        assertEquals(List.of(".klp.module_relocs.vmlinux"),
                result.plan().removedSections().stream().map(ConversionPlan.SectionRef::name).toList());
    }

    @Test
    void annotationUnused_warnsAndDropsTheOtherwiseUnresolvableSymbol() {
        CheckResult result = check("klp_v7");
        Finding unused = only(result, Code.ANNOTATION_UNUSED);
        assertEquals(Severity.WARNING, unused.severity());
        assertEquals("total_forks", unused.symbol());
        assertEquals(List.of("total_forks"),
                result.plan().removedSymbols().stream().map(ConversionPlan.SymbolRef::name).toList());
    }

    @Test
    void minimalStyleSymbolsChooseTheirKlpSectionObject() {
        CheckResult result = check("klp_minimal");
        assertFalse(result.hasErrors(), result.findings().toString());
        ConversionPlan.SymbolConversion cmdline = planned(result, "saved_command_line").orElseThrow();
        assertEquals(".klp.sym.rela.vmlinux.vmlinux.saved_command_line.0", cmdline.originalName());
        assertEquals(".klp.sym.vmlinux.saved_command_line,0", cmdline.klpName());
        assertEquals("vmlinux", cmdline.lpObject());
        ConversionPlan.SymbolConversion homonym = planned(result, "homonym").orElseThrow();
        assertEquals(".klp.sym.nvram.homonym,2", homonym.klpName());
        assertEquals("nvram", homonym.lpObject());
        assertEquals(".klp.sym.nvram.nvram_size,0", planned(result, "nvram_size").orElseThrow().klpName());
    }

    @Test
    void moduleSectionVmlinuxSymbol_isRefusedLikeTheKernelDoes() {
        CheckResult result = check("klp_minimal_bad");
        Finding finding = only(result, Code.MODULE_SECTION_VMLINUX_SYMBOL);
        assertEquals("saved_command_line", finding.symbol());
        assertEquals(Optional.of("invalid access to vmlinux symbol 'saved_command_line' from module-specific"
                + " livepatch relocation section"), finding.kernelMessage());
        assertEquals(List.of(new SymposChoice("vmlinux", "saved_command_line", 0)), finding.fixes());
        Finding tooFar = only(result, Code.BAD_SYMPOS);
        assertEquals("homonym", tooFar.symbol());
        assertEquals(Optional.of("symbol position 3 for symbol 'homonym' in object 'nvram' not found"),
                tooFar.kernelMessage());
    }

    @Test
    void invalidObjectName_dashDotAndLength() {
        CheckResult result = check("klp_basic", CheckConfig.DEFAULT.withChoices(
                Map.of("saved_command_line", new Choice("kvm-intel", 0, "--sympos"))));
        Finding dash = only(result, Code.INVALID_OBJECT_NAME);
        assertTrue(dash.message().contains("'kvm-intel' contains '-'"), dash.message());
        assertEquals(List.of(new SymposChoice("kvm_intel", "saved_command_line", 0)), dash.fixes());
        assertTrue(KlpNames.objectNameProblem("a".repeat(56)).orElseThrow().contains("56 characters"));
        assertTrue(KlpNames.objectNameProblem("foo.bar").orElseThrow().contains("'.'"));
        assertTrue(KlpNames.objectNameProblem("a".repeat(55)).isEmpty());
    }

    @Test
    void unresolvedSymbol_inABuiltinModuleSaysToNameVmlinux(@TempDir Path dir) throws Exception {
        Path builtin = dir.resolve("modules.builtin");
        Files.writeString(builtin, "kernel/drivers/input/misc/pcspkr.ko\n");
        KernelIndex index = KernelIndexLoader.load(new KernelSources(Optional.of(FixtureKernel.kernelDir().toString()),
                List.of(), List.of(), Optional.empty(), Optional.of(builtin), Optional.empty()), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        CheckResult result = ModuleChecker.check(FixtureKernel.read("klp_basic"), index, CheckConfig.DEFAULT
                .withChoices(Map.of("saved_command_line", new Choice("pcspkr", 0, "--sympos"))));
        Finding missing = only(result, Code.UNRESOLVED_SYMBOL);
        assertTrue(missing.message().contains("saved_command_line is not in pcspkr (pcspkr is built into vmlinux"
                + " per modules.builtin: name vmlinux as the object)"), missing.message());
        assertEquals(List.of(new SymposChoice("vmlinux", "saved_command_line", 0)), missing.fixes());
    }

    @Test
    void invalidSymbolName_commaAndLength() {
        ElfObject module = FixtureKernel.read("klp_basic");
        Symbol symbol = module.symbolTable().orElseThrow().findSymbol("saved_command_line").orElseThrow();
        symbol.setName("saved,command_line");
        Finding comma = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.INVALID_SYMBOL_NAME);
        assertTrue(comma.message().contains("contains ','"), comma.message());
        symbol.setName("x".repeat(512));
        Finding length = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.INVALID_SYMBOL_NAME);
        assertTrue(length.message().contains("512 characters"), length.message());
    }

    @Test
    void functionSymbolRisk_isGradedByCallVersusAddressClonesAndColdParts() {
        CheckResult result = check("klp_functions");
        List<Finding> risks = findings(result, Code.FUNCTION_SYMBOL_RISK);
        assertEquals(3, risks.size(), risks.toString());
        Finding called = risks.stream().filter(f -> f.symbol().equals("nr_processes")).findFirst().orElseThrow();
        assertEquals(Severity.WARNING, called.severity());
        assertFalse(called.message().contains("extra risk"), called.message());
        Finding clone = risks.stream().filter(f -> f.symbol().equals("kernel_clone")).findFirst().orElseThrow();
        assertTrue(clone.message().contains("(2 extra risks)"), clone.message());
        assertTrue(clone.message().contains("its address is taken (R_X86_64_64 at .data+0x0)"), clone.message());
        assertTrue(clone.message().contains("kernel_clone.constprop.0"), clone.message());
        Finding cold = risks.stream().filter(f -> f.symbol().equals("dup_task_struct.cold")).findFirst()
                .orElseThrow();
        assertTrue(cold.message().contains(".cold part of a split function"), cold.message());
        assertFalse(result.hasErrors(), result.findings().toString());

        CheckResult off = check("klp_functions", CheckConfig.DEFAULT.withFunctionReferences(FunctionReferences.OFF));
        assertTrue(findings(off, Code.FUNCTION_SYMBOL_RISK).isEmpty());
    }

    /** testdata/c/klp_optimized against the opt_kernel fixture and its debug information. */
    private static CheckResult optimized() {
        return OptimizedKernel.check(CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts()));
    }

    private static Finding about(CheckResult result, Code code, String symbol) {
        List<Finding> matches = findings(result, code).stream().filter(f -> symbol.equals(f.symbol())).toList();
        assertEquals(1, matches.size(), code.id() + " for " + symbol + " in " + result.findings());
        return matches.get(0);
    }

    @Test
    void functionSymbolRisk_withDebugInfoIsInformationalForAFunctionAsWrittenAndSaysHowToGetItWithout() {
        Finding asWritten = about(optimized(), Code.FUNCTION_SYMBOL_RISK, "plain_function");
        assertEquals(Severity.INFO, asWritten.severity());
        assertEquals("reference to function plain_function in vmlinux: its debug information shows plain_function"
                + " out of line as written (" + OptimizedKernel.declaration("plain_function") + "), without compiler"
                + " clones or changed parameters", asWritten.message());
        // A function with a clone stays a warning, naming the clone and what it changed.
        Finding withClone = about(optimized(), Code.FUNCTION_SYMBOL_RISK, "scaled");
        assertEquals(Severity.WARNING, withClone.severity());
        assertTrue(withClone.message().contains("scaled.constprop.0 (compiler clone: 'factor' replaced by the"
                + " constant 4)"), withClone.message());

        Finding without = about(OptimizedKernel.check(CheckConfig.DEFAULT), Code.FUNCTION_SYMBOL_RISK,
                "plain_function");
        assertEquals(Severity.WARNING, without.severity());
        assertTrue(without.message().endsWith("for exact answers give the kernel's debug information (the"
                + " debugInfo setting or --debug-info)"), without.message());
        // The same for a call into a module, with the module's debug information: dwarf_facts's sink.
        Path moduleCalls = OptimizedKernel.patch(List.of("-DMODULE_CALLS"));
        Finding inModule = about(ModuleChecker.check(ElfObject.read(moduleCalls), OptimizedKernel.index(),
                CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts())), Code.FUNCTION_SYMBOL_RISK, "sink");
        assertEquals("dwarf_facts", inModule.object());
        assertEquals(Severity.INFO, inModule.severity(), inModule.message());
        assertTrue(inModule.message().startsWith("reference to function sink in dwarf_facts: its debug information"
                + " shows sink out of line as written ("), inModule.message());
        Finding vmlinuxFactsOnly = about(ModuleChecker.check(ElfObject.read(moduleCalls), OptimizedKernel.index(),
                CheckConfig.DEFAULT.withOptimization(OptimizationFacts.of(Map.of(KernelSymbol.VMLINUX,
                        OptimizedKernel.optimization())))), Code.FUNCTION_SYMBOL_RISK, "sink");
        assertEquals(Severity.WARNING, vmlinuxFactsOnly.severity(), "without the module's debug information");
        assertEquals(OptimizationText.debugInfoHint(Optional.of("6.1.0-56-amd64")),
                "for exact answers give the kernel's debug information (the debugInfo setting or --debug-info;"
                        + " on Debian: apt-get install linux-image-6.1.0-56-amd64-dbg)");
    }

    @Test
    void replacedFunctionInlined_namesEachCallerWithItsCallLine() {
        CheckResult result = optimized();
        Finding vmlinux = about(result, Code.REPLACED_FUNCTION_INLINED, "dointvec_conv");
        assertEquals(Severity.WARNING, vmlinux.severity());
        assertEquals("klp_func replaces dointvec_conv, but vmlinux also has 1 inlined copy of it, in"
                + " dointvec_minmax_conv (" + OptimizedKernel.marker("CALL: dointvec_conv") + "): those copies keep"
                + " the old code: patch the callers too", vmlinux.message());
        assertEquals(List.of("dointvec_minmax_conv"), vmlinux.candidates().stream().map(Candidate::name).toList());
        assertEquals(".data", vmlinux.location().orElseThrow().section(), "at the klp_func entry");
        // A module target, with the module's debug information: dup_helper,1 of dwarf_facts (a.c's copy).
        Finding module = about(result, Code.REPLACED_FUNCTION_INLINED, "dup_helper");
        assertEquals("dwarf_facts", module.object());
        assertTrue(module.message().startsWith("klp_func replaces dup_helper, but dwarf_facts also has 1 inlined"
                + " copy of it, in flattened_caller ("), module.message());
        assertTrue(module.message().contains("dwarf_facts/a.c:"), module.message());
        // Without debug information nothing is known, and nothing is said.
        assertTrue(findings(OptimizedKernel.check(CheckConfig.DEFAULT), Code.REPLACED_FUNCTION_INLINED).isEmpty());
    }

    @Test
    void replacedFunctionCloned_namesEveryOtherCopyAndWhatItChanged() {
        Finding finding = about(optimized(), Code.REPLACED_FUNCTION_CLONED, "scaled");
        assertEquals(Severity.WARNING, finding.severity());
        assertEquals("klp_func replaces scaled, but vmlinux has 1 other copy of it: scaled.constprop.0 (compiler"
                + " clone: 'factor' replaced by the constant 4): code that calls another copy keeps the old code:"
                + " replace each copy with its own klp_func, taking that copy's parameters", finding.message());
        assertEquals(List.of("scaled.constprop.0"), finding.candidates().stream().map(Candidate::name).toList());
    }

    @Test
    void replacedFunctionOnlyInlined_isAnErrorNamingWhereItWasInlined() {
        CheckResult result = optimized();
        Finding finding = about(result, Code.REPLACED_FUNCTION_ONLY_INLINED, "only_inlined");
        assertTrue(finding.isError());
        assertEquals("klp_func replaces only_inlined, but vmlinux has no out-of-line copy of it: the compiler"
                + " inlined it in 2 places, in 2 functions: first_user (" + OptimizedKernel.marker(
                        "CALL: only_inlined first") + "), second_user (" + OptimizedKernel.marker(
                                "CALL: only_inlined second") + "): the kernel finds no symbol to patch; replace the"
                + " callers instead", finding.message());
        assertEquals(Optional.of("symbol 'only_inlined' not found in symbol table"), finding.kernelMessage());
        assertEquals(List.of("first_user", "second_user"), finding.candidates().stream().map(Candidate::name)
                .toList());
        assertTrue(result.hasErrors());
    }

    @Test
    void functionTransformed_saysWhatTheCloneChangedForCallsAndReplacements() {
        String clone = OptimizedKernel.readThroughClone();
        List<Finding> transformed = findings(optimized(), Code.FUNCTION_TRANSFORMED);
        assertEquals(2, transformed.size(), transformed.toString());
        String origin = "a compiler clone of read_through (" + OptimizedKernel.declaration("read_through")
                + ") with 'p' no longer passed";
        Finding called = transformed.stream().filter(f -> f.location().orElseThrow().section().equals(".text"))
                .findFirst().orElseThrow();
        assertEquals(Severity.WARNING, called.severity());
        assertEquals("reference to " + clone + " in vmlinux: " + origin + ": declare and call it with the clone's"
                + " parameters, not read_through's", called.message());
        Finding replaced = transformed.stream().filter(f -> f.location().orElseThrow().section().equals(".data"))
                .findFirst().orElseThrow();
        assertEquals("klp_func replaces " + clone + ", " + origin + ": the new function must take the clone's"
                + " parameters, not read_through's", replaced.message());
        // A call to a transformed clone is reported whatever functionReferences says: it is a fact, not a risk.
        assertEquals(2, findings(OptimizedKernel.check(CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts())
                .withFunctionReferences(FunctionReferences.OFF)), Code.FUNCTION_TRANSFORMED).size());
    }

    @Test
    void initSymbol_vmlinuxInitOnlyFunctionIsAnError() {
        Finding finding = only(check("klp_init"), Code.INIT_SYMBOL);
        assertEquals("setup_command_line", finding.symbol());
        assertTrue(finding.candidates().get(0).init());
    }

    @Test
    void relocInInitSection_isAnError() {
        Finding finding = only(check("klp_init"), Code.RELOC_IN_INIT_SECTION);
        assertEquals("saved_command_line", finding.symbol());
        assertEquals(".init.text", finding.location().orElseThrow().section());
    }

    @Test
    void relocInNonallocSection_isAnError() {
        Finding finding = only(check("klp_nonalloc"), Code.RELOC_IN_NONALLOC_SECTION);
        assertEquals(".klpc_notes", finding.location().orElseThrow().section());
    }

    @Test
    void specialSectionModuleSymbol_refusedForModulesOnly() {
        CheckResult result = check("klp_special");
        Finding finding = only(result, Code.SPECIAL_SECTION_MODULE_SYMBOL);
        assertEquals("nvram_size", finding.symbol());
        assertEquals("__jump_table", finding.location().orElseThrow().section());
        assertTrue(planned(result, "saved_command_line").isPresent(), "a vmlinux key in __jump_table is fine");
    }

    /** A reference of the module to {@code symbol}: the relocation whose type a test changes. */
    private static Relocation referenceTo(ElfObject module, String symbol) {
        return module.relocationSections().stream().flatMap(section -> section.relocations().stream())
                .filter(r -> r.symbol() != null && r.symbol().name().equals(symbol)).findFirst().orElseThrow();
    }

    @Test
    void relocTypeUnsupported_isAnErrorWhereApplyRelocateAddRefusesTheType() {
        ElfObject module = FixtureKernel.read("klp_basic");
        referenceTo(module, "nr_processes").setType(37); // R_X86_64_IRELATIVE
        CheckResult result = ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT);
        Finding finding = only(result, Code.RELOC_TYPE_UNSUPPORTED);
        assertEquals("nr_processes", finding.symbol());
        assertEquals("reference to nr_processes by a R_X86_64_IRELATIVE relocation: the kernel's x86_64"
                + " apply_relocate_add() refuses this type in a KLP relocation ('klp_basic: Unknown rela relocation:"
                + " 37'), so the patch would not load", finding.message());
        assertTrue(planned(result, "nr_processes").isEmpty());
        assertTrue(planned(result, "saved_command_line").isPresent());

        ElfObject unknown = FixtureKernel.read("klp_basic");
        referenceTo(unknown, "saved_command_line").setType(200);
        assertTrue(only(ModuleChecker.check(unknown, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.RELOC_TYPE_UNSUPPORTED).message().contains("by a R_62_200 relocation"));
    }

    /**
     * Per architecture: what gcc emits for a livepatch passes (no false alarm), and a type that architecture's
     * apply_relocate_add() refuses is an error.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"AARCH64, 1025, arm64", "PPC64LE, 0, ppc64", "S390X, 9, s390"})
    void relocTypeUnsupported_perArchitecture(dev.klplsp.testing.Toolchain toolchain, int refused, String arch) {
        dev.klplsp.elf.ElfTesting.requireToolchain(toolchain);
        CheckResult clean = ModuleChecker.check(FixtureKernel.read("klp_basic", toolchain), FixtureKernel.index(),
                CheckConfig.DEFAULT);
        assertTrue(findings(clean, Code.RELOC_TYPE_UNSUPPORTED).isEmpty(), clean.findings().toString());
        assertTrue(planned(clean, "nr_processes").isPresent(), clean.findings().toString());
        ElfObject module = FixtureKernel.read("klp_basic", toolchain);
        referenceTo(module, "nr_processes").setType(refused);
        Finding finding = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.RELOC_TYPE_UNSUPPORTED);
        assertTrue(finding.message().contains("the kernel's " + arch + " apply_relocate_add() refuses"),
                finding.message());
    }

    @Test
    void notLivepatchModule_withoutModinfoLivepatch() {
        CheckResult result = ModuleChecker.check(ElfObject.read(Fixtures.module("dup_statics")), FixtureKernel.index(),
                CheckConfig.DEFAULT);
        Finding finding = only(result, Code.NOT_LIVEPATCH_MODULE);
        assertEquals(Optional.of("module dup_statics is not marked as a livepatch module"), finding.kernelMessage());
    }

    @Test
    void unresolvedAfterConversion_undefinedSymbolWithoutRelocations() {
        Finding finding = only(check("klp_lonely"), Code.UNRESOLVED_AFTER_CONVERSION);
        assertEquals("saved_command_line", finding.symbol());
        assertEquals(Optional.of("Unknown symbol saved_command_line"), finding.kernelMessage());
    }

    @Test
    void exportedByModule_leftAloneByDefaultConvertedOnRequest() {
        Finding left = only(check("klp_module_export"), Code.EXPORTED_BY_MODULE);
        assertEquals(Severity.INFO, left.severity());
        assertEquals("nvram", left.object());
        assertTrue(check("klp_module_export").plan().symbols().isEmpty());

        CheckResult converted = check("klp_module_export", CheckConfig.DEFAULT.withConvertModuleExports(true));
        assertEquals(Severity.WARNING, only(converted, Code.EXPORTED_BY_MODULE).severity());
        ConversionPlan.SymbolConversion conversion = planned(converted, "nvram_read_byte").orElseThrow();
        assertEquals(".klp.sym.nvram.nvram_read_byte,0", conversion.klpName());
        assertEquals("nvram", conversion.lpObject());
    }

    @Test
    void klpObjectMissing_whenNoStringCanNameTheKlpObject() {
        Finding missing = only(check("klp_minimal"), Code.KLP_OBJECT_MISSING);
        assertEquals(Severity.WARNING, missing.severity());
        assertEquals("nvram", missing.object());
        CheckResult present = check("klp_nvram_object");
        assertFalse(present.hasErrors(), present.findings().toString());
        assertTrue(findings(present, Code.KLP_OBJECT_MISSING).isEmpty(), present.findings().toString());
        assertEquals(".klp.sym.nvram.nvram_size,0", planned(present, "nvram_size").orElseThrow().klpName());
    }

    @Test
    void noExportData_whenTheIndexHasNoModuleSymvers() {
        dev.klplsp.kernel.KernelIndex withoutExports = dev.klplsp.kernel.KernelIndexLoader.load(
                dev.klplsp.kernel.KernelSources.ofSymbols(FixtureKernel.kernelDir().resolve("System.map")),
                dev.klplsp.kernel.IndexOptions.NO_CACHE, dev.klplsp.kernel.ProgressListener.NONE);
        CheckResult result = ModuleChecker.check(FixtureKernel.read("klp_basic"), withoutExports, CheckConfig.DEFAULT);
        assertEquals(Severity.WARNING, only(result, Code.NO_EXPORT_DATA).severity());
        assertTrue(planned(result, "seq_printf").isPresent(), "without exports, seq_printf looks convertible");
        assertTrue(findings(check("klp_basic"), Code.NO_EXPORT_DATA).isEmpty());
    }

    @Test
    void malformedAnnotation_entriesOfTheWrongSize() {
        Finding finding = only(check("klp_bad_annotation"), Code.MALFORMED_ANNOTATION);
        assertTrue(finding.message().contains("not a multiple of sizeof(struct klp_module_reloc) = 12"),
                finding.message());
    }

    @Test
    void signatureDropped_isAnInfo(@TempDir Path dir) throws Exception {
        byte[] module = Files.readAllBytes(Fixtures.module("klp_basic"));
        byte[] signature = new byte[16];
        byte[] info = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, (byte) signature.length};
        byte[] magic = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
        Path signed = dir.resolve("signed.ko");
        Files.write(signed, concat(module, signature, info, magic));
        CheckResult result = ModuleChecker.check(ElfObject.read(signed), FixtureKernel.index(), CheckConfig.DEFAULT);
        assertEquals(Severity.INFO, only(result, Code.SIGNATURE_DROPPED).severity());
        assertFalse(result.hasErrors());
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    // --- Problems in modules that are already (badly) converted: the checks the kernel does not do itself. ---

    private static ElfObject converted(String fixtureCase) {
        ElfObject module = FixtureKernel.read(fixtureCase);
        CheckResult result = ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT);
        assertFalse(result.hasErrors(), result.findings().toString());
        Converter.apply(module, result.plan());
        return ElfObject.read(module.path(), module.toBytes());
    }

    private static RelocationSection klpText(ElfObject module) {
        return (RelocationSection) module.findSection(".klp.rela.vmlinux..text").orElseThrow();
    }

    @Test
    void klpSymInNormalRela_resolvesToZeroInTheKernel() {
        ElfObject module = converted("klp_basic");
        Relocation moved = klpText(module).relocations().remove(0);
        ((RelocationSection) module.findSection(".rela.text").orElseThrow()).relocations().add(moved);
        Finding finding = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.KLP_SYM_IN_NORMAL_RELA);
        assertTrue(finding.symbol().startsWith(".klp.sym.vmlinux."), finding.symbol());
    }

    @Test
    void klpSectionNotAlloc_crashesTheKernelWhenTheTargetLoads() {
        ElfObject module = converted("klp_basic");
        RelocationSection klp = klpText(module);
        klp.setFlags(klp.flags() & ~Elf.SHF_ALLOC);
        only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT), Code.KLP_SECTION_NOT_ALLOC);
    }

    @Test
    void klpSectionSymbolNotLivepatch_isRefusedByTheKernel() {
        ElfObject module = converted("klp_basic");
        Symbol symbol = klpText(module).relocations().get(0).symbol();
        symbol.setSpecialIndex(Elf.SHN_UNDEF);
        Finding finding = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.KLP_SECTION_SYMBOL_NOT_LIVEPATCH);
        assertEquals(Optional.of("symbol " + symbol.name() + " is not marked as a livepatch symbol"),
                finding.kernelMessage());
    }

    @Test
    void malformedKlpName_symbolWithoutSympos() {
        ElfObject module = converted("klp_basic");
        Symbol symbol = module.symbolTable().orElseThrow().findSymbol(".klp.sym.vmlinux.saved_command_line,0")
                .orElseThrow();
        symbol.setName(".klp.sym.vmlinux.saved_command_line");
        Finding finding = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.MALFORMED_KLP_NAME);
        assertEquals(Optional.of("symbol .klp.sym.vmlinux.saved_command_line has an incorrectly formatted name"),
                finding.kernelMessage());
    }

    @Test
    void malformedKlpName_nonAsciiDigitsAreNotAPosition() {
        // The kernel's %lu reads ASCII digits only; U+0662 (ARABIC-INDIC DIGIT TWO) once parsed as sympos 2.
        ElfObject module = converted("klp_basic");
        Symbol symbol = module.symbolTable().orElseThrow().findSymbol(".klp.sym.vmlinux.saved_command_line,0")
                .orElseThrow();
        symbol.setName(".klp.sym.vmlinux.saved_command_line,\u0662");
        Finding finding = only(ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT),
                Code.MALFORMED_KLP_NAME);
        assertTrue(finding.message().contains("saved_command_line,\u0662"), finding.message());
    }

    @Test
    void existingKlpSymbolsAreVerifiedWithTheSameChecks() {
        ElfObject module = converted("klp_basic");
        Symbol symbol = module.symbolTable().orElseThrow().findSymbol(".klp.sym.vmlinux.saved_command_line,0")
                .orElseThrow();
        symbol.setName(".klp.sym.vmlinux.saved_command_line,2");
        CheckResult result = ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT);
        assertEquals(Optional.of("symbol position 2 for symbol 'saved_command_line' in object 'vmlinux' not found"),
                only(result, Code.BAD_SYMPOS).kernelMessage());
        assertTrue(result.plan().isEmpty());
    }
}
