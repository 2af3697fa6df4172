// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Line differences between two texts: the hunks of changed lines (Myers' O(ND) algorithm on what remains after the
 * common first and last lines), as {@link TextEdit}s of the old text or as a unified diff. An edit computed in
 * several passes is handed to an editor, or printed, as the few lines it really changes.
 */
public final class TextDiff {
    /** Beyond this many differing lines the middle is one hunk: the search would cost more than it saves. */
    private static final int MAX_DIFFERENCES = 4000;
    private static final int CONTEXT = 3;

    private TextDiff() {
    }

    /** Lines {@code [oldStart, oldEnd)} of the old text became lines {@code [newStart, newEnd)} of the new one. */
    public record Hunk(int oldStart, int oldEnd, int newStart, int newEnd) {
    }

    /** The text's lines, each with its line break ({@code \n}, {@code \r\n}); the last may have none. */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /** The changed runs of lines, in order; empty when the texts are equal. */
    public static List<Hunk> hunks(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int n = a.size() - prefix - suffix;
        int m = b.size() - prefix - suffix;
        List<Hunk> hunks = new ArrayList<>();
        if (n == 0 && m == 0) {
            return hunks;
        }
        boolean[][] same = middle(a.subList(prefix, prefix + n), b.subList(prefix, prefix + m));
        if (same == null) {
            hunks.add(new Hunk(prefix, prefix + n, prefix, prefix + m));
            return hunks;
        }
        // same[0][i]: line i of a is kept; same[1][j]: line j of b is kept; kept lines pair up in order.
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same[0][i] && same[1][j]) {
                i++;
                j++;
                continue;
            }
            int i0 = i;
            int j0 = j;
            while (i < n && !same[0][i]) {
                i++;
            }
            while (j < m && !same[1][j]) {
                j++;
            }
            hunks.add(new Hunk(prefix + i0, prefix + i, prefix + j0, prefix + j));
        }
        return hunks;
    }

    /** Which lines of a and b belong to a longest common subsequence; null when they differ too much. */
    private static boolean[][] middle(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        if (Math.abs(n - m) > MAX_DIFFERENCES) {
            return null;
        }
        int limit = Math.min(max, MAX_DIFFERENCES);
        int offset = limit + 1;
        int[] v = new int[2 * limit + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= limit && found < 0; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        if (found < 0) {
            return null;
        }
        boolean[][] same = {new boolean[n], new boolean[m]};
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int prevK = k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) ? k + 1 : k - 1;
            int prevX = previous[offset + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                same[0][--x] = true;
                same[1][--y] = true;
            }
            x = prevX;
            y = prevY;
        }
        while (x > 0 && y > 0) {
            same[0][--x] = true;
            same[1][--y] = true;
        }
        return same;
    }

    /** One edit of {@code before} per changed run of lines, so that applying them gives {@code after}. */
    public static List<TextEdit> edits(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int[] offsets = new int[a.size() + 1];
        for (int i = 0; i < a.size(); i++) {
            offsets[i + 1] = offsets[i] + a.get(i).length();
        }
        List<TextEdit> edits = new ArrayList<>();
        for (Hunk hunk : hunks(a, b)) {
            edits.add(new TextEdit(new Span(offsets[hunk.oldStart()], offsets[hunk.oldEnd()]),
                    String.join("", b.subList(hunk.newStart(), hunk.newEnd()))));
        }
        return edits;
    }

    /**
     * A unified diff ({@code diff -u}, three lines of context) from {@code before} to {@code after}, with headers
     * {@code --- oldName} and {@code +++ newName}; empty when the texts are equal.
     */
    public static String unified(String before, String after, String oldName, String newName) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Hunk> hunks = hunks(a, b);
        if (hunks.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n').append("+++ ").append(newName).append('\n');
        int h = 0;
        while (h < hunks.size()) {
            // Hunks whose context would touch are printed as one.
            int last = h;
            while (last + 1 < hunks.size() && hunks.get(last + 1).oldStart() - hunks.get(last).oldEnd() <= 2 * CONTEXT) {
                last++;
            }
            int oldFrom = Math.max(0, hunks.get(h).oldStart() - CONTEXT);
            int oldTo = Math.min(a.size(), hunks.get(last).oldEnd() + CONTEXT);
            int newFrom = hunks.get(h).newStart() - (hunks.get(h).oldStart() - oldFrom);
            int newTo = hunks.get(last).newEnd() + (oldTo - hunks.get(last).oldEnd());
            out.append("@@ -").append(range(oldFrom, oldTo - oldFrom)).append(" +")
                    .append(range(newFrom, newTo - newFrom)).append(" @@\n");
            int at = oldFrom;
            for (int k = h; k <= last; k++) {
                Hunk hunk = hunks.get(k);
                for (; at < hunk.oldStart(); at++) {
                    line(out, ' ', a.get(at));
                }
                for (int i = hunk.oldStart(); i < hunk.oldEnd(); i++) {
                    line(out, '-', a.get(i));
                }
                for (int j = hunk.newStart(); j < hunk.newEnd(); j++) {
                    line(out, '+', b.get(j));
                }
                at = hunk.oldEnd();
            }
            for (; at < oldTo; at++) {
                line(out, ' ', a.get(at));
            }
            h = last + 1;
        }
        return out.toString();
    }

    /** {@code start,count} of a hunk header, 1-based; an empty range names the line before it. */
    private static String range(int start, int count) {
        return (count == 0 ? start : start + 1) + "," + count;
    }

    private static void line(StringBuilder out, char marker, String line) {
        out.append(marker).append(line);
        if (!line.endsWith("\n")) {
            out.append("\n\\ No newline at end of file\n");
        }
    }
}
