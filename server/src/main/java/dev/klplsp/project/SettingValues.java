// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.klplsp.check.Choice;
import dev.klplsp.check.Choices;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The typed values of the {@code klp} setting keys in one JSON object: the one reader for both the project
 * file (where a wrong value is an error) and the editor's settings section (where it is reported and ignored),
 * so Neovim, Emacs, Vim and VS Code users get the same values from the same text.
 * A wrong value goes to {@code problems} as one line ({@code "key: expected ..., got ..."}) and reads as absent;
 * an explicit JSON {@code null} reads as absent too (the key is not set in this layer).
 *
 * <p>Paths: {@code ~} and {@code ~/...} are the user's home, {@code ${workspaceFolder}} the workspace root (in a
 * project file: the file's directory), {@code ${userHome}} the home; a relative path is relative to the base
 * (the workspace root for the editor's settings, the file's directory for a project file).
 */
public final class SettingValues {
    private final JsonObject object;
    private final Path base;
    private final Path workspaceFolder;
    private final Path home;
    private final Consumer<String> problems;

    /**
     * @param base            what relative paths are relative to
     * @param workspaceFolder what {@code ${workspaceFolder}} stands for
     * @param home            what {@code ~} and {@code ${userHome}} stand for
     * @param problems        receives one line per wrong value; may throw to make it an error
     */
    public SettingValues(JsonObject object, Path base, Path workspaceFolder, Path home, Consumer<String> problems) {
        this.object = object;
        this.base = base;
        this.workspaceFolder = workspaceFolder;
        this.home = home;
        this.problems = problems;
    }

    /** The user's home as the JVM knows it. */
    public static Path userHome() {
        return Path.of(System.getProperty("user.home", "/"));
    }

