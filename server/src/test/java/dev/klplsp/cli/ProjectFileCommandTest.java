// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.FixtureKernel;
import dev.klplsp.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check and convert read the nearest .klp-lsp.json from the module's directory up when a flag is absent (flags
 * win, --no-project ignores the file), and say on stderr which file they used.
 */
class ProjectFileCommandTest {
    @TempDir
    Path project;

    private static CheckConvertCommandTest.Run run(String... args) {
        return CheckConvertCommandTest.run(args);
    }

    /** The project root with a .klp-lsp.json and a built module in build/. */
    private Path moduleIn(String fixtureCase, String projectJson) throws Exception {
        Files.writeString(project.resolve(".klp-lsp.json"), projectJson);
        Path module = project.resolve("build/" + fixtureCase + ".ko");
        Files.createDirectories(module.getParent());
        Files.copy(Fixtures.module(fixtureCase), module);
        return module;
    }

    private static String json(String path) {
        return path.replace("\\", "\\\\");
    }

    @Test
    void checkTakesTheKernelFromTheProjectFileAlone() throws Exception {
        Path module = moduleIn("klp_ambiguous", "{\"kernel\": \"" + json(FixtureKernel.kernelDir().toString()) + "\"}");
        CheckConvertCommandTest.Run run = run("check", module.toString(), "--no-cache");
        assertEquals(ExitCodes.FINDINGS, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains(module + ": error[ambiguous-symbol]: do_poweroff is ambiguous: 2 symbols of that name in vmlinux"), run.out());
        assertTrue(run.err().contains("klp-lsp: using project file " + project.resolve(".klp-lsp.json")),
                run.err());
    }

    @Test
    void relativeKernelPathsAreRelativeToTheProjectFile() throws Exception {
        Path kernel = project.resolve("kernel");
        copyTree(FixtureKernel.kernelDir(), kernel);
        Path module = moduleIn("klp_basic", "{\"kernel\": \"./kernel\", \"functionReferences\": \"off\"}");
        CheckConvertCommandTest.Run run = run("check", module.toString(), "--no-cache");
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertFalse(run.out().contains("function-symbol-risk"), "functionReferences off from the project: "
                + run.out());
        assertTrue(run.out().contains("0 errors, 0 warnings"), run.out());

        // A flag wins over the project file's value.
        CheckConvertCommandTest.Run flagged = run("check", module.toString(), "--no-cache", "--function-refs",
                "warning");
        assertTrue(flagged.out().contains("warning[function-symbol-risk]"), flagged.out());
    }

    @Test
    void kernelFlagsReplaceTheProjectFilesKernel() throws Exception {
        Path module = moduleIn("klp_basic", "{\"kernel\": \"/nonexistent/kernel-tree\"}");
        CheckConvertCommandTest.Run fromFile = run("check", module.toString(), "--no-cache");
        assertEquals(ExitCodes.INPUT, fromFile.exitCode(), "the project's kernel is used: " + fromFile.err());
        assertTrue(fromFile.err().contains("/nonexistent/kernel-tree"), fromFile.err());

        CheckConvertCommandTest.Run flagged = run("check", module.toString(), "--no-cache", "--kernel",
                FixtureKernel.kernelDir().toString());
        assertEquals(ExitCodes.OK, flagged.exitCode(), flagged.out() + flagged.err());
    }

    @Test
    void malformedProjectFileIsAnInputErrorNamingFileAndLineUnlessIgnored() throws Exception {
        Path module = moduleIn("klp_basic", "{\n  \"kernel\": \"x\"\n  \"symbols\": []\n}\n");
        CheckConvertCommandTest.Run run = run("check", module.toString(), "--no-cache", "--kernel",
                FixtureKernel.kernelDir().toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("klp-lsp: error: " + project.resolve(".klp-lsp.json") + ": line 3, column "),
                run.err());

        CheckConvertCommandTest.Run ignored = run("check", module.toString(), "--no-cache", "--no-project",
                "--kernel", FixtureKernel.kernelDir().toString());
        assertEquals(ExitCodes.OK, ignored.exitCode(), ignored.out() + ignored.err());
        assertFalse(ignored.err().contains("project file"), ignored.err());

        Files.writeString(project.resolve(".klp-lsp.json"), "{\"convertOnSave\": \"yes\"}");
        CheckConvertCommandTest.Run wrongType = run("check", module.toString(), "--no-cache");
        assertEquals(ExitCodes.INPUT, wrongType.exitCode());
        assertTrue(wrongType.err().contains(".klp-lsp.json: convertOnSave: expected true or false, got \"yes\""),
                wrongType.err());
    }

    @Test
    void buildCommandInTheProjectFileIsIgnoredWithAWarning() throws Exception {
        Path marker = project.resolve("pwned");
        Path module = moduleIn("klp_basic", "{\"kernel\": \"" + json(FixtureKernel.kernelDir().toString())
                + "\", \"buildCommand\": \"touch " + json(marker.toString()) + "\"}");
        CheckConvertCommandTest.Run run = run("check", module.toString(), "--no-cache");
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("klp-lsp: warning: " + project.resolve(".klp-lsp.json")
                + ": buildCommand is ignored here; set it in your editor's klp settings"), run.err());
        assertFalse(Files.exists(marker));
    }

    @Test
    void convertWritesWhereTheProjectsOutputSaysUnlessOIsGiven() throws Exception {
        Path module = moduleIn("klp_basic", "{\"kernel\": \"" + json(FixtureKernel.kernelDir().toString())
                + "\", \"output\": \"{name}.klp.ko\"}");
        byte[] before = Files.readAllBytes(module);
        CheckConvertCommandTest.Run run = run("convert", module.toString(), "--no-cache");
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        Path converted = module.resolveSibling("klp_basic.klp.ko");
        assertTrue(run.out().contains("wrote " + converted), run.out());
        assertTrue(Files.readString(converted, StandardCharsets.ISO_8859_1).contains(".klp.sym.vmlinux."));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(module)), "the input is left alone");

        Path out = project.resolve("elsewhere.ko");
        CheckConvertCommandTest.Run flagged = run("convert", module.toString(), "--no-cache", "-o", out.toString());
        assertEquals(ExitCodes.OK, flagged.exitCode(), flagged.out() + flagged.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void withoutAKernelAnywhereTheUsageErrorMentionsTheProjectFile() {
        // The tests run in server/, which has no project file above it (index and lookup look from the current
        // directory): no kernel anywhere is a usage error that names the project file as one way out.
        CheckConvertCommandTest.Run run = run("lookup", "do_poweroff", "--no-cache");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains(".klp-lsp.json"), run.err());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
