// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;

/** Positions are UTF-16 columns (what Neovim 0.7, eglot 1.9 and ALE use), lines split at \n, \r\n and \r. */
class ToLspTest {
    @Test
    void columnsCountUtf16CodeUnitsAndRoundTrip() {
        String text = "/* \u00e9t\u00e9 \uD83D\uDE00 */ extern int x;\r\nint y;\rint z;\n";
        LineIndex lines = LineIndex.of(text);
        int x = text.indexOf("x;");
        Range range = ToLsp.range(lines, new Span(x, x + 1));
        // "/* été 😀 */ extern int " is 24 UTF-16 code units: é is one, the emoji two.
        assertEquals(new Range(new Position(0, 24), new Position(0, 25)), range);
        assertEquals(new Span(x, x + 1), FromLsp.span(lines, range));
        int z = text.indexOf("z;");
        assertEquals(new Position(2, 4), ToLsp.position(lines, z));
        assertEquals(z, FromLsp.offset(lines, new Position(2, 4)));
        // A position past the end of a line clamps to the line's end instead of failing.
        assertEquals(text.indexOf("\rint z"), FromLsp.offset(lines, new Position(1, 99)));
    }
}
