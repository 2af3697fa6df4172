// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a
 * partial file: the bytes go to a temporary file in the same directory, which is then renamed.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Produces the bytes of a file into a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Produces the bytes of a file into a channel (buffers, direct ones included, are written without a copy). */
    @FunctionalInterface
    public interface ChannelContent {
        void writeTo(FileChannel out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Content content) {
        writeChannel(target, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            content.writeTo(out);
            out.flush();
        });
    }

    public static void writeChannel(Path target, ChannelContent content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel out = FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new KlpException(target, "cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original error is the one worth reporting.
                }
            }
        }
    }
}
