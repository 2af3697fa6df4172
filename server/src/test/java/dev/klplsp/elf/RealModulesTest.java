// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian kernel's signed modules (KLP_TEST_KERNEL_DIR): a deterministic sample, every 50th of the sorted
 * list plus the largest (amdgpu.ko), is read, compared with readelf field by field, written, and the output
 * compared with readelf -aW of the original (readelf ignores the signature trailer, which the writer drops).
 */
public class RealModulesTest {
    @TempDir
    Path temp;

    public static List<Path> sample(Path kernelDir) throws Exception {
        List<Path> all;
        try (Stream<Path> files = Files.walk(kernelDir.resolve("lib/modules"))) {
            all = files.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
        }
        assertTrue(all.size() > 1000, "expected the Debian module tree under " + kernelDir + ", found " + all.size());
        List<Path> sample = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 50) {
            sample.add(all.get(i));
        }
        Path amdgpu = all.stream().filter(p -> p.getFileName().toString().equals("amdgpu.ko")).findFirst().orElseThrow();
        sample.add(amdgpu);
        return sample;
    }

    @Test
    void sampleOfSignedModulesRoundTripsAndMatchesReadelf() throws Exception {
        Path kernelDir = ElfTesting.kernelDir();
        List<Path> sample = sample(kernelDir);
        int relocations = 0;
        for (Path module : sample) {
            byte[] original = Files.readAllBytes(module);
            ElfObject object = ElfObject.read(module);
            ModuleSignature signature = object.signature().orElseThrow(() -> new AssertionError(module + " is signed"));
            assertTrue(new String(original, original.length - 28, 28).equals(ModuleSignature.MAGIC));
            assertEquals(original.length, signature.offset() + signature.length());
            ModelAssertions.assertModelMatchesReadelf(object, ReadelfView.of(module));
            assertTrue(object.modinfo("vermagic").orElseThrow().startsWith("6.1.0-56-amd64 "), module.toString());

            Path output = temp.resolve("out.ko");
            WriteResult result = object.write(output);
            assertTrue(result.signatureDropped(), module.toString());
            ElfTesting.assertSameReadelf("-aW", module, output);
            // Without its signature, the unmodified module is byte-identical.
            assertArrayEquals(Arrays.copyOf(original, (int) signature.offset()), Files.readAllBytes(output),
                    module.toString());
            relocations += object.relocationSections().stream().mapToInt(s -> s.relocations().size()).sum();
        }
        assertEquals(82, sample.size());
        assertTrue(relocations > 100_000, "relocations checked: " + relocations);
    }

    @Test
    void symbolFileAgreesWithReadelfOnTheSampleAndVmlinux() throws Exception {
        Path kernelDir = ElfTesting.kernelDir();
        for (Path module : sample(kernelDir)) {
            assertSymbolFileMatchesReadelf(module);
        }
        Path vmlinux = kernelDir.resolve("usr/lib/debug/boot/vmlinux-6.1.0-56-amd64");
        if (Files.exists(vmlinux)) {
            ElfSymbolFile file = ElfSymbolFile.read(vmlinux);
            assertEquals(Elf.ET_EXEC, file.type());
            assertSymbolFileMatchesReadelf(vmlinux);
        }
    }

    static void assertSymbolFileMatchesReadelf(Path file) {
        ElfSymbolFile symbols = ElfSymbolFile.read(file);
        List<ReadelfView.SymbolRow> rows = ReadelfView.symbols(ElfTesting.readelf("-sW", file));
        assertEquals(rows.size(), symbols.symbols().size(), file.toString());
        List<ReadelfView.SectionRow> sections = ReadelfView.sections(ElfTesting.readelf("-SW", file));
        assertEquals(sections.size(), symbols.sections().size(), file.toString());
        for (ReadelfView.SymbolRow row : rows) {
            ElfSymbolFile.SymbolEntry entry = symbols.symbols().get(row.index());
            String where = file + " symbol " + row.index();
            assertEquals(row.name().isEmpty() || row.type().equals("SECTION") && entry.name().isEmpty()
                    ? entry.name() : row.name(), entry.name(), where);
            assertEquals(row.value(), entry.value(), where);
            assertEquals(row.size(), entry.size(), where);
            assertEquals(row.type(), Elf.symbolTypeName(entry.type()), where);
            assertEquals(row.bind(), Elf.bindName(entry.bind()), where);
            String ndx = entry.shndx() == 0 || entry.shndx() >= Elf.SHN_LORESERVE
                    ? ModelAssertions.readelfSpecialIndex(entry.shndx()) : Integer.toString(entry.shndx());
            assertEquals(row.ndx(), ndx, where);
        }
    }
}
