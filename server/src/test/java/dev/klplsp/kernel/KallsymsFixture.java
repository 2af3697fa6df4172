// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes kallsyms tables laid out as scripts/kallsyms of each kernel version does (8-byte aligned labels, zero
 * padding), inside filler bytes, and wraps payloads into x86 bzImages compressed by the real compressors. For the
 * layouts no image on this machine has; the real Debian images are the proof for theirs (KernelImageRealTest).
 */
final class KallsymsFixture {
    /** A table entry: type letter, name, address. */
    record Sym(char letter, String name, long address) {
    }

    /** Where the tables go, by kernel version (see KallsymsTables). */
    enum Layout {
        /** Up to 6.1 upstream: offsets, relative_base, num_syms, names, markers, token table, token index. */
        V6_1,
        /** 6.2: u32 kallsyms_seqs_of_names between the markers and the token table. */
        V6_2,
        /** 6.3 and Debian's 6.1 builds: 3-byte kallsyms_seqs_of_names there. */
        V6_3,
        /** 6.4+: num_syms, names, markers, token table, token index, offsets, relative_base, seqs_of_names. */
        V6_4,
        /** Without CONFIG_KALLSYMS_BASE_RELATIVE, as old kernels wrote it: pointer-sized addresses, count, markers. */
        ABSOLUTE_OLD
    }

    static final long BASE = 0xffffffff81000000L;

    private KallsymsFixture() {
    }

    /**
     * A sorted symbol list like a small kernel's: per-cpu symbols at small absolute addresses first (type 'A'),
     * then text and data with duplicated names, a name long enough for a two-byte length, and enough symbols for
     * several markers.
     */
    static List<Sym> symbols() {
        List<Sym> symbols = new ArrayList<>();
        symbols.add(new Sym('A', "fixed_percpu_data", 0));
        symbols.add(new Sym('A', "__per_cpu_start", 0));
        symbols.add(new Sym('A', "cpu_debug_store", 0x1000));
        symbols.add(new Sym('T', "_text", BASE));
        symbols.add(new Sym('T', "startup_64", BASE));
        long address = BASE + 0x40;
        for (int i = 0; i < 700; i++) {
            String name = switch (i % 7) {
                case 0 -> "do_poweroff";
                case 1 -> "cpumask_weight";
                case 2 -> "__func__." + i;
                case 3 -> "size_show";
                default -> "sym_" + i + "_handler";
            };
            char letter = "tTdDbBrR".charAt(i % 8);
            symbols.add(new Sym(letter, name, address));
            address += 16 + (i % 5) * 8;
        }
        symbols.add(new Sym('t', "a_very_long_rust_like_symbol_" + "x".repeat(180), address));
        symbols.add(new Sym('D', "_end", address + 0x100));
        return symbols;
    }

    /** The tables in a layout, after {@code filler} bytes and followed by some more. */
    static byte[] image(Layout layout, List<Sym> symbols, int filler) {
        Encoding encoding = encode(symbols);
        Out out = new Out();
        Random random = new Random(filler);
        for (int i = 0; i < filler; i++) {
            out.u8(random.nextInt(256));
        }
        out.align();
        int n = symbols.size();
        switch (layout) {
            case V6_1, V6_2, V6_3 -> {
                offsets(out, symbols);
                out.u64(BASE);
                names(out, n, encoding);
                if (layout != Layout.V6_1) {
                    seqs(out, n, layout == Layout.V6_2 ? 4 : 3);
                }
                tokens(out, encoding);
            }
            case V6_4 -> {
                names(out, n, encoding);
                tokens(out, encoding);
                offsets(out, symbols);
                out.u64(BASE);
                out.align();
                seqs(out, n, 3);
            }
            case ABSOLUTE_OLD -> {
                for (Sym sym : symbols) {
                    out.u64(sym.address);
                }
                out.u64(n); // PTR kallsyms_num_syms
                out.align();
                for (byte[] entry : encoding.entries) {
                    out.bytes(entry);
                }
                out.align();
                for (int marker : encoding.markers) {
                    out.u64(marker); // PTR markers
                }
                out.align();
                tokens(out, encoding);
            }
            default -> throw new IllegalStateException();
        }
        for (int i = 0; i < 100; i++) {
            out.u8(random.nextInt(256));
        }
        return out.toByteArray();
    }

    private static void names(Out out, int n, Encoding encoding) {
        out.align();
        out.u32(n);
        out.align();
        for (byte[] entry : encoding.entries) {
            out.bytes(entry);
        }
        out.align();
        for (int marker : encoding.markers) {
            out.u32(marker);
        }
        out.align();
    }

    /** kallsyms_offsets with CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP), as write_src() computes them. */
    private static void offsets(Out out, List<Sym> symbols) {
        out.align();
        for (Sym sym : symbols) {
            long offset = Long.compareUnsigned(sym.address, BASE) < 0 ? sym.address : BASE - sym.address - 1;
            out.u32((int) offset);
        }
        out.align();
    }

    private static void seqs(Out out, int n, int width) {
        out.align();
        for (int i = 0; i < n; i++) {
            int seq = (i * 7919) % n; // a permutation; its content is never read
            if (width == 4) {
                out.u32(seq);
            } else {
                out.u8(seq >> 16);
                out.u8(seq >> 8);
                out.u8(seq);
            }
        }
        out.align();
    }

    private static void tokens(Out out, Encoding encoding) {
        out.align();
        int[] index = new int[256];
        int at = 0;
        for (int i = 0; i < 256; i++) {
            index[i] = at;
            out.bytes(encoding.tokens[i]);
            out.u8(0);
            at += encoding.tokens[i].length + 1;
        }
        out.align();
        for (int i = 0; i < 256; i++) {
            out.u16(index[i]);
        }
        out.align();
    }

