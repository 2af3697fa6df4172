// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Appending to a string table: old bytes never move, new strings land at the end, each once. */
class StringTableTest {
    private static StringTable table(String contents) {
        StringTable table = (StringTable) Section.create(".strtab", Elf.SHT_STRTAB, 0, 1, 0);
        table.setData(contents.getBytes(StandardCharsets.UTF_8));
        return table;
    }

    @Test
    void appendsKeepOldBytesAndAnswerLookupsBeforeTheTableIsMaterialized() {
        StringTable table = table("\0foo\0bar\0");
        assertEquals(0, table.add(""));
        int first = table.add(".klp.sym.vmlinux.foo,0");
        int second = table.add(".klp.sym.vmlinux.bar,2");
        assertEquals(9, first);
        assertEquals(first + ".klp.sym.vmlinux.foo,0".length() + 1, second);
        assertEquals(first, table.add(".klp.sym.vmlinux.foo,0"), "an appended string is reused");
        assertTrue(table.hasAt(1, "foo"));
        assertTrue(table.hasAt(second, ".klp.sym.vmlinux.bar,2"));
        assertFalse(table.hasAt(second, ".klp.sym.vmlinux.bar"));
        assertEquals(".klp.sym.vmlinux.foo,0", table.at(first));
        assertNull(table.at(10_000));
        assertEquals(second + ".klp.sym.vmlinux.bar,2".length() + 1, table.size());
        assertArrayEquals("\0foo\0bar\0.klp.sym.vmlinux.foo,0\0.klp.sym.vmlinux.bar,2\0".getBytes(StandardCharsets.UTF_8),
                table.data());
        assertSame(table.data(), table.data(), "the contents are materialized once per batch of appends");
    }

    @Test
    void manyAppendsGiveTheSameBytesAsConcatenation() {
        StringTable table = table("\0");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0);
        for (int i = 0; i < 50_000; i++) {
            String name = ".klp.sym.vmlinux.ksym_" + i + ",0";
            assertEquals(expected.size(), table.add(name));
            expected.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            expected.write(0);
        }
        assertEquals(expected.size(), table.size());
        assertArrayEquals(expected.toByteArray(), table.data());
        table.setData(new byte[] {0, 'x', 0});
        assertEquals(3, table.add("y"), "setData starts over");
        assertEquals(5, table.size());
    }
}
