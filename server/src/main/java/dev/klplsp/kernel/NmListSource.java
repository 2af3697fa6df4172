// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads System.map ({@code ffffffff81000000 T _text}) and /proc/kallsyms dumps (the same, plus
 * {@code \t[module]} on module lines).
 *
 * <p>System.map is {@code nm -n} output: it is filtered and sorted here the way scripts/kallsyms does. A
 * kallsyms dump is already in the kernel's order — vmlinux lines in table order, each module's lines in its
 * kallsyms order — so file order is kept (addresses may even all be 0 when the dump was taken unprivileged).
 */
final class NmListSource {
    /** What a text source held: vmlinux symbols and, for a kallsyms dump, loaded modules' symbols. */
    record Parsed(ObjectSymbols vmlinux, Map<String, ObjectSymbols> modules) {
    }

    private NmListSource() {
    }

    static Parsed read(Path path, byte[] bytes, boolean systemMap) {
        ObjectSymbols vmlinux = new ObjectSymbols(KernelSymbol.VMLINUX, path, bytes.length / 40);
        Map<String, ObjectSymbols> modules = new LinkedHashMap<>();
        int lineNumber = 0;
        int pos = 0;
        int length = bytes.length;
        while (pos < length) {
            lineNumber++;
            int end = pos;
            while (end < length && bytes[end] != '\n') {
                end++;
            }
            int lineEnd = end > pos && bytes[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd > pos) {
                parseLine(path, bytes, pos, lineEnd, lineNumber, systemMap, vmlinux, modules);
            }
            pos = end + 1;
        }
        if (systemMap) {
            Sympos.sortVmlinux(vmlinux);
        }
        ElfSymbolSource.flagVmlinuxRanges(vmlinux);
        return new Parsed(vmlinux, modules);
    }

    private static void parseLine(Path path, byte[] bytes, int start, int end, int lineNumber, boolean systemMap,
            ObjectSymbols vmlinux, Map<String, ObjectSymbols> modules) {
        int pos = start;
        long address = 0;
        int digits = 0;
        while (pos < end && bytes[pos] != ' ') {
            int digit = Character.digit(bytes[pos], 16);
            if (digit < 0 || digits == 16) {
                throw malformed(path, lineNumber, bytes, start, end);
            }
            address = address << 4 | digit;
            digits++;
            pos++;
        }
        if (digits == 0 || pos + 3 >= end || bytes[pos + 2] != ' ') {
            throw malformed(path, lineNumber, bytes, start, end);
        }
        char letter = (char) (bytes[pos + 1] & 0xff);
        if (!Character.isLetter(letter) && letter != '?') {
            throw malformed(path, lineNumber, bytes, start, end);
        }
        int nameStart = pos + 3;
        int nameEnd = nameStart;
        while (nameEnd < end && bytes[nameEnd] != '\t' && bytes[nameEnd] != ' ') {
            nameEnd++;
        }
        if (nameEnd == nameStart) {
            throw malformed(path, lineNumber, bytes, start, end);
        }
        String module = null;
        if (nameEnd < end) {
            // "name\t[module]" (a kallsyms dump), nothing else may follow the name.
            if (bytes[nameEnd] != '\t' || nameEnd + 2 >= end || bytes[nameEnd + 1] != '['
                    || bytes[end - 1] != ']') {
                if (new String(bytes, start, end - start, StandardCharsets.UTF_8).contains("The real System.map")) {
                    throw new SymbolSourceException(path, lineNumber, "this is Debian's placeholder System.map;"
                            + " the real one is in the linux-image-<release>-dbg package"
                            + " (/usr/lib/debug/boot/System.map-<release>)");
                }
                throw malformed(path, lineNumber, bytes, start, end);
            }
            module = new String(bytes, nameEnd + 2, end - 1 - (nameEnd + 2), StandardCharsets.UTF_8);
            if (systemMap) {
                throw new SymbolSourceException(path, lineNumber,
                        "a [module] tag in what looked like System.map; pass /proc/kallsyms dumps as such");
            }
        }
        String name = new String(bytes, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
        if (module == null ? Sympos.isIgnoredVmlinuxName(name) : Sympos.isIgnoredName(name)) {
            return;
        }
        if (module == null) {
            if (systemMap && !Sympos.keepsNmLetter(letter, name)) {
                return;
            }
            addVmlinux(vmlinux, name, letter, address);
        } else {
            // [bpf] programs and [__builtin__ftrace]-style pseudo modules are not objects a patch can target.
            if (module.equals("bpf") || module.startsWith("__builtin__")) {
                return;
            }
            String objectName = module.replace('-', '_');
            modules.computeIfAbsent(objectName, m -> new ObjectSymbols(m, path, 256))
                    .add(name, SymbolType.fromNmLetter(letter), SymbolBinding.fromNmLetter(letter), letter, null, 0,
                            address, 0, null);
        }
    }

    /**
     * Adds a vmlinux symbol as kallsyms lists it (a dump line, a System.map line or a decoded kallsyms table
     * entry): type and binding follow from the nm letter.
     */
    static void addVmlinux(ObjectSymbols vmlinux, String name, char letter, long address) {
        vmlinux.add(name, SymbolType.fromNmLetter(letter), SymbolBinding.fromNmLetter(letter), letter, null, 0,
                address, 0, null);
    }

    private static SymbolSourceException malformed(Path path, int lineNumber, byte[] bytes, int start, int end) {
        String line = new String(bytes, start, Math.min(end - start, 120), StandardCharsets.UTF_8);
        return new SymbolSourceException(path, lineNumber, "malformed line '" + line
                + "': expected '<hex address> <type letter> <name>' (System.map) or the same plus"
                + " '\\t[module]' (/proc/kallsyms)");
    }
}
