// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The range check a reloaded cache's columns go through, against decoding every value with get(). */
class ColumnTest {
    @Test
    void allWithinAgreesWithCheckingEachValueForEveryWidthAndBias() {
        Random random = new Random(11);
        int[][] layouts = {{1, 0}, {1, 1}, {2, 0}, {2, 1}, {4, 0}, {4, 1}};
        for (int[] layout : layouts) {
            int width = layout[0];
            int bias = layout[1];
            for (int trial = 0; trial < 200; trial++) {
                int count = random.nextInt(40_000); // more than one scan chunk at times
                ByteBuffer buffer = ByteBuffer.allocate(8 + count * width).order(ByteOrder.LITTLE_ENDIAN);
                int spread = width == 1 ? 0x100 : width == 2 ? 0x10000 : 1 << 20;
                for (int i = 0; i < count; i++) {
                    int stored = random.nextInt(spread);
                    switch (width) {
                        case 1 -> buffer.put(8 + i, (byte) stored);
                        case 2 -> buffer.putShort(8 + 2 * i, (short) stored);
                        default -> buffer.putInt(8 + 4 * i, random.nextBoolean() ? stored : -stored);
                    }
                }
                Column column = new Column(buffer, 8, count, width, bias);
                // Bounds around the values' range, the representable range, and an empty range.
                int min = random.nextInt(3) == 0 ? -spread - 1 : random.nextInt(spread) - spread / 8 - bias;
                int max = random.nextInt(3) == 0 ? spread + 1 : min + random.nextInt(spread + 1);
                if (trial % 50 == 0) {
                    max = min - 1;
                }
                boolean expected = true;
                for (int i = 0; i < count; i++) {
                    expected &= column.get(i) >= min && column.get(i) <= max;
                }
                assertEquals(expected, column.allWithin(min, max),
                        "width " + width + " bias " + bias + " count " + count + " [" + min + ", " + max + "]");
            }
        }
    }

    @Test
    void nonDecreasingAgreesWithComparingNeighboursForEveryWidthAndBias() {
        Random random = new Random(12);
        int[][] layouts = {{1, 0}, {1, 1}, {2, 0}, {2, 1}, {4, 0}, {4, 1}};
        for (int[] layout : layouts) {
            int width = layout[0];
            int bias = layout[1];
            for (int trial = 0; trial < 100; trial++) {
                int count = random.nextInt(40_000);
                ByteBuffer buffer = ByteBuffer.allocate(count * width).order(ByteOrder.LITTLE_ENDIAN);
                int limit = width == 1 ? 0xff : width == 2 ? 0xffff : Integer.MAX_VALUE;
                long stored = width == 4 ? -random.nextInt(1000) : 0;
                for (int i = 0; i < count; i++) {
                    // Mostly rising, sometimes one step down (where a trial's answer turns false).
                    stored = Math.min(limit, stored + (random.nextInt(count + 1) == 0 ? -1 : random.nextInt(3)));
                    switch (width) {
                        case 1 -> buffer.put(i, (byte) Math.max(0, stored));
                        case 2 -> buffer.putShort(2 * i, (short) Math.max(0, stored));
                        default -> buffer.putInt(4 * i, (int) stored);
                    }
                }
                Column column = new Column(buffer, 0, count, width, bias);
                boolean expected = true;
                for (int i = 1; i < count; i++) {
                    expected &= column.get(i) >= column.get(i - 1);
                }
                assertEquals(expected, column.nonDecreasing(), "width " + width + " bias " + bias + " count " + count);
            }
        }
    }

    @Test
    void aWidthThatCannotHoldAnOutOfRangeValueNeedsNoScanButAnyOtherValueCounts() {
        ByteBuffer buffer = ByteBuffer.allocate(3).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, (byte) 0).put(1, (byte) 0xff).put(2, (byte) 7);
        assertEquals(true, new Column(buffer, 0, 3, 1, 1).allWithin(-1, 254));
        assertEquals(false, new Column(buffer, 0, 3, 1, 1).allWithin(-1, 253));
        assertEquals(false, new Column(buffer, 0, 3, 1, 1).allWithin(0, 254));
        assertEquals(true, new Column(buffer, 0, 3, 1, 0).allWithin(0, 255));
        assertEquals(false, new Column(buffer, 0, 3, 1, 0).allWithin(1, 255));
    }
}
