// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.KlpException;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFileTest {
    @TempDir
    Path root;

    @Test
    void findWalksUpFromTheStartDirectoryToTheNearestFile() throws Exception {
        Path nested = Files.createDirectories(root.resolve("a/b/c"));
        assertEquals(Optional.empty(), ProjectFile.find(nested).filter(file -> file.startsWith(root)));
        Files.writeString(root.resolve(".klp-lsp.json"), "{}");
        assertEquals(Optional.of(root.resolve(".klp-lsp.json")), ProjectFile.find(nested));
        Files.writeString(root.resolve("a/b/.klp-lsp.json"), "{}");
        assertEquals(Optional.of(root.resolve("a/b/.klp-lsp.json")), ProjectFile.find(nested));
    }

    @Test
    void readsEveryKeyWithPathsRelativeToTheFilesDirectoryAndDropsTheBuildCommand() throws Exception {
        Path file = root.resolve("sub/.klp-lsp.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"kernel": "../kernel-tree", "symbols": "System.map", "modules": ["mods", "/abs/mods"],
                 "symvers": "Module.symvers", "buildCommand": "rm -rf ~", "convertOnSave": true,
                 "annotationStyle": "v7", "output": "{name}.klp.ko", "functionReferences": "Off", "colour": 1}
                """);
        ProjectFile project = ProjectFile.read(file);
        Path dir = root.resolve("sub");
        SettingsLayer settings = project.settings();
        KernelSources kernel = settings.kernel().orElseThrow().sources();
        assertEquals(Optional.of(root.resolve("kernel-tree").toString()), kernel.kernel());
        assertEquals(List.of(dir.resolve("System.map")), kernel.symbols());
        assertEquals(List.of(dir.resolve("mods"), Path.of("/abs/mods")), kernel.modules());
        assertEquals(Optional.of(dir.resolve("Module.symvers")), kernel.symvers());
        assertEquals(Optional.of(AnnotationStyle.V7), settings.annotationStyle());
        assertEquals(Optional.of(true), settings.convertOnSave());
        assertEquals(Optional.of("{name}.klp.ko"), settings.output().map(Object::toString));
        assertEquals(Optional.of(FunctionReferences.OFF), settings.functionReferences());
        assertEquals(Optional.empty(), settings.buildCommand());
        assertEquals(List.of(file + ": buildCommand is ignored here; set it in your editor's klp settings",
                file + ": unknown key \"colour\" ignored"), project.warnings().stream().sorted().toList());
        assertTrue(project.hasKernel());
    }

    @Test
    void functionReferencesErrorIsAcceptedAsOnTheCommandLine() throws Exception {
        // The CLI's --function-refs took "error" and the project file refused it; one parser takes it everywhere.
        Path file = root.resolve(".klp-lsp.json");
        Files.writeString(file, "{\"functionReferences\": \"error\"}");
        assertEquals(Optional.of(FunctionReferences.ERROR), ProjectFile.read(file).settings().functionReferences());
        Files.writeString(file, "{\"functionReferences\": \"fatal\"}");
        assertEquals(file + ": functionReferences: expected \"error\", \"warning\", \"info\" or \"off\", got \"fatal\"",
                assertThrows(KlpException.class, () -> ProjectFile.read(file)).getMessage());
    }

    @Test
    void homeAndWorkspaceFolderAreExpandedInPaths() throws Exception {
        Path file = root.resolve("sub/.klp-lsp.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"kernel\": \"~/kernels/6.1\", \"symbols\": \"${workspaceFolder}/System.map\","
                + " \"symvers\": \"${userHome}/Module.symvers\"}");
        KernelSources kernel = ProjectFile.read(file).settings().kernel().orElseThrow().sources();
        Path home = SettingValues.userHome();
        assertEquals(Optional.of(home.resolve("kernels/6.1").toString()), kernel.kernel());
        assertEquals(List.of(root.resolve("sub/System.map")), kernel.symbols());
        assertEquals(Optional.of(home.resolve("Module.symvers")), kernel.symvers());
    }

    @Test
    void aReleaseStaysARelease() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), "{\"kernel\": \"6.1.0-56-amd64\"}");
        assertEquals(Optional.of("6.1.0-56-amd64"), ProjectFile.read(root.resolve(".klp-lsp.json")).settings().kernel()
                .orElseThrow().sources().kernel());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws Exception {
        Path file = root.resolve(".klp-lsp.json");
        Files.writeString(file, "{\n  \"kernel\": \"x\",\n  \"symbols\": [\"a\"\n}\n");
        KlpException error = assertThrows(KlpException.class, () -> ProjectFile.read(file));
        assertTrue(error.getMessage().startsWith(file + ": line 4, column "), error.getMessage());
        assertTrue(error.getMessage().contains("malformed JSON"), error.getMessage());
        assertEquals(Optional.of(file), error.path());

        Files.writeString(file, "[\"kernel\"]");
        assertTrue(assertThrows(KlpException.class, () -> ProjectFile.read(file)).getMessage()
                .contains("expected a JSON object"));
        Files.writeString(file, "{\"annotationStyle\": \"v9\"}");
        assertEquals(file + ": annotationStyle: expected \"v7\" or \"minimal\", got \"v9\"",
                assertThrows(KlpException.class, () -> ProjectFile.read(file)).getMessage());
        Files.writeString(file, "{\"modules\": [1]}");
        assertTrue(assertThrows(KlpException.class, () -> ProjectFile.read(file)).getMessage()
                .contains("modules: expected a path or a list of paths"));
    }

    @Test
    void createWritesAFileNamingOnlyTheKernelAndNeverReplacesOne() throws Exception {
        Path file = ProjectFile.create(root, "6.1.0-56-amd64");
        assertEquals(root.resolve(".klp-lsp.json"), file);
        assertEquals("{\n  \"kernel\": \"6.1.0-56-amd64\"\n}\n", Files.readString(file));
        assertEquals(Optional.of(KernelSources.ofKernel("6.1.0-56-amd64")),
                ProjectFile.read(file).settings().resolve().kernel());
        KlpException refused = assertThrows(KlpException.class, () -> ProjectFile.create(root, "6.1.0-47-amd64"));
        assertTrue(refused.getMessage().contains("exists already"), refused.getMessage());
        assertEquals("{\n  \"kernel\": \"6.1.0-56-amd64\"\n}\n", Files.readString(file));
    }
}
