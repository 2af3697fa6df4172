// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

/** Levenshtein distance with an early exit once it exceeds a bound (typo suggestions over 400k names). */
final class EditDistance {
    private EditDistance() {
    }

    /**
     * The distance between {@code a} and the name bytes {@code [from, from + length)}, or {@code bound + 1} when larger.
     * {@code previous} and {@code current} are scratch rows of length {@code a.length + 1}.
     */
    static int bounded(byte[] a, NameTable b, int from, int length, int bound, int[] previous, int[] current) {
        for (int i = 0; i <= a.length; i++) {
            previous[i] = i;
        }
        for (int j = 1; j <= length; j++) {
            current[0] = j;
            int rowMin = current[0];
            byte bj = b.byteAt(from + j - 1);
            for (int i = 1; i <= a.length; i++) {
                int cost = a[i - 1] == bj ? 0 : 1;
                int value = Math.min(Math.min(current[i - 1] + 1, previous[i] + 1), previous[i - 1] + cost);
                current[i] = value;
                rowMin = Math.min(rowMin, value);
            }
            if (rowMin > bound) {
                return bound + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[a.length];
    }
}
