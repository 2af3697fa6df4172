// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.KlpNames;
import dev.klplsp.kernel.CopyPin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explicit choices as users write them: {@code NAME=OBJ:POS} ({@code do_poweroff=vmlinux:2}), or a pin by
 * identity {@code NAME = OBJ, near SYMBOL} / {@code NAME = OBJ, file PATH}
 * ({@code cpumask_weight = vmlinux, near clockevents_program_min_delta}), on the command line or one per line in a
 * sidecar file with {@code #} comments; the right-hand side alone is the value of a project file's {@code sympos}
 * entry.
 */
public final class Choices {
    private static final Pattern SPEC = Pattern.compile("([^=\\s]+)\\s*=\\s*(.+)");
    private static final Pattern POSITION = Pattern.compile("([^:,\\s]+):(\\S+)");
    private static final Pattern PINNED = Pattern.compile("([^:,\\s]+)\\s*,\\s*(\\S.*)");
    /** What a malformed choice is told it should look like. */
    public static final String EXPECTED = "NAME=OBJECT:SYMPOS (e.g. do_poweroff=vmlinux:2) or NAME = OBJECT, near"
            + " SYMBOL | file PATH (e.g. cpumask_weight = vmlinux, near clockevents_program_min_delta)";

    private Choices() {
    }

    /** Parses one {@code NAME=OBJ:POS} or {@code NAME = OBJ, near|file X}; empty when it has neither shape. */
    public static Optional<Map.Entry<String, Choice>> parse(String spec, String origin) {
        Matcher matcher = SPEC.matcher(spec.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String name = matcher.group(1);
        return parseValue(matcher.group(2), origin).map(choice -> Map.entry(name, choice));
    }

    /** The right-hand side alone: {@code vmlinux:2}, {@code vmlinux, near foo}, {@code vmlinux, file lib/foo.c}. */
    public static Optional<Choice> parseValue(String value, String origin) {
        String text = value.strip();
        Matcher position = POSITION.matcher(text);
        if (position.matches()) {
            OptionalLong sympos = KlpNames.parseSympos(position.group(2));
            if (sympos.isEmpty() || sympos.getAsLong() > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new Choice(position.group(1), (int) sympos.getAsLong(), origin));
        }
        Matcher pinned = PINNED.matcher(text);
        if (pinned.matches()) {
            return CopyPin.parse(pinned.group(2)).map(pin -> Choice.pinned(pinned.group(1), pin, origin));
        }
        return Optional.empty();
    }

    /** A sidecar file; a bad or duplicated line is a {@link KlpException} naming {@code file:line}. */
    public static Map<String, Choice> readFile(Path file) {
        return parseFile(file, new String(InputFile.readAllBytes(file, InputFile.CHOICES_FILE, KlpException::new),
                StandardCharsets.UTF_8));
    }

    /** The text of a sidecar file named {@code file}; errors as {@link #readFile}. */
    static Map<String, Choice> parseFile(Path file, String text) {
        List<String> lines = text.lines().toList();
        Map<String, Choice> choices = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            int lineNumber = i + 1;
            String origin = file.getFileName() + ":" + lineNumber;
            Map.Entry<String, Choice> entry = parse(content, origin).orElseThrow(() -> new KlpException(
                    null, file + ":" + lineNumber + ": expected " + EXPECTED + ", found '"
                            + content + "'"));
            Choice previous = choices.put(entry.getKey(), entry.getValue());
            if (previous != null) {
                throw new KlpException(null, file + ":" + lineNumber + ": " + entry.getKey() + " is already chosen at "
                        + previous.origin());
            }
        }
        return choices;
    }
}
