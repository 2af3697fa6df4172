// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.util.Arrays;

/** A stable counting sort by small integer keys, for grouping many entries (symbols, relocations) by an id. */
public final class CountingSort {
    private CountingSort() {
    }

    /**
     * The entries [0, keyOf.length) grouped by key, stable within a key: returns the order (new position to old
     * index) and fills {@code starts} (keys + 1 entries, all 0) with where each key's group begins, so key k's
     * entries are order[starts[k]] .. order[starts[k + 1] - 1]. Every key must lie in [0, keys).
     */
    public static int[] order(int[] keyOf, int keys, int[] starts) {
        for (int key : keyOf) {
            starts[key + 1]++;
        }
        for (int k = 1; k < starts.length; k++) {
            starts[k] += starts[k - 1];
        }
        int[] fill = Arrays.copyOf(starts, keys);
        int[] order = new int[keyOf.length];
        for (int i = 0; i < keyOf.length; i++) {
            order[fill[keyOf[i]]++] = i;
        }
        return order;
    }
}
