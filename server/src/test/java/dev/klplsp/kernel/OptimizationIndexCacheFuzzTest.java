// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.FuzzMutations;
import dev.klplsp.testing.Toolchain;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An optimization index read from a cache file that passed its checksum but holds other bytes than the
 * builder wrote (a bug, or a hand-made file): wrapping refuses it (the loader then rebuilds), or every query
 * works or throws {@link IllegalStateException} naming the corrupt index. Never another exception, never a hang.
 */
class OptimizationIndexCacheFuzzTest {
    private static byte[] layout;

    private static synchronized byte[] layout() {
        if (layout == null) {
            ByteBuffer built = OptimizationIndexLoader.build(Fixtures.module("dwarf_facts", Toolchain.X86_64))
                    .layout().duplicate().clear();
            layout = new byte[built.capacity()];
            built.get(layout);
        }
        return layout;
    }

    /** Wraps; when that accepts the bytes, runs every kind of query. False when refused or a query said corrupt. */
    private static boolean load(byte[] bytes) {
        OptimizationIndex index;
        try {
            index = new OptimizationIndex(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN),
                    KernelIndex.LoadInfo.BUILT);
        } catch (IllegalStateException | IndexOutOfBoundsException | IllegalArgumentException refused) {
            return false; // the loader reports "cache not used" and rebuilds
        }
        try {
            for (String name : List.of("dup_helper", "shared_helper", "scaled", "scaled.constprop.0", "checked")) {
                index.functions(name);
                index.instances(name);
                index.instance(name, 0);
                index.functionOfSymbol(name, 1);
            }
        } catch (IllegalStateException corrupt) {
            if (!corrupt.getMessage().contains(" is corrupt (")) {
                throw corrupt;
            }
            return false;
        }
        return true;
    }

    @FuzzTest
    void editedLayout(FuzzedDataProvider data) {
        load(FuzzMutations.apply(layout(), data));
    }

    @Test
    void randomEditsAreRefusedOrQueryable() {
        Random random = new Random(20261202);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            int refused = 0;
            for (int round = 0; round < 3000; round++) {
                byte[] bytes = layout().clone();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                try {
                    refused += load(bytes) ? 0 : 1;
                } catch (RuntimeException bug) {
                    throw new AssertionError("round " + round + ": not a corrupt-index error", bug);
                }
            }
            assertTrue(refused > 100, "refused " + refused + " of 3000");
        });
    }
}
