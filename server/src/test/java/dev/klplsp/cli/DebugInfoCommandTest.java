// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.check.OptimizedKernel;
import dev.klplsp.kernel.SourceLine;
import dev.klplsp.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug information on the command line: {@code --debug-info} (and its discovery in a vmlinux the symbols come
 * from), the project file's {@code debugInfo}, {@code check} of a module and of its C source, {@code lookup
 * --inlines}; the opt_kernel fixture and its module dwarf_facts.
 */
class DebugInfoCommandTest {
    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The fixture kernel's symbols: vmlinux (with its own debug sections) and the module, without a project. */
    private List<String> kernel(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(more));
        args.addAll(List.of("--symbols", OptimizedKernel.vmlinux().toString(), "--symbols",
                OptimizedKernel.module().toString(), "--cache-dir", tmp.resolve("cache").toString(), "--no-project"));
        return args;
    }

    @Test
    void checkOfTheModuleAndOfItsSourceReportWhatTheCompilerDid() throws Exception {
        Path patch = OptimizedKernel.patch();
        Run module = run(kernel("check", patch.toString(), "--debug-info", OptimizedKernel.module().toString()));
        assertEquals(1, module.exitCode(), module.out() + module.err());
        assertTrue(module.out().contains("warning[replaced-function-inlined]: klp_func replaces dointvec_conv, but vmlinux also has 1 inlined copy"
                + " of it, in dointvec_minmax_conv (" + OptimizedKernel.marker("CALL: dointvec_conv") + ")"),
                module.out());
        assertTrue(module.out().contains("error[replaced-function-only-inlined]: klp_func replaces only_inlined, but vmlinux has no out-of-line"
                + " copy of it"), module.out());
        assertTrue(module.out().contains("klp_func replaces dup_helper, but dwarf_facts also has 1 inlined copy"),
                module.out());
        assertTrue(module.out().contains("warning[replaced-function-cloned]: "), module.out());
        assertTrue(module.out().contains("warning[function-transformed]: "), module.out());

        // Without --debug-info the module's debug file is not known; vmlinux's own debug sections still are.
        Run vmlinuxOnly = run(kernel("check", patch.toString()));
        assertTrue(vmlinuxOnly.out().contains("klp_func replaces dointvec_conv"), vmlinuxOnly.out());
        assertTrue(!vmlinuxOnly.out().contains("klp_func replaces dup_helper"), vmlinuxOnly.out());

        // The C source says the same before anything is built.
        Path source = tmp.resolve("patch.c");
        Files.writeString(source, Files.readString(Fixtures.testdata().resolve("c/klp_optimized/patch.c"))
                .replace("READ_THROUGH_CLONE", "\"" + OptimizedKernel.readThroughClone() + "\""));
        Run text = run(kernel("check", source.toString(), "--debug-info", OptimizedKernel.module().toString()));
        List<String> lines = Files.readAllLines(source);
        int line = lines.indexOf(lines.stream().filter(l -> l.contains("\"dointvec_conv\"")).findFirst().orElseThrow())
                + 1;
        assertTrue(text.out().contains("patch.c:" + line + ":17: warning[replaced-function-inlined]"), text.out());
        assertTrue(text.out().contains("warning[replaced-function-inlined]: klp_func replaces dointvec_conv, but vmlinux also has 1 inlined copy"
                + " of it, in dointvec_minmax_conv (" + OptimizedKernel.marker("CALL: dointvec_conv") + ")"),
                text.out());
    }

    @Test
    void lookupInlinesShowsTheCopiesAndEveryInlinedCopy() {
        Run text = run(kernel("lookup", "dointvec_conv", "--inlines"));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("dointvec_conv in vmlinux, declared at " + OptimizedKernel.declaration(
                "dointvec_conv") + "\n  out of line dointvec_conv sympos 0 at 0x"), text.out());
        assertTrue(text.out().contains("  inlined in 1 place:\n    dointvec_minmax_conv at " + OptimizedKernel.marker(
                "CALL: dointvec_conv") + "\n"), text.out());

        Run only = run(kernel("lookup", "only_inlined", "--inlines"));
        assertEquals(0, only.exitCode(), "an inlined-only function is found in the debug information");
        assertTrue(only.out().contains("no symbol named 'only_inlined'"), only.out());
        assertTrue(only.out().contains("  no out-of-line copy: only inlined, so no symbol to patch"), only.out());

        Run json = run(kernel("lookup", "scaled", "--inlines", "--json"));
        JsonObject report = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals("scaled", report.getAsJsonArray("symbols").get(0).getAsJsonObject().get("name").getAsString());
        JsonObject function = report.getAsJsonArray("functions").get(0).getAsJsonObject();
        assertEquals("vmlinux", function.get("object").getAsString());
        assertEquals(OptimizedKernel.declaration("scaled").toString(), function.get("declaration").getAsString());
        JsonObject clone = function.getAsJsonArray("instances").get(1).getAsJsonObject();
        assertEquals("scaled.constprop.0", clone.get("symbol").getAsString());
        assertEquals("'factor' replaced by the constant 4", clone.getAsJsonArray("changes").get(0).getAsString());

        assertTrue(function.get("declarationSource").isJsonNull(), "no kernel source tree given");

        Run module = run(kernel("lookup", "dup_helper", "--inlines", "--object", "dwarf_facts", "--debug-info",
                OptimizedKernel.module().toString()));
        assertEquals(0, module.exitCode(), module.err());
        assertTrue(module.out().contains("dup_helper in dwarf_facts, declared at "), module.out());
    }

    @Test
    void lookupInlinesWithTheKernelSourceTreeSaysWhereEachLineIsInIt() {
        Path tree = OptimizedKernel.sourceTree();
        SourceLine declaration = OptimizedKernel.declaration("dointvec_conv");
        SourceLine call = OptimizedKernel.marker("CALL: dointvec_conv");
        Run text = run(kernel("lookup", "dointvec_conv", "--inlines", "--kernel-source", tree.toString()));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("dointvec_conv in vmlinux, declared at " + declaration + " (" + tree.resolve(
                declaration.file()) + ":" + declaration.line() + ", line of the kernel build's sources)\n"),
                text.out());
        assertTrue(text.out().contains("    dointvec_minmax_conv at " + call + " (" + tree.resolve(call.file()) + ":"
                + call.line() + ")\n"), text.out());

        Run json = run(kernel("lookup", "dointvec_conv", "--inlines", "--json", "--kernel-source", tree.toString()));
        JsonObject function = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("functions").get(0)
                .getAsJsonObject();
        assertEquals(tree.resolve(declaration.file()) + ":" + declaration.line(),
                function.get("declarationSource").getAsString());
        assertEquals(tree.resolve(call.file()) + ":" + call.line(), function.getAsJsonArray("inlineSites").get(0)
                .getAsJsonObject().get("callSource").getAsString());

        // A tree without the file (another kernel's sources): the lines are printed as the debug information has them.
        Run elsewhere = run(kernel("lookup", "dointvec_conv", "--inlines", "--kernel-source", tmp.toString()));
        assertTrue(elsewhere.out().contains("declared at " + declaration + "\n"), elsewhere.out());
    }

    @Test
    void missingDebugInformationIsAnInputErrorThatSaysWhatToGive() {
        Run none = run(kernel("lookup", "dup_helper", "--inlines", "--object", "dwarf_facts"));
        assertEquals(3, none.exitCode(), none.out());
        assertTrue(none.err().contains("no debug information for dwarf_facts: give --debug-info FILE|DIR"),
                none.err());
        Path missing = tmp.resolve("no-such-vmlinux");
        Run wrong = run(kernel("check", OptimizedKernel.patch().toString(), "--debug-info", missing.toString()));
        assertEquals(3, wrong.exitCode(), wrong.out());
        assertTrue(wrong.err().contains(missing + ": does not exist (given as debug information)"), wrong.err());
    }

    @Test
    void theProjectFileNamesTheDebugInformationAndAFlagWinsOverIt() throws Exception {
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve(".klp-lsp.json"), "{\"symbols\": [\"" + OptimizedKernel.vmlinux() + "\", \""
                + OptimizedKernel.module() + "\"], \"debugInfo\": \"" + OptimizedKernel.module() + "\"}");
        Path patch = project.resolve("patch.ko");
        Files.copy(OptimizedKernel.patch(), patch);
        Run fromProject = run(List.of("check", patch.toString(), "--cache-dir", tmp.resolve("cache").toString()));
        assertTrue(fromProject.out().contains("klp_func replaces dup_helper, but dwarf_facts"), fromProject.out());
        // The flag replaces the project file's list (key by key): with only vmlinux given, the module has none.
        Run flag = run(List.of("check", patch.toString(), "--debug-info", OptimizedKernel.vmlinux().toString(),
                "--cache-dir", tmp.resolve("cache").toString()));
        assertTrue(!flag.out().contains("klp_func replaces dup_helper"), flag.out());
        assertTrue(flag.out().contains("klp_func replaces dointvec_conv"), flag.out());
    }
}
