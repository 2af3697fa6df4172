// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * readelf's view of an object (-SW, -sW, -rW, -gW), parsed so tests can compare ours field by field, and
 * rendered index-free ({@link #semantic()}) so an object before and after a re-indexing mutation compare
 * by meaning: sections by name, symbols by name and defining section name, relocations by symbol name.
 */
public record ReadelfView(List<SectionRow> sections, List<SymbolRow> symbols, List<RelocationBlock> relocationBlocks,
        List<String> groups) {

    /** {@code Relocation section '.rela.text' at offset 0x150 contains 2 entries:} and its rows. */
    public record RelocationBlock(String section, long offset, List<RelocationRow> rows) {
    }

    /** The rows of the first relocation section of that name (null when there is none). */
    public List<RelocationRow> relocations(String section) {
        return relocationBlocks.stream().filter(b -> b.section().equals(section)).map(RelocationBlock::rows)
                .findFirst().orElse(null);
    }

    /** The rows of the relocation section at a file offset (names repeat, e.g. .rela.debug_macro). */
    public List<RelocationRow> relocationsAt(long offset) {
        return relocationBlocks.stream().filter(b -> b.offset() == offset).map(RelocationBlock::rows)
                .findFirst().orElse(null);
    }

    /** {@code [ 1] .text PROGBITS 0000000000000000 000040 00000e 00 AX 0 0 16}. */
    public record SectionRow(int index, String name, String type, long addr, long offset, long size, long entsize,
            String flags, int link, int info, long align) {
    }

    /** {@code 4: 0000000000000000 14 FUNC GLOBAL DEFAULT 1 f}. */
    public record SymbolRow(int index, long value, long size, String type, String bind, String visibility, String ndx,
            String name) {
    }

    /** {@code 000000000000000a 0000000500000004 R_X86_64_PLT32 0000000000000000 printk - 4}. */
    public record RelocationRow(long offset, long info, String type, String symbolName, long addend) {
    }

    private static final Pattern SYMBOL = Pattern.compile(
            "^\\s*(\\d+): ([0-9a-f]+)\\s+(0x[0-9a-f]+|\\d+) (\\S+)\\s+(\\S+)\\s+(\\S+)(?: \\[[^]]*\\])?\\s+(\\S+) ?(.*)$");
    private static final Pattern RELOCATION_HEADER = Pattern.compile("^Relocation section '(.*)' at offset 0x([0-9a-f]+) .*$");
    private static final Pattern RELOCATION = Pattern.compile("^([0-9a-f]+)\\s+([0-9a-f]+) (\\S+)\\s*(.*)$");
    private static final Pattern GROUP = Pattern.compile("^(\\S+) group section \\[\\s*\\d+\\] `(.*)' \\[(.*)\\] contains.*$");

    public static ReadelfView of(Path file) {
        return new ReadelfView(sections(ElfTesting.readelf("-SW", file)), symbols(ElfTesting.readelf("-sW", file)),
                parseRelocations(ElfTesting.readelf("-rW", file)), groups(ElfTesting.readelf("-gW", file)));
    }

    static List<SectionRow> sections(String text) {
        List<SectionRow> rows = new ArrayList<>();
        for (String line : text.lines().toList()) {
            int open = line.indexOf('[');
            int close = line.indexOf(']');
            if (!line.startsWith("  [") || line.contains("[Nr]") || close < 0) {
                continue;
            }
            int index = Integer.parseInt(line.substring(open + 1, close).strip());
            String[] t = line.substring(close + 1).strip().split("\\s+");
            int n = t.length;
            String name = n >= 9 ? t[0] : "";
            String type = n >= 9 ? t[1] : t[0];
            int base = n >= 9 ? 2 : 1;
            String flags = n == 10 ? t[6] : "";
            rows.add(new SectionRow(index, name, type, Long.parseUnsignedLong(t[base], 16),
                    Long.parseLong(t[base + 1], 16), Long.parseLong(t[base + 2], 16), Long.parseLong(t[base + 3], 16),
                    flags, Integer.parseInt(t[n - 3]), Integer.parseInt(t[n - 2]), Long.parseLong(t[n - 1])));
        }
        return rows;
    }

    /** The rows of the first symbol table ('.symtab'). */
    static List<SymbolRow> symbols(String text) {
        List<SymbolRow> rows = new ArrayList<>();
        boolean inSymtab = false;
        for (String line : text.lines().toList()) {
            if (line.startsWith("Symbol table ")) {
                inSymtab = line.contains("'.symtab'");
                continue;
            }
            Matcher m = SYMBOL.matcher(line);
            if (inSymtab && m.matches()) {
                String size = m.group(3);
                rows.add(new SymbolRow(Integer.parseInt(m.group(1)), Long.parseUnsignedLong(m.group(2), 16),
                        size.startsWith("0x") ? Long.parseLong(size.substring(2), 16) : Long.parseLong(size),
                        m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)));
            }
        }
        return rows;
    }

    static List<RelocationBlock> parseRelocations(String text) {
        List<RelocationBlock> sections = new ArrayList<>();
        List<RelocationRow> current = null;
        for (String line : text.lines().toList()) {
            Matcher header = RELOCATION_HEADER.matcher(line);
            if (header.matches()) {
                current = new ArrayList<>();
                sections.add(new RelocationBlock(header.group(1), Long.parseLong(header.group(2), 16), current));
                continue;
            }
            Matcher m = RELOCATION.matcher(line);
            if (current != null && m.matches()) {
                current.add(new RelocationRow(Long.parseUnsignedLong(m.group(1), 16),
                        Long.parseUnsignedLong(m.group(2), 16), m.group(3), symbolAndAddend(m.group(4))[0],
                        Long.parseLong(symbolAndAddend(m.group(4))[1])));
            }
        }
        return sections;
    }

    /** "0000000000000000 printk - 4" → [printk, -4]; "0" (r_sym 0) → ["", 0]; REL "00000000 printk" → [printk, 0]. */
    private static String[] symbolAndAddend(String rest) {
        String s = rest.strip();
        long addend = 0;
        Matcher signed = Pattern.compile("^(.*?)\\s*([+-]) ([0-9a-f]+)$").matcher(s);
        if (signed.matches()) {
            addend = Long.parseUnsignedLong(signed.group(3), 16) * (signed.group(2).equals("-") ? -1 : 1);
            s = signed.group(1);
        } else if (s.matches("[0-9a-f]+") && !s.contains(" ")) {
            // Only an addend: r_sym is 0.
            return new String[] {"", Long.toString(Long.parseUnsignedLong(s, 16))};
        }
        String[] parts = s.split("\\s+", 2);
        return new String[] {parts.length > 1 ? parts[1] : "", Long.toString(addend)};
    }

    static List<String> groups(String text) {
        List<String> groups = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.lines().toList()) {
            Matcher m = GROUP.matcher(line);
            if (m.matches()) {
                current = new StringBuilder(m.group(1) + " " + m.group(3) + ":");
                groups.add(null);
            } else if (current != null && line.matches("^\\s+\\[\\s*\\d+\\]\\s+\\S+$")) {
                current.append(' ').append(line.strip().replaceAll("^\\[\\s*\\d+\\]\\s+", ""));
                groups.set(groups.size() - 1, current.toString());
            }
        }
        return groups;
    }

    private String sectionName(int index) {
        return index < sections.size() ? sections.get(index).name() : "#" + index;
    }

    /** Index-free lines: one per section, symbol, relocation and group. */
    public List<String> semantic() {
        List<String> lines = new ArrayList<>();
        for (SectionRow s : sections) {
            boolean infoIsSection = s.type().equals("RELA") || s.type().equals("REL") || s.flags().contains("I");
            lines.add("section " + s.name() + " " + s.type() + " flags=" + s.flags() + " size=" + s.size() + " es="
                    + s.entsize() + " align=" + s.align() + " link=" + sectionName(s.link()) + " info="
                    + (infoIsSection ? sectionName(s.info()) : s.type().equals("SYMTAB") ? "firstNonLocal"
                            : s.type().equals("GROUP") ? "signature" : Integer.toString(s.info())));
        }
        for (SymbolRow s : symbols) {
            String ndx = s.ndx().matches("\\d+") ? sectionName(Integer.parseInt(s.ndx())) : s.ndx();
            String name = s.type().equals("SECTION") && s.name().isEmpty() ? ndx : s.name();
            lines.add("symbol " + name + " value=" + Long.toHexString(s.value()) + " size=" + s.size() + " " + s.type()
                    + " " + s.bind() + " " + s.visibility() + " in " + ndx);
        }
        relocationBlocks.forEach(block -> {
            for (RelocationRow r : block.rows()) {
                lines.add("reloc " + block.section() + " 0x" + Long.toHexString(r.offset()) + " " + r.type() + " "
                        + r.symbolName() + " " + r.addend());
            }
        });
        for (String group : groups) {
            lines.add("group " + group);
        }
        return lines;
    }
}
