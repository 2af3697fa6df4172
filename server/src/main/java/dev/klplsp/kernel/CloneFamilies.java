// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps a function name to the names of its compiler clones ({@code foo.isra.0}, {@code foo.constprop.0.isra.0},
 * {@code foo.cold}, {@code foo.llvm.123456}). Computed once when the index is built and stored in its layout
 * (and so in the cache), because finding the clones of one name otherwise means scanning every name of the
 * kernel (486,599 on Debian's 6.1), which cost 60-160 ms in every fresh process that checks a function reference.
 *
 * <p>The layout holds three columns: the hashes ({@link NameInterner#hash}) of the base names, sorted; per base,
 * where its clones start; and the clone name ids, grouped by base. The base name itself need not be a symbol
 * (an original fully inlined away leaves only {@code foo.isra.0}), so it is not in the name table: a query
 * hashes the name, finds the bases with that hash by binary search, and confirms the base by decoding one clone.
 */
final class CloneFamilies {
    private static final int[] NONE = new int[0];

    private final NameTable names;
    private final Column baseHashes;
    private final Column cloneStart;
    private final Column cloneIds;

    CloneFamilies(NameTable names, Column baseHashes, Column cloneStart, Column cloneIds) {
        if (cloneStart.size() != baseHashes.size() + 1
                || (baseHashes.size() > 0 && cloneStart.get(baseHashes.size()) != cloneIds.size())) {
            throw new IllegalStateException("inconsistent clone families");
        }
        this.names = names;
        this.baseHashes = baseHashes;
        this.cloneStart = cloneStart;
        this.cloneIds = cloneIds;
    }

    /** See {@link KernelIndex#verify()}: each base's clones are a range of the clone ids, each a name id. */
    void verify(int nameCount) {
        KernelIndex.requireRanges(cloneStart, cloneIds.size(), "clone family");
        KernelIndex.require(cloneIds.allWithin(0, nameCount - 1), "a clone name id");
        if (!baseHashes.nonDecreasing()) {
            throw new IllegalStateException("clone family hashes out of order");
        }
    }

    /** The name ids of the clones of {@code name}, in id order; empty when it has none. */
    int[] clonesOf(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int hash = NameInterner.hash(bytes, 0, bytes.length);
        int low = 0;
        int high = baseHashes.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (baseHashes.get(middle) < hash) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int base = low; base < baseHashes.size() && baseHashes.get(base) == hash; base++) {
            int first = cloneIds.get(cloneStart.get(base));
            if (name.equals(baseOf(names.get(first)))) {
                int[] clones = new int[cloneStart.get(base + 1) - cloneStart.get(base)];
                for (int i = 0; i < clones.length; i++) {
                    clones[i] = cloneIds.get(cloneStart.get(base) + i);
                }
                return clones;
            }
        }
        return NONE;
    }

    /** The three columns of the layout, computed from every interned name. */
    record Encoded(int[] baseHashes, int[] cloneStart, int[] cloneIds) {
    }

    static Encoded encode(NameInterner names) {
        byte[] blob = names.blob();
        int[] offsets = names.offsets();
        // (hash of the base, clone id) pairs, sorted: clones of one base become adjacent, ids ascending.
        long[] pairs = new long[64];
        int count = 0;
        // Only a name with a dot after its first byte can be a clone; the interner marked them.
        java.util.BitSet dotted = names.dotted();
        for (int id = dotted.nextSetBit(0); id >= 0 && id < names.size(); id = dotted.nextSetBit(id + 1)) {
            int start = offsets[id];
            int baseLength = baseLength(blob, start, offsets[id + 1] - start);
            if (baseLength < 0) {
                continue;
            }
            if (count == pairs.length) {
                pairs = Arrays.copyOf(pairs, count * 2);
            }
            pairs[count++] = (long) NameInterner.hash(blob, start, start + baseLength) << 32 | id;
        }
        Arrays.sort(pairs, 0, count);
        int[] hashes = new int[count];
        int[] starts = new int[count + 1];
        int[] ids = new int[count];
        int bases = 0;
        int filled = 0;
        // A run of equal hashes usually holds one base; when it holds several (a collision), group them.
        for (int run = 0; run < count;) {
            int hash = (int) (pairs[run] >> 32);
            int end = run;
            while (end < count && (int) (pairs[end] >> 32) == hash) {
                end++;
            }
            boolean[] taken = new boolean[end - run];
            for (int i = run; i < end; i++) {
                if (taken[i - run]) {
                    continue;
                }
                hashes[bases] = hash;
                starts[bases] = filled;
                bases++;
                for (int j = i; j < end; j++) {
                    if (!taken[j - run] && sameBase(names, (int) pairs[i], (int) pairs[j])) {
                        taken[j - run] = true;
                        ids[filled++] = (int) pairs[j];
                    }
                }
            }
            run = end;
        }
        starts[bases] = filled;
        return new Encoded(Arrays.copyOf(hashes, bases), Arrays.copyOf(starts, bases + 1), ids);
    }

    private static boolean sameBase(NameInterner names, int a, int b) {
        byte[] blob = names.blob();
        int[] offsets = names.offsets();
        int lengthA = baseLength(blob, offsets[a], offsets[a + 1] - offsets[a]);
        int lengthB = baseLength(blob, offsets[b], offsets[b + 1] - offsets[b]);
        return lengthA == lengthB && Arrays.equals(blob, offsets[a], offsets[a] + lengthA, blob, offsets[b],
                offsets[b] + lengthB);
    }

    /** The function a clone name was made from, or null when the name has no clone suffix. */
    static String baseOf(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int length = baseLength(bytes, 0, bytes.length);
        return length < 0 ? null : new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * The length of the base of the UTF-8 name at {@code bytes[start, start + length)}: up to the first dot (not
     * the leading one) after which only clone suffixes follow; -1 when there is none.
     */
    static int baseLength(byte[] bytes, int start, int length) {
        int end = start + length;
        for (int dot = start + 1; dot < end; dot++) {
            if (bytes[dot] == '.' && isCloneSuffix(bytes, dot + 1, end)) {
                return dot - start;
            }
        }
        return -1;
    }

    /** Whether {@code bytes[from, end)} is made only of clone suffixes: isra.N, constprop.N, part.N, cold[.N], llvm.H. */
    private static boolean isCloneSuffix(byte[] bytes, int from, int end) {
        int at = from;
        while (true) {
            int tokenEnd = tokenEnd(bytes, at, end);
            boolean cold = is(bytes, at, tokenEnd, "cold");
            boolean llvm = is(bytes, at, tokenEnd, "llvm");
            if (!cold && !llvm && !is(bytes, at, tokenEnd, "isra") && !is(bytes, at, tokenEnd, "constprop")
                    && !is(bytes, at, tokenEnd, "part")) {
                return false;
            }
            if (tokenEnd == end) {
                return cold; // only .cold may end without a number
            }
            int numberEnd = tokenEnd(bytes, tokenEnd + 1, end);
            boolean number = isNumberOrHash(bytes, tokenEnd + 1, numberEnd, llvm);
            if (!number && !cold) {
                return false;
            }
            at = number ? numberEnd : tokenEnd;
            if (at == end) {
                return true;
            }
            at++; // the dot before the next token
        }
    }

    private static int tokenEnd(byte[] bytes, int from, int end) {
        int at = from;
        while (at < end && bytes[at] != '.') {
            at++;
        }
        return at;
    }

    private static boolean is(byte[] bytes, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[from + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumberOrHash(byte[] bytes, int from, int to, boolean hexAllowed) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            byte c = bytes[i];
            boolean digit = c >= '0' && c <= '9';
            boolean hex = hexAllowed && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
            if (!digit && !hex) {
                return false;
            }
        }
        return true;
    }
}
