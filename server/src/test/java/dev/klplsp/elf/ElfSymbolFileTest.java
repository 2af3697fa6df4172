// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The symbol-table-only reader agrees with readelf -sW and with the full model, on every toolchain. */
class ElfSymbolFileTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void symbolsMatchReadelfAndTheModel(Toolchain toolchain) throws Exception {
        ElfTesting.requireToolchain(toolchain);
        for (String caseName : ElfTesting.CASES) {
            Path module = Fixtures.module(caseName, toolchain);
            RealModulesTest.assertSymbolFileMatchesReadelf(module);
            ElfSymbolFile file = ElfSymbolFile.read(module);
            ElfSymbolFile fromBytes = ElfSymbolFile.read(module, Files.readAllBytes(module));
            assertEquals(file, fromBytes);
            ElfObject object = ElfObject.read(module);
            assertEquals(object.is64(), file.is64());
            assertEquals(object.machine(), file.machine());
            List<Symbol> symbols = object.symbolTable().orElseThrow().symbols();
            for (int i = 0; i < symbols.size(); i++) {
                assertEquals(symbols.get(i).name(), file.symbols().get(i).name());
                assertEquals(object.shndxOf(symbols.get(i)), file.symbols().get(i).shndx());
            }
            assertEquals(object.modinfo(), file.modinfo());
        }
    }

    @Test
    void duplicatedStaticsAreTwoLocalsEach() {
        ElfSymbolFile file = ElfSymbolFile.read(Fixtures.module("dup_statics"));
        //  7: 0000000000000000    16 FUNC    LOCAL  DEFAULT    1 homonym_fn
        // 10: 0000000000000020    16 FUNC    LOCAL  DEFAULT    1 homonym_fn
        assertEquals(2, file.symbols().stream().filter(s -> s.name().equals("homonym_fn") && s.bind() == Elf.STB_LOCAL
                && s.type() == Elf.STT_FUNC).count());
        assertEquals(2, file.symbols().stream().filter(s -> s.name().equals("homonym") && s.bind() == Elf.STB_LOCAL
                && s.type() == Elf.STT_OBJECT).count());
    }

    @Test
    void modinfoIsParsed() {
        ElfSymbolFile file = ElfSymbolFile.read(Fixtures.module("hello"));
        assertTrue(file.modinfo().contains(new ModinfoEntry("livepatch", "Y")), file.modinfo().toString());
        assertTrue(file.modinfo().contains(new ModinfoEntry("license", "GPL")), file.modinfo().toString());
    }

    @Test
    void badInputIsAFormatErrorToo() throws Exception {
        Path text = Files.writeString(temp.resolve("not-elf.ko"), "hello\n");
        ElfFormatException error = assertThrows(ElfFormatException.class, () -> ElfSymbolFile.read(text));
        assertTrue(error.getMessage().startsWith(text + ": truncated"), error.getMessage());
        Path missing = temp.resolve("missing.ko");
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfSymbolFile.read(missing)).getMessage()
                .startsWith(missing + ": cannot read"));
    }
}
