// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.ModuleSignature;
import dev.klplsp.elf.RelocTypes;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Section;
import dev.klplsp.elf.Symbol;
import dev.klplsp.elf.SymbolTable;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** `klp-lsp elf FILE [--json]`: sections, symbols and relocations of a relocatable object, from our model. */
public final class ElfCommand implements Callable<Integer> {
    Path file;
    boolean json;
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "elf");
        spec = model.spec();
        return model.header("Show the sections, symbols and relocations of an ELF object.")
                .description("Shows a relocatable ELF object (.o, .ko) as klp-lsp reads it: sections, symbols and"
                        + " relocations, the livepatch ones (.klp.rela.*, .klp.sym.*) marked, and whether a module"
                        + " signature is appended.")
                .examples("  klp-lsp elf livepatch.ko",
                        "  klp-lsp elf --json livepatch.ko | jq '.relocations'")
                .positional("file", "1", "FILE", "An ET_REL object: .o or .ko.")
                .flag("json", "Print JSON: sections, symbols, relocations (numbers as numbers).", "--json")
                .build();
    }

    @Override
    public Integer call() {
        ElfObject object = ElfObject.read(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(toJson(object)));
        } else {
            printText(object, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static JsonObject toJson(ElfObject object) {
        JsonObject root = new JsonObject();
        root.addProperty("file", object.path().toString());
        root.addProperty("class", object.is64() ? 64 : 32);
        root.addProperty("byteOrder", object.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "little" : "big");
        root.addProperty("machine", object.machine());
        root.addProperty("type", object.type());
        root.addProperty("flags", object.flags());
        Optional<ModuleSignature> signature = object.signature();
        if (signature.isPresent()) {
            JsonObject sig = new JsonObject();
            sig.addProperty("offset", signature.get().offset());
            sig.addProperty("length", signature.get().length());
            root.add("signature", sig);
        } else {
            root.add("signature", JsonNull.INSTANCE);
        }
        JsonArray sections = new JsonArray();
        for (Section section : object.sections()) {
            JsonObject s = new JsonObject();
            s.addProperty("index", object.indexOf(section));
            s.addProperty("name", section.name());
            s.addProperty("type", section.type());
            s.addProperty("flags", unsigned(section.flags()));
            s.addProperty("addr", unsigned(section.addr()));
            s.addProperty("offset", section.fileOffset());
            s.addProperty("size", unsigned(section.size()));
            s.addProperty("link", object.linkIndex(section));
            s.addProperty("info", Integer.toUnsignedLong(object.infoIndex(section)));
            s.addProperty("addralign", unsigned(section.addralign()));
            s.addProperty("entsize", unsigned(section.entsize()));
            sections.add(s);
        }
        root.add("sections", sections);
        JsonArray symbols = new JsonArray();
        Optional<SymbolTable> symtab = object.symbolTable();
        List<Symbol> symbolList = symtab.map(SymbolTable::symbols).orElse(List.of());
        for (int i = 0; i < symbolList.size(); i++) {
            Symbol symbol = symbolList.get(i);
            JsonObject s = new JsonObject();
            s.addProperty("index", i);
            s.addProperty("name", symbol.displayName());
            s.addProperty("value", unsigned(symbol.value()));
            s.addProperty("size", unsigned(symbol.size()));
            s.addProperty("type", symbol.type());
            s.addProperty("bind", symbol.bind());
            s.addProperty("visibility", symbol.visibility());
            s.addProperty("shndx", object.shndxOf(symbol));
            symbols.add(s);
        }
        root.add("symbols", symbols);
        JsonArray relocations = new JsonArray();
        for (RelocationSection section : object.relocationSections()) {
            SymbolTable table = section.symbols();
            for (Relocation relocation : section.relocations()) {
                JsonObject r = new JsonObject();
                r.addProperty("section", section.name());
                r.addProperty("offset", unsigned(relocation.offset()));
                r.addProperty("type", relocation.type());
                r.addProperty("typeName", RelocTypes.name(object.machine(), relocation.type()));
                r.addProperty("symbolIndex", relocation.symbol() == null ? 0 : table.indexOf(relocation.symbol()));
                r.addProperty("symbolName", relocation.symbol() == null ? "" : relocation.symbol().displayName());
                r.addProperty("addend", relocation.addend());
                relocations.add(r);
            }
        }
        root.add("relocations", relocations);
        return root;
    }

    private static Number unsigned(long value) {
        return value >= 0 ? value : new BigInteger(Long.toUnsignedString(value));
    }

    private static void printText(ElfObject object, PrintWriter out) {
        out.printf("File: %s%n", object.path());
        out.printf("ELF%d %s-endian, machine %d, ET_REL, flags 0x%x%n", object.is64() ? 64 : 32,
                object.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "little" : "big", object.machine(), object.flags());
        out.println(object.signature().map(s -> String.format(
                "Module signature: present at 0x%x (0x%x bytes); a rewritten module drops it", s.offset(), s.length()))
                .orElse("Module signature: none"));
        object.modinfo("name").ifPresent(name -> out.printf("Module name: %s%n", name));

        out.printf("%nSections (%d):%n", object.sections().size());
        out.printf("  [Nr] %-24s %-12s %-16s %-8s %-8s %-3s %-4s %3s %4s %3s%n", "Name", "Type", "Address", "Off",
                "Size", "ES", "Flg", "Lk", "Inf", "Al");
        for (Section section : object.sections()) {
            out.printf("  [%2d] %-24s %-12s %016x %08x %08x %02x %-4s %3d %4d %3d%n", object.indexOf(section),
                    section.name(), Elf.sectionTypeName(section.type()), section.addr(), Math.max(0, section.fileOffset()),
                    section.size(), section.entsize(), flags(section.flags()), object.linkIndex(section),
                    object.infoIndex(section), section.addralign());
        }

        Optional<SymbolTable> symtab = object.symbolTable();
        if (symtab.isPresent()) {
            List<Symbol> symbols = symtab.get().symbols();
            out.printf("%nSymbols (%s, %d, first non-local %d):%n", symtab.get().name(), symbols.size(),
                    symtab.get().firstNonLocal());
            out.printf("  %6s %-16s %6s %-7s %-6s %-9s %5s %s%n", "Num", "Value", "Size", "Type", "Bind", "Vis",
                    "Ndx", "Name");
            for (int i = 0; i < symbols.size(); i++) {
                Symbol symbol = symbols.get(i);
                out.printf("  %6d %016x %6d %-7s %-6s %-9s %5s %s%n", i, symbol.value(), symbol.size(),
                        Elf.symbolTypeName(symbol.type()), Elf.bindName(symbol.bind()),
                        Elf.visibilityName(symbol.visibility()), Elf.shndxName(object.shndxOf(symbol)),
                        symbol.displayName());
            }
        }

        for (RelocationSection section : object.relocationSections()) {
            out.printf("%nRelocations in %s (%d, applied to %s):%n", section.name(), section.relocations().size(),
                    section.target() == null ? "-" : section.target().name());
            out.printf("  %-16s %-24s %6s %s%n", "Offset", "Type", "Sym", "Name + Addend");
            SymbolTable table = section.symbols();
            for (Relocation relocation : section.relocations()) {
                Symbol symbol = relocation.symbol();
                String target = symbol == null ? "" : symbol.displayName();
                String addend = section.isRela()
                        ? (relocation.addend() < 0 ? " - " + Long.toHexString(-relocation.addend())
                                : " + " + Long.toHexString(relocation.addend()))
                        : "";
                out.printf("  %016x %-24s %6d %s%s%n", relocation.offset(),
                        RelocTypes.name(object.machine(), relocation.type()), symbol == null ? 0 : table.indexOf(symbol),
                        target, addend);
            }
        }
    }

    /** readelf's flag letters (W A X M S I L O G T C o E). */
    static String flags(long flags) {
        StringBuilder letters = new StringBuilder();
        String codes = "WAX?MSILOGTC";
        for (int bit = 0; bit < codes.length(); bit++) {
            if ((flags & (1L << bit)) != 0 && codes.charAt(bit) != '?') {
                letters.append(codes.charAt(bit));
            }
        }
        if ((flags & 0x0ff00000L) != 0) {
            letters.append('o');
        }
        if ((flags & Elf.SHF_EXCLUDE) != 0) {
            letters.append('E');
        }
        return letters.toString();
    }
}
