// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The realistic sources in testdata/src, which gcc also compiles. */
class SamplesTest {
    static String read(String name) throws IOException {
        return Files.readString(Fixtures.testdata().resolve("src").resolve(name), StandardCharsets.UTF_8);
    }

    static List<String> externalNames(SourceScan scan) {
        return scan.externals().stream().map(ExternalDeclaration::name).collect(Collectors.toList());
    }

    @Test
    void kernelLivepatchSampleFindsFuncObjectPatchAndModinfo() throws IOException {
        SourceScan scan = SourceScanner.scan(read("livepatch-sample.c"));
        assertEquals(List.of(), scan.problems());
        assertEquals(List.of("__this_module", "seq_printf", "klp_enable_patch"), externalNames(scan));
        assertEquals(1, scan.klpFuncs().size());
        KlpFunc func = scan.klpFuncs().get(0);
        assertEquals("funcs", func.arrayName());
        assertEquals(Optional.of("cmdline_proc_show"), func.oldName());
        assertEquals("cmdline_proc_show", func.oldNameSpan().orElseThrow().textOf(scan.text()));
        assertEquals(Optional.of("livepatch_cmdline_proc_show"), func.newFunc());
        assertEquals(OptionalInt.empty(), func.oldSympos());
        assertEquals(Optional.of("vmlinux"), func.objectName());
        assertTrue(func.object().orElseThrow().isVmlinux());
        assertTrue(scan.klpPatch().isPresent());
        assertEquals("MODULE_INFO(livepatch, \"Y\")", scan.livepatchModInfo().orElseThrow().textOf(scan.text()));
        assertTrue(scan.isDefined("livepatch_cmdline_proc_show"));
        assertTrue(scan.isDefined("THIS_MODULE"));
        assertTrue(scan.isDefined("patch"));
        assertFalse(scan.isDefined("seq_printf"));
        assertEquals(AnnotationStyle.NONE, scan.annotationStyle());
        // The only use of klp_enable_patch is the call in livepatch_init.
        assertEquals(1, scan.usesOf("klp_enable_patch").size());
        assertEquals(List.of("module_init", "module_exit", "MODULE_LICENSE", "MODULE_INFO"),
                scan.macroUses().stream().map(MacroUse::name).toList());
    }

    @Test
    void v7SelftestFindsBothModuleRelocBlocks() throws IOException {
        SourceScan scan = SourceScanner.scan(read("test_klp_convert1.c"));
        assertEquals(List.of(), scan.problems());
        assertEquals(AnnotationStyle.V7, scan.annotationStyle());
        assertEquals(List.of("vmlinux", "test_klp_convert_mod"),
                scan.moduleRelocBlocks().stream().map(ModuleRelocBlock::objectName).toList());
        ModuleRelocBlock module = scan.moduleRelocBlocks().get(1);
        assertEquals("test_klp_convert_mod_relocs_a", module.arrayName());
        assertEquals(List.of("driver_name:0", "homonym_string:1", "get_homonym_string:1", "test_klp_get_driver_name:0",
                "klp_string_a:1", "klp_string_b:1"),
                module.entries().stream().map(entry -> entry.symbol() + ":" + entry.pos().getAsInt()).toList());
        assertEquals("1", module.entries().get(1).posSpan().orElseThrow().textOf(scan.text()));
        assertEquals(List.of("__this_module", "_printk", "klp_enable_patch", "saved_command_line", "driver_name",
                "homonym_string", "get_homonym_string", "test_klp_get_driver_name", "klp_string_a", "klp_string_b"),
                externalNames(scan));
        ExternalDeclaration stringB = scan.findExternal("klp_string_b").orElseThrow();
        assertEquals("klp_string.67890", stringB.symbolName());
        assertEquals(SymbolKind.VARIABLE, stringB.kind());
        assertEquals("klp_string.67890", stringB.asmLabel().orElseThrow().contentSpan().textOf(scan.text()));
        assertEquals(stringB, scan.findExternalBySymbol("klp_string.67890").orElseThrow());
        assertEquals(SymbolKind.FUNCTION, scan.findExternal("get_homonym_string").orElseThrow().kind());
        // Uses in function bodies, not the KLP_SYMPOS arguments.
        assertEquals(1, scan.usesOf("saved_command_line").size());
        assertEquals(2, scan.klpObjects().size());
        assertEquals(List.of("vmlinux", "test_klp_convert_mod"),
                scan.klpObjects().stream().map(KlpObject::objectName).toList());
        assertTrue(scan.klpFuncs().isEmpty(), "the { } placeholder element is not a function");
        assertEquals(List.of("vmlinux", "test_klp_convert_mod", "test_klp_convert_mod"),
                scan.objectNames().stream().map(ObjectNameRef::name).toList());
    }

