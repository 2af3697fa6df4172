// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Module.symvers: {@code 0x<crc>\t<symbol>\t<module path or vmlinux>\t<export type>[\t<namespace>]}
 * per line, e.g. {@code 0x12345678\t_printk\tvmlinux\tEXPORT_SYMBOL\t}.
 */
final class SymversSource {
    private SymversSource() {
    }

    static List<Export> read(Path path, byte[] bytes) {
        List<Export> exports = new ArrayList<>(bytes.length / 50);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length < 4 || fields.length > 5 || !fields[0].startsWith("0x") || fields[1].isEmpty()
                    || fields[2].isEmpty() || !fields[3].startsWith("EXPORT_")) {
                throw new SymbolSourceException(path, lineNumber, "malformed Module.symvers line '"
                        + abbreviate(line) + "': expected '0x<crc>\\t<symbol>\\t<module>\\t<EXPORT_SYMBOL[_GPL]>"
                        + "\\t<namespace>'");
            }
            String object = fields[2].equals(KernelSymbol.VMLINUX) ? KernelSymbol.VMLINUX
                    : ElfSymbolSource.moduleName(fields[2]);
            Optional<String> namespace = fields.length == 5 && !fields[4].isEmpty()
                    ? Optional.of(fields[4]) : Optional.empty();
            exports.add(new Export(fields[1], object, fields[3], namespace));
        }
        return exports;
    }

    static String abbreviate(String line) {
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
