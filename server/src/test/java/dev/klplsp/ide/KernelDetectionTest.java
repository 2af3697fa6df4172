// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.base.InputFile;
import dev.klplsp.base.SpecialFiles;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.testing.RealKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which kernel a workspace without one builds against, and which kernels are installed: always under a fake
 * system root (never the machine's own /lib/modules).
 */
class KernelDetectionTest {
    private static final String RELEASE = "6.1.0-56-amd64";

    @TempDir
    Path root;
    @TempDir
    Path workspace;

    @Test
    void theRunningKernelWithModulesAndADebugVmlinuxIsOffered() {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.setRunning(root, RELEASE);
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        KernelDetection.Candidate offer = detection.offer().orElseThrow(() -> new AssertionError(detection));
        assertEquals(RELEASE, offer.kernel());
        assertTrue(offer.running());
        assertEquals(RELEASE + " is the running kernel", detection.origin());
        assertEquals(KernelSources.ofKernel(RELEASE).withRoot(root), offer.sources());
        assertTrue(offer.detail().contains("usr/lib/debug/boot/vmlinux-" + RELEASE), offer.detail());
        assertTrue(offer.detail().contains("(vmlinux ELF)"), offer.detail());
    }

    /** Debian's image package ships a one-line placeholder System.map: modules alone give no sympos for vmlinux. */
    @Test
    void theRunningKernelWithOnlyThePlaceholderSystemMapIsNotOfferedAndTheReasonNamesTheDbgPackage() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, false);
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("boot/System.map-" + RELEASE),
                "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(Optional.empty(), detection.offer());
        assertTrue(detection.explanation().startsWith("the running kernel " + RELEASE + " cannot be indexed: "),
                detection.explanation());
        assertTrue(detection.explanation().contains("-dbg"), detection.explanation());
    }

    @Test
    void headersAloneAreNoModuleTree() throws Exception {
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.createDirectories(root.resolve("lib/modules").resolve(RELEASE).resolve("build"));
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(Optional.empty(), detection.offer());
        assertTrue(detection.explanation().contains("no module tree at " + root.resolve("lib/modules/" + RELEASE)),
                detection.explanation());
    }

    @Test
    void theKernelTheMakefileNamesWinsOverTheRunningOne() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.installKernel(root, "6.1.0-47-amd64", true);
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.writeString(workspace.resolve("Makefile"), "KDIR := /lib/modules/6.1.0-47-amd64/build\nall:\n"
                + "\t$(MAKE) -C $(KDIR) M=$(PWD) modules\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals("6.1.0-47-amd64", detection.offer().orElseThrow().kernel());
        assertFalse(detection.offer().get().running());
        assertEquals("Makefile builds against /lib/modules/6.1.0-47-amd64/build (line 3)", detection.origin());
    }

    /** A livepatch for the wrong kernel is worse than none: the running kernel does not stand in. */
    @Test
    void aKernelTheMakefileNamesButThatIsNotInstalledIsNotReplacedByTheRunningOne() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.writeString(workspace.resolve("Kbuild"), "obj-m += lp.o\nKDIR ?= /usr/src/linux-headers-6.1.0-47-amd64\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(Optional.empty(), detection.offer());
        assertTrue(detection.explanation().startsWith("Kbuild builds against /usr/src/linux-headers-6.1.0-47-amd64,"
                + " but "), detection.explanation());
        assertTrue(detection.explanation().contains("no kernel 6.1.0-47-amd64 found"), detection.explanation());
    }

    /** A fifo would block the detection forever and a huge file is no module's Makefile: neither is read. */
    @Test
    void aBuildFileThatIsNoRegularFileOrTooLargeIsNotRead() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.installKernel(root, "6.1.0-47-amd64", true);
        SampleWorkspaces.setRunning(root, RELEASE);
        SpecialFiles.fifo(workspace.resolve("Makefile"));
        String names47 = "KDIR := /lib/modules/6.1.0-47-amd64/build\nall:\n\t$(MAKE) -C $(KDIR) M=$(PWD) modules\n";
        Files.writeString(workspace.resolve("Kbuild"), names47 + "#".repeat((int) InputFile.BUILD_FILE.maxBytes()));
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(RELEASE, detection.offer().orElseThrow(() -> new AssertionError(detection)).kernel());
        assertEquals(RELEASE + " is the running kernel", detection.origin());
        // The same Kbuild within the limit names 6.1.0-47: only the size kept it from being read.
        Files.writeString(workspace.resolve("Kbuild"), names47);
        assertEquals("6.1.0-47-amd64", KernelDetection.detect(workspace, root).offer().orElseThrow().kernel());
    }

    @Test
    void uNameRInTheMakefileIsTheRunningKernel() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.writeString(workspace.resolve("Makefile"), "KDIR ?= /lib/modules/$(shell uname -r)/build\n"
                + "default:\n\t$(MAKE) -C $(KDIR) M=$$PWD\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertTrue(detection.offer().orElseThrow().running());
        assertEquals("Makefile builds against /lib/modules/" + RELEASE + "/build (line 3)", detection.origin());
    }

    @Test
    void aMakefileThatCannotBeExpandedFallsBackToTheRunningKernelAndSaysSo() throws Exception {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        SampleWorkspaces.setRunning(root, RELEASE);
        Files.writeString(workspace.resolve("Makefile"), "all:\n\t$(MAKE) -C $(shell ./kdir.sh) M=$(PWD)\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(RELEASE, detection.offer().orElseThrow().kernel());
        assertTrue(detection.origin().startsWith("Makefile (line 2) names the kernel directory $(shell ./kdir.sh),"
                + " which klp-lsp cannot expand"), detection.origin());
        assertTrue(detection.origin().endsWith(RELEASE + " is the running kernel"), detection.origin());
    }

    @Test
    void aBuildTreeTheMakefileNamesIsOfferedAsAPathUnderTheRoot() throws Exception {
        Path vmlinux = SampleWorkspaces.copy("ambiguous").resolveSibling("fixture-kernel").resolve("vmlinux");
        Path tree = Files.createDirectories(root.resolve("home/me/linux"));
        Files.copy(vmlinux, tree.resolve("vmlinux"));
        Files.writeString(workspace.resolve("Makefile"), "all:\n\tmake -C /home/me/linux M=$(PWD) modules\n");
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        KernelDetection.Candidate offer = detection.offer().orElseThrow(() -> new AssertionError(detection));
        assertEquals(tree.toString(), offer.kernel());
        assertEquals(KernelSources.ofKernel(tree.toString()), offer.sources());
    }

    @Test
    void withoutARunningReleaseNothingIsOffered() {
        SampleWorkspaces.installKernel(root, RELEASE, true);
        KernelDetection.Detection detection = KernelDetection.detect(workspace, root);
        assertEquals(Optional.empty(), detection.offer());
        assertEquals("the running kernel's release is unknown (no " + root.resolve("proc/sys/kernel/osrelease") + ")",
                detection.explanation());
    }

    @Test
    void installedKernelsAreListedRunningFirstThenNewestWithWhatEachLacks() throws Exception {
        SampleWorkspaces.installKernel(root, "6.1.0-9-amd64", true);
        SampleWorkspaces.installKernel(root, "6.1.0-56-amd64", false);
        SampleWorkspaces.installKernel(root, "6.1.0-47-amd64", true);
        SampleWorkspaces.setRunning(root, "6.1.0-47-amd64");
        Files.createDirectories(root.resolve("usr/lib/debug/boot"));
        Files.writeString(root.resolve("usr/lib/debug/boot/not a release"), "");
        List<KernelDetection.Candidate> installed = KernelDetection.installed(root);
        assertEquals(List.of("6.1.0-47-amd64", "6.1.0-56-amd64", "6.1.0-9-amd64"),
                installed.stream().map(KernelDetection.Candidate::kernel).toList());
        assertEquals(List.of(true, false, false), installed.stream().map(KernelDetection.Candidate::running).toList());
        assertEquals(List.of(true, false, true), installed.stream().map(KernelDetection.Candidate::usable).toList());
        assertTrue(installed.get(1).detail().contains("no vmlinux symbols found for 6.1.0-56-amd64"),
                installed.get(1).detail());
    }

    @Test
    void anEmptyRootHasNoKernels() {
        assertEquals(List.of(), KernelDetection.installed(root));
        assertEquals(Optional.empty(), KernelDetection.runningRelease(root));
    }

    /**
     * Debian's real 6.1 image, linked piece by piece into a root: its module tree with only the placeholder
     * System.map cannot be indexed; its vmlinuz (kallsyms tables) makes it usable; the -dbg vmlinux comes first.
     */
    @Test
    void debiansImageIsUsableThroughItsVmlinuzButNotItsPlaceholderSystemMap() throws Exception {
        RealKernel kernel = RealKernel.require();
        String release = kernel.release();
        Files.createDirectories(root.resolve("lib/modules"));
        Files.createSymbolicLink(root.resolve("lib/modules").resolve(release), kernel.modulesDir());
        Files.createDirectories(root.resolve("boot"));
        Files.createSymbolicLink(root.resolve("boot/System.map-" + release),
                kernel.dir().resolve("boot/System.map-" + release));
        SampleWorkspaces.setRunning(root, release);

        KernelDetection.Candidate placeholderOnly = KernelDetection.assessRelease(release, root, true);
        assertFalse(placeholderOnly.usable(), placeholderOnly.detail());
        assertTrue(placeholderOnly.detail().contains("-dbg"), placeholderOnly.detail());
        assertEquals(Optional.empty(), KernelDetection.detect(workspace, root).offer());

        Files.createSymbolicLink(root.resolve("boot/vmlinuz-" + release), kernel.vmlinuz());
        KernelDetection.Candidate withImage = KernelDetection.detect(workspace, root).offer().orElseThrow();
        assertTrue(withImage.detail().endsWith("(x86 kernel image (vmlinuz))"), withImage.detail());

        Path debugVmlinux = kernel.requireDebugFile("boot/vmlinux-" + release);
        Files.createDirectories(root.resolve("usr/lib/debug/boot"));
        Files.createSymbolicLink(root.resolve("usr/lib/debug/boot/vmlinux-" + release), debugVmlinux);
        KernelDetection.Candidate withDebug = KernelDetection.detect(workspace, root).offer().orElseThrow();
        assertTrue(withDebug.detail().endsWith("(vmlinux ELF)"), withDebug.detail());
    }
}
