// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Text sources, compressed modules, release discovery, and the bad-input cases. */
class KernelSourcesTest {
    @TempDir
    Path tmp;

    private static KernelIndex index(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    @Test
    void kallsymsDumpKeepsFileOrderPerModuleAndVmlinux() {
        Path dump = KernelFixtures.write(tmp.resolve("kallsyms"), """
                ffffffff81000000 T _text
                ffffffff81000100 t helper
                ffffffff81000080 t helper
                ffffffffc0001730 t free_branches\t[minix]
                ffffffffc0001800 t get_block\t[minix]
                ffffffffc00025b0 t free_branches\t[minix]
                ffffffffc0003000 t .LC0\t[minix]
                ffffffffc0004000 t helper\t[kvm-intel]
                ffffffffc0005000 t bpf_prog_123\t[bpf]
                """);
        KernelIndex index = index(KernelSources.ofSymbols(dump));
        assertEquals(List.of("vmlinux", "kvm_intel", "minix"), index.objectsInOrder());
        // Dump order is the kernel's table order, even where the addresses say otherwise.
        List<KernelSymbol> helpers = index.lookup("vmlinux", "helper");
        assertEquals(List.of(0xffffffff81000100L, 0xffffffff81000080L), helpers.stream().map(KernelSymbol::address).toList());
        assertEquals(List.of(1, 2), helpers.stream().map(KernelSymbol::sympos).toList());
        List<KernelSymbol> branches = index.lookup("minix", "free_branches");
        assertEquals(List.of(0xffffffffc0001730L, 0xffffffffc00025b0L), branches.stream().map(KernelSymbol::address).toList());
        assertEquals(List.of(1, 2), branches.stream().map(KernelSymbol::sympos).toList());
        assertEquals(0, index.lookup("kvm_intel", "helper").get(0).sympos());
        assertTrue(index.lookup(".LC0").isEmpty());
        assertTrue(index.lookup("bpf_prog_123").isEmpty());
    }

    @Test
    void systemMapIsSortedLikeScriptsKallsymsWeakAfterNonWeak() {
        Path map = KernelFixtures.write(tmp.resolve("System.map"), """
                ffffffff81000000 T _text
                ffffffff81000010 W dup
                ffffffff81000010 t dup
                ffffffff81000020 t dup
                0000000000000010 A absolute_thing
                """);
        KernelIndex index = index(KernelSources.ofSymbols(map));
        List<KernelSymbol> dup = index.lookup("dup");
        assertEquals(List.of('t', 'W', 't'), dup.stream().map(KernelSymbol::nmLetter).toList());
        assertEquals(List.of(1, 2, 3), dup.stream().map(KernelSymbol::sympos).toList());
        assertEquals(SymbolBinding.WEAK, dup.get(1).binding());
        assertTrue(index.lookup("absolute_thing").isEmpty(), "scripts/kallsyms drops absolute symbols");
    }

    @Test
    void symversGivesExportsWithModuleAndNamespace() {
        Path symvers = KernelFixtures.write(tmp.resolve("Module.symvers"), """
                0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t
                0xef1ca884\t__idxd_driver_register\tdrivers/dma/idxd/idxd_bus\tEXPORT_SYMBOL_GPL\tIDXD
                0x12345678\tkvm_thing\tarch/x86/kvm/kvm-intel\tEXPORT_SYMBOL_GPL\t
                """);
        KernelIndex index = index(KernelSources.ofSymbols(KernelFixtures.vmlinux()).withSymvers(symvers));
        assertEquals(new Export("_printk", "vmlinux", "EXPORT_SYMBOL", Optional.empty()), index.export("_printk").orElseThrow());
        assertTrue(index.isExportedByVmlinux("_printk"));
        Export idxd = index.export("__idxd_driver_register").orElseThrow();
        assertEquals("idxd_bus", idxd.object());
        assertEquals(Optional.of("IDXD"), idxd.namespace());
        assertEquals("kvm_intel", index.export("kvm_thing").orElseThrow().object());
        assertTrue(index.export("dup_fn").isEmpty());
    }

    @Test
    void symbolsKlpRoundTripsAndCountsNames() throws IOException {
        KernelIndex original = index(KernelSources.ofSymbols(KernelFixtures.vmlinux(), KernelFixtures.module()));
        Path klp = tmp.resolve("symbols.klp");
        SymbolsKlpFile.write(original, klp);
        List<String> lines = Files.readAllLines(klp);
        assertEquals(SymbolsKlpFile.HEADER, lines.get(0));
        assertEquals("*vmlinux", lines.get(1));
        assertTrue(lines.contains("*kernel_module"));
        KernelIndex reread = index(KernelSources.ofSymbols(klp));
        assertEquals(original.objectsInOrder(), reread.objectsInOrder());
        assertEquals(1, reread.lookup("vmlinux", "dup_fn").size(), "symbols.klp lists names once per object");
        assertTrue(reread.lookup("kernel_module", "homonym").size() == 1);
    }

    @Test
    void symbolsKlpWithDuplicatesWarnsThatItsOrderIsNotTheKernels() {
        Path klp = KernelFixtures.write(tmp.resolve("symbols.klp"), SymbolsKlpFile.HEADER + "\n*vmlinux\nfoo\nfoo\n"
                + "__ksymtab_bar\n*my-mod\nbaz\n");
        KernelIndex index = index(KernelSources.ofSymbols(klp));
        assertEquals(List.of(1, 2), index.lookup("foo").stream().map(KernelSymbol::sympos).toList());
        assertTrue(index.warnings().stream().anyMatch(w -> w.kind().equals("symbols-klp-order")), index.warnings().toString());
        assertEquals("vmlinux", index.export("bar").orElseThrow().object());
        assertTrue(index.hasObject("my_mod"));
    }

    @Test
    void compressedModulesAreReadAndNamedWithoutSuffix() throws IOException {
        byte[] ko = Files.readAllBytes(KernelFixtures.module());
        Path dir = tmp.resolve("lib/modules/6.1.0-fixture/kernel");
        Files.createDirectories(dir);
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(dir.resolve("xz-mod.ko.xz")), new LZMA2Options())) {
            out.write(ko);
        }
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(dir.resolve("zst_mod.ko.zst")))) {
            out.write(ko);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("gz-mod.ko.gz")))) {
            out.write(ko);
        }
        KernelIndex index = index(KernelSources.ofKernel(tmp.resolve("lib/modules/6.1.0-fixture").toString()));
        assertEquals(List.of("gz_mod", "xz_mod", "zst_mod"), index.objectsInOrder());
        for (String object : index.objectsInOrder()) {
            assertEquals(List.of(1, 2), index.lookup(object, "homonym").stream().map(KernelSymbol::sympos).toList());
        }
        assertEquals(Optional.of("6.1.0-fixture"), index.release());
        assertTrue(index.warnings().stream().anyMatch(w -> w.kind().equals("no-vmlinux-symbols")));
    }

    @Test
    void releaseIsLookedUpUnderARootAndMixedReleasesWarn() throws IOException {
        Path root = tmp.resolve("root");
        KernelFixtures.copy(KernelFixtures.vmlinux(), root.resolve("usr/lib/debug/boot/vmlinux-6.1.0-other"));
        KernelFixtures.write(root.resolve("boot/System.map-6.1.0-other"),
                "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
        KernelFixtures.copy(KernelFixtures.module(), root.resolve("lib/modules/6.1.0-other/kernel/fixture.ko"));
        KernelFixtures.write(root.resolve("lib/modules/6.1.0-other/modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        KernelIndex index = index(KernelSources.ofKernel("6.1.0-other").withRoot(root));
        assertEquals(Optional.of("6.1.0-other"), index.release());
        assertEquals(List.of("vmlinux", "fixture"), index.objectsInOrder());
        assertTrue(index.isBuiltin("ext4"));
        IndexWarning mixed = index.warnings().stream().filter(w -> w.kind().equals("mixed-release")).findFirst()
                .orElseThrow(() -> new AssertionError(index.warnings().toString()));
        assertTrue(mixed.message().contains("6.1.0-fixture") && mixed.message().contains("fixture"), mixed.message());
        // The same root given as --kernel <root> works too (one release under lib/modules).
        assertEquals(index.objectsInOrder(), index(KernelSources.ofKernel(root.toString())).objectsInOrder());
    }

    @Test
    void systemMapAndKallsymsOfDifferentBuildsWarn() {
        Path map = KernelFixtures.write(tmp.resolve("System.map"), """
                ffffffff81000000 T _text
                ffffffff81000010 t one
                ffffffff81000020 t two
                ffffffff81000030 t dup
                ffffffff81000040 t dup
                """);
        Path dump = KernelFixtures.write(tmp.resolve("kallsyms"), """
                ffffffff81000000 T _text
                ffffffff81000018 t one
                ffffffff81000040 t two
                ffffffff81000050 t dup
                """);
        KernelIndex index = index(KernelSources.ofSymbols(map, dump));
        IndexWarning warning = index.warnings().stream().filter(w -> w.kind().equals("mixed-vmlinux-sources"))
                .findFirst().orElseThrow(() -> new AssertionError(index.warnings().toString()));
        assertTrue(warning.message().contains("dup (2 vs 1)"), warning.message());
        assertEquals(List.of(1, 2), index.lookup("dup").stream().map(KernelSymbol::sympos).toList(), "first source counts");
    }

    // --- bad input: one test each ---

    @Test
    void malformedLineIsReportedWithFileAndLine() {
        Path map = KernelFixtures.write(tmp.resolve("System.map"), """
                ffffffff81000000 T _text
                ffffffff81000010 t one
                zzzz t broken
                """);
        SymbolSourceException e = assertThrows(SymbolSourceException.class, () -> index(
                new KernelSources(Optional.empty(), List.of(map), List.of(), Optional.empty(), Optional.empty())));
        assertTrue(e.getMessage().startsWith(map + ":3: malformed line 'zzzz t broken': expected '<hex address>"),
                e.getMessage());
        StringBuilder longMap = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            longMap.append(String.format("ffffffff81%06x t sym%d%n", i * 16, i));
        }
        longMap.append("ffffffff82000000 t\n");
        Path later = KernelFixtures.write(tmp.resolve("System.map-late"), longMap.toString());
        SymbolSourceException late = assertThrows(SymbolSourceException.class, () -> index(KernelSources.ofSymbols(later)));
        assertTrue(late.getMessage().startsWith(later + ":201: malformed line 'ffffffff82000000 t'"), late.getMessage());
        assertEquals(201, late.line().orElseThrow());
    }

    @Test
    void truncatedModuleIsSkippedWithAWarningAndTheRestIsIndexed() throws IOException {
        Path dir = tmp.resolve("modules");
        KernelFixtures.copy(KernelFixtures.module(), dir.resolve("good.ko"));
        byte[] ko = Files.readAllBytes(KernelFixtures.module());
        Files.write(dir.resolve("truncated.ko"), java.util.Arrays.copyOf(ko, ko.length / 3));
        Files.write(dir.resolve("garbage.ko.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3});
        KernelIndex index = index(KernelSources.ofSymbols().withModules(dir));
        assertEquals(List.of("good"), index.objectsInOrder());
        List<String> skipped = index.warnings().stream().filter(w -> w.kind().equals("skipped-module"))
                .map(w -> w.path().orElseThrow().getFileName().toString()).sorted().toList();
        assertEquals(List.of("garbage.ko.xz", "truncated.ko"), skipped, index.warnings().toString());
    }

    @Test
    void missingPathIsAClearError() {
        Path missing = tmp.resolve("no/such/System.map");
        SymbolSourceException e = assertThrows(SymbolSourceException.class, () -> index(KernelSources.ofSymbols(missing)));
        assertEquals(missing + ": does not exist (given as a symbol file)", e.getMessage());
        SymbolSourceException release = assertThrows(SymbolSourceException.class,
                () -> index(KernelSources.ofKernel("9.9.9-none").withRoot(tmp)));
        assertTrue(release.getMessage().contains("no kernel 9.9.9-none found"), release.getMessage());
    }

    @Test
    void unknownFormatListsTheAcceptedOnes() {
        Path text = KernelFixtures.write(tmp.resolve("notes.txt"), "hello world\nthis is not a symbol file\n");
        SymbolSourceException e = assertThrows(SymbolSourceException.class, () -> index(KernelSources.ofSymbols(text)));
        assertTrue(e.getMessage().startsWith(text + ": unknown symbol file format; accepted: vmlinux (ELF), vmlinuz (x86 bzImage), System.map,"),
                e.getMessage());
    }
}
