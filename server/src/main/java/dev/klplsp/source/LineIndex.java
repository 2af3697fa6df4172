// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.Arrays;

/**
 * Converts char offsets of one text to (line, UTF-16 column) and to UTF-8 byte offsets, and back.
 *
 * <p>Line breaks are {@code \n}, {@code \r\n} and a lone {@code \r}, as in LSP. A column never points
 * into a line break: offsets inside one clamp to the end of the line's content. UTF-8 lengths count a
 * surrogate pair as 4 bytes and a lone surrogate as 3 (the length of the U+FFFD a decoder puts there).
 * Every method clamps out-of-range input instead of throwing, so stale positions from an editor are safe.
 */
public final class LineIndex {
    private final String text;
    /** Char offset where each line starts. */
    private final int[] lineStarts;
    /** Char offset where each line's content ends (before its line break). */
    private final int[] contentEnds;
    /** UTF-8 byte offset where each line starts. */
    private final long[] utf8LineStarts;
    /** True when the line's content is pure ASCII (char offset = byte offset within it). */
    private final boolean[] asciiLines;

    private LineIndex(String text) {
        this.text = text;
        int length = text.length();
        int capacity = 16;
        int[] starts = new int[capacity];
        int[] ends = new int[capacity];
        long[] utf8Starts = new long[capacity];
        boolean[] ascii = new boolean[capacity];
        int lines = 0;
        int lineStart = 0;
        long utf8 = 0;
        long lineUtf8Start = 0;
        boolean lineAscii = true;
        int i = 0;
        while (true) {
            boolean atEnd = i >= length;
            char c = atEnd ? 0 : text.charAt(i);
            if (atEnd || c == '\n' || c == '\r') {
                if (lines == capacity) {
                    capacity *= 2;
                    starts = Arrays.copyOf(starts, capacity);
                    ends = Arrays.copyOf(ends, capacity);
                    utf8Starts = Arrays.copyOf(utf8Starts, capacity);
                    ascii = Arrays.copyOf(ascii, capacity);
                }
                starts[lines] = lineStart;
                ends[lines] = i;
                utf8Starts[lines] = lineUtf8Start;
                ascii[lines] = lineAscii;
                lines++;
                if (atEnd) {
                    break;
                }
                int breakLength = (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') ? 2 : 1;
                i += breakLength;
                utf8 += breakLength;
                lineStart = i;
                lineUtf8Start = utf8;
                lineAscii = true;
                continue;
            }
            if (c < 0x80) {
                utf8 += 1;
                i++;
            } else {
                lineAscii = false;
                int step = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
                utf8 += utf8Length(text, i);
                i += step;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, lines);
        this.contentEnds = Arrays.copyOf(ends, lines);
        this.utf8LineStarts = Arrays.copyOf(utf8Starts, lines);
        this.asciiLines = Arrays.copyOf(ascii, lines);
    }

    public static LineIndex of(String text) {
        return new LineIndex(text);
    }

    /** The text this index was built from. */
    public String text() {
        return text;
    }

    /** Number of lines; an empty text and a text ending in a line break both count the last, empty line. */
    public int lineCount() {
        return lineStarts.length;
    }

    public int lineStart(int line) {
        return lineStarts[clampLine(line)];
    }

    /** Char offset where the line's content ends, before its line break. */
    public int lineContentEnd(int line) {
        return contentEnds[clampLine(line)];
    }

    /** The 0-based line containing {@code offset} (an offset inside a line break belongs to the line it ends). */
    public int lineOf(int offset) {
        int clamped = clampOffset(offset);
        int found = Arrays.binarySearch(lineStarts, clamped);
        return found >= 0 ? found : -found - 2;
    }

    public LinePosition position(int offset) {
        int line = lineOf(offset);
        int column = Math.min(clampOffset(offset), contentEnds[line]) - lineStarts[line];
        return new LinePosition(line, column);
    }

    public LineRange range(Span span) {
        return new LineRange(position(span.start()), position(span.end()));
    }

    /** The char offset of a (line, UTF-16 column); a line past the end gives the text length, a column past the content its end. */
    public int offset(int line, int column) {
        if (line >= lineStarts.length) {
            return text.length();
        }
        if (line < 0) {
            return 0;
        }
        int start = lineStarts[line];
        return start + Math.max(0, Math.min(column, contentEnds[line] - start));
    }

    public int offset(LinePosition position) {
        return offset(position.line(), position.column());
    }

    public Span span(LineRange range) {
        int start = offset(range.start());
        int end = offset(range.end());
        return new Span(Math.min(start, end), Math.max(start, end));
    }

    /** The UTF-8 byte offset of char {@code offset} when the text is encoded as UTF-8. */
    public long utf8Offset(int offset) {
        int clamped = clampOffset(offset);
        int line = lineOf(clamped);
        int start = lineStarts[line];
        if (asciiLines[line] || clamped == start) {
            return utf8LineStarts[line] + (clamped - start);
        }
        long bytes = utf8LineStarts[line];
        int i = start;
        while (i < clamped) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (i + 1 >= clamped) {
                    break; // the offset splits a surrogate pair: stop at the character's first byte
                }
                bytes += 4;
                i += 2;
            } else {
                bytes += utf8Length(text, i);
                i++;
            }
        }
        return bytes;
    }

    /** The char offset of a UTF-8 byte offset; a byte inside a multi-byte character maps to that character's start. */
    public int offsetOfUtf8(long utf8Offset) {
        if (utf8Offset <= 0) {
            return 0;
        }
        int found = Arrays.binarySearch(utf8LineStarts, utf8Offset);
        int line = found >= 0 ? found : -found - 2;
        int start = lineStarts[line];
        long bytes = utf8LineStarts[line];
        if (asciiLines[line]) {
            long lineBytes = contentEnds[line] - start;
            long within = utf8Offset - bytes;
            if (within <= lineBytes) {
                return start + (int) within;
            }
        }
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            int charBytes;
            int step;
            if (c == '\r' || c == '\n' || c < 0x80) {
                charBytes = 1;
                step = 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                charBytes = 4;
                step = 2;
            } else {
                charBytes = utf8Length(text, i);
                step = 1;
            }
            if (bytes + charBytes > utf8Offset) {
                return i;
            }
            bytes += charBytes;
            i += step;
        }
        return text.length();
    }

    /** UTF-8 length of the char at {@code i}, ignoring pairing (a high surrogate of a pair counts the whole 4). */
    private static int utf8Length(String text, int i) {
        char c = text.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return 4;
        }
        return 3;
    }

    private int clampLine(int line) {
        return Math.max(0, Math.min(line, lineStarts.length - 1));
    }

    private int clampOffset(int offset) {
        return Math.max(0, Math.min(offset, text.length()));
    }
}
