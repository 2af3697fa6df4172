// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.FixtureKernel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Copies of a duplicated name told apart by identity, and pins by identity resolved, on the example's fixture
 * kernel and its next build (testdata/example/kernel/vmlinux-next adds a do_poweroff before the others). In kernel/
 * kallsyms order reads (System.map):
 * <pre>
 * ... max_threads_address  pm_power_off_prepare  do_poweroff (c_poweroff.c)  xenbus_probe  do_poweroff (d_manage.c)
 *     _printk ...
 * </pre>
 * and kernel-next has one more {@code do_poweroff} (b5_reboot.c) right after {@code cmdline_proc_show}.
 */
class CopyIdentityTest {
    private static KernelIndex fromMap(java.nio.file.Path kernelDir) {
        return KernelIndexLoader.load(KernelSources.ofSymbols(kernelDir.resolve("System.map")), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
    }

    private static KernelSymbol copy(KernelIndex index, int sympos) {
        return index.resolve(KernelSymbol.VMLINUX, "do_poweroff", sympos).orElseThrow();
    }

    @Test
    void aCopyIsNamedByItsNeighboursAndFollowedIntoTheNextBuild() {
        KernelIndex first = fromMap(FixtureKernel.kernelDir());
        KernelIndex next = fromMap(FixtureKernel.nextKernelDir());
        List<CopyIdentity> copies = CopyIdentity.copies(first, KernelSymbol.VMLINUX, "do_poweroff");
        assertEquals(2, copies.size());
        CopyIdentity poweroff = copies.get(0);
        assertEquals(new CopyIdentity.Side(Optional.of("pm_power_off_prepare"), List.of(), true), poweroff.before());
        assertEquals(new CopyIdentity.Side(Optional.of("xenbus_probe"), List.of(), true), poweroff.after());
        assertEquals(Optional.of(CopyPin.near("pm_power_off_prepare")), poweroff.pin());
        // manage.c's copy: xenbus_probe has a copy on each side, equally close, so its other neighbour names it.
        CopyIdentity manage = copies.get(1);
        assertEquals(Optional.of(CopyPin.near("_printk")), manage.pin());
        assertEquals("near _printk", manage.describe());

        assertEquals(2, poweroff.sameCopyIn(next).orElseThrow().sympos());
        assertEquals(3, manage.sameCopyIn(next).orElseThrow().sympos());
        // The new copy of the next build is none of the first build's.
        CopyIdentity added = CopyIdentity.of(next, copy(next, 1)).orElseThrow();
        assertTrue(added.sameCopyIn(first).isEmpty(), added.toString());
        CopyPin addedPin = added.pin().orElseThrow();
        assertEquals(1, addedPin.resolve(next, KernelSymbol.VMLINUX, "do_poweroff").copy().orElseThrow().sympos());
        assertEquals(Optional.of(CopyPin.Problem.NO_COPY_NEAR), addedPin.resolve(first, KernelSymbol.VMLINUX,
                "do_poweroff").problem(), addedPin.toString());
    }

    @Test
    void aCopyWhoseNeighbourhoodChangedOnOneSideIsNotClaimed() throws Exception {
        KernelIndex first = fromMap(FixtureKernel.kernelDir());
        // The next build, but with poweroff.c's neighbour renamed: one side of that copy differs.
        java.nio.file.Path dir = FixtureKernel.buildDir().resolve("renamed-neighbour");
        String map = java.nio.file.Files.readString(FixtureKernel.nextKernelDir().resolve("System.map"))
                .replace(" pm_power_off_prepare\n", " pm_power_off_begin\n");
        KernelIndex renamed = KernelIndexLoader.load(KernelSources.ofSymbols(KernelFixtures.write(
                dir.resolve("System.map"), map)), IndexOptions.NO_CACHE, ProgressListener.NONE);
        List<CopyIdentity> copies = CopyIdentity.copies(first, KernelSymbol.VMLINUX, "do_poweroff");
        assertTrue(copies.get(0).sameCopyIn(renamed).isEmpty());
        assertEquals(3, copies.get(1).sameCopyIn(renamed).orElseThrow().sympos());
    }

    @Test
    void aPinNearANeighbourResolvesInEachBuildOrSaysWhyNot() {
        KernelIndex first = fromMap(FixtureKernel.kernelDir());
        KernelIndex next = fromMap(FixtureKernel.nextKernelDir());
        CopyPin nearPrintk = CopyPin.near("_printk");
        assertEquals(2, nearPrintk.resolve(first, KernelSymbol.VMLINUX, "do_poweroff").copy().orElseThrow().sympos());
        assertEquals(3, nearPrintk.resolve(next, KernelSymbol.VMLINUX, "do_poweroff").copy().orElseThrow().sympos());
        assertEquals(Optional.of(CopyPin.Problem.TWO_COPIES_NEAR), CopyPin.near("xenbus_probe")
                .resolve(first, KernelSymbol.VMLINUX, "do_poweroff").problem());
        assertEquals(Optional.of(CopyPin.Problem.NO_SUCH_NEIGHBOUR), CopyPin.near("no_such_neighbour")
                .resolve(first, KernelSymbol.VMLINUX, "do_poweroff").problem());
        assertEquals(Optional.of(CopyPin.Problem.NO_COPY_NEAR), CopyPin.near("klp_enable_patch")
                .resolve(first, KernelSymbol.VMLINUX, "do_poweroff").problem());
        CopyPin.Resolution notUnique = CopyPin.near("do_poweroff").resolve(first, KernelSymbol.VMLINUX,
                "do_poweroff");
        assertEquals(Optional.of(CopyPin.Problem.NEIGHBOUR_NOT_UNIQUE), notUnique.problem());
        assertEquals(2, notUnique.count());
        assertEquals(Optional.of(CopyPin.Problem.NO_COPIES), nearPrintk.resolve(first, KernelSymbol.VMLINUX,
                "no_such_name").problem());
        // A file pin needs source files, which System.map does not have.
        assertEquals(Optional.of(CopyPin.Problem.NO_FILES), CopyPin.file("d_manage.c")
                .resolve(first, KernelSymbol.VMLINUX, "do_poweroff").problem());
    }

    @Test
    void withAnElfVmlinuxACopyIsNamedByItsSourceFile() {
        KernelIndex first = FixtureKernel.index();
        KernelIndex next = FixtureKernel.nextIndex();
        CopyIdentity manage = CopyIdentity.copies(first, KernelSymbol.VMLINUX, "do_poweroff").get(1);
        assertEquals(Optional.of("d_manage.c"), manage.sourceFile());
        assertEquals(Optional.of(CopyPin.file("d_manage.c")), manage.pin());
        assertEquals(3, manage.sameCopyIn(next).orElseThrow().sympos());
        assertEquals(3, CopyPin.file("drivers/xen/d_manage.c").resolve(next, KernelSymbol.VMLINUX, "do_poweroff")
                .copy().orElseThrow().sympos(), "a path matches the base name STT_FILE has");
        CopyPin.Resolution nowhere = CopyPin.file("manage.c").resolve(next, KernelSymbol.VMLINUX, "do_poweroff");
        assertEquals(Optional.of(CopyPin.Problem.NO_COPY_IN_FILE), nowhere.problem());
        assertEquals(List.of("b5_reboot.c", "c_poweroff.c", "d_manage.c"), nowhere.files());
    }

    @Test
    void pinsParseFromWhatAuthorsWrite() {
        assertEquals(Optional.of(CopyPin.near("foo")), CopyPin.parse("near foo"));
        assertEquals(Optional.of(CopyPin.near("foo")), CopyPin.parse("  NEAR   foo "));
        assertEquals(Optional.of(CopyPin.file("lib/foo.c")), CopyPin.parse("file lib/foo.c"));
        assertEquals(Optional.empty(), CopyPin.parse("near"));
        assertEquals(Optional.empty(), CopyPin.parse("near two words"));
        assertEquals(Optional.empty(), CopyPin.parse("beside foo"));
        assertEquals("near foo", CopyPin.near("foo").toString());
        assertTrue(CopyPin.sameFile("foo.c", "lib/foo.c"));
        assertTrue(CopyPin.sameFile("./lib/foo.c", "foo.c"));
        assertFalse(CopyPin.sameFile("foo.c", "lib/oo.c"));
        assertFalse(CopyPin.sameFile("lib/foo.c", "kernel/foo.c"));
    }
}
