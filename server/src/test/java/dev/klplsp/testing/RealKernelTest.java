// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RealKernelTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void missingKernelSkipsLocallyButFailsOnCi() {
        assertTrue(RealKernel.find(Map.of()).isEmpty());
        assertThrows(TestAbortedException.class, () -> RealKernel.require(Map.of()));
        AssertionError onCi = assertThrows(AssertionError.class, () -> RealKernel.require(Map.of("CI", "true")));
        assertTrue(onCi.getMessage().contains(RealKernel.ENV_KERNEL_DIR), onCi.getMessage());
    }

    @Test
    void kernelDirWithoutImageIsASetupError(@org.junit.jupiter.api.io.TempDir Path empty) {
        AssertionError error = assertThrows(AssertionError.class,
                () -> RealKernel.find(Map.of(RealKernel.ENV_KERNEL_DIR, empty.toString())));
        assertTrue(error.getMessage().contains("fetch-kernel.sh"), error.getMessage());
    }

    @Test
    void kernelDirHoldsWhatFetchKernelMakes() throws Exception {
        RealKernel kernel = RealKernel.require();
        assertEquals("6.1.0-56-amd64", kernel.release());
        assertTrue(Files.isRegularFile(kernel.vmlinuz()));
        assertTrue(Files.isRegularFile(kernel.requireModule("minix")));
        // The dump boots with nokaslr and five modules (testdata/kernel/README.md).
        List<String> kallsyms = Files.readAllLines(kernel.kallsymsDump());
        long moduleLines = kallsyms.stream().filter(line -> line.endsWith("]")).count();
        assertTrue(kallsyms.size() - moduleLines > 90_000, "vmlinux lines: " + (kallsyms.size() - moduleLines));
        assertTrue(kallsyms.contains("ffffffff8111a2f0 t do_poweroff"), "nokaslr address of do_poweroff");
        assertEquals(2, kallsyms.stream().filter(line -> line.matches("\\S+ t get_block\t\\[minix]")).count());
        assertTrue(Files.readString(kernel.moduleSymvers()).contains("\t_printk\tvmlinux\tEXPORT_SYMBOL"));
        kernel.systemMap().ifPresent(map -> assertTrue(map.toFile().length() > 1_000_000, map + " is the stub"));
    }

    @Test
    void bootsToInitAndPowersOff() {
        RealKernel kernel = RealKernel.require();
        RealKernel.BootResult boot = kernel.boot(List.of(), "echo KLP-TEST: cmdline=$(cat /proc/cmdline)", BOOT_TIMEOUT);
        assertTrue(boot.completed(), boot.describe());
        assertTrue(boot.initStarted(), boot.describe());
        assertTrue(boot.serialLog().contains("Linux version 6.1.0-56-amd64"), boot.describe());
        assertTrue(boot.serialLog().contains("KLP-TEST: cmdline=console=ttyS0"), boot.describe());
        assertEquals(0, boot.scriptExitCode().orElseThrow());
    }

    @Test
    void insmodOfAShippedModuleShowsInProcModules() {
        RealKernel kernel = RealKernel.require();
        RealKernel.BootResult boot = kernel.boot(List.of(kernel.requireModule("minix")),
                "insmod /mods/minix.ko && sed 's/^/KLP-TEST: /' /proc/modules", BOOT_TIMEOUT);
        assertTrue(boot.completed(), boot.describe());
        assertTrue(boot.serialLog().lines().anyMatch(line -> line.startsWith("KLP-TEST: minix ")), boot.describe());
    }

    @Test
    void scriptFailureIsReportedAndDoesNotHang() {
        RealKernel kernel = RealKernel.require();
        RealKernel.BootResult boot = kernel.boot(List.of(), "insmod /mods/no-such.ko", BOOT_TIMEOUT);
        assertFalse(boot.timedOut(), boot.describe());
        assertTrue(boot.scriptExitCode().orElseThrow() != 0, boot.describe());
    }

    @Test
    void kbuildLivepatchSampleReplacesCmdlineProcShow() {
        RealKernel kernel = RealKernel.require();
        Path ko = kernel.buildModule(Fixtures.testdata().resolve("kernel/modules/livepatch-sample"), "livepatch-sample");
        String modinfo = Processes.run("readelf", "-p", ".modinfo", ko.toString());
        assertTrue(modinfo.contains("livepatch=Y"), modinfo);
        assertTrue(modinfo.contains("vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions"), modinfo);

        String script = """
                insmod /mods/livepatch-sample.ko || exit 1
                for i in 1 2 3 4 5 6 7 8 9 10; do
                    [ "$(cat /sys/kernel/livepatch/livepatch_sample/transition)" = 0 ] && break
                    sleep 1
                done
                echo "KLP-TEST: enabled=$(cat /sys/kernel/livepatch/livepatch_sample/enabled)"
                echo "KLP-TEST: cmdline=$(cat /proc/cmdline)"
                """;
        RealKernel.BootResult boot = kernel.boot(List.of(ko), script, BOOT_TIMEOUT);
        assertTrue(boot.completed(), boot.describe());
        assertTrue(boot.serialLog().contains("livepatch: 'livepatch_sample': patching complete"), boot.describe());
        assertTrue(boot.serialLog().contains("KLP-TEST: enabled=1"), boot.describe());
        assertTrue(boot.serialLog().contains("KLP-TEST: cmdline=KLP-SAMPLE: this has been live patched"), boot.describe());
    }

    /** The baseline the converter removes: kbuild leaves non-exported references undefined, and the kernel refuses them. */
    @Test
    void unconvertedLivepatchWithNonExportedReferencesIsRefused() {
        RealKernel kernel = RealKernel.require();
        Path ko = kernel.buildModule(Fixtures.testdata().resolve("kernel/modules/livepatch-nonexported"),
                "livepatch-nonexported");
        String relocations = Processes.run("readelf", "-rW", ko.toString());
        for (String symbol : List.of("saved_command_line", "max_threads", "nr_processes", "do_poweroff")) {
            assertTrue(relocations.contains(" " + symbol + " "), symbol + " in\n" + relocations);
        }

        String script = """
                insmod /mods/livepatch-nonexported.ko
                echo "KLP-TEST: insmod=$?"
                echo "KLP-TEST: cmdline=$(cat /proc/cmdline)"
                """;
        RealKernel.BootResult boot = kernel.boot(List.of(ko), script, BOOT_TIMEOUT);
        assertTrue(boot.completed(), boot.describe());
        assertTrue(boot.serialLog().contains("livepatch_nonexported: Unknown symbol saved_command_line (err -2)"),
                boot.describe());
        assertFalse(boot.serialLog().contains("KLP-TEST: insmod=0"), boot.describe());
        assertTrue(boot.serialLog().contains("KLP-TEST: cmdline=console=ttyS0"), boot.describe());
    }
}
