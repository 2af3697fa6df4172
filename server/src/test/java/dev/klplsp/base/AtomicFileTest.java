// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an atomic write does to what is already at the target (a device, a fifo, a link, a file with its mode
 * and owner) and what a killed writer leaves behind.
 */
class AtomicFileTest {
    @TempDir
    Path temp;

    private static final byte[] CONTENT = "new content\n".getBytes(StandardCharsets.US_ASCII);

    private static Object attribute(Path file, String name) throws IOException {
        return Files.getAttribute(file, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path file) throws IOException {
        return (Integer) attribute(file, "mode") & 07777;
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private KlpException refused(Path target, String problem) throws IOException {
        KlpException error = assertThrows(KlpException.class, () -> AtomicFile.write(target, CONTENT));
        assertEquals(target + ": " + problem, error.getMessage());
        assertEquals(List.of(), leftovers());
        return error;
    }

    @Test
    void aCharacterDeviceIsWrittenThroughNotReplaced() throws IOException {
        Path devNull = SpecialFiles.characterDevice(temp.resolve("null"), 1, 3);
        Object rdev = attribute(devNull, "rdev");
        AtomicFile.write(devNull, CONTENT);
        assertTrue(SpecialFiles.isCharacterDevice(devNull), "still a device node");
        assertEquals(rdev, attribute(devNull, "rdev"));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFifoIsRefusedAndKept() throws IOException {
        Path fifo = SpecialFiles.fifo(temp.resolve("out.ko"));
        refused(fifo, "is a fifo (named pipe); klp-lsp writes only regular files, or through a character device"
                + " such as /dev/null");
        assertEquals(0010000, (Integer) attribute(fifo, "mode") & 0170000);
    }

    @Test
    void aBlockDeviceASocketAndADirectoryAreRefused() throws IOException {
        Path block = SpecialFiles.blockDevice(temp.resolve("loop0"), 7, 0);
        refused(block, "is a block device; klp-lsp writes only regular files, or through a character device such"
                + " as /dev/null");
        Path socketFile = temp.resolve("sock");
        try (ServerSocketChannel socket = SpecialFiles.socket(socketFile)) {
            refused(socketFile, "is a socket; klp-lsp writes only regular files, or through a character device such"
                    + " as /dev/null");
        }
        Path dir = Files.createDirectory(temp.resolve("dir.ko"));
        refused(dir, "is a directory; klp-lsp writes only regular files, or through a character device such as"
                + " /dev/null");
        assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aSymbolicLinkIsRefusedAndWhatItPointsToIsUntouched() throws IOException {
        Path victim = Files.writeString(temp.resolve("victim"), "keep me");
        Path link = Files.createSymbolicLink(temp.resolve("out.ko"), victim);
        refused(link, "is a symbolic link (to " + victim + "); klp-lsp does not write through links: name the file"
                + " itself, or remove the link");
        assertEquals("keep me", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void replacingAFileKeepsItsModeOwnerAndGroup() throws IOException {
        Path module = Files.writeString(temp.resolve("m.ko"), "old");
        Files.setAttribute(module, "unix:mode", 0640);
        Files.setAttribute(module, "unix:uid", 1000);
        Files.setAttribute(module, "unix:gid", 1001);
        AtomicFile.write(module, CONTENT);
        assertArrayEquals(CONTENT, Files.readAllBytes(module));
        assertEquals(0640, mode(module));
        assertEquals(1000, attribute(module, "uid"));
        assertEquals(1001, attribute(module, "gid"));
    }

    @Test
    void aNewFileGetsTheUmaskModeLikeCp() throws IOException {
        int umask = Integer.parseInt(Processes.run("sh", "-c", "umask").strip(), 8);
        Path created = temp.resolve("new.ko");
        AtomicFile.write(created, CONTENT);
        assertEquals(0666 & ~umask, mode(created), String.format("umask %03o", umask));
    }

    @Test
    void aTempFileLeftByAKilledWriterIsSweptByTheNextWriteIntoItsDirectory() throws Exception {
        Process writer = SlowAtomicWriter.start(temp.resolve("killed.ko"));
        writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<Path> left = leftovers();
        assertEquals(1, left.size(), "kill -9 mid-write leaves the temp file: " + left);
        assertFalse(Files.exists(temp.resolve("killed.ko")));
        Files.setLastModifiedTime(left.get(0), FileTime.from(Instant.now().minusSeconds(120)));
        AtomicFile.write(temp.resolve("other.ko"), CONTENT);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void theSweepNeverTakesTheTempFileOfAWriterThatIsAlive() throws Exception {
        Process writer = SlowAtomicWriter.start(temp.resolve("slow.ko"));
        try {
            List<Path> inProgress = leftovers();
            assertEquals(1, inProgress.size(), inProgress.toString());
            // Old enough to be swept if it were abandoned: only the writer's lock protects it.
            Files.setLastModifiedTime(inProgress.get(0), FileTime.from(Instant.now().minusSeconds(120)));
            AtomicFile.write(temp.resolve("other.ko"), CONTENT);
            assertEquals(inProgress, leftovers());
            try (OutputStream in = writer.getOutputStream()) {
                in.write('\n');
            }
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, writer.exitValue());
            byte[] written = Files.readAllBytes(temp.resolve("slow.ko"));
            assertEquals((1 << 20) + 4, written.length);
            assertEquals(List.of(), leftovers());
        } finally {
            writer.destroyForcibly();
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> all = Files.list(temp)) {
            return all.sorted().toList();
        }
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTemporary() throws IOException {
        Path target = temp.resolve("out.ko");
        Files.writeString(target, "old");
        AtomicFile.write(target, "new".getBytes());
        assertEquals("new", Files.readString(target));
        AtomicFile.writeChannel(target, out -> out.write(ByteBuffer.wrap("from a channel".getBytes())));
        assertEquals("from a channel", Files.readString(target));
        assertEquals(List.of(target), allFiles());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = temp.resolve("index.bin");
        Files.writeString(target, "old");
        KlpException error = assertThrows(KlpException.class, () -> AtomicFile.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertTrue(error.getMessage().contains("disk full"), error.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), allFiles());
    }

    @Test
    void manyWritesToOneDirectoryGetDistinctTemporaries() throws Exception {
        List<Thread> threads = Stream.of("a", "b", "c", "d").map(name -> new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                AtomicFile.write(temp.resolve(name), (name + i).getBytes());
            }
        })).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(4, allFiles().size());
        assertEquals("a49", Files.readString(temp.resolve("a")));
    }
}
