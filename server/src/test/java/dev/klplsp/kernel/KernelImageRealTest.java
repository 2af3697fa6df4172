// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.testing.Processes;
import dev.klplsp.testing.RealKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that a kernel image alone gives the kernel's own kallsyms: for Debian's 6.1.0-56 (its vmlinuz) and
 * 6.1.0-47 and 6.1.0-52 (their image packages, read as .deb), the decoded table equals {@code /proc/kallsyms} of
 * that kernel booted under qemu with {@code nokaslr} (testdata/kernel/fetch-kernel.sh took the dumps): the same
 * names in the same order, with the same type letters and addresses. And a kernel indexed from its package,
 * from the unpacked package directory, or by release under a root holding only the package's files, gives the
 * same index.
 */
class KernelImageRealTest {
    /** One vmlinux line of a dump: "ffffffff81000000 T _text"; module lines are left out. */
    private record Line(long address, char letter, String name) {
        @Override
        public String toString() {
            return String.format("%016x %c %s", address, letter, name);
        }
    }

    /** The vmlinux lines of a kallsyms dump, parsed here independently of NmListSource. */
    private static List<Line> dumpVmlinux(Path dump) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dump)) {
            String[] fields = line.split("[ \t]+");
            if (fields.length == 3) {
                lines.add(new Line(Long.parseUnsignedLong(fields[0], 16), fields[1].charAt(0), fields[2]));
            }
        }
        return lines;
    }

    private static List<Line> decoded(KallsymsTables.Symbols table) {
        List<Line> lines = new ArrayList<>(table.count());
        for (int i = 0; i < table.count(); i++) {
            lines.add(new Line(table.addresses()[i], table.letters()[i], table.names()[i]));
        }
        return lines;
    }

    private static void assertSameTable(List<Line> expected, List<Line> actual, String what) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()) && differences.size() < 10; i++) {
            Line e = i < expected.size() ? expected.get(i) : null;
            Line a = i < actual.size() ? actual.get(i) : null;
            if (e == null || !e.equals(a)) {
                differences.add("#" + i + ": dump " + e + ", image " + a);
            }
        }
        assertEquals(List.of(), differences, what + ": " + expected.size() + " dump lines, " + actual.size()
                + " decoded");
    }

    /** The vmlinuz bytes inside an image package, read with DebPackage. */
    private static byte[] vmlinuzOf(Path deb) {
        byte[][] image = new byte[1][];
        DebPackage.read(deb, new DebPackage.Visitor() {
            @Override
            public boolean wants(String name, long size) {
                return name.startsWith("boot/vmlinuz-");
            }

            @Override
            public void accept(String name, byte[] content) {
                image[0] = content;
            }

            @Override
            public boolean done() {
                return image[0] != null;
            }
        });
        assertTrue(image[0] != null, "no boot/vmlinuz-* in " + deb);
        return image[0];
    }

    @Test
    void theVmlinuzOf56DecodesToItsKallsyms() throws IOException {
        RealKernel kernel = RealKernel.require();
        KallsymsTables.Symbols table = KernelImageSource.decode(kernel.vmlinuz(), Files.readAllBytes(kernel.vmlinuz()));
        List<Line> dump = dumpVmlinux(kernel.kallsymsDump());
        assertSameTable(dump, decoded(table), kernel.vmlinuz().toString());
        // What the README of testdata/kernel measured: 94,266 vmlinux lines.
        assertEquals(94_266, table.count());
    }

    @Test
    void theImagePackagesOfOtherBuildsDecodeToTheirKallsyms() throws IOException {
        RealKernel kernel = RealKernel.require();
        List<RealKernel.OtherBuild> others = kernel.otherBuilds();
        // fetch-kernel.sh fetches these two by default; any other build it was asked for is checked the same way
        // (e.g. KLP_EXTRA_RELEASES="6.1.0-47-amd64 6.1.0-52-amd64 6.12.117+deb12-amd64", a zstd image with the
        // 6.4+ table layout).
        assertTrue(others.stream().map(RealKernel.OtherBuild::release).toList()
                .containsAll(List.of("6.1.0-47-amd64", "6.1.0-52-amd64")), others.toString());
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (RealKernel.OtherBuild other : others) {
            KallsymsTables.Symbols table = KernelImageSource.decode(other.imagePackage(),
                    vmlinuzOf(other.imagePackage()));
            assertSameTable(dumpVmlinux(other.kallsymsDump()), decoded(table), other.release());
            counts.put(other.release(), copyCounts(table));
        }
        counts.put(kernel.release(), copyCounts(KernelImageSource.decode(kernel.vmlinuz(),
                Files.readAllBytes(kernel.vmlinuz()))));
        // shared/reference/kernel-facts-2.md, measured from /proc/kallsyms of each build booted under qemu.
        Map<String, Integer> of47 = counts.get("6.1.0-47-amd64");
        Map<String, Integer> of56 = counts.get("6.1.0-56-amd64");
        assertEquals(15, of47.get("cpumask_weight"));
        assertEquals(16, of56.get("cpumask_weight"));
        assertEquals(1, counts.get("6.1.0-52-amd64").get("pmus"));
        assertEquals(2, of56.get("pmus"));
        assertEquals(88_433, of47.size());
        assertEquals(88_582, of56.size());
        assertEquals(146, of47.keySet().stream().filter(of56::containsKey)
                .filter(name -> !of47.get(name).equals(of56.get(name))).count());
    }

    private static Map<String, Integer> copyCounts(KallsymsTables.Symbols table) {
        Map<String, Integer> counts = new HashMap<>();
        for (String name : table.names()) {
            counts.merge(name, 1, Integer::sum);
        }
        return counts;
    }

    /** Everything an index says about one object's symbols, in index order. */
    private static List<String> describe(KernelIndex index, String object) {
        List<String> out = new ArrayList<>();
        for (KernelSymbol symbol : index.symbolsOf(object)) {
            out.add(symbol.name() + " " + symbol.sympos() + " " + symbol.nmLetter() + " "
                    + Long.toHexString(symbol.address()) + (symbol.init() ? " init" : ""));
        }
        return out;
    }

    private static KernelIndex load(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    @Test
    void thePackageTheUnpackedDirectoryAndTheReleaseGiveTheSameIndex(@TempDir Path temp) throws IOException {
        RealKernel kernel = RealKernel.require();
        String release = kernel.release();
        KernelIndex fromPackage = load(KernelSources.ofKernel(kernel.imagePackage().toString()));
        assertEquals(Optional.of(release), fromPackage.release());

        // A root with only what the package holds (hard links: no copy of the 391 MB module tree).
        Path root = temp.resolve("root");
        Files.createDirectories(root.resolve("boot"));
        Files.createDirectories(root.resolve("lib/modules"));
        Files.copy(kernel.vmlinuz(), root.resolve("boot/vmlinuz-" + release));
        Files.copy(kernel.dir().resolve("boot/System.map-" + release), root.resolve("boot/System.map-" + release));
        Processes.run(temp, List.of("cp", "-al", kernel.modulesDir().toString(), root.resolve("lib/modules").toString()));
        KernelIndex fromDirectory = load(KernelSources.ofKernel(root.toString()));
        KernelIndex fromRelease = load(KernelSources.ofKernel(release).withRoot(root));

        // The kallsyms dump's vmlinux with the same modules: what the image must reproduce.
        KernelIndex fromDump = load(KernelSources.ofSymbols(kernel.kallsymsDump()).withModules(kernel.modulesDir()));
        List<String> vmlinux = describe(fromDump, KernelSymbol.VMLINUX);
        assertEquals(vmlinux, describe(fromPackage, KernelSymbol.VMLINUX));
        assertEquals(vmlinux, describe(fromDirectory, KernelSymbol.VMLINUX));
        assertEquals(vmlinux, describe(fromRelease, KernelSymbol.VMLINUX));
        assertEquals(fromDirectory.objects(), fromPackage.objects());
        assertEquals(fromRelease.objects(), fromPackage.objects());
        assertTrue(fromPackage.objects().size() > 4000, fromPackage.objects().size() + " objects");
        for (String object : List.of("minix", "zstd_compress", "mmc_core", "libnvdimm", "fat")) {
            assertEquals(describe(fromDirectory, object), describe(fromPackage, object), object);
            assertFalse(describe(fromPackage, object).isEmpty(), object);
        }
        assertEquals(fromDirectory.builtinModules(), fromPackage.builtinModules());
        assertFalse(fromPackage.builtinModules().isEmpty());
        // No Module.symvers in the package: vmlinux exports come from its __ksymtab_ entries, and they are
        // exactly the vmlinux lines of the real Module.symvers, GPL-only or not.
        Map<String, String> symvers = new TreeMap<>();
        for (String line : Files.readAllLines(kernel.moduleSymvers())) {
            String[] fields = line.split("\t");
            if (fields[2].equals("vmlinux")) {
                symvers.put(fields[1], fields[3]);
            }
        }
        Map<String, String> inferred = new TreeMap<>();
        for (Export export : fromPackage.exportsOf(KernelSymbol.VMLINUX)) {
            inferred.put(export.name(), export.exportType());
        }
        assertEquals(symvers, inferred);
        assertTrue(fromPackage.loadInfo().notes().isEmpty(), fromPackage.loadInfo().notes().toString());
        assertEquals(List.of(), fromPackage.warnings().stream().map(IndexWarning::toString).toList());
    }
}
