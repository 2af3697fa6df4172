// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.klplsp.base.KlpException;
import dev.klplsp.ide.Settings;
import dev.klplsp.project.ProjectFile;
import dev.klplsp.project.SettingValues;
import dev.klplsp.project.SettingsLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the server's settings: the project file {@code .klp-lsp.json} (parsed by {@link ProjectFile}, the
 * nearest one from the workspace root up), under the client's {@code klp} section, merged by
 * {@link SettingsLayer}'s rule. The client's section is itself the merge of what it sent so far
 * (initializationOptions, workspace/configuration answers, didChangeConfiguration pushes), key by key, where a
 * {@code null} value takes a key back. Unknown or malformed client values are reported, not fatal.
 */
final class LspConfig {
    static final String SECTION = "klp";
    static final String DEFAULT_DIAGNOSTICS_URL = "https://github.com/klp-lsp/klp-lsp/blob/main/docs/diagnostics.md";

    /**
     * The merged settings and what was wrong with the inputs (one line each).
     *
     * @param kernelLabel the kernel as the user named it ({@code 3 kernels} for several), for
     *                    {@code klp/indexStatus}; empty without a kernel
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
            Optional<ProjectFile> project = ProjectFile.findAndRead(root);
            project.ifPresent(file -> problems.addAll(file.warnings()));
            return project;
        } catch (KlpException e) {
            problems.add(e.getMessage() + "; the project file is ignored");
            return Optional.empty();
        }
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

    /** {@code overlay}'s keys over {@code base} (a new object); a {@code null} in the overlay removes the key. */
    static JsonObject merge(JsonObject base, JsonObject overlay) {
        JsonObject merged = base.deepCopy();
        for (Map.Entry<String, JsonElement> entry : overlay.entrySet()) {
            if (entry.getValue().isJsonNull()) {
                merged.remove(entry.getKey());
            } else {
                merged.add(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return merged;
    }

    /** The client's section over the project file over the defaults; client paths are relative to the root. */
    static Result settings(Path root, Optional<ProjectFile> project, JsonObject client) {
        List<String> problems = new ArrayList<>();
        SettingsLayer clientLayer = new SettingValues(client, root, root, SettingValues.userHome(), problems::add)
                .layer();
        SettingsLayer merged = clientLayer.over(project.map(ProjectFile::settings).orElse(SettingsLayer.EMPTY));
        return new Result(merged.resolve(), merged.diagnosticsUrl().orElse(DEFAULT_DIAGNOSTICS_URL),
                merged.kernelLabel(), clientLayer.workspaceTrusted().orElse(true),
                problems);
    }
}