    /** Every key as one layer. {@code buildCommand} and {@code workspaceTrusted} are read; callers drop them. */
    public SettingsLayer layer() {
        return new SettingsLayer(kernels(), annotationStyle(), bool("convertOnSave"), output(),
                string("buildCommand"), functionReferences(), sympos(), diagnosticsUrl(), bool("workspaceTrusted"),
                paths("debugInfo"), path("kernelSource"));
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

    /** A path, expanded and resolved against the base. */
    public Optional<Path> path(String key) {
        return string(key).flatMap(value -> toPath(key, value));
    }

    /** A path or a list of paths, each expanded and resolved; empty when absent. Wrong elements are left out. */
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
                toPath(key, element.getAsString()).ifPresent(result::add);
            } else {
                problems.accept(key + ": expected a path or a list of paths, got " + element);
            }
        }
        return Optional.of(result);
    }

    /**
     * The kernels: a {@code kernels} list, or the one kernel the kernel keys ({@code kernel}, {@code symbols},
     * {@code modules}, {@code symvers}) name; absent when neither is set. Each {@code kernels} entry is a string
     * (like {@code kernel}) or an object with the kernel keys and an optional display {@code name}. Both in one
     * place is a problem: the list is used.
     */
    public Optional<List<ConfiguredKernel>> kernels() {
        Optional<ConfiguredKernel> single = kernel(object, "", Optional.empty());
        if (!has("kernels")) {
            return single.map(List::of);
        }
        if (single.isPresent()) {
            problems.accept("kernels: cannot be combined with kernel, symbols, modules or symvers; make that kernel"
                    + " an entry of kernels (the other keys are ignored)");
        }
        JsonElement value = object.get("kernels");
        if (!value.isJsonArray()) {
            problems.accept("kernels: expected a list of kernels, got " + value);
            return Optional.empty();
        }
        List<ConfiguredKernel> kernels = new ArrayList<>();
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement entry = array.get(i);
            String where = "kernels[" + i + "].";
            if (entry.isJsonPrimitive() && entry.getAsJsonPrimitive().isString()) {
                JsonObject wrapped = new JsonObject();
                wrapped.add("kernel", entry);
                kernel(wrapped, where, Optional.empty()).ifPresent(kernels::add);
            } else if (entry.isJsonObject()) {
                JsonObject fields = entry.getAsJsonObject();
                for (String key : fields.keySet()) {
                    if (!ENTRY_KEYS.contains(key)) {
                        problems.accept(where + key + ": unknown key (expected " + String.join(", ", ENTRY_KEYS)
                                + ")");
                    }
                }
                Optional<String> name = new SettingValues(fields, base, workspaceFolder, home,
                        problem -> problems.accept(where + problem)).string("name").map(String::strip)
                        .filter(text -> !text.isEmpty());
                Optional<ConfiguredKernel> kernel = kernel(fields, where, name);
                if (kernel.isEmpty()) {
                    problems.accept(where.substring(0, where.length() - 1) + ": names no kernel (give kernel, symbols,"
                            + " modules or symvers)");
                }
                kernel.ifPresent(kernels::add);
            } else {
                problems.accept(where.substring(0, where.length() - 1) + ": expected a kernel (a string) or an object"
                        + " with kernel, symbols, modules, symvers and name, got " + entry);
            }
        }
        return Optional.of(kernels);
    }

    private static final List<String> ENTRY_KEYS = List.of("kernel", "symbols", "modules", "symvers", "name");

    /**
     * The kernel keys of one object as one kernel; absent when none is set. {@code kernel} is a path when it
     * contains {@code /}, starts with {@code .} or {@code ~}, or names an existing file below the base; else a
     * release such as {@code 6.1.0-56-amd64}.
     */
    private Optional<ConfiguredKernel> kernel(JsonObject fields, String where, Optional<String> name) {
        SettingValues values = fields == object ? this : new SettingValues(fields, base, workspaceFolder, home,
                problem -> problems.accept(where + problem));
        Optional<String> written = values.string("kernel").map(String::strip).filter(value -> !value.isEmpty());
        Optional<String> kernel = written.flatMap(values::kernelValue);
        List<Path> symbols = values.paths("symbols").orElse(List.of());
        List<Path> modules = values.paths("modules").orElse(List.of());
        Optional<Path> symvers = values.path("symvers");
        KernelSources sources = new KernelSources(kernel, symbols, modules, symvers, Optional.empty());
        if (sources.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        symbols.forEach(path -> names.add(String.valueOf(path.getFileName())));
        modules.forEach(path -> names.add(path.getFileName() + "/"));
        symvers.ifPresent(path -> names.add(String.valueOf(path.getFileName())));
        String label = kernel.isPresent() ? written.get() : String.join(", ", names);
        return Optional.of(new ConfiguredKernel(sources, label, name));
    }

    /**
     * {@code sympos}: explicit choices per referenced name, each {@code "OBJECT:SYMPOS"} or a pin by identity
     * {@code "OBJECT, near SYMBOL"} / {@code "OBJECT, file PATH"} (as in a {@code --sympos-file}).
     */
    public Optional<Map<String, Choice>> sympos() {
        if (!has("sympos")) {
            return Optional.empty();
        }
        JsonElement value = object.get("sympos");
        if (!value.isJsonObject()) {
            problems.accept("sympos: expected an object such as {\"cpumask_weight\": \"vmlinux, near"
                    + " clockevents_program_min_delta\"}, got " + value);
            return Optional.empty();
        }
        Map<String, Choice> choices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : value.getAsJsonObject().entrySet()) {
            String name = entry.getKey();
            JsonElement spec = entry.getValue();
            Optional<Choice> choice = spec.isJsonPrimitive() && spec.getAsJsonPrimitive().isString()
                    && !name.isBlank() && name.chars().noneMatch(Character::isWhitespace)
                    ? Choices.parseValue(spec.getAsString(), "sympos." + name) : Optional.empty();
            if (choice.isEmpty()) {
                problems.accept("sympos." + name + ": expected \"OBJECT:SYMPOS\" or \"OBJECT, near SYMBOL\" or"
                        + " \"OBJECT, file PATH\", got " + spec);
            }
            choice.ifPresent(c -> choices.put(name, c));
        }
        return Optional.of(choices);
    }

    private Optional<String> kernelValue(String value) {
        String expanded = expand(value);
        boolean pathLike = expanded.contains("/") || expanded.startsWith(".") || !expanded.equals(value);
        if (!pathLike) {
            try {
                pathLike = Files.exists(base.resolve(expanded));
            } catch (InvalidPathException e) {
                pathLike = true; // let toPath say what is wrong with it
            }
        }
        return pathLike ? toPath("kernel", value).map(Path::toString) : Optional.of(value);
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

    /** {@code functionReferences}: {@code error}, {@code warning}, {@code info} or {@code off}, any case. */
    public Optional<FunctionReferences> functionReferences() {
        return string("functionReferences").flatMap(value -> {
            Optional<FunctionReferences> parsed = FunctionReferences.parse(value);
            if (parsed.isEmpty()) {
                problems.accept("functionReferences: expected " + FunctionReferences.choices() + ", got \"" + value
                        + "\"");
            }
            return parsed;
        });
    }

    /** {@code output}: {@code inPlace} or a file-name pattern such as {@code {name}.klp.ko}, beside the module. */
    public Optional<OutputRule> output() {
        return string("output").flatMap(value -> {
            Optional<String> problem = OutputRule.settingProblem(value);
            problem.ifPresent(text -> problems.accept("output: " + text));
            return problem.isPresent() ? Optional.empty() : Optional.of(OutputRule.ofSetting(value));
        });
    }

    /**
     * {@code diagnosticsUrl}: an {@code https:}, {@code http:} or {@code file:} URL; anything else (a
     * {@code javascript:} URL from a cloned repository's project file) would end up behind every diagnostic's link.
     */
    public Optional<String> diagnosticsUrl() {
        return string("diagnosticsUrl").filter(value -> {
            String lower = value.toLowerCase(Locale.ROOT);
            boolean allowed = (lower.startsWith("https://") || lower.startsWith("http://")
                    || lower.startsWith("file:/")) && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
            if (!allowed) {
                problems.accept("diagnosticsUrl: expected an https:, http: or file: URL, got \"" + printable(value)
                        + "\"");
            }
            return allowed;
        });
    }

    /** {@code ~}, {@code ~/x}, {@code ${workspaceFolder}} and {@code ${userHome}} expanded; the rest as written. */
    String expand(String value) {
        String result = value.replace("${workspaceFolder}", workspaceFolder.toString())
                .replace("${userHome}", home.toString());
        if (result.equals("~")) {
            return home.toString();
        }
        if (result.startsWith("~/")) {
            return home.resolve(result.substring(2)).toString();
        }
        return result;
    }

    private Optional<Path> toPath(String key, String value) {
        if (value.indexOf('\0') >= 0 || value.isBlank()) {
            problems.accept(key + ": expected a path, got \"" + printable(value) + "\"");
            return Optional.empty();
        }
        try {
            return Optional.of(base.resolve(expand(value)).normalize());
        } catch (InvalidPathException e) {
            problems.accept(key + ": expected a path, got \"" + printable(value) + "\"");
            return Optional.empty();
        }
    }

    private static String printable(String value) {
        StringBuilder text = new StringBuilder();
        value.codePoints().forEach(c -> text.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return text.toString();
    }
}
