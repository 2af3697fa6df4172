// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.github.luben.zstd.ZstdInputStream;
import dev.klplsp.base.InputFile;
import dev.klplsp.base.KlpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/** Reads input files, transparently decompressing xz, zstd and gzip, and tells their format by content. */
final class InputFiles {
    /** The formats a --symbols file may have. */
    enum Format {
        VMLINUX_ELF("vmlinux ELF"), KERNEL_IMAGE("x86 kernel image (vmlinuz)"), MODULE_ELF("kernel module (.ko)"),
        SYSTEM_MAP("System.map"),
        KALLSYMS("/proc/kallsyms dump"), SYMBOLS_KLP("klp-convert symbols.klp"), SYMVERS("Module.symvers"),
        MODULES_BUILTIN("modules.builtin");

        final String description;

        Format(String description) {
            this.description = description;
        }
    }

    static final String ACCEPTED = "accepted: vmlinux (ELF), vmlinuz (x86 bzImage), System.map, a /proc/kallsyms dump, klp-convert"
            + " symbols.klp, Module.symvers, modules.builtin, kernel modules (.ko, .ko.xz, .ko.zst, .ko.gz)";

    private static final java.util.regex.Pattern NM_LINE =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{1,16} \\S \\S+(\t\\[\\S+\\])?");
    private static final java.util.regex.Pattern SYMVERS_LINE =
            java.util.regex.Pattern.compile("0x[0-9a-fA-F]+\t\\S+\t\\S+\tEXPORT_\\S+(\t\\S*)?");
    private static final java.util.regex.Pattern BUILTIN_LINE = java.util.regex.Pattern.compile("\\S+\\.ko");

    private InputFiles() {
    }

    /** A symbol file or compressed module, decompressed (both within their limits, see {@link InputFile}). */
    static byte[] read(Path path) {
        return decompress(path, InputFile.readAllBytes(path, InputFile.SYMBOL_FILE, SymbolSourceException::new));
    }

    /** The first bytes of a file as stored (not decompressed); empty unless it is a readable regular file. */
    static byte[] headOfRegular(Path path, int length) {
        try {
            return InputFile.head(path, length, InputFile.SYMBOL_SOURCE, SymbolSourceException::new);
        } catch (KlpException e) {
            return new byte[0];
        }
    }

    static boolean isCompressed(byte[] b) {
        return isXz(b) || isZstd(b) || isGzip(b);
    }

    static byte[] decompress(Path path, byte[] raw) {
        return decompress(path, raw, InputFile.DECOMPRESSED.maxBytes());
    }

    /** The decompressed bytes, at most {@code limit} of them (more is an input error). */
    static byte[] decompress(Path path, byte[] raw, long limit) {
        try {
            InputStream compressed = new ByteArrayInputStream(raw);
            InputStream in = isXz(raw) ? new XZInputStream(compressed) : isZstd(raw) ? new ZstdInputStream(compressed)
                    : isGzip(raw) ? new GZIPInputStream(compressed) : null;
            if (in == null) {
                return raw;
            }
            try (in) {
                return InputFile.readBounded(in, limit, path, SymbolSourceException::new);
            }
        } catch (IOException | RuntimeException e) {
            // xz and zstd-jni report some corruptions as unchecked exceptions.
            if (e instanceof SymbolSourceException input) {
                throw input;
            }
            throw new SymbolSourceException(path, "corrupt compressed data: " + e.getMessage(), e);
        }
    }

    private static boolean isXz(byte[] b) {
        return b.length >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z'
                && b[5] == 0;
    }

    private static boolean isZstd(byte[] b) {
        return b.length >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
                && (b[3] & 0xff) == 0xfd;
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Reads the first bytes of a file (decompressed if it is compressed) to tell its format. */
    static byte[] head(Path path, int length) {
        // Only the first bytes: a 633 MB -dbg vmlinux is a valid --symbols file, a 633 MB System.map is not.
        byte[] head = InputFile.head(path, length, InputFile.SYMBOL_SOURCE, SymbolSourceException::new);
        if (isCompressed(head)) {
            byte[] all = read(path);
            return java.util.Arrays.copyOf(all, Math.min(length, all.length));
        }
        return head;
    }

    /**
     * Tells a file's format from its content: ELF type for vmlinux vs module, the symbols.klp header, the
     * shape of the first meaningful lines for the text formats.
     */
    static Format detect(Path path) {
        return detect(path, head(path, 4096));
    }

    /** {@link #detect(Path)} on the first (decompressed) bytes of the file. */
    static Format detect(Path path, byte[] head) {
        if (isElf(head)) {
            if (head.length < 18) {
                throw new SymbolSourceException(path, "truncated ELF file (" + head.length + " bytes)");
            }
            boolean littleEndian = head[5] != 2;
            int elfType = littleEndian ? (head[16] & 0xff) | (head[17] & 0xff) << 8
                    : (head[17] & 0xff) | (head[16] & 0xff) << 8;
            return elfType == 1 ? Format.MODULE_ELF : Format.VMLINUX_ELF;
        }
        if (KernelImage.looksLike(head)) {
            return Format.KERNEL_IMAGE;
        }
        if (SymbolsKlpFile.looksLike(head)) {
            return Format.SYMBOLS_KLP;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n");
        // The last line of the head may be cut off; judge by complete ones.
        int complete = head.length == 4096 ? Math.max(1, lines.length - 1) : lines.length;
        int nm = 0;
        int symvers = 0;
        int builtin = 0;
        int tagged = 0;
        int judged = 0;
        boolean allZeroAddresses = true;
        for (int i = 0; i < complete; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            judged++;
            if (NM_LINE.matcher(line).matches()) {
                nm++;
                allZeroAddresses &= line.substring(0, line.indexOf(' ')).chars().allMatch(ch -> ch == '0');
                if (line.contains("\t[")) {
                    tagged++;
                }
            } else if (SYMVERS_LINE.matcher(line).matches()) {
                symvers++;
            } else if (BUILTIN_LINE.matcher(line).matches()) {
                builtin++;
            } else if (line.contains("The real System.map is in")) {
                throw new SymbolSourceException(path, "this is Debian's placeholder System.map; the real one is in"
                        + " the linux-image-<release>-dbg package (/usr/lib/debug/boot/System.map-<release>)");
            }
        }
        // Mostly nm lines: an nm list with a few bad lines, which the parser reports by line number.
        if (nm > 0 && nm * 2 > judged) {
            String fileName = path.getFileName().toString();
            // An unprivileged /proc/kallsyms read shows every address as 0; System.map never does.
            if (tagged > 0 || fileName.contains("kallsyms") || allZeroAddresses) {
                return Format.KALLSYMS;
            }
            return Format.SYSTEM_MAP;
        }
        if (judged > 0 && symvers == judged) {
            return Format.SYMVERS;
        }
        if (judged > 0 && builtin == judged) {
            return Format.MODULES_BUILTIN;
        }
        throw new SymbolSourceException(path, "unknown symbol file format; " + ACCEPTED);
    }
}
