// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a function name to the names of its compiler clones ({@code foo.isra.0}, {@code foo.constprop.0.isra.0},
 * {@code foo.cold}, {@code foo.llvm.123456}), computed once per index on first use.
 */
final class CloneFamilies {
    private final Map<String, int[]> clonesByBase;

    private CloneFamilies(Map<String, int[]> clonesByBase) {
        this.clonesByBase = clonesByBase;
    }

    static CloneFamilies of(NameTable names) {
        Map<String, int[]> byBase = new HashMap<>();
        for (int id = 0; id < names.size(); id++) {
            boolean hasDot = false;
            int start = names.start(id);
            int end = start + names.length(id);
            for (int i = start + 1; i < end; i++) {
                if (names.byteAt(i) == '.') {
                    hasDot = true;
                    break;
                }
            }
            if (!hasDot) {
                continue;
            }
            String base = baseOf(names.get(id));
            if (base != null) {
                int[] old = byBase.get(base);
                int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
                grown[grown.length - 1] = id;
                byBase.put(base, grown);
            }
        }
        return new CloneFamilies(byBase);
    }

    int[] clonesOf(String name) {
        return clonesByBase.getOrDefault(name, new int[0]);
    }

    /** The function a clone name was made from, or null when the name has no clone suffix. */
    static String baseOf(String name) {
        int dot = name.indexOf('.', 1);
        while (dot > 0) {
            if (isCloneSuffix(name.substring(dot + 1))) {
                return name.substring(0, dot);
            }
            dot = name.indexOf('.', dot + 1);
        }
        return null;
    }

    /** Whether a dot-separated tail is made only of clone suffixes: isra.N, constprop.N, part.N, cold[.N], llvm.H. */
    private static boolean isCloneSuffix(String tail) {
        List<String> tokens = List.of(tail.split("\\.", -1));
        int i = 0;
        if (tokens.isEmpty()) {
            return false;
        }
        while (i < tokens.size()) {
            String token = tokens.get(i);
            switch (token) {
                case "isra", "constprop", "part", "llvm" -> {
                    if (i + 1 >= tokens.size() || !isNumberOrHash(tokens.get(i + 1), token.equals("llvm"))) {
                        return false;
                    }
                    i += 2;
                }
                case "cold" -> {
                    i++;
                    if (i < tokens.size() && isNumberOrHash(tokens.get(i), false)) {
                        i++;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isNumberOrHash(String token, boolean hexAllowed) {
        if (token.isEmpty()) {
            return false;
        }
        for (byte c : token.getBytes(StandardCharsets.ISO_8859_1)) {
            boolean digit = c >= '0' && c <= '9';
            boolean hex = hexAllowed && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
            if (!digit && !hex) {
                return false;
            }
        }
        return true;
    }
}