    @Test
    void minimalSampleFindsMacrosAndExpandedLabels() throws IOException {
        SourceScan scan = SourceScanner.scan(read("livepatch-extern-symbol.c"));
        assertEquals(List.of(), scan.problems());
        assertEquals(AnnotationStyle.MINIMAL, scan.annotationStyle());
        List<RelocSymbol> relocs = scan.relocSymbols();
        assertEquals(4, relocs.size());
        RelocSymbol cmdline = relocs.get(0);
        assertEquals(RelocSymbol.Form.MACRO, cmdline.form());
        assertEquals("saved_command_line", cmdline.declaredName());
        assertEquals(Optional.of("vmlinux"), cmdline.lpObject());
        assertEquals(OptionalInt.of(0), cmdline.pos());
        assertEquals(Optional.empty(), cmdline.posSpan());
        RelocSymbol hello = relocs.get(1);
        assertEquals(RelocSymbol.Form.MACRO_POS, hello.form());
        assertEquals("test_klp_extern_hello", hello.symbolObject());
        assertEquals("hello_msg", hello.symbolName());
        assertEquals(OptionalInt.of(2), hello.pos());
        assertEquals("2", hello.posSpan().orElseThrow().textOf(scan.text()));
        RelocSymbol count = relocs.get(2);
        assertEquals(RelocSymbol.Form.LABEL_DOT, count.form());
        assertEquals("hello_count.isra.0", count.symbolName());
        assertEquals("hello_count.isra.0", count.symbolNameSpan().textOf(scan.text()));
        assertEquals(OptionalInt.of(1), count.pos());
        assertEquals("1", count.posSpan().orElseThrow().textOf(scan.text()));
        assertEquals("test_klp_extern_hello", count.lpObjectSpan().orElseThrow().textOf(scan.text()));
        ExternalDeclaration cmdlineDecl = scan.findExternal("saved_command_line").orElseThrow();
        assertEquals(".klp.sym.rela.vmlinux.vmlinux.saved_command_line.0", cmdlineDecl.symbolName());
        assertEquals(cmdlineDecl, scan.findExternalBySymbol("saved_command_line").orElseThrow());
        assertEquals(".klp.sym.rela.vmlinux.vmlinux.max_threads.0",
                scan.findExternal("max_threads").orElseThrow().symbolName());

        assertEquals(2, scan.klpFuncs().size());
        KlpFunc cmdlineFunc = scan.klpFuncs().get(0);
        assertEquals(OptionalInt.of(1), cmdlineFunc.oldSympos());
        assertEquals("1", cmdlineFunc.oldSymposSpan().orElseThrow().textOf(scan.text()));
        assertEquals(Optional.of("vmlinux"), cmdlineFunc.objectName());
        assertEquals(Optional.of("test_klp_extern_hello"), scan.klpFuncs().get(1).objectName());
    }

    @Test
    void lookalikesInCommentsStringsAndIfZeroDoNotCount() throws IOException {
        SourceScan scan = SourceScanner.scan(read("lookalikes.c"));
        assertEquals(List.of(), scan.problems());
        assertEquals(List.of("in_else_branch", "in_ifdef", "in_ifdef_else", "real_extern", "real_pointer", "real_array"),
                externalNames(scan));
        assertTrue(scan.isDefined("LOCAL_ANSWER"));
        assertTrue(scan.isDefined("DECLARE_LOOKALIKE"));
        assertTrue(scan.isDefined("defined_here"));
        assertTrue(scan.isDefined("static_proto_with_body"));
        assertTrue(scan.findExternal("defined_here").isEmpty());
        assertTrue(scan.findExternal("static_proto_with_body").isEmpty());
        assertEquals(1, scan.inactiveRegions().size());
        String inactive = scan.inactiveRegions().get(0).textOf(scan.text());
        assertTrue(inactive.contains("in_if_zero") && inactive.contains("in_nested_if") && !inactive.contains("in_else"),
                inactive);
        assertTrue(scan.moduleRelocBlocks().isEmpty());
        assertTrue(scan.usesOf("in_string_var").isEmpty());
        assertEquals(1, scan.usesOf("real_array").size());
    }

    @Test
    void everySampleIsValidCForGcc() throws IOException {
        // The samples double as compile inputs for other tests, so they must stay valid C.
        List<String> samples;
        try (var files = Files.list(Fixtures.testdata().resolve("src"))) {
            samples = files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".c")).sorted().toList();
        }
        assertTrue(samples.size() >= 4, samples.toString());
        for (String sample : samples) {
            Processes.Result result = Processes.runAllowingFailure(Fixtures.testdata().resolve("src"), List.of("gcc", "-c",
                    "-fsyntax-only", "-Wall", "-I", Fixtures.testdata().resolve("include").toString(), sample));
            assertEquals(0, result.exitCode(), sample + ": " + result.stderr());
        }
    }
}
