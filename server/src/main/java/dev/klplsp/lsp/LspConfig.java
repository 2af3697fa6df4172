// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.klplsp.ide.Settings;
import dev.klplsp.source.AnnotationStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads settings: the project file {@code .klp-lsp.json} at the workspace root, then the client's {@code klp}
 * section (initializationOptions, workspace/configuration, didChangeConfiguration), later wins key by key.
 * The project file may never set {@code buildCommand}: a command to run comes only from the user's own client.
 * Paths are relative to the workspace root or absolute. Unknown or malformed values are reported, not fatal.
 */
final class LspConfig {
    static final String PROJECT_FILE = ".klp-lsp.json";
    static final String SECTION = "klp";
    static final String DEFAULT_DIAGNOSTICS_URL = "https://github.com/klp-lsp/klp-lsp/blob/main/docs/diagnostics.md";

    /** The merged settings and what was wrong with the inputs (one line each). */
    record Result(Settings settings, String diagnosticsUrl, List<String> problems) {
    }

    private LspConfig() {
    }

    /** The project file's object, or an empty object when there is none; a broken file is a problem, not an error. */
    static JsonObject readProjectFile(Path root, List<String> problems) {
        Path file = root.resolve(PROJECT_FILE);
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                problems.add(file + ": expected a JSON object");
                return new JsonObject();
            }
            JsonObject object = parsed.getAsJsonObject().deepCopy();
            if (object.has("buildCommand")) {
                problems.add(file + ": buildCommand is ignored here; set it in your editor's klp settings");
                object.remove("buildCommand");
            }
            return object;
        } catch (IOException | JsonParseException e) {
            problems.add(file + ": cannot read: " + e.getMessage());
            return new JsonObject();
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

    /** Copies {@code overlay}'s keys over {@code base} (a new object). */
    static JsonObject merge(JsonObject base, JsonObject overlay) {
        JsonObject merged = base.deepCopy();
        overlay.entrySet().forEach(entry -> merged.add(entry.getKey(), entry.getValue()));
        return merged;
    }

    static Result settings(Path root, JsonObject project, JsonObject client) {
        List<String> problems = new ArrayList<>();
        JsonObject all = merge(project, client);
        Settings defaults = Settings.DEFAULT;
        Optional<String> kernel = string(all, "kernel", problems).map(value -> kernelValue(root, value));
        List<Path> symbols = paths(root, all, "symbols", problems);
        List<Path> modules = paths(root, all, "modules", problems);
        Optional<Path> symvers = string(all, "symvers", problems).map(value -> resolve(root, value));
        AnnotationStyle style = string(all, "annotationStyle", problems).map(value -> switch (value.toLowerCase(
                Locale.ROOT)) {
            case "v7" -> AnnotationStyle.V7;
            case "minimal" -> AnnotationStyle.MINIMAL;
            default -> {
                problems.add("annotationStyle: expected \"v7\" or \"minimal\", got \"" + value + "\"");
                yield defaults.annotationStyle();
            }
        }).orElse(defaults.annotationStyle());
        boolean convertOnSave = bool(all, "convertOnSave", problems).orElse(defaults.convertOnSave());
        String output = string(all, "output", problems).orElse(defaults.output());
        // Only the client's own settings may name a command to run.
        Optional<String> buildCommand = string(client, "buildCommand", problems).filter(value -> !value.isBlank());
        Settings.FunctionReferences functionReferences = string(all, "functionReferences", problems)
                .map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "warning" -> Settings.FunctionReferences.WARNING;
                    case "info" -> Settings.FunctionReferences.INFO;
                    case "off" -> Settings.FunctionReferences.OFF;
                    default -> {
                        problems.add("functionReferences: expected \"warning\", \"info\" or \"off\", got \"" + value
                                + "\"");
                        yield defaults.functionReferences();
                    }
                }).orElse(defaults.functionReferences());
        String diagnosticsUrl = string(all, "diagnosticsUrl", problems).orElse(DEFAULT_DIAGNOSTICS_URL);
        Settings settings = new Settings(kernel, symbols, modules, symvers, style, convertOnSave, output,
                buildCommand, functionReferences);
        return new Result(settings, diagnosticsUrl, problems);
    }

    /** A kernel is a path when it names an existing file or looks like one, else a release string. */
    private static String kernelValue(Path root, String value) {
        Path asPath = root.resolve(value);
        if (value.contains("/") || value.startsWith(".") || Files.exists(asPath)) {
            return asPath.normalize().toString();
        }
        return value;
    }

    private static Path resolve(Path root, String value) {
        return root.resolve(value).normalize();
    }

    private static Optional<String> string(JsonObject object, String key, List<String> problems) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return Optional.of(value.getAsString());
        }
        problems.add(key + ": expected a string, got " + value);
        return Optional.empty();
    }

    private static Optional<Boolean> bool(JsonObject object, String key, List<String> problems) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return Optional.of(value.getAsBoolean());
        }
        problems.add(key + ": expected true or false, got " + value);
        return Optional.empty();
    }

    private static List<Path> paths(Path root, JsonObject object, String key, List<String> problems) {
        JsonElement value = object.get(key);
        List<Path> result = new ArrayList<>();
        if (value == null || value.isJsonNull()) {
            return result;
        }
        JsonArray array;
        if (value.isJsonArray()) {
            array = value.getAsJsonArray();
        } else {
            array = new JsonArray();
            array.add(value);
        }
        for (JsonElement element : array) {
            if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
                result.add(resolve(root, element.getAsString()));
            } else {
                problems.add(key + ": expected a list of paths, got " + element);
            }
        }
        return result;
    }
}
