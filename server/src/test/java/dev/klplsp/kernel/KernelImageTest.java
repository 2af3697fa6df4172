// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.kernel.KallsymsFixture.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bzImage payloads compressed by the real tools the kernel's build uses, decoded back; and the limits that
 * stop corrupt images and decompression bombs.
 */
class KernelImageTest {
    private static final Path VMLINUZ = Path.of("vmlinuz-test");

    private static byte[] vmlinux() {
        return KallsymsFixture.image(Layout.V6_3, KallsymsFixture.symbols(), 300_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "lzma", "gzip", "zstd", "lz4"})
    void everyCompressionTheKernelUsesDecompressesToThePayload(String compression, @TempDir Path temp)
            throws IOException {
        byte[] vmlinux = vmlinux();
        byte[] image = KallsymsFixture.bzImage(temp, vmlinux, compression);
        KernelImage.Payload payload = KernelImage.payload(VMLINUZ, image);
        assertEquals(compression, payload.compression());
        assertArrayEquals(vmlinux, Arrays.copyOf(payload.data(), payload.length()));
        Path file = temp.resolve("vmlinuz-9.9.9");
        Files.write(file, image);
        assertEquals(InputFiles.Format.KERNEL_IMAGE, InputFiles.detect(file));
        ObjectSymbols symbols = KernelImageSource.read(file);
        assertEquals(KallsymsFixture.symbols().size(), symbols.count);
    }

    @Test
    void lz4PayloadsOfSeveralBlocksDecode(@TempDir Path temp) throws IOException {
        // lz4 -l cuts the input into 8 MiB blocks: 20 MB makes three. Random bytes each repeated a random number
        // of times give literal runs, matches that overlap what they copy, and a ratio like a kernel's.
        byte[] big = new byte[20 << 20];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < big.length; ) {
            byte value = (byte) random.nextInt(256);
            int run = 1 + random.nextInt(12);
            for (int k = 0; k < run && i < big.length; k++) {
                big[i++] = value;
            }
        }
        byte[] image = KallsymsFixture.bzImage(temp, big, "lz4");
        KernelImage.Payload payload = KernelImage.payload(VMLINUZ, image);
        assertArrayEquals(big, Arrays.copyOf(payload.data(), payload.length()));
    }

    private static String message(byte[] image) {
        return assertThrows(SymbolSourceException.class, () -> KernelImage.payload(VMLINUZ, image)).getMessage();
    }

    @Test
    void aFileWithoutSetupHeaderIsNotAKernelImage() {
        assertEquals("vmlinuz-test: not an x86 bzImage (no boot flag 0xAA55 at 0x1fe and setup header magic \"HdrS\""
                + " at 0x202)", message(new byte[4096]));
    }

    @Test
    void aPayloadOutsideTheFileIsAnError() {
        byte[] image = KallsymsFixture.wrap(new byte[100], 1000);
        byte[] truncated = Arrays.copyOf(image, image.length - 200);
        assertTrue(message(truncated).contains("outside the " + truncated.length + "-byte file (truncated image?)"),
                message(truncated));
    }

    @Test
    void aSizeTrailerBeyondTheRatioIsRefusedBeforeDecompressing(@TempDir Path temp) throws IOException {
        byte[] image = KallsymsFixture.bzImage(temp, vmlinux(), "gzip");
        int trailer = 2 * 512 + 0x40 + KernelImage.intAt(image, 0x24c) - 4;
        int length = KernelImage.intAt(image, 0x24c);
        writeInt(image, trailer, length * (KernelImage.MAX_RATIO + 1));
        assertTrue(message(image).contains("gzip payload claims " + length * (KernelImage.MAX_RATIO + 1)
                + " decompressed bytes; accepted are 1 to"), message(image));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "gzip", "zstd", "lz4"})
    void aPayloadLargerThanItsTrailerStopsAtTheTrailer(String compression, @TempDir Path temp) throws IOException {
        // A bomb in miniature: 2 MB whose trailer says 1 MB (random bytes, so the ratio bound does not stop it first).
        byte[] data = new byte[2 << 20];
        new java.util.Random(7).nextBytes(data);
        byte[] image = KallsymsFixture.bzImage(temp, data, compression);
        int trailer = 2 * 512 + 0x40 + KernelImage.intAt(image, 0x24c) - 4;
        writeInt(image, trailer, 1 << 20);
        String message = message(image);
        assertTrue(message.contains("more than the 1048576 bytes its size trailer says")
                || message.contains("corrupt lz4 payload"), message);
    }

    @Test
    void aCompressionKlpLspDoesNotReadIsNamed() {
        byte[] image = KallsymsFixture.wrap("BZh91AY&SY and so on".getBytes(), 100);
        assertTrue(message(image).contains("the payload is compressed with bzip2, which klp-lsp does not read"
                + " (supported: xz, lzma, gzip, zstd, lz4)"), message(image));
    }

    @Test
    void corruptLz4IsAnErrorNotACrash() {
        byte[] block = {0x02, 0x21, 0x4c, 0x18, 10, 0, 0, 0, (byte) 0xf0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertTrue(message(KallsymsFixture.wrap(block, 100)).contains("corrupt lz4 payload"));
        byte[] badOffset = {0x02, 0x21, 0x4c, 0x18, 4, 0, 0, 0, 0x10, 'a', 9, 0};
        assertTrue(message(KallsymsFixture.wrap(badOffset, 100)).contains("points before the block"));
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >> 8);
        b[at + 2] = (byte) (value >> 16);
        b[at + 3] = (byte) (value >> 24);
    }

    @Test
    void theRealDebianImageDecodesWithEveryCompression(@TempDir Path temp) throws IOException {
        dev.klplsp.testing.RealKernel kernel = dev.klplsp.testing.RealKernel.require();
        byte[] original = Files.readAllBytes(kernel.vmlinuz());
        KernelImage.Payload payload = KernelImage.payload(kernel.vmlinuz(), original);
        assertEquals("xz", payload.compression());
        byte[] vmlinux = Arrays.copyOf(payload.data(), payload.length());
        // The payload is the stripped vmlinux ELF (plus its relocation list), as arch/x86/boot/compressed builds it.
        assertTrue(InputFiles.isElf(vmlinux));
        KallsymsTables.Symbols expected = KallsymsTables.decode(kernel.vmlinuz(), vmlinux, vmlinux.length);
        for (String compression : List.of("gzip", "zstd", "lz4")) {
            byte[] image = KallsymsFixture.bzImage(temp, vmlinux, compression);
            KallsymsTables.Symbols table = KernelImageSource.decode(VMLINUZ, image);
            assertArrayEquals(expected.names(), table.names(), compression);
            assertArrayEquals(expected.addresses(), table.addresses(), compression);
        }
    }
}
