// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CountingSortTest {
    @Test
    void groupsByKeyStablyAndSaysWhereEachKeyStarts() {
        Random random = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int keys = 1 + random.nextInt(40);
            int[] keyOf = IntStream.range(0, random.nextInt(500)).map(i -> random.nextInt(keys)).toArray();
            int[] starts = new int[keys + 1];
            int[] order = CountingSort.order(keyOf, keys, starts);

            int[] expectedOrder = IntStream.range(0, keyOf.length).boxed()
                    .sorted(Comparator.comparingInt(i -> keyOf[i])).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expectedOrder, order); // a stable sort by key
            int[] expectedStarts = new int[keys + 1];
            for (int k = 0; k < keys; k++) {
                final int key = k;
                expectedStarts[k + 1] = expectedStarts[k] + (int) Arrays.stream(keyOf).filter(x -> x == key).count();
            }
            assertArrayEquals(expectedStarts, starts);
        }
    }
}
