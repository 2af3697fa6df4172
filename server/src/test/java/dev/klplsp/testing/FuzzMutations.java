// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Applies a fuzzer's input as edits to a real file built at test time (a gcc-built module, an index cache), so a
 * fuzz target reaches deep into a format without a binary seed checked in: the committed corpus holds only the
 * small edit scripts. Each edit is (offset, width 1/2/4/8, value), little-endian, until the input runs out.
 */
public final class FuzzMutations {
    private FuzzMutations() {
    }

    public static byte[] apply(byte[] base, FuzzedDataProvider data) {
        byte[] bytes = base.clone();
        while (data.remainingBytes() > 0 && bytes.length > 0) {
            int offset = data.consumeInt(0, bytes.length - 1);
            int width = 1 << data.consumeInt(0, 3);
            long value = data.consumeLong();
            for (int i = 0; i < width && offset + i < bytes.length; i++) {
                bytes[offset + i] = (byte) (value >>> (8 * i));
            }
        }
        return bytes;
    }
}
