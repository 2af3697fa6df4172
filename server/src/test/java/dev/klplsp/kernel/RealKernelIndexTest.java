// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The index against the real Debian 6.1.0-56 kernel (KLP_TEST_KERNEL_DIR, e.g. /work/kimg): sympos computed
 * from the -dbg vmlinux ELF, from the real System.map and from the .ko files must equal the order of the
 * /proc/kallsyms dump taken from that kernel booted with nokaslr and five modules loaded.
 */
class RealKernelIndexTest {
    private static final String RELEASE = "6.1.0-56-amd64";
    private static Path kernelDir;
    private static Path dump;
    /** vmlinux: name -> addresses in dump order, for names listed more than once. */
    private static Map<String, List<Long>> dumpVmlinuxDuplicates;
    /** module -> its names in dump order. */
    private static Map<String, List<String>> dumpModules;

    @BeforeAll
    static void readDump() throws IOException {
        String dir = System.getenv("KLP_TEST_KERNEL_DIR");
        assumeTrue(dir != null && !dir.isBlank(), "KLP_TEST_KERNEL_DIR is not set: real-kernel tests skipped");
        kernelDir = Path.of(dir);
        dump = kernelDir.resolve("kallsyms");
        assumeTrue(Files.isRegularFile(dump), dump + " missing (testdata/kernel/fetch-kernel.sh makes it)");
        Map<String, List<Long>> vmlinux = new LinkedHashMap<>();
        dumpModules = new TreeMap<>();
        // Parsed here independently of NmListSource: "<address> <letter> <name>[\t[<module>]]".
        for (String line : Files.readAllLines(dump)) {
            String[] fields = line.split("[ \t]+");
            long address = Long.parseUnsignedLong(fields[0], 16);
            if (fields.length == 3) {
                vmlinux.computeIfAbsent(fields[2], n -> new ArrayList<>()).add(address);
            } else {
                String module = fields[3].substring(1, fields[3].length() - 1);
                dumpModules.computeIfAbsent(module, m -> new ArrayList<>()).add(fields[2]);
            }
        }
        dumpVmlinuxDuplicates = new TreeMap<>();
        vmlinux.forEach((name, addresses) -> {
            if (addresses.size() > 1) {
                dumpVmlinuxDuplicates.put(name, addresses);
            }
        });
    }

    private static Path debugFile(String prefix) {
        Path file = kernelDir.resolve("usr/lib/debug/boot/" + prefix + RELEASE);
        assumeTrue(Files.isRegularFile(file), file + " missing (the -dbg package is not unpacked)");
        return file;
    }

    private static KernelIndex load(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    /** For each duplicated vmlinux name of the dump, the index's addresses in sympos order. */
    private static void assertVmlinuxPositionsMatchTheDump(KernelIndex index, String what) {
        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<Long>> entry : dumpVmlinuxDuplicates.entrySet()) {
            List<KernelSymbol> symbols = index.lookup(KernelSymbol.VMLINUX, entry.getKey());
            List<Long> addresses = symbols.stream().map(KernelSymbol::address).toList();
            List<Integer> positions = symbols.stream().map(KernelSymbol::sympos).toList();
            List<Integer> expectedPositions = new ArrayList<>();
            for (int i = 1; i <= entry.getValue().size(); i++) {
                expectedPositions.add(i);
            }
            if (!addresses.equals(entry.getValue()) || !positions.equals(expectedPositions)) {
                mismatches.add(entry.getKey() + ": dump " + hex(entry.getValue()) + ", index " + hex(addresses));
            }
            compared++;
        }
        System.out.printf("real kernel, vmlinux from %s: %d duplicated names compared with the kallsyms dump,"
                + " %d mismatches%n", what, compared, mismatches.size());
        assertTrue(compared > 1000, "expected Debian 6.1's ~1,125 duplicated names, got " + compared);
        assertEquals(List.of(), mismatches.subList(0, Math.min(10, mismatches.size())));
        // And nothing the index counts twice is unique in the dump.
        long extra = index.symbolsOf(KernelSymbol.VMLINUX).stream().filter(s -> s.sympos() == 1)
                .filter(s -> !dumpVmlinuxDuplicates.containsKey(s.name())).count();
        assertEquals(0, extra, "names duplicated in the index but not in the dump");
    }

    private static List<String> hex(List<Long> addresses) {
        return addresses.stream().map(Long::toHexString).toList();
    }

