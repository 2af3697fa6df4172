// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Decodes the kallsyms tables that scripts/kallsyms writes into the {@code .rodata} of a 64-bit little-endian
 * vmlinux (x86_64), found by their structure, never by symbol or hard-coded offset (the image's vmlinux is
 * stripped). The result is every vmlinux symbol in table order with its type letter and address: exactly what
 * {@code kallsyms_on_each_symbol()} walks and {@code /proc/kallsyms} prints, so it is the order sympos counts.
 *
 * <p>The tables, each at an 8-byte aligned label ({@code ALGN}):
 * <ul>
 * <li>{@code kallsyms_token_table}: 256 NUL-terminated tokens; {@code kallsyms_token_index}: 256 u16 offsets
 * into it, the first 0. A symbol is a length (ULEB128, one or two bytes since 6.1's "big" symbols; one byte
 * before) followed by that many token numbers; the first character of the expansion is the type letter.</li>
 * <li>{@code kallsyms_num_syms} (u32, or a pointer-sized word in old kernels), then {@code kallsyms_names},
 * then {@code kallsyms_markers} (the offset of every 256th name; u32, pointer-sized in old kernels).</li>
 * <li>Between the markers and the token table: nothing (up to 6.1 upstream, and 6.4+), or
 * {@code kallsyms_seqs_of_names} as u32 (6.2) or 3 bytes per symbol (6.3, and Debian's 6.1 builds, which carry
 * the backport).</li>
 * <li>Addresses: before {@code kallsyms_num_syms} up to 6.3, after {@code kallsyms_token_index} from 6.4 on
 * ("scripts/kallsyms: change the output order"): either {@code kallsyms_addresses} (one pointer per symbol)
 * or, with CONFIG_KALLSYMS_BASE_RELATIVE, {@code kallsyms_offsets} (s32 per symbol) and
 * {@code kallsyms_relative_base}; with CONFIG_KALLSYMS_ABSOLUTE_PERCPU a non-negative offset is an absolute
 * per-cpu address and a negative one counts down from {@code relative_base - 1}
 * ({@code kallsyms_sym_address()}).</li>
 * </ul>
 *
 * <p>Every candidate is cross-validated: the names must decode to exactly {@code kallsyms_num_syms} entries
 * whose every 256th offset equals its marker, ending where the markers begin; the addresses must be sorted, as
 * scripts/kallsyms sorts the table by address. Anything else is a {@link SymbolSourceException} naming what was
 * not found.
 */
final class KallsymsTables {
    /** The decoded table, in kallsyms order; {@code addresses} are link-time (what a {@code nokaslr} boot shows). */
    record Symbols(int count, String[] names, char[] letters, long[] addresses, String layout) {
    }

    /** Longest token: an expansion of merged pairs, never longer than a name (KSYM_NAME_LEN 512). */
    private static final int MAX_TOKEN = 512;
    /** Bounds the work spent on candidates, so crafted input cannot make the search quadratic. */
    private static final long WORK_BUDGET = 1L << 30;

    private final Path path;
    private final byte[] image;
    private final int length;
    private final ByteBuffer buffer;
    private long work;

