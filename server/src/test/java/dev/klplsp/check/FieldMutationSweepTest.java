// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.cli.Main;
import dev.klplsp.convert.Converter;
import dev.klplsp.elf.ElfFormatException;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.ElfSymbolFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every header field of the example livepatch (ELF header, each section header, each symbol, each relocation)
 * set, one at a time, to a few values (0, 1, all ones, the signed maximum, neighbours of the original, a
 * fixed-seed random value; every section type for sh_type). Each mutated module is read, checked against the
 * fixture kernel and converted, its symbols read as the index reads them, and, when it reads, shown by
 * {@code klp-lsp elf}:
 * the only outcomes allowed are a result or an {@link ElfFormatException} (exit 0 or 3), never another
 * exception or an {@link Error}.
 */
class FieldMutationSweepTest {
    @TempDir
    Path temp;

    /** One field: where it is and how wide (bytes). */
    private record Field(String name, int offset, int width) {
    }

    @Test
    void everySingleFieldMutationIsAFormatErrorOrACleanResult() throws Exception {
        Path example = FixtureKernel.exampleModule();
        byte[] original = Files.readAllBytes(example);
        List<Field> fields = fields(original);
        Random random = new Random(20250101);
        List<String> failures = new ArrayList<>();
        int mutations = 0;
        int rejected = 0;
        Path file = temp.resolve("mutated.ko");
        StringWriter err = new StringWriter();
        // One command line for every run: picocli resets the options on each parse.
        picocli.CommandLine elf = Main.commandLine(new PrintWriter(java.io.Writer.nullWriter()), new PrintWriter(err));
        for (Field field : fields) {
            for (long value : values(field, original, random)) {
                byte[] bytes = original.clone();
                put(bytes, field, value);
                mutations++;
                String what = field.name() + " = 0x" + Long.toHexString(value);
                boolean read = false;
                try {
                    ElfObject module = ElfObject.read(file, bytes);
                    read = true;
                    CheckResult result = ModuleChecker.check(module, FixtureKernel.index(), CheckConfig.DEFAULT);
                    if (!result.hasErrors()) {
                        Converter.apply(module, result.plan());
                        module.toBytes();
                    }
                    ElfSymbolFile.read(file, bytes);
                } catch (ElfFormatException expected) {
                    rejected++;
                } catch (Throwable bug) {
                    failures.add(what + ": " + bug);
                }
                if (!read) {
                    continue; // klp-lsp elf would read it the same way and exit 3 (what InternalErrorTest covers)
                }
                Files.write(file, bytes);
                err.getBuffer().setLength(0);
                try {
                    int exit = elf.execute("elf", file.toString());
                    if (exit != 0 && exit != 3) {
                        failures.add(what + ": klp-lsp elf exited " + exit + ": " + err.toString().strip());
                    }
                } catch (Throwable bug) {
                    failures.add(what + ": klp-lsp elf threw " + bug);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + mutations + " mutations failed:\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertTrue(mutations > 2500 && rejected > 300, mutations + " mutations, " + rejected + " rejected");
    }

    /** The fields of an ELF64 little-endian relocatable object, found through its own headers. */
    private static List<Field> fields(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        for (int i = 4; i < 16; i++) {
            fields.add(new Field("e_ident[" + i + "]", i, 1));
        }
        String[] ehdr = {"e_type:16:2", "e_machine:18:2", "e_version:20:4", "e_entry:24:8", "e_phoff:32:8",
            "e_shoff:40:8", "e_flags:48:4", "e_ehsize:52:2", "e_phentsize:54:2", "e_phnum:56:2",
            "e_shentsize:58:2", "e_shnum:60:2", "e_shstrndx:62:2"};
        for (String spec : ehdr) {
            String[] parts = spec.split(":");
            fields.add(new Field(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        }
        int shoff = (int) b.getLong(40);
        int shnum = b.getShort(60) & 0xffff;
        String[] shdr = {"sh_name:0:4", "sh_type:4:4", "sh_flags:8:8", "sh_addr:16:8", "sh_offset:24:8",
            "sh_size:32:8", "sh_link:40:4", "sh_info:44:4", "sh_addralign:48:8", "sh_entsize:56:8"};
        for (int s = 0; s < shnum; s++) {
            int at = shoff + 64 * s;
            for (String spec : shdr) {
                String[] parts = spec.split(":");
                fields.add(new Field("section " + s + " " + parts[0], at + Integer.parseInt(parts[1]),
                        Integer.parseInt(parts[2])));
            }
            int type = b.getInt(at + 4);
            long offset = b.getLong(at + 24);
            long size = b.getLong(at + 32);
            if (type == 2) { // SHT_SYMTAB: Elf64_Sym is 24 bytes
                String[] sym = {"st_name:0:4", "st_info:4:1", "st_other:5:1", "st_shndx:6:2", "st_value:8:8",
                    "st_size:16:8"};
                for (int k = 0; k < size / 24; k++) {
                    for (String spec : sym) {
                        String[] parts = spec.split(":");
                        fields.add(new Field("symbol " + k + " " + parts[0], (int) offset + 24 * k
                                + Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                    }
                }
            } else if (type == 4) { // SHT_RELA: Elf64_Rela is 24 bytes; r_info as its type and symbol halves
                String[] rela = {"r_offset:0:8", "r_type:8:4", "r_sym:12:4", "r_addend:16:8"};
                for (int k = 0; k < size / 24; k++) {
                    for (String spec : rela) {
                        String[] parts = spec.split(":");
                        fields.add(new Field("section " + s + " relocation " + k + " " + parts[0], (int) offset
                                + 24 * k + Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                    }
                }
            }
        }
        return fields;
    }

    private static Set<Long> values(Field field, byte[] bytes, Random random) {
        long mask = field.width() == 8 ? -1L : (1L << (8 * field.width())) - 1;
        long original = get(bytes, field);
        Set<Long> values = new LinkedHashSet<>(List.of(0L, 1L, mask, mask >>> 1, 5L & mask, (original + 1) & mask,
                (original - 1) & mask, random.nextLong() & mask));
        if (field.name().endsWith("sh_type")) {
            for (long type = 0; type <= 19; type++) {
                values.add(type);
            }
            for (long type = 0x6ffffff5L; type <= 0x6fffffffL; type++) {
                values.add(type);
            }
        }
        values.remove(original);
        return values;
    }

    private static long get(byte[] bytes, Field field) {
        long value = 0;
        for (int i = field.width() - 1; i >= 0; i--) {
            value = value << 8 | (bytes[field.offset() + i] & 0xff);
        }
        return value;
    }

    private static void put(byte[] bytes, Field field, long value) {
        for (int i = 0; i < field.width(); i++) {
            bytes[field.offset() + i] = (byte) (value >>> (8 * i));
        }
    }
}
