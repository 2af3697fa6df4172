// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only regular files are read, each kind up to its size limit, and the refusal comes at once (a fifo would
 * block the reader forever, /dev/zero would never end, a sparse 3 GiB file would exhaust the heap).
 */
class InputFileTest {
    @TempDir
    Path temp;

    private static KlpException refused(Path file, InputFile.Kind kind) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(KlpException.class, () -> InputFile.readAllBytes(file, kind, KlpException::new)));
    }

    @Test
    void aRegularFileAndALinkToOneAreRead() throws Exception {
        Path file = Files.write(temp.resolve("System.map"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(temp.resolve("link.map"), file);
        assertArrayEquals(new byte[] {1, 2, 3}, InputFile.readAllBytes(file, InputFile.SYMBOL_FILE, KlpException::new));
        assertArrayEquals(new byte[] {1, 2, 3}, InputFile.readAllBytes(link, InputFile.SYMBOL_FILE, KlpException::new));
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() {
        Path fifo = SpecialFiles.fifo(temp.resolve("module.ko"));
        assertEquals(fifo + ": is a fifo (named pipe), not a regular file; klp-lsp reads only regular files",
                refused(fifo, InputFile.ELF_OBJECT).getMessage());
    }

    @Test
    void copiesOfDevZeroAndDevUrandomAreRefused() {
        Path zero = SpecialFiles.characterDevice(temp.resolve("zero"), 1, 5);
        Path urandom = SpecialFiles.characterDevice(temp.resolve("urandom"), 1, 9);
        assertEquals(zero + ": is a character device, not a regular file; klp-lsp reads only regular files",
                refused(zero, InputFile.ELF_OBJECT).getMessage());
        assertTrue(refused(urandom, InputFile.SYMBOL_FILE).getMessage().contains("is a character device"));
    }

    @Test
    void aBlockDeviceADirectoryAndASocketAreRefused() throws Exception {
        Path block = SpecialFiles.blockDevice(temp.resolve("loop0"), 7, 0);
        assertTrue(refused(block, InputFile.ELF_OBJECT).getMessage().contains(": is a block device, not a regular"));
        Path dir = Files.createDirectory(temp.resolve("dir.ko"));
        assertTrue(refused(dir, InputFile.ELF_OBJECT).getMessage().contains(": is a directory, not a regular"));
        Path socketFile = temp.resolve("sock");
        try (ServerSocketChannel socket = SpecialFiles.socket(socketFile)) {
            assertTrue(refused(socketFile, InputFile.ELF_OBJECT).getMessage().contains(": is a socket, not a regular"));
        }
    }

    @Test
    void aSparseFileOverTheLimitIsRefusedBeforeReading() {
        Path big = SpecialFiles.sparse(temp.resolve("big.ko"), 3L << 30);
        assertEquals(big + ": is 3,221,225,472 bytes; klp-lsp reads ELF objects of at most 1 GiB",
                refused(big, InputFile.ELF_OBJECT).getMessage());
        Path map = SpecialFiles.sparse(temp.resolve("System.map"), (128L << 20) + 1);
        assertEquals(map + ": is 134,217,729 bytes; klp-lsp reads symbol files of at most 128 MiB",
                refused(map, InputFile.SYMBOL_FILE).getMessage());
    }

    @Test
    void aMissingFileCannotBeRead() {
        Path missing = temp.resolve("missing.ko");
        assertEquals(missing + ": cannot read: no such file", refused(missing, InputFile.ELF_OBJECT).getMessage());
    }

    @Test
    void decompressionStopsAtTheLimit() {
        byte[] ok = InputFile.readBounded(new java.io.ByteArrayInputStream(new byte[100]), 100, temp.resolve("a.gz"),
                KlpException::new);
        assertEquals(100, ok.length);
        KlpException bomb = assertThrows(KlpException.class, () -> InputFile.readBounded(
                new java.io.ByteArrayInputStream(new byte[101]), 100, temp.resolve("b.gz"), KlpException::new));
        assertEquals(temp.resolve("b.gz") + ": decompresses to more than 100 bytes, the limit (corrupt, or a"
                + " decompression bomb)", bomb.getMessage());
    }
}
