// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.KlpNames;
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
 * Explicit choices as users write them: {@code NAME=OBJ:POS} ({@code do_poweroff=vmlinux:2}) on the command line,
 * or one per line in a sidecar file with {@code #} comments.
 */
public final class Choices {
    private static final Pattern SPEC = Pattern.compile("([^=\\s]+)=([^:\\s]+):(\\S+)");

    private Choices() {
    }

    /** Parses one {@code NAME=OBJ:POS}; empty when it does not have that shape. */
    public static Optional<Map.Entry<String, Choice>> parse(String spec, String origin) {
        Matcher matcher = SPEC.matcher(spec.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        OptionalLong sympos = KlpNames.parseSympos(matcher.group(3));
        if (sympos.isEmpty() || sympos.getAsLong() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(Map.entry(matcher.group(1), new Choice(matcher.group(2), (int) sympos.getAsLong(), origin)));
    }

    /** A sidecar file; a bad or duplicated line is a {@link KlpException} naming {@code file:line}. */
    public static Map<String, Choice> readFile(Path file) {
        List<String> lines = new String(InputFile.readAllBytes(file, InputFile.CHOICES_FILE, KlpException::new),
                StandardCharsets.UTF_8).lines().toList();
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
                    null, file + ":" + lineNumber + ": expected NAME=OBJECT:SYMPOS (e.g. do_poweroff=vmlinux:2), found '"
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