    private KallsymsTables(Path path, byte[] image, int length) {
        this.path = path;
        this.image = image;
        this.length = length;
        this.buffer = ByteBuffer.wrap(image, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Decodes the tables of the image {@code image[0, length)} (a decompressed vmlinux). */
    static Symbols decode(Path path, byte[] image, int length) {
        return new KallsymsTables(path, image, length).decode();
    }

    private record Tokens(int table, int index, byte[][] tokens) {
    }

    private record Names(int numSyms, int start, int count, String between, int markerWidth) {
    }

    private Symbols decode() {
        boolean sawTokens = false;
        for (int q = 0; q + 512 <= length; q += 2) {
            if (image[q] != 0 || image[q + 1] != 0) {
                continue;
            }
            Tokens tokens = tokensAt(q);
            if (tokens == null) {
                continue;
            }
            sawTokens = true;
            Names names = findNames(tokens);
            if (names == null) {
                continue;
            }
            long[] addresses = findAddresses(tokens, names);
            if (addresses == null) {
                throw new SymbolSourceException(path, "found the kallsyms name tables (" + names.count
                        + " symbols, kallsyms_names at payload offset 0x" + Integer.toHexString(names.start)
                        + ") but no sorted kallsyms_offsets + kallsyms_relative_base or kallsyms_addresses before"
                        + " kallsyms_num_syms or after kallsyms_token_index: a kallsyms layout klp-lsp does not know");
            }
            return symbols(tokens, names, addresses);
        }
        if (budgetExhausted()) {
            throw new SymbolSourceException(path, "gave up searching the kallsyms tables after " + WORK_BUDGET
                    + " steps (a payload built to be slow to search?)");
        }
        throw new SymbolSourceException(path, sawTokens
                ? "found a kallsyms_token_table/kallsyms_token_index pair but no kallsyms_num_syms, kallsyms_names and"
                        + " kallsyms_markers before it that agree with each other: a kallsyms layout klp-lsp does not"
                        + " know (covered: 64-bit little-endian kernels, the layouts of scripts/kallsyms up to 6.x)"
                : "no kallsyms tables in the decompressed kernel (no kallsyms_token_table/kallsyms_token_index"
                        + " pair): built without CONFIG_KALLSYMS, or not an x86_64 kernel");
    }

    /**
     * The token table whose index starts at {@code q}, or null: 256 increasing u16s, tokens ending in NULs. A token
     * may be empty: scripts/kallsyms leaves the codes it found no profitable pair for empty.
     */
    private Tokens tokensAt(int q) {
        // Most positions fail at the first step (zero runs are common): test it before allocating anything.
        int first = u16(q + 2);
        if (first < 1 || first > MAX_TOKEN + 1) {
            return null;
        }
        int[] index = new int[256];
        for (int i = 1; i < 256; i++) {
            index[i] = u16(q + 2 * i);
            int step = index[i] - index[i - 1];
            if (step < 1 || step > MAX_TOKEN + 1) {
                return null;
            }
        }
        // The table ends (NUL of token 255) less than 8 bytes before the 8-aligned index label.
        for (int padding = 0; padding < 8; padding++) {
            int end = q - padding; // one past the last NUL
            for (int lastLength = 0; lastLength <= MAX_TOKEN; lastLength++) {
                int table = end - lastLength - 1 - index[255];
                if (table < 0) {
                    break;
                }
                if ((q - table) % 8 != 0) {
                    continue;
                }
                byte[][] tokens = tokensFrom(table, index, end);
                if (tokens != null) {
                    return new Tokens(table, q, tokens);
                }
            }
        }
        return null;
    }

    private byte[][] tokensFrom(int table, int[] index, int end) {
        if (image[end - 1] != 0) {
            return null;
        }
        for (int p = end; p < end + 8 && p < length && (p - table) % 8 != 0; p++) {
            if (image[p] != 0) {
                return null; // ALGN pads with zeros
            }
        }
        byte[][] tokens = new byte[256][];
        for (int i = 0; i < 256; i++) {
            int from = table + index[i];
            int to = i < 255 ? table + index[i + 1] - 1 : end - 1;
            if (to < from || image[to] != 0) {
                return null;
            }
            for (int p = from; p < to; p++) {
                if (image[p] == 0) {
                    return null;
                }
            }
            tokens[i] = java.util.Arrays.copyOfRange(image, from, to);
        }
        return tokens;
    }

    /** Scans back from the token table for kallsyms_num_syms: the one whose names and markers agree. */
    private Names findNames(Tokens tokens) {
        int t = tokens.table;
        for (int p = t - 16; p >= 0; p -= 8) {
            if (++work > WORK_BUDGET) {
                return null;
            }
            long n = u32(p);
            int start = p + 8;
            if (n == 0 || n > (t - start) / 2) {
                continue;
            }
            int count = (int) n;
            int markers = (count + 255) / 256;
            // What lies between the markers and the token table, by kernel version.
            String[] betweenNames = {"nothing", "kallsyms_seqs_of_names (3 bytes per symbol)",
                "kallsyms_seqs_of_names (u32 per symbol)"};
            long[] betweenSizes = {0, 3L * count, 4L * count};
            for (int b = 0; b < betweenSizes.length; b++) {
                for (int width = 4; width <= 8; width += 4) {
                    long markersStart = t - align8(betweenSizes[b]) - align8((long) width * markers);
                    if (markersStart - start < 2L * count) {
                        continue;
                    }
                    if (namesAgree(start, count, (int) markersStart, width)) {
                        return new Names(p, start, count, betweenNames[b], width);
                    }
                }
            }
        }
        return null;
    }

    /** Whether {@code count} names from {@code start} end just before the markers and match every marker. */
    private boolean namesAgree(int start, int count, int markersStart, int width) {
        int markers = (count + 255) / 256;
        if (marker(markersStart, width, 0) != 0 || marker(markersStart, width, markers - 1) >= markersStart - start
                || (markers > 1 && marker(markersStart, width, 1) == 0)) {
            return false;
        }
        int at = start;
        for (int i = 0; i < count; i++) {
            if ((i & 0xff) == 0 && marker(markersStart, width, i >> 8) != at - start) {
                return false;
            }
            if (at >= markersStart) {
                return false;
            }
            int len = image[at] & 0xff;
            if (len == 0) {
                return false;
            }
            if ((len & 0x80) != 0) {
                if (at + 1 >= markersStart) {
                    return false;
                }
                len = (len & 0x7f) | (image[at + 1] & 0xff) << 7;
                at += 2;
            } else {
                at += 1;
            }
            at += len;
            work++;
        }
        // The markers label is aligned right after the names: fewer than 8 padding bytes.
        return at <= markersStart && markersStart - at < 8;
    }

    private long marker(int markersStart, int width, int i) {
        long at = markersStart + (long) width * i;
        if (at < 0 || at + width > length) {
            return -1;
        }
        return width == 4 ? u32((int) at) : buffer.getLong((int) at);
    }

    /** The addresses, from whichever place and form gives a sorted table; null when none does. */
    private long[] findAddresses(Tokens tokens, Names names) {
        int n = names.count;
        int before = names.numSyms;
        int after = tokens.index + 512;
        // Up to 6.3: kallsyms_offsets, kallsyms_relative_base, kallsyms_num_syms (or kallsyms_addresses, then
        // kallsyms_num_syms). From 6.4: after kallsyms_token_index, kallsyms_offsets then kallsyms_relative_base
        // (or kallsyms_addresses).
        long[] found = relative(before - 8 - align8(4L * n), before - 8, n);
        if (found == null) {
            found = absolute(before - 8L * n, n);
        }
        if (found == null) {
            found = relative(after, after + align8(4L * n), n);
        }
        if (found == null) {
            found = absolute(after, n);
        }
        return found;
    }

    private long[] relative(long offsets, long base, int n) {
        if (offsets < 0 || base < 0 || base + 8 > length || offsets + 4L * n > length) {
            return null;
        }
        long relativeBase = buffer.getLong((int) base);
        boolean absolutePercpu = false;
        for (int i = 0; i < n && !absolutePercpu; i++) {
            absolutePercpu = buffer.getInt((int) offsets + 4 * i) < 0;
        }
        long[] addresses = new long[n];
        for (int i = 0; i < n; i++) {
            int offset = buffer.getInt((int) offsets + 4 * i);
            if (!absolutePercpu) {
                addresses[i] = relativeBase + (offset & 0xffffffffL);
            } else if (offset >= 0) {
                addresses[i] = offset;
            } else {
                addresses[i] = relativeBase - 1 - offset;
            }
        }
        return sorted(addresses) ? addresses : null;
    }

    private long[] absolute(long start, int n) {
        if (start < 0 || start + 8L * n > length) {
            return null;
        }
        long[] addresses = new long[n];
        for (int i = 0; i < n; i++) {
            addresses[i] = buffer.getLong((int) start + 8 * i);
        }
        return sorted(addresses) ? addresses : null;
    }

    private static boolean sorted(long[] addresses) {
        for (int i = 1; i < addresses.length; i++) {
            if (Long.compareUnsigned(addresses[i - 1], addresses[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Expands every name ({@code kallsyms_expand_symbol()}); the first character is the type letter. */
    private Symbols symbols(Tokens tokens, Names names, long[] addresses) {
        int n = names.count;
        String[] out = new String[n];
        char[] letters = new char[n];
        byte[] buf = new byte[4 * MAX_TOKEN];
        int at = names.start;
        for (int i = 0; i < n; i++) {
            int len = image[at] & 0xff;
            if ((len & 0x80) != 0) {
                len = (len & 0x7f) | (image[at + 1] & 0xff) << 7;
                at += 2;
            } else {
                at += 1;
            }
            int used = 0;
            for (int k = 0; k < len; k++) {
                byte[] token = tokens.tokens[image[at + k] & 0xff];
                if (used + token.length > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, used + token.length));
                }
                System.arraycopy(token, 0, buf, used, token.length);
                used += token.length;
            }
            at += len;
            if (used < 2) {
                throw new SymbolSourceException(path, "kallsyms symbol " + i + " expands to '"
                        + new String(buf, 0, used, StandardCharsets.ISO_8859_1) + "': no type letter and name");
            }
            letters[i] = (char) (buf[0] & 0xff);
            out[i] = new String(buf, 1, used - 1, StandardCharsets.ISO_8859_1);
        }
        String layout = n + " symbols, " + names.markerWidth * 8 + "-bit markers, between markers and token table: "
                + names.between;
        return new Symbols(n, out, letters, addresses, layout);
    }

    private boolean budgetExhausted() {
        return work > WORK_BUDGET;
    }

    private int u16(int at) {
        return buffer.getShort(at) & 0xffff;
    }

    private long u32(int at) {
        return buffer.getInt(at) & 0xffffffffL;
    }

    private static long align8(long value) {
        return (value + 7) & ~7L;
    }
}
