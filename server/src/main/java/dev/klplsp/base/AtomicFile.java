// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a partial file: the
 * bytes go to a temporary file in the same directory, which is then renamed over the target.
 *
 * <p>What is already at the target decides what happens:
 * <ul>
 * <li>nothing: a new file with the umask's mode, as {@code cp} makes it (0666 &amp; ~umask);</li>
 * <li>a regular file: replaced, keeping its mode and, where permitted, its owner and group (a file converted in
 *     place under sudo stays the user's). Hard links to it keep the old content, as with any atomic replace;</li>
 * <li>a character device ({@code -o /dev/null}): written through, never renamed over;</li>
 * <li>a symbolic link: refused. Writing through it would put the output wherever the link's author chose (a
 *     cloned repository's {@code out.ko -> ~/.bashrc}); replacing the link itself would silently turn it into a
 *     copy. The message names where it points, so the user can name that file.</li>
 * <li>a directory, fifo, socket or block device: refused; a fifo would block, the rest would be destroyed.</li>
 * </ul>
 * Only the final component is checked: directories on the way are resolved as the operating system does.
 *
 * <p>A writer killed mid-write (kill -9) leaves its temp file, named {@code .<target>.klp-lsp-<16 hex>.tmp}.
 * Every write first sweeps the directory of such files whose writer is gone: the writer holds an exclusive lock
 * on its temp file from creation to rename, and the kernel drops the locks of a dead process, so a file nobody
 * locks and nobody wrote to for {@link #STALE} is abandoned. The age covers the instant between a writer's
 * create and lock; a live writer is never swept. (A fixed temp name per target would instead need a lock to
 * keep two concurrent writers of one target apart, and would still leave a file behind until the next write.)
 */
public final class AtomicFile {
    /** How long an unlocked temp file must be untouched before the sweep takes it. */
    static final Duration STALE = Duration.ofSeconds(10);
    private static final String TEMP_MARK = ".klp-lsp-";
    private static final Pattern TEMP_NAME = Pattern.compile("\\..*\\.klp-lsp-[0-9a-f]{16}\\.tmp");
    /** Temp names: the process id and a counter, not SecureRandom (10-20 ms in a fresh JVM, a tenth of a CLI run);
     * a name only has to be new, and CREATE_NEW never opens an existing file or a planted link. */
    private static final AtomicLong TEMPORARIES = new AtomicLong();
    /** Temp files this JVM is writing: the sweep must not even open them (closing any descriptor of a file drops
     * the process's POSIX locks on it). */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

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
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            content.writeTo(out);
            out.flush();
        });
    }

    public static void writeChannel(Path target, ChannelContent content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            FileType existing = FileType.of(absolute, LinkOption.NOFOLLOW_LINKS);
            switch (existing) {
                case MISSING, REGULAR -> replace(absolute, dir, existing == FileType.REGULAR, content);
                case CHARACTER_DEVICE -> writeThrough(absolute, content);
                case SYMBOLIC_LINK -> throw new KlpException(target, "is a symbolic link (to "
                        + Files.readSymbolicLink(absolute) + "); klp-lsp does not write through links: name the file"
                        + " itself, or remove the link");
                default -> throw new KlpException(target, "is " + existing.description + "; klp-lsp writes only"
                        + " regular files, or through a character device such as /dev/null");
            }
        } catch (IOException e) {
            throw new KlpException(target, "cannot write: " + KlpException.reason(e), e);
        }
    }

    private static void writeThrough(Path device, ChannelContent content) throws IOException {
        // NOFOLLOW_LINKS: a link swapped in since the check is not followed. No CREATE, no TRUNCATE: a device.
        try (FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            content.writeTo(out);
        }
    }

    private static void replace(Path target, Path dir, boolean exists, ChannelContent content) throws IOException {
        Files.createDirectories(dir);
        sweep(dir);
        String name = target.getFileName().toString();
        // A name stays within NAME_MAX (255 bytes) whatever the target's length.
        String prefix = "." + (name.length() > 100 ? name.substring(0, 100) : name) + TEMP_MARK;
        Path tmp = null;
        try {
            FileChannel channel = null;
            long pid = ProcessHandle.current().pid();
            for (int attempt = 0; channel == null; attempt++) {
                tmp = dir.resolve(prefix + String.format("%08x%08x", pid & 0xffffffffL,
                        TEMPORARIES.incrementAndGet() & 0xffffffffL) + ".tmp");
                WRITING.add(tmp);
                try {
                    // CREATE_NEW (O_EXCL): never an existing file or a planted link; mode 0666 & ~umask, like cp.
                    channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    WRITING.remove(tmp);
                    tmp = null;
                    if (attempt == 100) {
                        throw e;
                    }
                }
            }
            try (FileChannel open = channel; FileLock lock = lockOrNull(open)) {
                content.writeTo(channel);
                if (exists) {
                    copyOwnerAndMode(target, tmp);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            WRITING.remove(tmp);
            tmp = null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original error is the one worth reporting.
                }
                WRITING.remove(tmp);
            }
        }
    }

    /** The temp file's lock, held until the rename; null where the file system has no locks (it still works). */
    private static FileLock lockOrNull(FileChannel channel) {
        try {
            return channel.lock();
        } catch (IOException e) {
            return null;
        }
    }

    /** Gives the new file the owner, group and mode of the one it replaces; ownership only where permitted. */
    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        int uid;
        int gid;
        int mode;
        try {
            uid = (Integer) Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            gid = (Integer) Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            mode = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (NoSuchFileException e) {
            return; // replaced or removed meanwhile: the new file keeps the umask's mode
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // not a Unix file system
        }
        // Owner first: changing the owner clears set-id bits, which the mode then restores.
        if ((Integer) Files.getAttribute(to, "unix:uid") != uid) {
            tryChown(to, "unix:uid", uid);
        }
        if ((Integer) Files.getAttribute(to, "unix:gid") != gid) {
            tryChown(to, "unix:gid", gid);
        }
        Files.setAttribute(to, "unix:mode", mode);
    }

    private static void tryChown(Path file, String attribute, int id) throws IOException {
        try {
            Files.setAttribute(file, attribute, id);
        } catch (FileSystemException e) {
            // Not permitted (an unprivileged user replacing another's file): the new file stays the writer's.
        }
    }

    /** Deletes the temp files in {@code dir} that writers killed mid-write left behind (see the class comment). */
    private static void sweep(Path dir) {
        Instant staleBefore = Instant.now().minus(STALE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + TEMP_MARK + "*.tmp")) {
            for (Path tmp : temps) {
                if (TEMP_NAME.matcher(tmp.getFileName().toString()).matches() && !WRITING.contains(tmp)) {
                    try {
                        sweepIfAbandoned(tmp, staleBefore);
                    } catch (IOException | RuntimeException e) {
                        // Another user's, or gone meanwhile: leave it, go on with the others.
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Sweeping is housekeeping: it never stops the write.
        }
    }

    private static void sweepIfAbandoned(Path tmp, Instant staleBefore) throws IOException {
        if (!Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        FileTime modified = Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS);
        if (modified.toInstant().isAfter(staleBefore)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return; // its writer is alive
            }
            try (lock) {
                Files.deleteIfExists(tmp);
            }
        } catch (OverlappingFileLockException e) {
            // locked within this JVM: a live writer
        }
    }
}
