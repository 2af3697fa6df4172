// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.AtomicFile;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * klp-convert v7's symbols.klp: a header line {@code klp-convert-symbol-data.0.1}, then {@code *<object>}
 * lines switching the current object, each followed by symbol names (nm -f posix, sorted by name); names
 * {@code __ksymtab_<name>} mark exports. It holds no addresses, types nor order, so positions among
 * duplicated names read from it are not the kernel's (the index warns).
 */
public final class SymbolsKlpFile {
    public static final String HEADER = "klp-convert-symbol-data.0.1";

    /** What a symbols.klp held: objects in file order with their names, and the exported names. */
    record Parsed(Map<String, ObjectSymbols> objects, List<Export> exports) {
    }

    private SymbolsKlpFile() {
    }

    static boolean looksLike(byte[] head) {
        return new String(head, 0, Math.min(head.length, HEADER.length()), StandardCharsets.ISO_8859_1)
                .equals(HEADER);
    }

    static Parsed read(Path path, byte[] bytes) {
        Map<String, ObjectSymbols> objects = new LinkedHashMap<>();
        List<Export> exports = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
        if (lines.length == 0 || !lines[0].startsWith(HEADER)) {
            // klp-convert compares the first 27 characters the same way.
            throw new SymbolSourceException(path, 1, "symbol list is in unknown format: expected the header '"
                    + HEADER + "'");
        }
        ObjectSymbols current = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("*")) {
                String object = line.substring(1).strip();
                if (object.isEmpty() || object.contains(" ")) {
                    throw new SymbolSourceException(path, i + 1, "malformed object line '" + line
                            + "': expected '*<object name>'");
                }
                current = objects.computeIfAbsent(object.equals(KernelSymbol.VMLINUX) ? object
                        : object.replace('-', '_'), o -> new ObjectSymbols(o, path, 1024));
                continue;
            }
            if (current == null) {
                throw new SymbolSourceException(path, i + 1, "file format error: symbol '"
                        + SymversSource.abbreviate(line) + "' before any '*<object>' line");
            }
            if (line.contains(" ") || line.contains("\t")) {
                throw new SymbolSourceException(path, i + 1, "malformed symbol line '"
                        + SymversSource.abbreviate(line) + "': expected one symbol name");
            }
            if (line.startsWith("__ksymtab_")) {
                exports.add(new Export(line.substring("__ksymtab_".length()), current.object, "", Optional.empty()));
            }
            if (!Sympos.isIgnoredName(line)) {
                current.add(line, SymbolType.NOTYPE, SymbolBinding.GLOBAL, '?', null, 0, 0, 0, null);
            }
        }
        return new Parsed(objects, exports);
    }

    /** Writes the index in symbols.klp form (vmlinux first, then modules by name), atomically. */
    public static void write(KernelIndex index, Path target) {
        AtomicFile.write(target, out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writer.write(HEADER);
            writer.write('\n');
            for (String object : index.objectsInOrder()) {
                writer.write('*');
                writer.write(object);
                writer.write('\n');
                java.util.Set<String> names = new java.util.LinkedHashSet<>(index.distinctNamesOf(object));
                for (Export export : index.exportsOf(object)) {
                    names.add("__ksymtab_" + export.name());
                }
                for (String name : names) {
                    writer.write(name);
                    writer.write('\n');
                }
            }
            writer.flush();
        });
    }
}
