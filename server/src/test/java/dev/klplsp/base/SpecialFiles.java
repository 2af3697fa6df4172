// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Special files made in a test's temp directory, never the system's: device nodes by mknod (copies of
 * /dev/null, /dev/zero, /dev/urandom, a loop block device), fifos, sockets, sparse files.
 */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A character device node with the given major/minor (1,3 is null; 1,5 zero; 1,9 urandom). */
    public static Path characterDevice(Path file, int major, int minor) {
        return mknod(file, "c", major, minor);
    }

    public static Path blockDevice(Path file, int major, int minor) {
        return mknod(file, "b", major, minor);
    }

    private static Path mknod(Path file, String type, int major, int minor) {
        Processes.Result result = Processes.runAllowingFailure(null, List.of("mknod", "-m", "666", file.toString(),
                type, String.valueOf(major), String.valueOf(minor)));
        // Tests run as root here and in CI; elsewhere mknod may be refused, and only then is the case skipped.
        Assumptions.assumeTrue(result.exitCode() == 0, "mknod is not permitted here: " + result.stderr());
        return file;
    }

    public static Path fifo(Path file) {
        Processes.run(null, List.of("mkfifo", file.toString()));
        return file;
    }

    /** A Unix domain socket bound at {@code file}; the channel stays open until closed. */
    public static ServerSocketChannel socket(Path file) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(file));
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sparse file of {@code size} bytes (no disk space used). */
    public static Path sparse(Path file, long size) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isCharacterDevice(Path file) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0020000;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
