// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.klplsp.base.KlpException;
import dev.klplsp.source.AnnotationStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project file {@code .klp-lsp.json}: the server's setting keys (without the {@code klp} section) for one
 * livepatch project, read by the language server and by the CLI (whose flags win). Paths are resolved against
 * the file's directory. It may never set {@code buildCommand}: a command to run comes only from the user's own
 * editor settings, so that key is dropped with a warning.
 *
 * @param file               the project file itself (absolute)
 * @param kernel             a kernel build tree, modules directory, root or release; a path-like value is resolved
 * @param functionReferences {@code warning}, {@code info} or {@code off}
 * @param output             {@code inPlace} or a file-name pattern with {@code {name}}
 * @param warnings           what was ignored (buildCommand, unknown keys), one line each, starting with the file
 */
public record ProjectFile(Path file, Optional<String> kernel, List<Path> symbols, List<Path> modules,
        Optional<Path> symvers, Optional<AnnotationStyle> annotationStyle, Optional<Boolean> convertOnSave,
        Optional<String> output, Optional<String> functionReferences, Optional<String> diagnosticsUrl,
        List<String> warnings) {

    public static final String NAME = ".klp-lsp.json";
    public static final String IN_PLACE = "inPlace";
    private static final Set<String> KEYS = Set.of("kernel", "symbols", "modules", "symvers", "annotationStyle",
            "convertOnSave", "output", "functionReferences", "diagnosticsUrl", "buildCommand", "$schema");
    private static final Pattern LOCATION = Pattern.compile("line (\\d+) column (\\d+)");

    public ProjectFile {
        symbols = List.copyOf(symbols);
        modules = List.copyOf(modules);
        warnings = List.copyOf(warnings);
    }

    /** The directory the file's relative paths are relative to. */
    public Path directory() {
        return file.getParent();
    }

    /** Whether the file names any kernel symbol source. */
    public boolean hasKernel() {
        return kernel.isPresent() || !symbols.isEmpty() || !modules.isEmpty() || symvers.isPresent();
    }

    /**
     * The nearest project file: {@code startDir/.klp-lsp.json}, else the one in its parent, and so on up to the
     * file system root.
     */
    public static Optional<Path> find(Path startDir) {
        for (Path dir = startDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The nearest project file from {@code startDir} up, read; empty when there is none. */
    public static Optional<ProjectFile> findAndRead(Path startDir) {
        return find(startDir).map(ProjectFile::read);
    }

    /**
     * Reads a project file.
     *
     * @throws KlpException naming the file (and line and column for malformed JSON) when it cannot be read, is
     *                      not a JSON object or holds a value of the wrong type
     */
    public static ProjectFile read(Path path) {
        Path file = path.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KlpException(file, "cannot read the project file: " + e.getMessage(), e);
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new KlpException(file, malformed(e), e);
        }
        if (!parsed.isJsonObject()) {
            throw new KlpException(file, "line 1: expected a JSON object such as {\"kernel\": \"6.1.0-56-amd64\"}");
        }
        JsonObject object = parsed.getAsJsonObject();
        Path dir = file.getParent();
        List<String> warnings = new ArrayList<>();
        for (String key : object.keySet()) {
            if (key.equals("buildCommand")) {
                warnings.add(file + ": buildCommand is ignored here; set it in your editor's klp settings");
            } else if (!KEYS.contains(key)) {
                warnings.add(file + ": unknown key \"" + key + "\" ignored");
            }
        }
        Optional<String> kernel = string(file, object, "kernel").map(value -> kernelValue(dir, value));
        Optional<AnnotationStyle> style = string(file, object, "annotationStyle").map(value ->
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "v7" -> AnnotationStyle.V7;
                    case "minimal" -> AnnotationStyle.MINIMAL;
                    default -> throw new KlpException(file, "annotationStyle: expected \"v7\" or \"minimal\", got \""
                            + value + "\"");
                });
        Optional<String> functionReferences = string(file, object, "functionReferences")
                .map(value -> value.toLowerCase(Locale.ROOT));
        if (functionReferences.isPresent() && !Set.of("warning", "info", "off").contains(functionReferences.get())) {
            throw new KlpException(file, "functionReferences: expected \"warning\", \"info\" or \"off\", got \""
                    + functionReferences.get() + "\"");
        }
        Optional<String> output = string(file, object, "output");
        if (output.isPresent() && (output.get().isBlank() || output.get().contains("/"))) {
            throw new KlpException(file, "output: expected \"inPlace\" or a file name pattern such as"
                    + " \"{name}.klp.ko\", got \"" + output.get() + "\"");
        }
        return new ProjectFile(file, kernel, paths(file, object, "symbols"), paths(file, object, "modules"),
                string(file, object, "symvers").map(value -> dir.resolve(value).normalize()), style,
                bool(file, object, "convertOnSave"), output, functionReferences,
                string(file, object, "diagnosticsUrl"), warnings);
    }

    /**
     * A kernel value: a path when it contains {@code /}, starts with {@code .} or names an existing file below
     * {@code dir}, else a release such as {@code 6.1.0-56-amd64}.
     */
    public static String kernelValue(Path dir, String value) {
        Path asPath = dir.resolve(value);
        if (value.contains("/") || value.startsWith(".") || Files.exists(asPath)) {
            return asPath.normalize().toString();
        }
        return value;
    }

    /** gson says "... at line 3 column 5 path $.kernel"; users get "line 3, column 5: ...". */
    private static String malformed(JsonParseException e) {
        String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : String.valueOf(e.getMessage());
        int see = detail.indexOf("\nSee ");
        if (see >= 0) {
            detail = detail.substring(0, see);
        }
        Matcher location = LOCATION.matcher(detail);
        String where = location.find() ? "line " + location.group(1) + ", column " + location.group(2) + ": " : "";
        return where + "malformed JSON: " + detail.strip();
    }

    private static Optional<String> string(Path file, JsonObject object, String key) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return Optional.of(value.getAsString());
        }
        throw new KlpException(file, key + ": expected a string, got " + value);
    }

    private static Optional<Boolean> bool(Path file, JsonObject object, String key) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return Optional.of(value.getAsBoolean());
        }
        throw new KlpException(file, key + ": expected true or false, got " + value);
    }

    private static List<Path> paths(Path file, JsonObject object, String key) {
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
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new KlpException(file, key + ": expected a path or a list of paths, got " + value);
            }
            result.add(file.getParent().resolve(element.getAsString()).normalize());
        }
        return result;
    }
}
