// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers see the old file or the whole new one; nothing is left behind either way. */
class AtomicFileTest {
    @TempDir
    Path tmp;

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.list(tmp)) {
            return all.sorted().toList();
        }
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTemporary() throws IOException {
        Path target = tmp.resolve("out.ko");
        Files.writeString(target, "old");
        AtomicFile.write(target, "new".getBytes());
        assertEquals("new", Files.readString(target));
        AtomicFile.writeChannel(target, out -> out.write(ByteBuffer.wrap("from a channel".getBytes())));
        assertEquals("from a channel", Files.readString(target));
        assertEquals(List.of(target), files());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                "as Files.createTempFile made it");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = tmp.resolve("index.bin");
        Files.writeString(target, "old");
        KlpException error = assertThrows(KlpException.class, () -> AtomicFile.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertTrue(error.getMessage().contains("disk full"), error.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void manyWritesToOneDirectoryGetDistinctTemporaries() throws Exception {
        List<Thread> threads = Stream.of("a", "b", "c", "d").map(name -> new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                AtomicFile.write(tmp.resolve(name), (name + i).getBytes());
            }
        })).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(4, files().size());
        assertEquals("a49", Files.readString(tmp.resolve("a")));
    }
}
