// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a module's Makefile or Kbuild says about the kernel it builds against. */
class MakefileKernelDirTest {
    private static final Optional<String> RUNNING = Optional.of("6.1.0-56-amd64");

    private static MakefileKernelDir.Result find(String makefile) {
        return MakefileKernelDir.find(makefile, "/home/me/lp", RUNNING);
    }

    private static MakefileKernelDir.Found found(String makefile) {
        return assertInstanceOf(MakefileKernelDir.Found.class, find(makefile));
    }

    @Test
    void theUsualKbuildMakefileBuildsAgainstTheRunningKernelsBuildLink() {
        MakefileKernelDir.Found found = found("""
                ifneq ($(KERNELRELEASE),)
                obj-m := livepatch.o
                else
                KDIR ?= /lib/modules/$(shell uname -r)/build
                default:
                \t$(MAKE) -C $(KDIR) M=$$PWD modules
                endif
                """);
        assertEquals("/lib/modules/6.1.0-56-amd64/build", found.directory());
        assertEquals("$(KDIR)", found.written());
        assertEquals(6, found.line());
    }

    @Test
    void aLiteralDirectoryAfterDashCOrDirectoryEqualsIsTaken() {
        assertEquals("/usr/src/linux-headers-6.1.0-47-amd64", found(
                "all:\n\tmake -C /usr/src/linux-headers-6.1.0-47-amd64 M=$(PWD) modules\n").directory());
        assertEquals("/opt/linux", found("all:\n\t$(MAKE) --directory=/opt/linux M=$(CURDIR)\n").directory());
        assertEquals("/opt/linux", found("all:\n\t$(MAKE) -C/opt/linux SUBDIRS=$(PWD) modules\n").directory());
    }

    @Test
    void aMakeCallWithoutMIsARecursionNotAKernelBuild() {
        assertInstanceOf(MakefileKernelDir.None.class, find("all:\n\t$(MAKE) -C src all\n"));
        assertEquals("/k", found("KDIR := /k\nall:\n\t$(MAKE) -C src\n").directory(),
                "the variable still names the kernel");
    }

    @Test
    void variablesExpandRecursivelyAndTheLastAssignmentWinsButQuestionEqualsOnlyWhenUnset() {
        assertEquals("/srv/kernels/6.1/build", found("""
                BASE = /srv/kernels
                VER := 6.1
                KDIR ?= $(BASE)/$(VER)/build
                KDIR ?= /ignored
                all:
                \t$(MAKE) -C ${KDIR} M=$(PWD)
                """).directory());
        assertEquals("/second", found("KDIR = /first\nKDIR = /second\n").directory());
        assertEquals("/home/me/lp/../linux", found("KERNELDIR := $(abspath $(PWD)/../linux)\n").directory());
    }

    @Test
    void continuationLinesAndCommentsAreRead() {
        assertEquals("/k", found("""
                # KDIR := /commented/out
                KDIR := /k  # the tree
                all:
                \t$(MAKE) \\
                \t  -C $(KDIR) \\
                \t  M=$(PWD) modules
                """).directory());
    }

    @Test
    void whatOnlyRunningMakeCouldTellIsUnresolvedWithTheReason() {
        MakefileKernelDir.Unresolved shell = assertInstanceOf(MakefileKernelDir.Unresolved.class,
                find("KDIR := $(shell ./find-kernel.sh)\nall:\n\t$(MAKE) -C $(KDIR) M=$(PWD)\n"));
        assertEquals(3, shell.line());
        assertTrue(shell.why().contains("shell ./find-kernel.sh"), shell.why());
        MakefileKernelDir.Unresolved unset = assertInstanceOf(MakefileKernelDir.Unresolved.class,
                find("all:\n\t$(MAKE) -C $(KERNEL_TREE) M=$(PWD)\n"));
        assertTrue(unset.why().contains("KERNEL_TREE) is not set"), unset.why());
        MakefileKernelDir.Unresolved unknownRelease = assertInstanceOf(MakefileKernelDir.Unresolved.class,
                MakefileKernelDir.find("KDIR ?= /lib/modules/$(shell uname -r)/build\n", "/w", Optional.empty()));
        assertTrue(unknownRelease.why().contains("running release"), unknownRelease.why());
        assertInstanceOf(MakefileKernelDir.Unresolved.class, find("A = $(B)\nB = $(A)\nKDIR = $(A)\n"),
                "a cycle ends at the depth limit");
    }

    @Test
    void aFileWithoutAKernelBuildNamesNothing() {
        assertInstanceOf(MakefileKernelDir.None.class, find("obj-m := livepatch.o\n"));
        assertInstanceOf(MakefileKernelDir.None.class, find(""));
        assertInstanceOf(MakefileKernelDir.None.class, find("all:\n\tgcc -C -o x x.c\n"));
    }

    /** Any bytes give a result: never an exception, and expansion stays bounded (a doubling chain is cut off). */
    @FuzzTest
    void anyTextGivesAResult(byte[] input) {
        MakefileKernelDir.find(new String(input, StandardCharsets.ISO_8859_1), "/w", RUNNING);
    }

    @Test
    void aDoublingChainIsCutOffByTheLengthLimit() {
        StringBuilder makefile = new StringBuilder("V0 = xxxxxxxxxxxxxxxx\n");
        for (int i = 1; i < 40; i++) {
            makefile.append("V").append(i).append(" = $(V").append(i - 1).append(")$(V").append(i - 1).append(")\n");
        }
        makefile.append("KDIR = $(V12)\n");
        MakefileKernelDir.Unresolved cut = assertInstanceOf(MakefileKernelDir.Unresolved.class,
                find(makefile.toString()));
        assertTrue(cut.why().contains("more than"), cut.why());
    }
}
