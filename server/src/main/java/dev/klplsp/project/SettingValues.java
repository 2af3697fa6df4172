// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The typed values of the {@code klp} setting keys in one JSON object: the one reader for both the project
 * file (where a wrong value is an error) and the editor's settings section (where it is reported and ignored).
 * A wrong value goes to {@code problems} as one line ({@code "key: expected ..., got ..."}) and reads as absent.
 */
public final class SettingValues {
    private static final Set<String> FUNCTION_REFERENCES = Set.of("warning", "info", "off");

    private final JsonObject object;
    private final Path base;
    private final Consumer<String> problems;

    /**
     * @param base     what relative paths are relative to
     * @param problems receives one line per wrong value; may throw to make it an error
     */
    public SettingValues(JsonObject object, Path base, Consumer<String> problems) {
        this.object = object;
        this.base = base;
        this.problems = problems;
    }

    /** Whether the key is present with a non-null value. */
    public boolean has(String key) {
        JsonElement value = object.get(key);
        return value != null && !value.isJsonNull();
    }

    public Optional<String> string(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement value = object.get(key);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return Optional.of(value.getAsString());
        }
        problems.accept(key + ": expected a string, got " + value);
        return Optional.empty();
    }

    public Optional<Boolean> bool(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement value = object.get(key);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return Optional.of(value.getAsBoolean());
        }
        problems.accept(key + ": expected true or false, got " + value);
        return Optional.empty();
    }

    /** A path relative to the base. */
    public Optional<Path> path(String key) {
        return string(key).map(value -> base.resolve(value).normalize());
    }

    /** A path or a list of paths, relative to the base; empty when absent. Wrong elements are left out. */
    public Optional<List<Path>> paths(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement value = object.get(key);
        JsonArray array = new JsonArray();
        if (value.isJsonArray()) {
            array = value.getAsJsonArray();
        } else {
            array.add(value);
        }
        List<Path> result = new ArrayList<>();
        for (JsonElement element : array) {
            if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
                result.add(base.resolve(element.getAsString()).normalize());
            } else {
                problems.accept(key + ": expected a path or a list of paths, got " + element);
            }
        }
        return Optional.of(result);
    }

    /** {@code kernel}: a release as written, or a path-like value resolved against the base. */
    public Optional<String> kernel() {
        return string("kernel").map(value -> ProjectFile.kernelValue(base, value));
    }

    public Optional<AnnotationStyle> annotationStyle() {
        return string("annotationStyle").flatMap(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "v7" -> Optional.of(AnnotationStyle.V7);
            case "minimal" -> Optional.of(AnnotationStyle.MINIMAL);
            default -> {
                problems.accept("annotationStyle: expected \"v7\" or \"minimal\", got \"" + value + "\"");
                yield Optional.<AnnotationStyle>empty();
            }
        });
    }

    /** {@code functionReferences}: {@code warning}, {@code info} or {@code off}, lower case. */
    public Optional<String> functionReferences() {
        return string("functionReferences").map(value -> value.toLowerCase(Locale.ROOT)).filter(value -> {
            if (FUNCTION_REFERENCES.contains(value)) {
                return true;
            }
            problems.accept("functionReferences: expected \"warning\", \"info\" or \"off\", got \"" + value + "\"");
            return false;
        });
    }

    /** {@code output}: {@code inPlace} or a file-name pattern such as {@code {name}.klp.ko}, beside the module. */
    public Optional<String> output() {
        return string("output").filter(value -> {
            if (!value.isBlank() && !value.contains("/")) {
                return true;
            }
            problems.accept("output: expected \"inPlace\" or a file name pattern such as \"{name}.klp.ko\", got \""
                    + value + "\"");
            return false;
        });
    }
}
