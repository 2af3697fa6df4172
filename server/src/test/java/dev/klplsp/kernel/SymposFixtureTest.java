// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sympos on gcc-built objects: vmlinux by address (not symtab order), modules by symtab order (core only). */
class SymposFixtureTest {
    @TempDir
    Path tmp;

    private static KernelIndex index(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    /** source file -> sympos for the vmlinux symbols of a name. */
    private static Map<String, Integer> positionsByFile(KernelIndex index, String name) {
        return index.lookup(KernelSymbol.VMLINUX, name).stream()
                .collect(Collectors.toMap(s -> s.sourceFile().orElseThrow(), KernelSymbol::sympos));
    }

    @Test
    void fixtureSymbolTableListsTheCopiesInLinkOrder() {
        // Guards the fixture itself: the symbol table must be a, b, c so address order is really different.
        String symtab = Processes.run("readelf", "-sW", KernelFixtures.vmlinux().toString());
        int a = symtab.indexOf(" a.c");
        int b = symtab.indexOf(" b.c");
        int c = symtab.indexOf(" c.c");
        assertTrue(a > 0 && a < b && b < c, symtab);
    }

    @Test
    void vmlinuxElfCountsSameNamedSymbolsByAddressNotSymtabOrder() {
        KernelIndex index = index(KernelSources.ofSymbols(KernelFixtures.vmlinux()));
        // .text is laid out c, a, b; .data c, b, a; .init.text b, a, c (vmlinux.lds).
        assertEquals(Map.of("c.c", 1, "a.c", 2, "b.c", 3), positionsByFile(index, "dup_fn"));
        assertEquals(Map.of("c.c", 1, "b.c", 2, "a.c", 3), positionsByFile(index, "dup_var"));
        assertEquals(Map.of("b.c", 1, "a.c", 2, "c.c", 3), positionsByFile(index, "dup_init"));
        List<KernelSymbol> fn = index.lookup(KernelSymbol.VMLINUX, "dup_fn");
        assertTrue(fn.get(0).address() < fn.get(1).address() && fn.get(1).address() < fn.get(2).address());
        assertEquals(3, fn.get(0).occurrences());
        assertEquals(".text", fn.get(0).section().orElseThrow());
        assertEquals('t', fn.get(0).nmLetter());
        assertEquals(SymbolType.FUNC, fn.get(0).type());
        assertEquals(SymbolBinding.LOCAL, fn.get(0).binding());
        assertFalse(fn.get(0).init());
        assertTrue(index.lookup("dup_init").stream().allMatch(KernelSymbol::init));
        assertEquals(SymbolType.OBJECT, index.lookup("dup_var").get(0).type());
        KernelSymbol entry = index.lookup("a_entry").get(0);
        assertEquals(0, entry.sympos());
        assertEquals(1, entry.occurrences());
        assertEquals('T', entry.nmLetter());
        assertTrue(entry.sourceFile().isEmpty(), "globals have no STT_FILE");
        assertEquals(3, index.duplicatedNameCount());
    }

    @Test
    void systemMapGivesTheSamePositionsAsTheElf() {
        KernelIndex elf = index(KernelSources.ofSymbols(KernelFixtures.vmlinux()));
        KernelIndex map = index(KernelSources.ofSymbols(KernelFixtures.systemMap(tmp)));
        for (String name : List.of("dup_fn", "dup_var", "dup_init", "a_entry", "_text")) {
            List<String> fromElf = elf.lookup(name).stream().map(s -> s.sympos() + "@" + s.address()).toList();
            List<String> fromMap = map.lookup(name).stream().map(s -> s.sympos() + "@" + s.address()).toList();
            assertEquals(fromElf, fromMap, name);
        }
        assertTrue(map.lookup("dup_init").stream().allMatch(KernelSymbol::init), "init by __init_begin/__init_end");
        assertEquals(SymbolType.FUNC, map.lookup("dup_fn").get(0).type());
    }

    @Test
    void moduleCountsCoreSymbolsInSymtabOrder() {
        Path module = KernelFixtures.module();
        KernelIndex index = index(KernelSources.ofSymbols(module));
        List<KernelSymbol> homonyms = index.lookup("kernel_module", "homonym");
        assertEquals(List.of("a.c", "b.c"), homonyms.stream().map(s -> s.sourceFile().orElseThrow()).toList());
        assertEquals(List.of(1, 2), homonyms.stream().map(KernelSymbol::sympos).toList());

        // setup() of a.c is init code: the kernel forgets it after module init, so b.c's copy is unique.
        List<KernelSymbol> setups = index.lookup("kernel_module", "setup");
        assertEquals(2, setups.size());
        KernelSymbol initCopy = setups.stream().filter(KernelSymbol::init).findFirst().orElseThrow();
        KernelSymbol coreCopy = setups.stream().filter(s -> !s.init()).findFirst().orElseThrow();
        assertEquals("a.c", initCopy.sourceFile().orElseThrow());
        assertEquals(-1, initCopy.sympos());
        assertEquals(0, coreCopy.sympos());
        assertEquals(1, coreCopy.occurrences());
        assertEquals(".text", coreCopy.section().orElseThrow());

        // The fixture really has .L, section and file symbols (cflags -Wa,-L); none may be indexed.
        String symtab = Processes.run("readelf", "-sW", module.toString());
        assertTrue(symtab.contains(" .LC0"), symtab);
        assertTrue(symtab.contains(" FILE "), symtab);
        assertTrue(symtab.contains(" SECTION "), symtab);
        for (KernelSymbol symbol : index.symbolsOf("kernel_module")) {
            assertFalse(symbol.name().startsWith(".L"), symbol.toString());
            assertFalse(symbol.name().isEmpty() || symbol.name().endsWith(".c"), symbol.toString());
        }
        // Undefined references and .modinfo entries are not kallsyms symbols either.
        assertTrue(index.symbolsOf("kernel_module").stream().noneMatch(s -> s.name().startsWith("__UNIQUE_ID")));
        assertEquals(Optional.of("6.1.0-fixture"), index.release());
    }

    @Test
    void moduleObjectNameIsTheRuntimeNameWithUnderscores() {
        Path dir = tmp.resolve("mods/kernel/drivers");
        KernelFixtures.copy(KernelFixtures.module(), dir.resolve("kvm-fixture.ko"));
        KernelIndex index = index(new KernelSources(java.util.Optional.empty(), List.of(), List.of(tmp.resolve("mods")),
                java.util.Optional.empty(), java.util.Optional.empty()));
        assertEquals(List.of("kvm_fixture"), index.objectsInOrder());
        assertEquals(".klp.sym.kvm_fixture.homonym,2", index.lookup("homonym").get(1).klpSymbolName());
    }
}