    @Test
    void debugVmlinuxElfCountsLikeTheRunningKernel() {
        KernelIndex index = load(KernelSources.ofSymbols(debugFile("vmlinux-")));
        assertVmlinuxPositionsMatchTheDump(index, "the -dbg vmlinux ELF");
        KernelSymbol poweroff1 = index.lookup("do_poweroff").get(0);
        assertEquals(Optional.of("poweroff.c"), poweroff1.sourceFile());
        assertEquals(0xffffffff8111a2f0L, poweroff1.address());
        assertEquals(Optional.of("manage.c"), index.lookup("do_poweroff").get(1).sourceFile());
    }

    @Test
    void systemMapCountsLikeTheRunningKernel() {
        KernelIndex index = load(KernelSources.ofSymbols(debugFile("System.map-")));
        assertVmlinuxPositionsMatchTheDump(index, "System.map");
        assertEquals(1125, index.duplicatedNameCount());
    }

    @Test
    void theDumpItselfAndTheSystemMapAgree() {
        KernelIndex index = load(KernelSources.ofSymbols(debugFile("System.map-"), dump));
        assertTrue(index.warnings().stream().noneMatch(w -> w.kind().equals("mixed-vmlinux-sources")),
                index.warnings().toString());
        assertVmlinuxPositionsMatchTheDump(index, "System.map cross-checked with the dump");
    }

    @Test
    void moduleFilesCountLikeTheLoadedModules() {
        KernelIndex index = load(KernelSources.ofKernel(kernelDir.resolve("lib/modules/" + RELEASE).toString())
                .withSymvers(Path.of("/usr/src/linux-headers-" + RELEASE + "/Module.symvers")));
        assertTrue(index.objects().size() > 4000, "objects: " + index.objects().size());
        assertTrue(index.warnings().stream().noneMatch(w -> w.kind().equals("skipped-module")
                || w.kind().equals("mixed-release")), index.warnings().toString());
        int duplicatedNames = 0;
        int modules = 0;
        for (Map.Entry<String, List<String>> entry : dumpModules.entrySet()) {
            String module = entry.getKey();
            List<String> fromDump = entry.getValue().stream().filter(n -> !Sympos.isIgnoredName(n)).toList();
            List<String> fromIndex = index.symbolsOf(module).stream().filter(KernelSymbol::isCounted)
                    .map(KernelSymbol::name).toList();
            // Same sequence of names => every sympos is the same as the kernel's.
            assertEquals(fromDump, fromIndex, module);
            Map<String, Integer> counts = new TreeMap<>();
            fromDump.forEach(n -> counts.merge(n, 1, Integer::sum));
            for (Map.Entry<String, Integer> count : counts.entrySet()) {
                if (count.getValue() > 1) {
                    duplicatedNames++;
                    List<Integer> positions = index.lookup(module, count.getKey()).stream()
                            .filter(KernelSymbol::isCounted).map(KernelSymbol::sympos).toList();
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 1; i <= count.getValue(); i++) {
                        expected.add(i);
                    }
                    assertEquals(expected, positions, module + ":" + count.getKey());
                }
            }
            modules++;
        }
        System.out.printf("real kernel, modules from .ko files: %d loaded modules, %d duplicated names compared with"
                + " the kallsyms dump, all in the same order%n", modules, duplicatedNames);
        assertEquals(5, modules);
        assertTrue(duplicatedNames >= 20, "duplicated module names compared: " + duplicatedNames);
        List<KernelSymbol> getBlock = index.lookup("minix", "get_block");
        // itree_v1.c's copy comes first in .symtab (Debian strips STT_FILE from modules, so no source file).
        assertEquals(List.of(0x800L, 0x1bc0L), getBlock.stream().map(KernelSymbol::address).toList());
        assertEquals(List.of(1, 2), getBlock.stream().map(KernelSymbol::sympos).toList());

        // Module.symvers exports.
        KernelSymbol printk = index.lookup("_printk").isEmpty() ? null : index.lookup("_printk").get(0);
        assertTrue(index.isExportedByVmlinux("_printk"));
        assertEquals("EXPORT_SYMBOL", index.export("_printk").orElseThrow().exportType());
        Export idxd = index.export("__idxd_driver_register").orElseThrow();
        assertEquals(new Export("__idxd_driver_register", "idxd_bus", "EXPORT_SYMBOL_GPL", Optional.of("IDXD")), idxd);
        KernelSymbol exported = index.lookup("idxd_bus", "__idxd_driver_register").get(0);
        assertEquals(Optional.of(idxd), exported.export());
        assertEquals(Optional.of(RELEASE), index.release());
        // The modules directory lies under the root that also holds the -dbg vmlinux, so vmlinux is indexed too.
        assertTrue(printk != null && printk.isVmlinux() && printk.isExported(), String.valueOf(printk));
        assertEquals(0, printk.sympos());
    }
}
