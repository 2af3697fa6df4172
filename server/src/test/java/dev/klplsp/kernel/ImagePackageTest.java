// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.kernel.KallsymsFixture.Layout;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kernel indexed from an image package alone: packages built by dpkg-deb (every data.tar compression it
 * writes) holding a bzImage with kallsyms tables, Debian's placeholder System.map, a gcc-built module deep
 * enough for a long tar name, and modules.builtin; the same files unpacked as a directory and found by release.
 */
class ImagePackageTest {
    /** The release in the fixture module's vermagic, so no mixed-release warning. */
    private static final String RELEASE = "6.1.0-fixture";

    /** The package tree: what linux-image-RELEASE ships, in miniature. */
    private static Path tree(Path temp) throws IOException {
        Path root = temp.resolve("tree");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: linux-image-" + RELEASE + "\nVersion: 9.9.9-1\n"
                + "Architecture: amd64\nMaintainer: klp-lsp tests <tests@example.invalid>\n"
                + "Description: a kernel image package for the tests\n");
        Files.createDirectories(root.resolve("boot"));
        byte[] vmlinux = KallsymsFixture.image(Layout.V6_3, KallsymsFixture.symbols(), 10_000);
        Files.write(root.resolve("boot/vmlinuz-" + RELEASE), KallsymsFixture.bzImage(temp, vmlinux, "xz"));
        Files.writeString(root.resolve("boot/System.map-" + RELEASE),
                "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
        Path modules = root.resolve("lib/modules/" + RELEASE);
        Path deep = modules.resolve("kernel/drivers/a-directory-name-long-enough/for-the-path-to-need/more-than-the"
                + "-hundred-bytes-of-a-plain-tar-header");
        Files.createDirectories(deep);
        Files.copy(Fixtures.module("kernel_module"), deep.resolve("kernel_module.ko"));
        Files.writeString(modules.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        return root;
    }

    private static Path build(Path temp, Path tree, String compression) {
        Path deb = temp.resolve("linux-image-" + RELEASE + "_9.9.9-1_amd64.deb");
        Processes.run(temp, List.of("dpkg-deb", "--root-owner-group", "-Z" + compression, "--build", tree.toString(),
                deb.toString()));
        return deb;
    }

    private static KernelIndex load(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    private static void assertIsTheTestKernel(KernelIndex index) {
        assertEquals(Optional.of(RELEASE), index.release());
        assertEquals(KallsymsFixture.symbols().size(), index.symbolCount(KernelSymbol.VMLINUX));
        List<KernelSymbol> poweroff = index.lookup(KernelSymbol.VMLINUX, "do_poweroff");
        assertEquals(List.of(1, 2, 3), poweroff.stream().limit(3).map(KernelSymbol::sympos).toList());
        assertEquals('A', index.lookup(KernelSymbol.VMLINUX, "cpu_debug_store").get(0).nmLetter());
        assertEquals(Set.of(KernelSymbol.VMLINUX, "kernel_module"), index.objects());
        assertEquals(2, index.lookup("kernel_module", "homonym").size()); // a.c and b.c each have one
        assertEquals(Set.of("ext4"), index.builtinModules());
        assertEquals(List.of(), index.warnings().stream().map(IndexWarning::toString).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd", "gzip", "none"})
    void theDebItselfIndexesTheKernel(String compression, @TempDir Path temp) throws IOException {
        Path deb = build(temp, tree(temp), compression);
        assertIsTheTestKernel(load(KernelSources.ofKernel(deb.toString())));
    }

    @Test
    void theUnpackedDirectoryAndTheReleaseIndexTheSameKernel(@TempDir Path temp) throws IOException {
        Path tree = tree(temp);
        Processes.run(temp, List.of("rm", "-r", tree.resolve("DEBIAN").toString()));
        // The placeholder System.map is there, and must not win over the image.
        assertIsTheTestKernel(load(KernelSources.ofKernel(tree.toString())));
        assertIsTheTestKernel(load(KernelSources.ofKernel(RELEASE).withRoot(tree)));
        assertIsTheTestKernel(load(KernelSources.ofKernel(tree.resolve("lib/modules/" + RELEASE).toString())));
    }

    @Test
    void aVmlinuzGivenAsSymbolsCountsLikeADump(@TempDir Path temp) throws IOException {
        Path tree = tree(temp);
        KernelIndex index = load(KernelSources.ofSymbols(tree.resolve("boot/vmlinuz-" + RELEASE)));
        assertEquals(Optional.of(RELEASE), index.release());
        assertEquals(KallsymsFixture.symbols().size(), index.symbolCount(KernelSymbol.VMLINUX));
    }

    @Test
    void thePackageIsTheCacheKey(@TempDir Path temp) throws IOException {
        Path deb = build(temp, tree(temp), "xz");
        IndexOptions cached = new IndexOptions(Optional.of(temp.resolve("cache")), true);
        KernelIndex first = KernelIndexLoader.load(KernelSources.ofKernel(deb.toString()), cached, ProgressListener.NONE);
        KernelIndex second = KernelIndexLoader.load(KernelSources.ofKernel(deb.toString()), cached, ProgressListener.NONE);
        assertEquals(false, first.loadInfo().fromCache());
        assertEquals(true, second.loadInfo().fromCache());
        assertIsTheTestKernel(second);
    }

    private static String failure(Path deb) {
        return assertThrows(SymbolSourceException.class, () -> load(KernelSources.ofKernel(deb.toString())))
                .getMessage();
    }

    @Test
    void aPackageWithoutKernelImageIsNamed(@TempDir Path temp) throws IOException {
        Path tree = tree(temp);
        Files.delete(tree.resolve("boot/vmlinuz-" + RELEASE));
        Path deb = build(temp, tree, "xz");
        assertEquals(deb + ": holds no boot/vmlinuz-<release>: not a linux-image package (the -dbg, headers and"
                + " meta packages have no kernel image)", failure(deb));
    }

    @Test
    void aTruncatedOrCorruptPackageIsAnErrorNamingIt(@TempDir Path temp) throws IOException {
        Path deb = build(temp, tree(temp), "none");
        byte[] bytes = Files.readAllBytes(deb);
        Path truncated = temp.resolve("truncated.deb");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(failure(truncated).startsWith(truncated + ": "), failure(truncated));
        // A flipped byte in the first tar header (data.tar is the third ar member; plain tar with -Znone).
        int data = indexOf(bytes, "data.tar".getBytes()) + 60;
        bytes[data + 10] ^= 0x40;
        Path corrupt = temp.resolve("corrupt.deb");
        Files.write(corrupt, bytes);
        assertTrue(failure(corrupt).contains("data.tar at tar offset 0: tar header checksum"), failure(corrupt));
    }

    @Test
    void aFileThatIsNoPackageIsRefusedAsKernel(@TempDir Path temp) throws IOException {
        Path file = temp.resolve("notes.txt");
        Files.writeString(file, "hello\n");
        assertEquals(file + ": is a file but not a kernel image package (.deb) nor a vmlinuz, vmlinux, System.map or"
                + " kallsyms dump; a kernel is a build tree, a modules directory, an image package, one of those files"
                + " or a release (give other files as symbol files)", failure(file));
    }

    @Test
    void gnuLongNamesAndPaxPathsNameTheirEntries() {
        for (boolean gzip : new boolean[] {false, true}) {
            List<String> names = new java.util.ArrayList<>();
            DebPackage.read(Path.of("fixture.deb"), new java.io.ByteArrayInputStream(DebFixture.deb(gzip)),
                    new DebPackage.Visitor() {
                        @Override
                        public boolean wants(String name, long size) {
                            names.add(name);
                            return true;
                        }

                        @Override
                        public void accept(String name, byte[] content) {
                            // the names are what this test checks
                        }
                    });
            assertEquals(List.of("boot/vmlinuz-6.1.0-fuzz", "lib/modules/6.1.0-fuzz/kernel/" + "d".repeat(120) + "/m.ko",
                    "lib/modules/6.1.0-fuzz/modules.builtin"), names);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
