// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.project;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.klplsp.base.AtomicFile;
import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project file {@code .klp-lsp.json}: the server's setting keys (without the {@code klp} section) for one
 * livepatch project, read by the language server and by the CLI (whose flags win), as one
 * {@link SettingsLayer}. Paths are resolved against the file's directory ({@code ${workspaceFolder}} is that
 * directory too). It may never set {@code buildCommand}: a command to run comes only from the user's own editor
 * settings, so that key is dropped with a warning; {@code workspaceTrusted} is the client's to say, and ignored
 * here with a warning like any unknown key.
 *
 * @param file     the project file itself (absolute)
 * @param settings what the file sets
 * @param warnings what was ignored (buildCommand, unknown keys), one line each, starting with the file
 */
public record ProjectFile(Path file, SettingsLayer settings, List<String> warnings) {

    public static final String NAME = ".klp-lsp.json";
    private static final Set<String> KEYS = Set.of("kernel", "symbols", "modules", "symvers", "kernels", "sympos",
            "annotationStyle", "convertOnSave", "output", "functionReferences", "diagnosticsUrl", "buildCommand",
            "debugInfo", "kernelSource", "$schema");
    private static final Pattern LOCATION = Pattern.compile("line (\\d+) column (\\d+)");

    public ProjectFile {
        warnings = List.copyOf(warnings);
    }

    /** The directory the file's relative paths are relative to. */
    public Path directory() {
        return file.getParent();
    }

    /** Whether the file names any kernel symbol source. */
    public boolean hasKernel() {
        return settings.kernels().filter(kernels -> !kernels.isEmpty()).isPresent();
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
        byte[] bytes = InputFile.readAllBytes(file, InputFile.PROJECT_FILE, KlpException::new);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new KlpException(file, "cannot read the project file: not UTF-8 (" + e.getMessage() + ")", e);
        }
        return parse(file, text);
    }

    /**
     * Parses the text of a project file; {@code file} (absolute) names it in errors and anchors relative paths.
     *
     * @throws KlpException as {@link #read}
     */
    public static ProjectFile parse(Path file, String text) {
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
        SettingValues values = new SettingValues(object, dir, dir, SettingValues.userHome(), problem -> {
            throw new KlpException(file, problem);
        });
        return new ProjectFile(file, values.layer().withoutBuildCommand().withoutTrust(), warnings);
    }

    /**
     * Writes a new project file into {@code dir} that names only {@code kernel}, atomically (a reader sees no
     * file or the whole file); never replaces an existing one.
     *
     * @return the file written
     * @throws KlpException naming the file when one exists already or it cannot be written
     */
    public static Path create(Path dir, String kernel) {
        Path file = dir.toAbsolutePath().normalize().resolve(NAME);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new KlpException(file, "exists already; klp-lsp does not replace a project file");
        }
        JsonObject object = new JsonObject();
        object.addProperty("kernel", kernel);
        AtomicFile.write(file, pretty(object).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /**
     * The text of a project file with {@code "sympos": {name: value}} set (the rest kept, in order), pretty-printed;
     * {@code text} empty makes a new file. Empty when {@code text} is not a JSON object (or its {@code sympos} is
     * not one): a quick fix must not rewrite what it cannot read.
     */
    public static Optional<String> withSympos(String text, String name, String value) {
        JsonObject object;
        if (text.isBlank()) {
            object = new JsonObject();
        } else {
            try {
                JsonElement parsed = JsonParser.parseString(text);
                if (!parsed.isJsonObject()) {
                    return Optional.empty();
                }
                object = parsed.getAsJsonObject();
            } catch (JsonParseException e) {
                return Optional.empty();
            }
        }
        JsonElement sympos = object.get("sympos");
        if (sympos != null && !sympos.isJsonNull() && !sympos.isJsonObject()) {
            return Optional.empty();
        }
        JsonObject choices = sympos == null || sympos.isJsonNull() ? new JsonObject() : sympos.getAsJsonObject();
        choices.addProperty(name, value);
        object.add("sympos", choices);
        return Optional.of(pretty(object));
    }

    /** A project file's text as klp-lsp writes one: pretty-printed, ending in a newline. */
    private static String pretty(JsonObject object) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(object) + "\n";
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
}
