// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.kernel.KallsymsFixture.Layout;
import dev.klplsp.kernel.KallsymsFixture.Sym;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The kallsyms tables found by structure in every layout scripts/kallsyms has written, and refused otherwise. */
class KallsymsTablesTest {
    private static final Path IMAGE = Path.of("vmlinux.bin");

    private static List<Sym> decoded(KallsymsTables.Symbols table) {
        List<Sym> out = new ArrayList<>();
        for (int i = 0; i < table.count(); i++) {
            out.add(new Sym(table.letters()[i], table.names()[i], table.addresses()[i]));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void everyLayoutDecodesToItsSymbolsInOrder(Layout layout) {
        List<Sym> symbols = KallsymsFixture.symbols();
        for (int filler : new int[] {0, 4096, 100_003}) {
            byte[] image = KallsymsFixture.image(layout, symbols, filler);
            KallsymsTables.Symbols table = KallsymsTables.decode(IMAGE, image, image.length);
            assertEquals(symbols, decoded(table), layout + " after " + filler + " filler bytes");
        }
    }

    @Test
    void theLayoutIsNamedByWhatLiesBetweenMarkersAndTokens() {
        List<Sym> symbols = KallsymsFixture.symbols();
        byte[] debian = KallsymsFixture.image(Layout.V6_3, symbols, 64);
        assertEquals(symbols.size() + " symbols, 32-bit markers, between markers and token table:"
                + " kallsyms_seqs_of_names (3 bytes per symbol)",
                KallsymsTables.decode(IMAGE, debian, debian.length).layout());
        byte[] old = KallsymsFixture.image(Layout.ABSOLUTE_OLD, symbols, 64);
        assertEquals(symbols.size() + " symbols, 64-bit markers, between markers and token table: nothing",
                KallsymsTables.decode(IMAGE, old, old.length).layout());
    }

    @Test
    void noTablesIsAnErrorNamingTheFile() {
        byte[] noise = new byte[200_000];
        new Random(1).nextBytes(noise);
        SymbolSourceException e = assertThrows(SymbolSourceException.class,
                () -> KallsymsTables.decode(IMAGE, noise, noise.length));
        assertEquals("vmlinux.bin: no kallsyms tables in the decompressed kernel (no kallsyms_token_table/"
                + "kallsyms_token_index pair): built without CONFIG_KALLSYMS, or not an x86_64 kernel", e.getMessage());
    }

    /** Overwrites the first occurrence of a 4-byte little-endian value. */
    private static void replaceInt(byte[] image, int from, int value, int fromOffset) {
        for (int i = fromOffset; i + 4 <= image.length; i++) {
            if (KernelImage.intAt(image, i) == from) {
                image[i] = (byte) value;
                image[i + 1] = (byte) (value >> 8);
                image[i + 2] = (byte) (value >> 16);
                image[i + 3] = (byte) (value >> 24);
                return;
            }
        }
        throw new AssertionError("no " + from + " in the image");
    }

    @Test
    void markersThatDisagreeWithTheNamesAreAnError() {
        List<Sym> symbols = KallsymsFixture.symbols();
        byte[] image = KallsymsFixture.image(Layout.V6_1, symbols, 0);
        // kallsyms_num_syms one too high: the names run into the markers.
        replaceInt(image, symbols.size(), symbols.size() + 1, 4 * symbols.size());
        SymbolSourceException e = assertThrows(SymbolSourceException.class,
                () -> KallsymsTables.decode(IMAGE, image, image.length));
        assertTrue(e.getMessage().startsWith("vmlinux.bin: found a kallsyms_token_table/kallsyms_token_index pair but"
                + " no kallsyms_num_syms, kallsyms_names and kallsyms_markers before it that agree"), e.getMessage());
    }

    @Test
    void unsortedAddressesAreAnError() {
        List<Sym> symbols = new ArrayList<>(KallsymsFixture.symbols());
        Sym last = symbols.remove(symbols.size() - 1);
        symbols.add(new Sym(last.letter(), last.name(), KallsymsFixture.BASE + 8)); // lower than its predecessor
        byte[] image = KallsymsFixture.image(Layout.V6_4, symbols, 0);
        SymbolSourceException e = assertThrows(SymbolSourceException.class,
                () -> KallsymsTables.decode(IMAGE, image, image.length));
        assertTrue(e.getMessage().contains("but no sorted kallsyms_offsets + kallsyms_relative_base or"
                + " kallsyms_addresses"), e.getMessage());
    }
}
