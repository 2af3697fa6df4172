// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.KlpException;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.kernel.ConfiguredKernel;
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
        KernelSources kernel = settings.kernels().orElseThrow().get(0).sources();
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
    void debugInfoIsAPathOrAListAndKernelSourceAPathEachAKeyOfItsOwn() throws Exception {
        Path file = root.resolve(".klp-lsp.json");
        Files.writeString(file, """
                {"kernel": "6.1.0-56-amd64", "debugInfo": ["dbg/vmlinux", "~/dbg-modules"],
                 "kernelSource": "${workspaceFolder}/linux-source-6.1"}
                """);
        ProjectFile project = ProjectFile.read(file);
        assertEquals(List.of(), project.warnings());
        Path home = SettingValues.userHome();
        assertEquals(Optional.of(List.of(root.resolve("dbg/vmlinux"), home.resolve("dbg-modules"))),
                project.settings().debugInfo());
        assertEquals(Optional.of(root.resolve("linux-source-6.1")), project.settings().kernelSource());
        Files.writeString(file, "{\"debugInfo\": \"/usr/lib/debug\"}");
        assertEquals(Optional.of(List.of(Path.of("/usr/lib/debug"))), ProjectFile.read(file).settings().debugInfo());

        // Key by key: a layer naming another kernel keeps the lower layer's debugInfo unless it names its own.
        SettingsLayer lower = project.settings();
        SettingsLayer kernelOnly = SettingsLayer.EMPTY.withKernels(Optional.of(List.of(new ConfiguredKernel(
                KernelSources.ofKernel("6.1.0-47-amd64"), "6.1.0-47-amd64", Optional.empty()))));
        assertEquals(lower.debugInfo(), kernelOnly.over(lower).debugInfo());
        assertEquals(List.of(root.resolve("dbg/vmlinux"), home.resolve("dbg-modules")),
                kernelOnly.over(lower).resolve().debugInfo());
        assertEquals(Optional.of(List.of()), SettingsLayer.EMPTY.withDebugInfo(Optional.of(List.of())).over(lower)
                .debugInfo(), "an empty list set above takes the lower list back");
        assertThrows(KlpException.class, () -> {
            Files.writeString(file, "{\"kernelSource\": 3}");
            ProjectFile.read(file);
        });
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
        KernelSources kernel = ProjectFile.read(file).settings().kernels().orElseThrow().get(0).sources();
        Path home = SettingValues.userHome();
        assertEquals(Optional.of(home.resolve("kernels/6.1").toString()), kernel.kernel());
        assertEquals(List.of(root.resolve("sub/System.map")), kernel.symbols());
        assertEquals(Optional.of(home.resolve("Module.symvers")), kernel.symvers());
    }

    @Test
    void aReleaseStaysARelease() throws Exception {
        Files.writeString(root.resolve(".klp-lsp.json"), "{\"kernel\": \"6.1.0-56-amd64\"}");
        assertEquals(Optional.of("6.1.0-56-amd64"), ProjectFile.read(root.resolve(".klp-lsp.json")).settings().kernels()
                .orElseThrow().get(0).sources().kernel());
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
        assertEquals(List.of(KernelSources.ofKernel("6.1.0-56-amd64")),
                ProjectFile.read(file).settings().resolve().kernels().stream().map(ConfiguredKernel::sources).toList());
        KlpException refused = assertThrows(KlpException.class, () -> ProjectFile.create(root, "6.1.0-47-amd64"));
        assertTrue(refused.getMessage().contains("exists already"), refused.getMessage());
        assertEquals("{\n  \"kernel\": \"6.1.0-56-amd64\"\n}\n", Files.readString(file));
    }

    @Test
    void kernelsIsAListOfKernelsWithOptionalNamesAndSymposHoldsChoicesAndPins() throws Exception {
        Path file = root.resolve(".klp-lsp.json");
        Files.writeString(file, """
                {"kernels": ["6.1.0-56-amd64",
                             {"kernel": "debs/linux-image-6.1.0-47-amd64_6.1.170-3_amd64.deb", "name": "old"},
                             {"symbols": "maps/System.map-6.1.0-52-amd64", "symvers": "maps/Module.symvers"}],
                 "sympos": {"cpumask_weight": "vmlinux, near clockevents_program_min_delta",
                            "do_poweroff": "vmlinux:2", "pmus": "vmlinux, file kernel/events/core.c"}}
                """);
        SettingsLayer settings = ProjectFile.read(file).settings();
        List<dev.klplsp.kernel.ConfiguredKernel> kernels = settings.kernels().orElseThrow();
        assertEquals(3, kernels.size());
        assertEquals(Optional.of("6.1.0-56-amd64"), kernels.get(0).sources().kernel());
        assertEquals(Optional.of(root.resolve("debs/linux-image-6.1.0-47-amd64_6.1.170-3_amd64.deb").toString()),
                kernels.get(1).sources().kernel());
        assertEquals(Optional.of("old"), kernels.get(1).name());
        assertEquals(List.of(root.resolve("maps/System.map-6.1.0-52-amd64")), kernels.get(2).sources().symbols());
        assertEquals(Optional.of("3 kernels"), settings.kernelLabel());
        java.util.Map<String, dev.klplsp.check.Choice> sympos = settings.sympos().orElseThrow();
        assertEquals("vmlinux, near clockevents_program_min_delta", sympos.get("cpumask_weight").spec());
        assertEquals("vmlinux:2", sympos.get("do_poweroff").spec());
        assertEquals(Optional.of(dev.klplsp.kernel.CopyPin.file("kernel/events/core.c")), sympos.get("pmus").pin());
    }

    @Test
    void wrongKernelsAndSymposValuesAreErrorsNamingTheKey() throws Exception {
        Path file = root.resolve(".klp-lsp.json");
        Files.writeString(file, "{\"kernels\": [{\"name\": \"nothing\"}]}");
        KlpException empty = assertThrows(KlpException.class, () -> ProjectFile.read(file));
        assertTrue(empty.getMessage().contains("kernels[0]: names no kernel"), empty.getMessage());
        Files.writeString(file, "{\"kernel\": \"6.1.0-56-amd64\", \"kernels\": [\"6.1.0-47-amd64\"]}");
        KlpException both = assertThrows(KlpException.class, () -> ProjectFile.read(file));
        assertTrue(both.getMessage().contains("kernels: cannot be combined with kernel"), both.getMessage());
        Files.writeString(file, "{\"sympos\": {\"cpumask_weight\": \"vmlinux, beside foo\"}}");
        KlpException pin = assertThrows(KlpException.class, () -> ProjectFile.read(file));
        assertTrue(pin.getMessage().contains("sympos.cpumask_weight: expected \"OBJECT:SYMPOS\""), pin.getMessage());
    }

    @Test
    void aPinIsWrittenIntoTheProjectFileKeepingTheOtherKeys() {
        assertEquals(Optional.of("{\n  \"kernel\": \"6.1.0-56-amd64\",\n  \"sympos\": {\n    \"a\": \"vmlinux:1\",\n"
                + "    \"pmus\": \"vmlinux, near pmus_lock\"\n  }\n}\n"), ProjectFile.withSympos(
                "{\"kernel\": \"6.1.0-56-amd64\", \"sympos\": {\"a\": \"vmlinux:1\"}}", "pmus", "vmlinux, near pmus_lock"));
        assertEquals(Optional.of("{\n  \"sympos\": {\n    \"pmus\": \"vmlinux:1\"\n  }\n}\n"),
                ProjectFile.withSympos("", "pmus", "vmlinux:1"));
        assertEquals(Optional.empty(), ProjectFile.withSympos("{ broken", "pmus", "vmlinux:1"));
        assertEquals(Optional.empty(), ProjectFile.withSympos("{\"sympos\": 3}", "pmus", "vmlinux:1"));
    }
}