    /** Token table (every used character stands for itself, free codes hold pairs or stay empty) and names. */
    private record Encoding(byte[][] tokens, List<byte[]> entries, List<Integer> markers) {
    }

    private static Encoding encode(List<Sym> symbols) {
        byte[][] tokens = new byte[256][];
        boolean[] used = new boolean[256];
        Map<String, Integer> pairs = new LinkedHashMap<>();
        for (Sym sym : symbols) {
            String text = sym.letter + sym.name;
            for (int i = 0; i < text.length(); i++) {
                used[text.charAt(i)] = true;
                if (i + 1 < text.length()) {
                    pairs.merge(text.substring(i, i + 2), 1, Integer::sum);
                }
            }
        }
        List<String> best = pairs.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(Map.Entry::getKey).toList();
        Map<String, Integer> pairCode = new LinkedHashMap<>();
        int next = 0;
        for (int code = 255; code >= 0; code--) {
            if (used[code]) {
                tokens[code] = new byte[] {(byte) code};
            } else if (code > 8 && next < best.size()) {
                tokens[code] = best.get(next).getBytes(StandardCharsets.ISO_8859_1);
                pairCode.put(best.get(next++), code);
            } else {
                tokens[code] = new byte[0]; // scripts/kallsyms leaves unprofitable slots empty
            }
        }
        List<byte[]> entries = new ArrayList<>();
        List<Integer> markers = new ArrayList<>();
        int offset = 0;
        for (int s = 0; s < symbols.size(); s++) {
            String text = symbols.get(s).letter + symbols.get(s).name;
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (int i = 0; i < text.length(); i++) {
                Integer code = i + 1 < text.length() ? pairCode.get(text.substring(i, i + 2)) : null;
                if (code != null) {
                    data.write(code);
                    i++;
                } else {
                    data.write(text.charAt(i));
                }
            }
            byte[] body = data.toByteArray();
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            if (body.length <= 0x7f) {
                entry.write(body.length);
            } else {
                entry.write((body.length & 0x7f) | 0x80);
                entry.write(body.length >> 7);
            }
            entry.writeBytes(body);
            if (s % 256 == 0) {
                markers.add(offset);
            }
            offset += entry.size();
            entries.add(entry.toByteArray());
        }
        return new Encoding(tokens, entries, markers);
    }

    /** A little-endian byte sink whose align() pads with zeros to 8, as ALGN (.balign 8) does. */
    private static final class Out extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u16(int v) {
            write(v);
            write(v >> 8);
        }

        void u32(int v) {
            writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void u64(long v) {
            writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void bytes(byte[] b) {
            writeBytes(b);
        }

        void align() {
            while (size() % 8 != 0) {
                write(0);
            }
        }
    }

    /**
     * An x86 bzImage around {@code vmlinux} compressed by the real tool, as arch/x86/boot/compressed/Makefile
     * does ({@code xz} with the x86 BCJ filter and CRC32 like scripts/xz_wrap.sh, {@code lz4 -l}, ...), with
     * the size trailer (size_append) and a setup header pointing at it.
     */
    static byte[] bzImage(Path work, byte[] vmlinux, String compression) throws IOException {
        Path raw = Files.createTempFile(work, "vmlinux", ".bin");
        Files.write(raw, vmlinux);
        Path packed = work.resolve(raw.getFileName() + "." + compression);
        String in = raw.toString();
        String out = packed.toString();
        List<String> command = switch (compression) {
            case "xz" -> List.of("sh", "-c", "xz --format=xz --check=crc32 --x86 --lzma2=dict=1MiB -c " + in + " > " + out);
            case "lzma" -> List.of("sh", "-c", "xz --format=lzma -9 -c " + in + " > " + out);
            // The kernel compresses harder (gzip -9, zstd -22 --ultra, lz4 -l -9); the formats are the same and the
            // default levels keep the 66 MB real-image test quick.
            case "gzip" -> List.of("sh", "-c", "gzip -n -c " + in + " > " + out);
            case "zstd" -> List.of("zstd", "-q", "-f", in, "-o", out);
            case "lz4" -> List.of("lz4", "-q", "-l", "-f", in, out);
            default -> throw new IllegalArgumentException(compression);
        };
        Processes.run(work, command);
        byte[] compressed = Files.readAllBytes(packed);
        return wrap(compressed, vmlinux.length);
    }

    /** A bzImage (boot protocol 2.15, one setup sector) whose payload is {@code compressed} + size trailer. */
    static byte[] wrap(byte[] compressed, int uncompressedSize) {
        int setupSects = 1;
        int payloadOffset = 0x40;
        int start = (setupSects + 1) * 512 + payloadOffset;
        ByteBuffer image = ByteBuffer.allocate(start + compressed.length + 4 + 64).order(ByteOrder.LITTLE_ENDIAN);
        image.put(0, (byte) 'M').put(1, (byte) 'Z');
        image.put(0x1f1, (byte) setupSects);
        image.putShort(0x1fe, (short) 0xaa55);
        image.put(0x202, "HdrS".getBytes(StandardCharsets.ISO_8859_1));
        image.putShort(0x206, (short) 0x020f);
        image.putInt(0x248, payloadOffset);
        image.putInt(0x24c, compressed.length + 4);
        image.put(start, compressed);
        image.putInt(start + compressed.length, uncompressedSize);
        return image.array();
    }

    /** A directory for temporary fixture files under the fixture cache. */
    static Path workDir(String name) throws IOException {
        Path dir = Fixtures.repoRoot().resolve("server/target/kallsyms-fixtures").resolve(name);
        Files.createDirectories(dir);
        return dir;
    }
}
