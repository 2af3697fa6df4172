// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way klp-lsp opens a file it reads from outside: only regular files are read (a fifo blocks its reader
 * forever, a device such as /dev/zero never ends), and each kind of input has a size limit, checked before a
 * byte is read. Symbolic links are followed: reading through a link harms nothing.
 *
 * <p>Limits, each far above any real input of its kind (Debian 6.1: the largest module, amdgpu.ko, is 19 MB;
 * the -dbg vmlinux 633 MB; System.map 4 MB; a kallsyms dump 12 MB):
 * <ul>
 * <li>{@link #ELF_OBJECT} 1 GiB: a module read whole into memory ({@code elf}, {@code check}, {@code convert});</li>
 * <li>{@link #ELF_SYMBOLS} 2 GiB - 1: an ELF file whose symbol table is read through a memory map (vmlinux,
 *     the modules of a tree); a Java buffer holds no more. {@link #SYMBOL_SOURCE}, the same: the first look at
 *     a --symbols file, whose format then decides its limit;</li>
 * <li>{@link #SYMBOL_FILE} 128 MiB: System.map, a kallsyms dump, Module.symvers, modules.builtin,
 *     symbols.klp, a compressed module (.ko.xz, .ko.zst, .ko.gz) as stored;</li>
 * <li>{@link #DECOMPRESSED} 128 MiB: what a compressed input may expand to (it is held in memory, by up to
 *     8 indexing threads at once);</li>
 * <li>{@link #PROJECT_FILE} 1 MiB: the project file .klp-lsp.json; {@link #CHOICES_FILE} 1 MiB: a
 *     {@code --sympos-file};</li>
 * <li>{@link #INDEX_CACHE} 2 GiB - 1: klp-lsp's own index cache, memory-mapped;</li>
 * <li>{@link #C_SOURCE} 8 MiB: a C source the source checks read from disk (a livepatch source is a few KB, the
 *     largest kernel .c files a few MB);</li>
 * <li>{@link #BUILD_FILE} 1 MiB: a workspace's Makefile or Kbuild, read for the kernel it builds against.</li>
 * </ul>
 * A file can still be swapped for a fifo between the check and the open (only by someone who can write its
 * directory); reads stop at the size that was checked, so nothing else can make a read unbounded.
 */
public final class InputFile {
    /** A kind of input: how it is named in messages, and its size limit in bytes. */
    public record Kind(String plural, long maxBytes) {
    }

    public static final Kind ELF_OBJECT = new Kind("ELF objects", 1L << 30);
    public static final Kind ELF_SYMBOLS = new Kind("ELF files", Integer.MAX_VALUE);
    /** Any symbol source before its format is known (its format's limit applies when it is read). */
    public static final Kind SYMBOL_SOURCE = new Kind("symbol sources", Integer.MAX_VALUE);
    public static final Kind SYMBOL_FILE = new Kind("symbol files", 128L << 20);
    public static final Kind DECOMPRESSED = new Kind("decompressed files", 128L << 20);
    public static final Kind PROJECT_FILE = new Kind("project files", 1L << 20);
    public static final Kind CHOICES_FILE = new Kind("choices files", 1L << 20);
    public static final Kind C_SOURCE = new Kind("C sources", 8L << 20);
    /** A workspace's Makefile or Kbuild, read for the kernel it builds against; a module's is a few KB. */
    public static final Kind BUILD_FILE = new Kind("build files", 1L << 20);
    /** A compressed kernel image (vmlinuz); Debian's are about 8 MB. */
    public static final Kind KERNEL_IMAGE = new Kind("kernel images", 256L << 20);
    public static final Kind INDEX_CACHE = new Kind("index caches", Integer.MAX_VALUE);

    /** Builds the caller's kind of input error (ElfFormatException, SymbolSourceException, ...). */
    @FunctionalInterface
    public interface Errors {
        KlpException error(Path path, String message, Throwable cause);
    }

    private InputFile() {
    }

    /**
     * Checks that {@code path} is a regular file (after following links) of at most the kind's limit.
     *
     * @return its size
     */
    public static long requireRegular(Path path, Kind kind, Errors errors) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw errors.error(path, "cannot read: " + KlpException.reason(e), e);
        }
        if (!attributes.isRegularFile()) {
            throw errors.error(path, "is " + FileType.of(path, attributes).description + ", not a regular file;"
                    + " klp-lsp reads only regular files", null);
        }
        if (attributes.size() > kind.maxBytes()) {
            throw errors.error(path, String.format("is %,d bytes; klp-lsp reads %s of at most %s", attributes.size(),
                    kind.plural(), size(kind.maxBytes())), null);
        }
        return attributes.size();
    }

    /** The whole content of a regular file of at most the kind's limit. */
    public static byte[] readAllBytes(Path path, Kind kind, Errors errors) {
        long size = requireRegular(path, kind, errors);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes) < 0) {
                    throw errors.error(path, "cannot read: the file shrank while it was read", null);
                }
            }
            if (channel.read(ByteBuffer.allocate(1)) > 0) {
                throw errors.error(path, "cannot read: the file grew while it was read", null);
            }
            return bytes.array();
        } catch (IOException e) {
            throw errors.error(path, "cannot read: " + KlpException.reason(e), e);
        }
    }

    /** Up to {@code length} first bytes of a regular file of at most the kind's limit. */
    public static byte[] head(Path path, int length, Kind kind, Errors errors) {
        requireRegular(path, kind, errors);
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw errors.error(path, "cannot read: " + KlpException.reason(e), e);
        }
    }

    /**
     * A read-only memory map of a regular file of at most the kind's limit (which must not exceed 2 GiB - 1).
     * The map outlives the file: replacing or deleting it is harmless, truncating it in place is not.
     */
    public static ByteBuffer map(Path path, Kind kind, Errors errors) {
        long size = requireRegular(path, kind, errors);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long mapped = Math.min(size, channel.size());
            return mapped == 0 ? ByteBuffer.allocate(0) : channel.map(FileChannel.MapMode.READ_ONLY, 0, mapped);
        } catch (IOException e) {
            throw errors.error(path, "cannot read: " + KlpException.reason(e), e);
        }
    }

    /**
     * Reads a stream (a decompressor) to its end, refusing to go past {@code limit} bytes: a corrupt file or a
     * decompression bomb (3 MB of gzip that expands to 3 GiB) is an input error, not an exhausted heap.
     */
    public static byte[] readBounded(InputStream in, long limit, Path path, Errors errors) {
        try {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw errors.error(path, "decompresses to more than " + size(limit) + ", the limit (corrupt, or a"
                        + " decompression bomb)", null);
            }
            return bytes;
        } catch (IOException e) {
            throw errors.error(path, "corrupt compressed data: " + KlpException.reason(e), e);
        }
    }

    /** 1 GiB, 256 MiB, 100 bytes: limits are round numbers. */
    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        return String.format("%,d bytes", bytes);
    }
}
