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
import java.util.List;
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
        assertEquals(1, table.add(".klp.sym.vmlinux.ksym_0,0"), "found again after the table of appended strings grew");
        assertEquals(expected.size(), table.size());
        table.setData(new byte[] {0, 'x', 0});
        assertEquals(3, table.add("y"), "setData starts over");
        assertEquals(5, table.size());
    }

    @Test
    void aBatchGivesTheOffsetsAndBytesOfAddingOneByOne() {
        // ASCII, two- and three-byte characters, a surrogate pair, a lone surrogate (encoded as '?'), the empty
        // string, a repeat within the batch and a string appended before the batch.
        List<String> batch = List.of(".klp.sym.vmlinux.foo,0", "caf\u00e9", "\u20ac", "\ud83d\ude00", "x\ud800y", "",
                ".klp.sym.vmlinux.foo,0", "earlier", "z");
        StringTable one = table("\0foo\0");
        StringTable batched = table("\0foo\0");
        one.add("earlier");
        batched.add("earlier");
        int[] offsets = batched.addAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(one.add(batch.get(i)), offsets[i], batch.get(i));
        }
        assertArrayEquals(one.data(), batched.data());
        assertEquals(one.size(), batched.size());
        assertEquals(offsets[0], offsets[6], "a repeat is stored once");
        assertEquals(0, offsets[5]);
        assertEquals("x?y", batched.at(offsets[4]));
        assertEquals(offsets[8] + 2, batched.size(), "nothing is left over after the last string");
    }

    @Test
    void stringsOfEqualHashAreStoredApartAndEachFoundAgain() {
        StringTable table = table("\0");
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertEquals("AaAa".hashCode(), "BBBB".hashCode());
        int[] offsets = table.addAll(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB"));
        assertEquals(List.of(1, 4, 7, 12, 17), java.util.Arrays.stream(offsets).boxed().toList());
        assertEquals(4, table.add("BB"));
        assertEquals(1, table.add("Aa"));
        assertEquals(17, table.add("AaBB"));
        assertEquals(12, table.add("BBBB"));
        assertEquals(22, table.size(), "nothing was stored twice");
    }

    @Test
    void hasAtComparesWholeStringsWhateverTheirEncoding() {
        StringTable table = table("\0caf\u00e9\0foo\0\u20ac\0");
        int cafe = 1;
        int foo = cafe + "caf\u00e9".getBytes(StandardCharsets.UTF_8).length + 1;
        int euro = foo + 4;
        assertTrue(table.hasAt(cafe, "caf\u00e9"));
        assertFalse(table.hasAt(cafe, "caf"), "a prefix is not the string");
        assertFalse(table.hasAt(cafe, "cafe"));
        assertTrue(table.hasAt(foo, "foo"));
        assertFalse(table.hasAt(foo, "fo"));
        assertFalse(table.hasAt(foo, "foo\0"), "the terminator is not part of the string");
        StringTable empties = table("\0foo\0\0caf\u00e9\0\0");
        assertFalse(empties.hasAt(1, "foo\0"), "not even when an empty string follows");
        assertFalse(empties.hasAt(6, "caf\u00e9\0"), "nor for a non-ASCII string");
        assertTrue(empties.hasAt(6, "caf\u00e9"));
        StringTable notUtf8 = table("");
        notUtf8.setData(new byte[] {0, 'b', (byte) 0xff, 'd', 0});
        assertTrue(notUtf8.hasAt(1, "b\ufffdd"), "bytes that are not UTF-8 read as U+FFFD: still that name");
        assertFalse(notUtf8.hasAt(1, "b\ufffd"));
        assertFalse(notUtf8.hasAt(1, "b?d"));
        assertTrue(table.hasAt(euro, "\u20ac"));
        assertFalse(table.hasAt(euro, "\u20ac\u20ac"), "runs past the end of the table");
        assertTrue(table.hasAt(0, ""));
        assertFalse(table.hasAt(-1, ""));
        assertFalse(table.hasAt((int) table.size(), ""), "outside the table");
    }
}
