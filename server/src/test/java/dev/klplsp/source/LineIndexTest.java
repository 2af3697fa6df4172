// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineIndexTest {
    @Test
    void linesAndColumnsWithEveryLineBreak() {
        LineIndex index = LineIndex.of("ab\ncd\r\nef\rgh");
        assertEquals(4, index.lineCount());
        assertEquals(new LinePosition(0, 0), index.position(0));
        assertEquals(new LinePosition(0, 2), index.position(2));
        assertEquals(new LinePosition(1, 1), index.position(4));
        // Inside the CRLF pair: clamped to the end of the line's content.
        assertEquals(new LinePosition(1, 2), index.position(5));
        assertEquals(new LinePosition(1, 2), index.position(6));
        assertEquals(new LinePosition(2, 0), index.position(7));
        assertEquals(new LinePosition(3, 1), index.position(11));
        assertEquals(new LinePosition(3, 2), index.position(12));
        assertEquals(7, index.offset(2, 0));
        assertEquals(5, index.offset(1, 99));
        assertEquals(12, index.offset(99, 0));
        assertEquals(0, index.offset(-1, 5));
        assertEquals(new LinePosition(3, 2), index.position(1000));
    }

    @Test
    void trailingNewlineStartsAnEmptyLine() {
        LineIndex index = LineIndex.of("x\n");
        assertEquals(2, index.lineCount());
        assertEquals(new LinePosition(1, 0), index.position(2));
        assertEquals(1, LineIndex.of("").lineCount());
    }

    @Test
    void utf16ColumnsAndUtf8Offsets() {
        // é is 2 UTF-8 bytes and 1 UTF-16 unit; 😀 is 4 bytes and 2 units; € is 3 bytes and 1 unit.
        Marked marked = Marked.parse("/* é😀€ */ extern int $0x$1;\r\n€ $2y");
        LineIndex index = LineIndex.of(marked.text());
        int x = marked.at(0);
        assertEquals(new LinePosition(0, x), index.position(x));
        long expectedBytes = marked.text().substring(0, x).getBytes(StandardCharsets.UTF_8).length;
        assertEquals(expectedBytes, index.utf8Offset(x));
        assertEquals(x, index.offsetOfUtf8(expectedBytes));
        // The scanner's span for x is the same char offset, whatever came before it.
        assertEquals(new Span(x, marked.at(1)), SourceScanner.scan(marked.text()).findExternal("x").orElseThrow().nameSpan());
        int y = marked.at(2);
        assertEquals(new LinePosition(1, 2), index.position(y));
        assertEquals(marked.text().substring(0, y).getBytes(StandardCharsets.UTF_8).length, index.utf8Offset(y));
        // A byte inside € maps back to the start of €.
        long euroStart = index.utf8Offset(index.offset(1, 0));
        assertEquals(index.offset(1, 0), index.offsetOfUtf8(euroStart + 1));
    }

    @Test
    void utf8RoundTripOnRandomText() {
        Random random = new Random(7);
        String alphabet = "ab \n\r\té€😀\u0000{}";
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            while (text.length() < length) {
                int pick = random.nextInt(alphabet.length());
                char c = alphabet.charAt(pick);
                if (Character.isHighSurrogate(c)) {
                    text.append(alphabet, pick, pick + 2);
                } else if (!Character.isLowSurrogate(c)) {
                    text.append(c);
                }
            }
            String value = text.toString();
            LineIndex index = LineIndex.of(value);
            for (int offset = 0; offset <= value.length(); offset++) {
                if (offset > 0 && offset < value.length() && Character.isLowSurrogate(value.charAt(offset))) {
                    continue;
                }
                long bytes = value.substring(0, offset).getBytes(StandardCharsets.UTF_8).length;
                assertEquals(bytes, index.utf8Offset(offset), value);
                assertEquals(offset, index.offsetOfUtf8(bytes), value);
                LinePosition position = index.position(offset);
                char at = offset < value.length() ? value.charAt(offset) : 0;
                boolean insideCrlf = at == '\n' && offset > 0 && value.charAt(offset - 1) == '\r';
                if (!insideCrlf) {
                    assertEquals(offset, index.offset(position), value);
                }
            }
        }
    }

    @Test
    void scannerSpansMapThroughCrlf() {
        String text = "extern int a;\r\nextern int b;\r\n";
        SourceScan scan = SourceScanner.scan(text);
        Span b = scan.findExternal("b").orElseThrow().nameSpan();
        assertEquals(new LineRange(new LinePosition(1, 11), new LinePosition(1, 12)), scan.lines().range(b));
        assertEquals("b", b.textOf(text));
    }
}
