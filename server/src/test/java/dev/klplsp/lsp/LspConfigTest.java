// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.ide.Settings;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LspConfigTest {
    @TempDir
    Path root;

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void projectFileNeverSetsTheBuildCommandAndItsPathsAreRelativeToTheRoot() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), """
                {"kernel": "../kernel-tree", "symbols": "System.map", "modules": ["mods", "/abs/mods"],
                 "symvers": "Module.symvers", "buildCommand": "rm -rf ~", "convertOnSave": true,
                 "annotationStyle": "v7", "output": "{name}.klp.ko", "functionReferences": "off"}
                """);
        List<String> problems = new ArrayList<>();
        Optional<dev.klplsp.project.ProjectFile> project = LspConfig.readProjectFile(root, problems);
        assertTrue(problems.get(0).endsWith("buildCommand is ignored here; set it in your editor's klp settings"),
                problems.toString());
        LspConfig.Result result = LspConfig.settings(root, project, new JsonObject());
        Settings settings = result.settings();
        assertEquals(Optional.of("../kernel-tree"), result.kernelLabel(), "the kernel as the user wrote it");
        assertTrue(result.trusted());
        assertEquals(Optional.empty(), settings.buildCommand());
        KernelSources kernel = settings.kernels().get(0).sources();
        assertEquals(Optional.of(root.resolve("../kernel-tree").normalize().toString()), kernel.kernel());
        assertEquals(List.of(root.resolve("System.map")), kernel.symbols());
        assertEquals(List.of(root.resolve("mods"), Path.of("/abs/mods")), kernel.modules());
        assertEquals(Optional.of(root.resolve("Module.symvers")), kernel.symvers());
        assertEquals(AnnotationStyle.V7, settings.annotationStyle());
        assertEquals("{name}.klp.ko", settings.output().toString());
        assertEquals(FunctionReferences.OFF, settings.functionReferences());
        assertTrue(settings.convertOnSave());
    }

    @Test
    void clientSettingsWinKeyByKeyAndMayNameABuildCommand() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), "{\"kernel\": \"6.1.0-56-amd64\", \"annotationStyle\": \"v7\"}");
        Optional<dev.klplsp.project.ProjectFile> project = LspConfig.readProjectFile(root, new ArrayList<>());
        JsonObject client = LspConfig.section(json("{\"klp\": {\"annotationStyle\": \"minimal\","
                + " \"buildCommand\": \"make\"}}"));
        LspConfig.Result result = LspConfig.settings(root, project, client);
        assertEquals(Optional.of("6.1.0-56-amd64"), result.settings().kernels().get(0).sources().kernel(),
                "a release stays a release");
        assertEquals(AnnotationStyle.MINIMAL, result.settings().annotationStyle());
        assertEquals(Optional.of("make"), result.settings().buildCommand());
        assertEquals(List.of(), result.problems());
        assertEquals(Optional.of("6.1.0-56-amd64"), result.kernelLabel());
    }

    @Test
    void untrustedWorkspaceComesOnlyFromTheClientAndABrokenProjectFileIsAProblem() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), "{\"workspaceTrusted\": true,\n \"symbols\": [\"System.map\"],}");
        List<String> problems = new ArrayList<>();
        assertEquals(Optional.empty(), LspConfig.readProjectFile(root, problems));
        assertTrue(problems.get(0).startsWith(root.resolve(".klp-lsp.json") + ": line 2, column "), problems.toString());
        assertTrue(problems.get(0).endsWith("; the project file is ignored"), problems.toString());

        Files.writeString(root.resolve(".klp-lsp.json"), "{\"symbols\": [\"System.map\"], \"workspaceTrusted\": true}");
        Optional<dev.klplsp.project.ProjectFile> project = LspConfig.readProjectFile(root, new ArrayList<>());
        LspConfig.Result result = LspConfig.settings(root, project, json("{\"workspaceTrusted\": false}"));
        assertEquals(false, result.trusted());
        assertEquals(Optional.of("System.map"), result.kernelLabel(), "no kernel setting: the symbol sources");
        assertTrue(LspConfig.settings(root, project, new JsonObject()).trusted());
    }

    @Test
    void editorPathsExpandHomeAndWorkspaceFolderLikeVsCodeDoes() {
        // Neovim, Emacs and Vim send settings as written; "~/..." used to become <root>/~/...
        LspConfig.Result result = LspConfig.settings(root, Optional.empty(), json("{\"kernel\": \"~/kernels/6.1\","
                + " \"symbols\": [\"${workspaceFolder}/build/System.map\", \"~\"], \"symvers\": \"Module.symvers\"}"));
        KernelSources kernel = result.settings().kernels().get(0).sources();
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(Optional.of(home.resolve("kernels/6.1").toString()), kernel.kernel());
        assertEquals(List.of(root.resolve("build/System.map"), home), kernel.symbols());
        assertEquals(Optional.of(root.resolve("Module.symvers")), kernel.symvers());
        assertEquals(Optional.of("~/kernels/6.1"), result.kernelLabel(), "the label is the kernel as written");
        assertEquals(List.of(), result.problems());
    }

    @Test
    void theKernelIsOneKeyAndLaterClientSectionsMergeKeyByKey() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), "{\"kernel\": \"6.1.0-56-amd64\", \"symvers\": \"S\"}");
        Optional<dev.klplsp.project.ProjectFile> project = LspConfig.readProjectFile(root, new ArrayList<>());
        // A client that names only symbols replaces the project's kernel as a whole: no mixing of two kernels.
        LspConfig.Result symbolsOnly = LspConfig.settings(root, project, json("{\"symbols\": \"System.map\"}"));
        KernelSources kernel = symbolsOnly.settings().kernels().get(0).sources();
        assertEquals(Optional.empty(), kernel.kernel());
        assertEquals(Optional.empty(), kernel.symvers());
        assertEquals(List.of(root.resolve("System.map")), kernel.symbols());

        // Pushes merge over what the client sent before; null takes a key back.
        JsonObject client = LspConfig.merge(json("{\"workspaceTrusted\": false, \"annotationStyle\": \"v7\"}"),
                json("{\"diagnosticsUrl\": \"https://example.org/d.md\"}"));
        LspConfig.Result merged = LspConfig.settings(root, project, client);
        assertEquals(false, merged.trusted(), "an unrelated push does not re-trust the workspace");
        assertEquals(AnnotationStyle.V7, merged.settings().annotationStyle());
        assertEquals("https://example.org/d.md", merged.diagnosticsUrl());
        JsonObject unset = LspConfig.merge(client, json("{\"annotationStyle\": null}"));
        assertEquals(AnnotationStyle.MINIMAL, LspConfig.settings(root, project, unset).settings().annotationStyle());
    }

    @Test
    void malformedValuesAreReportedAndIgnored() {
        LspConfig.Result result = LspConfig.settings(root, Optional.empty(),
                json("{\"annotationStyle\": \"v9\", \"convertOnSave\": \"yes\", \"symbols\": [1]}"));
        assertEquals(AnnotationStyle.MINIMAL, result.settings().annotationStyle());
        assertEquals(false, result.settings().convertOnSave());
        assertEquals(List.of("annotationStyle: expected \"v7\" or \"minimal\", got \"v9\"",
                "convertOnSave: expected true or false, got \"yes\"", "symbols: expected a path or a list of paths, got 1"),
                result.problems().stream().sorted().toList());
    }
}
