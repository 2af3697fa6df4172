// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.elf.ElfFormatException;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where debug information is found: a release's debug package under a root (Debian's and Fedora's layouts), a
 * build tree, explicit files and directories; files without debug sections are passed over.
 */
class DebugInfoLocatorTest {
    private static final String RELEASE = "6.1.0-99-test";

    @TempDir
    Path root;

    private static Path debugModule() {
        return Fixtures.module("dwarf_facts", Toolchain.X86_64);
    }

    private static Path debugVmlinux() {
        return Fixtures.link("dwarf_facts", Toolchain.X86_64, List.of("-e", "flattened_caller"), "facts");
    }

    private Path place(Path from, String relative) throws IOException {
        Path to = root.resolve(relative);
        Files.createDirectories(to.getParent());
        return Files.copy(from, to);
    }

    private Path stripped(String relative) throws IOException {
        Path to = root.resolve(relative);
        Files.createDirectories(to.getParent());
        Processes.run(null, List.of("objcopy", "--strip-debug", debugModule().toString(), to.toString()));
        return to;
    }

    private KernelSources.Resolved release() {
        return KernelSources.ofKernel(RELEASE).withRoot(root).resolve();
    }

    @Test
    void debiansDebugPackageUnderTheRoot() throws IOException {
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel"));
        Path vmlinux = place(debugVmlinux(), "usr/lib/debug/boot/vmlinux-" + RELEASE);
        Path module = place(debugModule(), "usr/lib/debug/lib/modules/" + RELEASE + "/kernel/fs/dwarf_facts.ko");
        DebugInfoLocator locator = DebugInfoLocator.of(release(), List.of());
        assertEquals(Optional.of(RELEASE), locator.release());
        assertEquals(Optional.of(vmlinux), locator.find("vmlinux"));
        assertEquals(Optional.of(module), locator.find("dwarf_facts"));
        assertEquals(Optional.empty(), locator.find("no_such_module"));
        assertEquals(List.of(), locator.candidates("no_such_module"));
    }

    @Test
    void fedorasLayoutWithDotDebugFiles() throws IOException {
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel"));
        Path vmlinux = place(debugVmlinux(), "usr/lib/debug/lib/modules/" + RELEASE + "/vmlinux");
        Path module = place(debugModule(), "usr/lib/debug/lib/modules/" + RELEASE + "/kernel/fs/dwarf-facts.ko.debug");
        DebugInfoLocator locator = DebugInfoLocator.of(release(), List.of());
        assertEquals(Optional.of(vmlinux), locator.find("vmlinux"));
        assertEquals(Optional.of(module), locator.find("dwarf_facts"), "dwarf-facts is module dwarf_facts");
    }

    @Test
    void aBuildTreesOwnObjects() throws IOException {
        Path vmlinux = place(debugVmlinux(), "tree/vmlinux");
        Path module = place(debugModule(), "tree/fs/facts/dwarf_facts.ko");
        DebugInfoLocator locator = DebugInfoLocator.of(KernelSources.ofKernel(root.resolve("tree").toString())
                .resolve(), List.of());
        assertEquals(Optional.of(vmlinux), locator.find("vmlinux"));
        assertEquals(Optional.of(module), locator.find("dwarf_facts"));
    }

    @Test
    void explicitFilesAndDirectoriesComeFirstAndStrippedFilesArePassedOver() throws IOException {
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel"));
        Path packaged = place(debugModule(), "usr/lib/debug/lib/modules/" + RELEASE + "/kernel/fs/dwarf_facts.ko");
        Path strippedCopy = stripped("mine/dwarf_facts.ko");
        DebugInfoLocator locator = DebugInfoLocator.of(release(), List.of(root.resolve("mine")));
        assertEquals(List.of(strippedCopy, packaged), locator.candidates("dwarf_facts"));
        assertEquals(Optional.of(packaged), locator.find("dwarf_facts"), "the stripped copy has no .debug_info");

        Path explicit = place(debugModule(), "elsewhere/dwarf_facts.ko");
        Path explicitVmlinux = place(debugVmlinux(), "elsewhere/my-kernel");
        locator = DebugInfoLocator.of(release(), List.of(explicit, explicitVmlinux));
        assertEquals(Optional.of(explicit), locator.find("dwarf_facts"));
        assertEquals(Optional.of(explicitVmlinux), locator.find("vmlinux"), "an executable is vmlinux");
    }

    @Test
    void aDebugRootWithSeveralReleasesPrefersTheKernelsOwn() throws IOException {
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel"));
        place(debugModule(), "debug/lib/modules/5.10.0-1-test/kernel/dwarf_facts.ko");
        Path own = place(debugModule(), "debug/lib/modules/" + RELEASE + "/kernel/dwarf_facts.ko");
        Path vmlinux = place(debugVmlinux(), "debug/boot/vmlinux-" + RELEASE);
        DebugInfoLocator locator = DebugInfoLocator.of(release(), List.of(root.resolve("debug")));
        assertEquals(Optional.of(own), locator.find("dwarf_facts"));
        assertEquals(Optional.of(vmlinux), locator.find("vmlinux"));
    }

    @Test
    void theSymbolIndexsVmlinuxCountsWhenItHasDebugSections() {
        DebugInfoLocator locator = DebugInfoLocator.of(KernelSources.ofSymbols(debugVmlinux()).resolve(), List.of());
        assertEquals(Optional.of(debugVmlinux()), locator.find("vmlinux"));
        DebugInfoLocator withoutDebug = DebugInfoLocator.of(KernelSources.ofSymbols(KernelFixtures.vmlinux())
                .resolve(), List.of());
        assertEquals(Optional.empty(), withoutDebug.find("vmlinux"), "the kernel_vmlinux fixture has no -g");
    }

    @Test
    void badExplicitPathsAreInputErrors() throws IOException {
        Files.createDirectories(root.resolve("lib/modules/" + RELEASE + "/kernel"));
        Path missing = root.resolve("missing");
        SymbolSourceException e = assertThrows(SymbolSourceException.class,
                () -> DebugInfoLocator.of(release(), List.of(missing)));
        assertEquals(missing + ": does not exist (given as debug information)", e.getMessage());
        Path text = Files.writeString(root.resolve("notes.txt"), "not an ELF file\n");
        ElfFormatException notElf = assertThrows(ElfFormatException.class,
                () -> DebugInfoLocator.of(release(), List.of(text)));
        assertTrue(notElf.getMessage().startsWith(text + ": at offset 0x0: not an ELF file"), notElf.getMessage());
    }
}
