// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A symbol's index in its table stays right through every change of the table. */
class SymbolTableTest {
    private static Symbol global(String name) {
        return Symbol.special(name, Elf.STB_GLOBAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_UNDEF);
    }

    private static Symbol local(String name) {
        return Symbol.special(name, Elf.STB_LOCAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_ABS);
    }

    private static void assertIndexes(SymbolTable table) {
        List<Symbol> symbols = table.symbols();
        for (int i = 0; i < symbols.size(); i++) {
            assertEquals(i, table.indexOf(symbols.get(i)), symbols.get(i).name());
        }
    }

    @Test
    void indexesFollowAddsRemovesReplacementsAndReordering() {
        SymbolTable table = new SymbolTable(".symtab", 0, 8, 24);
        table.symbols().add(Symbol.special("", Elf.STB_LOCAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_UNDEF));
        List<Symbol> globals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            globals.add(table.add(global("g" + i)));
        }
        assertIndexes(table);
        Symbol first = table.addLocal(local("l0"));
        assertEquals(1, table.indexOf(first));
        assertEquals(2, table.indexOf(globals.get(0)), "shifted by the local before it");
        assertIndexes(table);

        Symbol removed = globals.get(50);
        table.remove(removed);
        assertEquals(-1, table.indexOf(removed));
        assertEquals(52, table.indexOf(globals.get(51)), "moved up into the removed one's place");

        Symbol replacement = global("replacement");
        Symbol replaced = table.symbols().set(10, replacement);
        assertEquals(10, table.indexOf(replacement));
        assertEquals(-1, table.indexOf(replaced));

        globals.get(20).setBind(Elf.STB_LOCAL);
        table.sortLocalsFirst();
        assertEquals(2, table.indexOf(globals.get(20)));
        assertIndexes(table);

        SymbolTable other = new SymbolTable(".symtab", 0, 8, 24);
        other.symbols().add(Symbol.special("", Elf.STB_LOCAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_UNDEF));
        Symbol elsewhere = other.add(global("elsewhere"));
        assertEquals(1, other.indexOf(elsewhere));
        assertEquals(-1, table.indexOf(elsewhere), "a symbol of another table");
        assertEquals(-1, table.indexOf(global("never added")));
        assertIndexes(table);
    }

    @Test
    void aRelocationsSymbolIndexFollowsTheTableAndTheRelocation() {
        SymbolTable table = new SymbolTable(".symtab", 0, 8, 24);
        table.symbols().add(Symbol.special("", Elf.STB_LOCAL, Elf.STT_NOTYPE, 0, 0, Elf.SHN_UNDEF));
        Symbol a = table.add(global("a"));
        Symbol b = table.add(global("b"));
        Relocation toA = new Relocation(0, 1, a, 0);
        Relocation toB = new Relocation(8, 1, b, 0);
        toB.symbolIndexHint = 1; // as if read with a stale r_sym: the hint is checked, not trusted
        assertEquals(1, table.indexOfSymbol(toA));
        assertEquals(2, table.indexOfSymbol(toB));
        assertEquals(-1, table.indexOfSymbol(new Relocation(16, 1, null, 0)), "r_sym 0");

        table.addLocal(local("l"));
        assertEquals(2, table.indexOfSymbol(toA), "moved by a local inserted before it");
        table.remove(a);
        assertEquals(-1, table.indexOfSymbol(toA), "its symbol was removed");
        assertEquals(2, table.indexOfSymbol(toB));
        toB.setSymbol(table.symbols().get(1));
        assertEquals(1, table.indexOfSymbol(toB), "a new symbol");
        toB.setSymbol(global("elsewhere"));
        assertEquals(-1, table.indexOfSymbol(toB));
    }
}
