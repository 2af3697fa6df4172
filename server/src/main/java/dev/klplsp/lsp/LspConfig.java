// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.klplsp.base.KlpException;
import dev.klplsp.ide.Settings;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingValues;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads settings: the project file {@code .klp-lsp.json} (parsed by {@link ProjectFile}, the nearest one from the
 * workspace root up), then the client's {@code klp} section (initializationOptions, workspace/configuration,
 * didChangeConfiguration), later wins key by key. The project file may never set {@code buildCommand}: a
 * command to run comes only from the user's own client. Client paths are relative to the workspace root,
 * project-file paths to the file's directory. Unknown or malformed client values are reported, not fatal.
 * {@code workspaceTrusted: false} (VS Code in Restricted Mode) comes only from the client.
 */
final class LspConfig {
    static final String PROJECT_FILE = ProjectFile.NAME;
    static final String SECTION = "klp";
    static final String DEFAULT_DIAGNOSTICS_URL = "https://github.com/klp-lsp/klp-lsp/blob/main/docs/diagnostics.md";

    /**
     * The merged settings and what was wrong with the inputs (one line each).
     *
     * @param kernelLabel the kernel as the user named it, for {@code klp/indexStatus}; empty without a kernel
     * @param trusted     false when the client said the workspace is not trusted: no build, no convert on save
     */
    record Result(Settings settings, String diagnosticsUrl, Optional<String> kernelLabel, boolean trusted,
            List<String> problems) {
    }

    private LspConfig() {
    }

    /**
     * The nearest project file from the workspace root up; a broken file is a problem (logged), not an error:
     * the server runs on without it.
     */
    static Optional<ProjectFile> readProjectFile(Path root, List<String> problems) {
        try {
            return findProjectFile(root, problems);
        } catch (KlpException e) {
            problems.add(e.getMessage() + "; the project file is ignored");
            return Optional.empty();
        }
    }

    /**
     * The nearest project file from the workspace root up, its warnings (ignored keys) added to {@code warnings}.
     *
     * @throws KlpException naming the file and line when it is malformed (a re-read keeps the previous settings)
     */
    static Optional<ProjectFile> findProjectFile(Path root, List<String> warnings) {
        Optional<ProjectFile> project = ProjectFile.findAndRead(root);
        project.ifPresent(file -> warnings.addAll(file.warnings()));
        return project;
    }

    /** The {@code klp} section of a client value: {@code {klp: {...}}}, or the object itself when flat. */
    static JsonObject section(Object value) {
        if (!(value instanceof JsonElement element) || !element.isJsonObject()) {
            return new JsonObject();
        }
        JsonObject object = element.getAsJsonObject();
        if (object.has(SECTION) && object.get(SECTION).isJsonObject()) {
            return object.getAsJsonObject(SECTION);
        }
        return object;
    }

    /** Copies {@code overlay}'s keys over {@code base} (a new object). */
    static JsonObject merge(JsonObject base, JsonObject overlay) {
        JsonObject merged = base.deepCopy();
        overlay.entrySet().forEach(entry -> merged.add(entry.getKey(), entry.getValue()));
        return merged;
    }

    static Result settings(Path root, Optional<ProjectFile> project, JsonObject client) {
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(client, root, problems::add);
        Settings defaults = Settings.DEFAULT;
        Optional<String> clientKernel = values.string("kernel");
        Optional<String> kernel = values.kernel().or(() -> project.flatMap(ProjectFile::kernel));
        List<Path> symbols = values.paths("symbols").or(() -> project.map(ProjectFile::symbols)).orElse(List.of());
        List<Path> modules = values.paths("modules").or(() -> project.map(ProjectFile::modules)).orElse(List.of());
        Optional<Path> symvers = values.path("symvers").or(() -> project.flatMap(ProjectFile::symvers));
        AnnotationStyle style = values.annotationStyle().or(() -> project.flatMap(ProjectFile::annotationStyle))
                .orElse(defaults.annotationStyle());
        boolean convertOnSave = values.bool("convertOnSave").or(() -> project.flatMap(ProjectFile::convertOnSave))
                .orElse(defaults.convertOnSave());
        String output = values.output().or(() -> project.flatMap(ProjectFile::output)).orElse(defaults.output());
        // Only the client's own settings may name a command to run.
        Optional<String> buildCommand = values.string("buildCommand").filter(value -> !value.isBlank());
        Settings.FunctionReferences functionReferences = values.functionReferences()
                .or(() -> project.flatMap(ProjectFile::functionReferences))
                .map(value -> Settings.FunctionReferences.valueOf(value.toUpperCase(Locale.ROOT)))
                .orElse(defaults.functionReferences());
        String diagnosticsUrl = values.string("diagnosticsUrl").or(() -> project.flatMap(ProjectFile::diagnosticsUrl))
                .orElse(DEFAULT_DIAGNOSTICS_URL);
        boolean trusted = values.bool("workspaceTrusted").orElse(true);
        Settings settings = new Settings(kernel, symbols, modules, symvers, style, convertOnSave, output,
                buildCommand, functionReferences);
        Optional<String> label = clientKernel.or(() -> project.flatMap(ProjectFile::kernel)
                .map(value -> describe(project.get().directory(), value)))
                .or(() -> describeSources(settings));
        return new Result(settings, diagnosticsUrl, label, trusted, problems);
    }

    /**
     * A project-file kernel as the user wrote it: a release as it is, a path near the project (in its directory or
     * beside it) relative to the file's directory, any other path absolute.
     */
    private static String describe(Path projectDir, String resolved) {
        Path asPath = Path.of(resolved);
        Path near = projectDir.getParent() == null ? projectDir : projectDir.getParent();
        if (!asPath.isAbsolute() || !asPath.startsWith(near)) {
            return resolved;
        }
        String relative = projectDir.relativize(asPath).toString();
        return relative.isEmpty() ? "." : relative;
    }

    /** Without a kernel setting: the symbol sources' file names, e.g. "System.map, Module.symvers". */
    private static Optional<String> describeSources(Settings settings) {
        List<String> names = new ArrayList<>();
        settings.symbols().forEach(path -> names.add(String.valueOf(path.getFileName())));
        settings.modules().forEach(path -> names.add(path.getFileName() + "/"));
        settings.symvers().ifPresent(path -> names.add(String.valueOf(path.getFileName())));
        return names.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", names));
    }
}
