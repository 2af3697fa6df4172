// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** Reads modules.builtin ({@code kernel/fs/ext4/ext4.ko} per line): modules linked into vmlinux. */
final class ModulesBuiltinSource {
    private ModulesBuiltinSource() {
    }

    static Set<String> read(Path path, byte[] bytes) {
        Set<String> names = new TreeSet<>();
        int lineNumber = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.endsWith(".ko") || trimmed.contains(" ") || trimmed.contains("\t")) {
                throw new SymbolSourceException(path, lineNumber, "malformed modules.builtin line '"
                        + SymversSource.abbreviate(line) + "': expected a module path such as kernel/fs/ext4/ext4.ko");
            }
            names.add(ElfSymbolSource.moduleName(trimmed));
        }
        return names;
    }
}
