// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.Candidate;
import dev.klplsp.check.Code;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.DebugInfoIndexes;
import dev.klplsp.kernel.DebugInfoLocator;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.source.AnnotationStyle;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Go to the kernel's source on Debian's 6.1.0-56: the kernel named by its release under the kernel dir, its -dbg
 * vmlinux found for that release without any setting, and Debian's linux-source-6.1 (another package version than
 * the image) as the kernel source tree. Runs when KLP_TEST_KERNEL_DIR is set (CI sets it).
 */
class KernelSourceRealKernelTest {
    private static final Path FILE = Path.of("/ws/livepatch.c");

    @Test
    void definitionOpensTheCopyInDebiansSourcePackageAndSaysWhichVersionsMeet() throws Exception {
        RealKernel kernel = RealKernel.require();
        Path debugVmlinux = kernel.requireDebugFile("boot/vmlinux-" + kernel.release());
        Path tree = kernel.requireKernelSource();
        IndexOptions options = new IndexOptions(Optional.of(Fixtures.repoRoot().resolve(
                "server/target/klpc-index-cache")), true);
        KernelSources sources = KernelSources.ofKernel(kernel.release()).withRoot(kernel.dir());
        KernelIndex index = KernelIndexLoader.load(sources, options, ProgressListener.NONE);
        // Found for the release, as apt-get install linux-image-<release>-dbg puts it: no debugInfo setting.
        DebugInfoIndexes debugInfo = new DebugInfoIndexes(DebugInfoLocator.of(sources.resolve(), List.of()), options);
        assertEquals(Optional.of(debugVmlinux), debugInfo.locator().find("vmlinux"));

        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(new Settings(List.of(new ConfiguredKernel(sources, kernel.release(), Optional.empty())),
                AnnotationStyle.MINIMAL, false, OutputRule.IN_PLACE_RULE, Optional.empty(), FunctionReferences.WARNING,
                Map.of(), List.of(), Optional.of(tree)));
        workspace.setIndex(index);
        workspace.setOptimization(debugInfo);
        String text = """
                struct klp_func { const char *old_name; void *new_func; unsigned long old_sympos; };
                static int conv(bool *negp, unsigned long *lvalp, int *valp, int write, void *data) { return 0; }
                static struct klp_func funcs[] = {
                	{ .old_name = "do_proc_dointvec_conv", .new_func = conv },
                	{ }
                };
                """;
        workspace.open(FILE, 1, text);
        Analysis analysis = workspace.snapshot();

        List<SourceLocation> definition = analysis.definition(FILE, text.indexOf("do_proc_dointvec_conv") + 3);
        assertEquals(1, definition.size(), definition.toString());
        SourceLocation conv = definition.get(0);
        assertEquals(tree.resolve("kernel/sysctl.c"), conv.file());
        assertTrue(conv.version().matches("line of the " + kernel.release() + " build's sources; this tree is Debian"
                + " 6\\.1\\.\\d+-\\d+"), conv.version());
        assertDefinedNear(conv, "do_proc_dointvec_conv(");

        FileDiagnostic inlined = analysis.diagnostics(FILE).stream()
                .filter(d -> d.code() == Code.REPLACED_FUNCTION_INLINED).findFirst().orElseThrow();
        Candidate caller = inlined.candidates().get(0);
        assertEquals("do_proc_dointvec_minmax_conv", caller.name());
        SourceLocation callerSource = inlined.candidateSources().get(caller);
        assertEquals(tree.resolve("kernel/sysctl.c"), callerSource.file());
        assertDefinedNear(callerSource, "do_proc_dointvec_minmax_conv(");
        System.out.println("KernelSourceRealKernelTest: " + conv.file() + ":" + conv.line() + " (" + conv.version()
                + ")");
    }

    /**
     * The function is defined at the location's line in the tree, or within a few lines of it when the source
     * package's version moved it (the location says which version its line is of).
     */
    private static void assertDefinedNear(SourceLocation location, String definition) throws Exception {
        List<String> lines = Files.readAllLines(location.file());
        int line = location.line();
        boolean exact = lines.get(line - 1).contains(definition);
        boolean near = false;
        for (int i = Math.max(0, line - 31); i < Math.min(lines.size(), line + 30); i++) {
            near |= lines.get(i).contains(definition);
        }
        assertTrue(near, definition + " not within 30 lines of " + location);
        if (!exact) {
            System.out.println("KernelSourceRealKernelTest: " + definition + " is not at line " + line + " of this"
                    + " tree's version (" + location.version() + ")");
        }
    }
}
