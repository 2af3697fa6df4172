// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries: exact name across objects, clone families, close names, resolve like the kernel. */
class KernelIndexQueryTest {
    @TempDir
    Path tmp;

    private KernelIndex index() {
        Path dump = KernelFixtures.write(tmp.resolve("kallsyms"), """
                ffffffff81000000 T _text
                ffffffff81000010 t init_once
                ffffffff81000020 t do_poweroff
                ffffffff81000030 t do_poweroff
                ffffffff81000040 t tcp_ack.isra.0
                ffffffff81000050 t tcp_ack.constprop.0.isra.0
                ffffffff81000060 t tcp_ack.cold
                ffffffff81000070 t tcp_ack_more
                ffffffff81000080 t tcp_ack.part.3.cold.1
                ffffffff81000090 t foo.llvm.1234567890
                ffffffffc0000000 t init_once\t[fat]
                ffffffffc0000100 t init_once\t[minix]
                ffffffffc0000200 t tcp_ack.isra.0\t[minix]
                """);
        return KernelIndexLoader.load(KernelSources.ofSymbols(dump), IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    @Test
    void lookupGivesCandidatesAcrossObjectsVmlinuxFirst() {
        List<KernelSymbol> found = index().lookup("init_once");
        assertEquals(List.of("vmlinux", "fat", "minix"), found.stream().map(KernelSymbol::object).toList());
        assertTrue(found.stream().allMatch(s -> s.sympos() == 0 && s.occurrences() == 1));
    }

    @Test
    void lookupsAreUnmodifiable() {
        // The editor caches lookups and hands the same list to every caller: one that sorted or trimmed it would
        // change what the others see.
        KernelIndex index = index();
        for (List<KernelSymbol> found : List.of(index.lookup("do_poweroff"), index.lookup("init_once"),
                index.lookup("vmlinux", "do_poweroff"), index.lookup("fat", "init_once"), index.lookup("fat", "none"))) {
            assertThrows(UnsupportedOperationException.class, () -> found.add(null));
            assertThrows(UnsupportedOperationException.class, () -> found.sort(null));
        }
    }

    @Test
    void resolveFollowsTheKernelRules() {
        KernelIndex index = index();
        assertTrue(index.resolve("vmlinux", "do_poweroff", 0).isEmpty(), "sympos 0 on a duplicated name is ambiguous");
        assertEquals(0xffffffff81000030L, index.resolve("vmlinux", "do_poweroff", 2).orElseThrow().address());
        assertTrue(index.resolve("vmlinux", "do_poweroff", 3).isEmpty());
        assertEquals(0xffffffff81000010L, index.resolve("vmlinux", "init_once", 1).orElseThrow().address(),
                "sympos 1 on a unique name is accepted");
        assertEquals(".klp.sym.vmlinux.do_poweroff,2", index.lookup("do_poweroff").get(1).klpSymbolName());
    }

    @Test
    void cloneFamilyHasEveryCloneSuffixButNotLookalikes() {
        List<String> clones = index().cloneFamily("tcp_ack").stream().map(s -> s.object() + ":" + s.name()).toList();
        assertEquals(List.of("vmlinux:tcp_ack.cold", "vmlinux:tcp_ack.constprop.0.isra.0", "vmlinux:tcp_ack.isra.0",
                "vmlinux:tcp_ack.part.3.cold.1", "minix:tcp_ack.isra.0"), clones);
        assertEquals(List.of("foo.llvm.1234567890"), index().cloneFamily("foo").stream().map(KernelSymbol::name).toList());
        assertTrue(index().cloneFamily("do_poweroff").isEmpty());
        assertNull(CloneFamilies.baseOf("__func__.0"));
        assertNull(CloneFamilies.baseOf("_rs.3"));
    }

    @Test
    void cloneFamiliesAndExportsSurviveTheCache() {
        Path dump = KernelFixtures.write(tmp.resolve("kallsyms-cached"), """
                ffffffff81000000 T _printk
                ffffffff81000040 t tcp_ack.isra.0
                ffffffff81000050 t tcp_ack.constprop.0.isra.0
                ffffffff81000090 t foo.llvm.1234567890
                ffffffffc0000200 t tcp_ack.isra.0	[minix]
                """);
        Path symvers = KernelFixtures.write(tmp.resolve("Module.symvers"), """
                0x92997ed8	_printk	vmlinux	EXPORT_SYMBOL	
                0x12345678	only_in_symvers	vmlinux	EXPORT_SYMBOL_GPL	
                """);
        IndexOptions cache = new IndexOptions(java.util.Optional.of(tmp.resolve("cache")), true);
        KernelSources sources = KernelSources.ofSymbols(dump).withSymvers(symvers);
        KernelIndex built = KernelIndexLoader.load(sources, cache, ProgressListener.NONE);
        KernelIndex cached = KernelIndexLoader.load(sources, cache, ProgressListener.NONE);
        assertTrue(cached.loadInfo().fromCache());
        for (KernelIndex index : List.of(built, cached)) {
            assertEquals(List.of("vmlinux:tcp_ack.constprop.0.isra.0", "vmlinux:tcp_ack.isra.0", "minix:tcp_ack.isra.0"),
                    index.cloneFamily("tcp_ack").stream().map(s -> s.object() + ":" + s.name()).toList());
            assertEquals(List.of("foo.llvm.1234567890"), index.cloneFamily("foo").stream().map(KernelSymbol::name)
                    .toList());
            assertTrue(index.cloneFamily("tcp_ack.isra").isEmpty());
            assertTrue(index.isExportedByVmlinux("_printk"));
            assertEquals("EXPORT_SYMBOL", index.lookup("_printk").get(0).export().orElseThrow().exportType());
            assertEquals("EXPORT_SYMBOL_GPL", index.export("only_in_symvers").orElseThrow().exportType(),
                    "an export without an indexed symbol is found by name");
            assertTrue(index.export("tcp_ack.isra.0").isEmpty());
        }
    }

    @Test
    void cloneFamiliesTellApartBasesWhoseNamesHashAlike() {
        // Two base names with the same 32-bit name hash: the family lookup must confirm the base, not the hash.
        java.util.Map<Integer, String> seen = new java.util.HashMap<>();
        String first = null;
        String second = null;
        for (int i = 0; second == null; i++) {
            String name = "fn_" + i;
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String other = seen.putIfAbsent(NameInterner.hash(bytes, 0, bytes.length), name);
            if (other != null) {
                first = other;
                second = name;
            }
        }
        Path dump = KernelFixtures.write(tmp.resolve("kallsyms-collision"), "ffffffff81000000 T _text\n"
                + "ffffffff81000010 t " + first + ".isra.0\n"
                + "ffffffff81000020 t " + second + ".cold\n"
                + "ffffffff81000030 t " + second + ".constprop.1\n");
        KernelIndex index = KernelIndexLoader.load(KernelSources.ofSymbols(dump), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        assertEquals(List.of(first + ".isra.0"), index.cloneFamily(first).stream().map(KernelSymbol::name).toList());
        assertEquals(List.of(second + ".cold", second + ".constprop.1"),
                index.cloneFamily(second).stream().map(KernelSymbol::name).toList());
    }

    @Test
    void cloneSuffixesAreRecognisedAsBefore() {
        assertEquals("foo", CloneFamilies.baseOf("foo.isra.0"));
        assertEquals("foo", CloneFamilies.baseOf("foo.constprop.0.isra.0"));
        assertEquals("foo", CloneFamilies.baseOf("foo.cold"));
        assertEquals("foo", CloneFamilies.baseOf("foo.cold.12"));
        assertEquals("foo", CloneFamilies.baseOf("foo.part.3.cold.1"));
        assertEquals("foo", CloneFamilies.baseOf("foo.cold.isra.0"));
        assertEquals("foo", CloneFamilies.baseOf("foo.llvm.9f3ab"));
        assertEquals("foo.bar", CloneFamilies.baseOf("foo.bar.isra.1"));
        assertNull(CloneFamilies.baseOf("foo.isra"));
        assertNull(CloneFamilies.baseOf("foo.isra.x"));
        assertNull(CloneFamilies.baseOf("foo.cold."));
        assertNull(CloneFamilies.baseOf("foo.part.0x1"));
        assertNull(CloneFamilies.baseOf(".cold"));
        assertNull(CloneFamilies.baseOf("foo."));
        assertNull(CloneFamilies.baseOf("foo"));
    }

    @Test
    void closeNamesReadOnlySimilarLengthsAndFindWhatAFullScanFinds() {
        KernelIndex index = index();
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (String object : index.objectsInOrder()) {
            all.addAll(index.distinctNamesOf(object));
        }
        for (String query : List.of("do_powerof", "tcp_ac", "tcp_ack.isra", "init_onc", "x", "", "_", "ab",
                "q".repeat(300), "foo.llvm.123456789")) {
            int max = query.length() <= 4 ? 1 : query.length() <= 12 ? 2 : 3;
            List<String> expected = all.stream()
                    .filter(name -> levenshtein(query, name) > 0 && levenshtein(query, name) <= max)
                    .sorted(java.util.Comparator.comparingInt((String name) -> levenshtein(query, name))
                            .thenComparing(name -> name))
                    .limit(5).toList();
            assertEquals(expected, index.closeNames(query, 5), "close names of '" + query + "'");
        }
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Test
    void closeNamesSuggestTypoFixesClosestFirst() {
        KernelIndex index = index();
        assertEquals(List.of("do_poweroff"), index.closeNames("do_powerof", 5));
        assertEquals(List.of("init_once"), index.closeNames("inti_once", 5).subList(0, 1));
        assertTrue(index.closeNames("completely_different_name", 5).isEmpty());
    }

    @Test
    void symposAssignmentHandlesUniqueDuplicatedAndUncountedSymbols() {
        int[] names = {0, 1, 0, 2, 0, 1};
        boolean[] counted = {true, true, true, true, false, true};
        int[] sympos = new int[6];
        int[] scratch = new int[3];
        Sympos.assign(names, counted, 0, 6, sympos, scratch);
        assertEquals(List.of(1, 1, 2, 0, -1, 2), java.util.Arrays.stream(sympos).boxed().toList());
        assertEquals(List.of(0, 0, 0), java.util.Arrays.stream(scratch).boxed().toList());
    }
}
