// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.kernel.KallsymsFixture.Layout;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzz targets of the kernel image and image package readers: any input is decoded or refused
 * with a {@link SymbolSourceException}; never another exception, a hang or an allocation beyond the limits. Under
 * {@code mvn test} each replays its committed inputs (regression mode); {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=KernelImageFuzzTest#<target>} fuzzes one.
 */
class KernelImageFuzzTest {
    private static final Path PATH = Path.of("fuzz-vmlinuz");
    /** Kallsyms tables of a small kernel in each layout, which the structure-aware target mutates. */
    private static final List<byte[]> TABLES = List.of(Layout.values()).stream()
            .map(layout -> KallsymsFixture.image(layout, KallsymsFixture.symbols().subList(0, 300), 64)).toList();

    /** A whole file taken as a vmlinuz: the setup header, then the payload. */
    @FuzzTest
    void kernelImage(byte[] input) {
        try {
            KernelImageSource.decode(PATH, input);
        } catch (SymbolSourceException refused) {
            // an input error, reported as such
        }
    }

    /** A valid setup header around fuzzed payload bytes behind a chosen compression magic (the lz4 decoder first). */
    @FuzzTest
    void payload(FuzzedDataProvider data) {
        byte[][] magics = {{0x02, 0x21, 0x4c, 0x18}, {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, {0x1f, (byte) 0x8b},
            {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, {0x5d, 0, 0}};
        byte[] magic = magics[data.consumeInt(0, magics.length - 1)];
        int claimed = data.consumeInt(0, 1 << 20);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] compressed = new byte[magic.length + body.length];
        System.arraycopy(magic, 0, compressed, 0, magic.length);
        System.arraycopy(body, 0, compressed, magic.length, body.length);
        try {
            KernelImage.payload(PATH, KallsymsFixture.wrap(compressed, claimed));
        } catch (SymbolSourceException refused) {
            // an input error, reported as such
        }
    }

    /** Real-shaped kallsyms tables with fuzzed bytes written over them. */
    @FuzzTest
    void kallsymsTables(FuzzedDataProvider data) {
        byte[] image = TABLES.get(data.consumeInt(0, TABLES.size() - 1)).clone();
        int edits = data.consumeInt(0, 16);
        for (int i = 0; i < edits; i++) {
            image[data.consumeInt(0, image.length - 1)] = data.consumeByte();
        }
        try {
            KallsymsTables.decode(PATH, image, image.length);
        } catch (SymbolSourceException refused) {
            // an input error, reported as such
        }
    }

    /** A small package (ar, plain or gzip'd tar, a long name, a pax path) with fuzzed bytes written over it. */
    @FuzzTest
    void debPackageMutated(FuzzedDataProvider data) {
        byte[] deb = (data.consumeBoolean() ? PLAIN_DEB : GZIP_DEB).clone();
        int edits = data.consumeInt(0, 16);
        for (int i = 0; i < edits; i++) {
            deb[data.consumeInt(0, deb.length - 1)] = data.consumeByte();
        }
        debPackage(deb);
    }

    private static final byte[] PLAIN_DEB = DebFixture.deb(false);
    private static final byte[] GZIP_DEB = DebFixture.deb(true);

    /** A whole file taken as a Debian package; every regular file of it is read. */
    @FuzzTest
    void debPackage(byte[] input) {
        try {
            DebPackage.read(Path.of("fuzz.deb"), new ByteArrayInputStream(input), new DebPackage.Visitor() {
                @Override
                public boolean wants(String name, long size) {
                    return true;
                }

                @Override
                public void accept(String name, byte[] content) {
                    // read, nothing more
                }
            });
        } catch (SymbolSourceException refused) {
            // an input error, reported as such
        }
    }
}
