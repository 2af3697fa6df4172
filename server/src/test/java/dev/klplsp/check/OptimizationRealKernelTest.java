// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.cli.Main;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.DebugInfoIndexes;
import dev.klplsp.kernel.DebugInfoLocator;
import dev.klplsp.kernel.FunctionFacts;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.InlineSite;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.OptimizationIndex;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The proof in the real kernel that a replaced function's inlined copies keep the old code, and that klp-lsp named
 * the caller that keeps it before anything was built. Debian's 6.1.0-56 has do_proc_dointvec_conv() of
 * kernel/sysctl.c out of line — proc_dointvec() calls it through a pointer, so reading /proc/sys/kernel/printk runs
 * that copy — and inlined into do_proc_dointvec_minmax_conv(), which proc_dointvec_minmax() uses for
 * /proc/sys/kernel/pid_max. testdata/kernel/modules/klpc_inline replaces it with a conversion that reads every value
 * plus 1000000; built again with KLPC_INLINE_CALLERS it also replaces the caller klp-lsp named. One TCG boot loads
 * both in turn. Runs when KLP_TEST_KERNEL_DIR is set (CI sets it); needs the kernel's -dbg vmlinux.
 */
class OptimizationRealKernelTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
    private static final int MARK = 1_000_000;
    private static final String REPLACED = "do_proc_dointvec_conv";
    private static final Pattern WARNING = Pattern.compile("warning\\[replaced-function-inlined\\]: klp_func replaces "
            + REPLACED + ", but vmlinux also has 1 inlined copy of it, in (\\S+) \\((\\S+:\\d+)\\): those copies keep"
            + " the old code: patch the callers too");
    private static final Pattern READS = Pattern.compile("KLPI: (\\w+) printk=([0-9 ]+) pid_max=(\\d+)");

    record Run(int exitCode, String out, String err) {
    }

    private static Run klpLsp(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theInlinedCopyKlpLspNamedBeforeTheBuildKeepsTheOldCodeUntilItsCallerIsReplacedToo() throws Exception {
        RealKernel kernel = RealKernel.require();
        Path debugVmlinux = kernel.requireDebugFile("boot/vmlinux-" + kernel.release());
        Path work = Fixtures.repoRoot().resolve("server/target/klpi");
        Path cacheDir = Fixtures.repoRoot().resolve("server/target/klpc-index-cache");
        Files.createDirectories(work);
        List<String> kernelArgs = List.of("--symbols", kernel.kallsymsDump().toString(), "--modules",
                kernel.modulesDir().toString(), "--symvers", kernel.moduleSymvers().toString(), "--debug-info",
                debugVmlinux.toString(), "--cache-dir", cacheDir.toString(), "--no-project");

        // Before the build: the check of the C source names the caller that keeps the old code.
        Path source = Fixtures.testdata().resolve("kernel/modules/klpc_inline/klpc_inline.c");
        List<String> args = new ArrayList<>(List.of("check", source.toString()));
        args.addAll(kernelArgs);
        Run before = klpLsp(args);
        assertEquals(0, before.exitCode(), before.out() + before.err());
        Matcher warning = WARNING.matcher(before.out());
        assertTrue(warning.find(), before.out());
        String caller = warning.group(1);
        assertEquals("do_proc_dointvec_minmax_conv", caller, before.out());
        // It is what the debug information says, and the only place: the pointer path of proc_dointvec is not one.
        OptimizationIndex facts = new DebugInfoIndexes(DebugInfoLocator.of(KernelSources.ofSymbols(debugVmlinux)
                .resolve(), List.of()), new IndexOptions(Optional.of(cacheDir), true)).index("vmlinux").orElseThrow();
        FunctionFacts replaced = facts.functions(REPLACED).get(0);
        assertEquals(1, replaced.instances().size());
        List<InlineSite> sites = replaced.sitesInOtherFunctions();
        assertEquals(1, sites.size(), sites.toString());
        assertEquals(caller, sites.get(0).container().orElseThrow().symbol());
        assertEquals(warning.group(2), sites.get(0).call().orElseThrow().toString());

        // Built: the module check reads the same from the klp_func table of the kbuild module; replacing the
        // caller too, as advised, leaves nothing to say about it.
        Path inline = kernel.buildLivepatch(work.resolve("src"), "klpc_inline", "klpc_inline");
        Path callers = kernel.buildLivepatch(work.resolve("src"), "klpc_inline", "klpc_inline_callers",
                "KLPC_INLINE_CALLERS");
        KernelIndex index = KernelIndexLoader.load(new KernelSources(Optional.empty(),
                List.of(kernel.kallsymsDump()), List.of(kernel.modulesDir()), Optional.of(kernel.moduleSymvers()),
                Optional.empty()), new IndexOptions(Optional.of(cacheDir), true), ProgressListener.NONE);
        CheckConfig config = CheckConfig.DEFAULT.withOptimization(object -> object.equals("vmlinux")
                ? Optional.of(facts) : Optional.empty());
        CheckResult inlineCheck = ModuleChecker.check(ElfObject.read(inline), index, config);
        assertFalse(inlineCheck.hasErrors(), inlineCheck.findings().toString());
        Finding moduleWarning = FixtureKernel.findings(inlineCheck, Code.REPLACED_FUNCTION_INLINED).get(0);
        assertTrue(moduleWarning.message().contains("in " + caller + " (" + warning.group(2) + ")"),
                moduleWarning.message());
        assertEquals(List.of(caller), moduleWarning.candidates().stream().map(Candidate::name).toList());
        CheckResult callersCheck = ModuleChecker.check(ElfObject.read(callers), index, config);
        assertFalse(callersCheck.hasErrors(), callersCheck.findings().toString());
        assertTrue(FixtureKernel.findings(callersCheck, Code.REPLACED_FUNCTION_INLINED).isEmpty(),
                callersCheck.findings().toString());

        String script = """
                log() { echo "KLPI: $*"; }
                """ + RealKernel.SETTLE + """
                reads() { log "$1 printk=$(cat /proc/sys/kernel/printk | tr '\\t' ' ') pid_max=$(cat /proc/sys/kernel/pid_max)"; }
                reads before
                insmod /mods/klpc_inline.ko; log "insmod klpc_inline rc=$?"; settle klpc_inline
                reads patched
                insmod /mods/klpc_inline_callers.ko; log "insmod klpc_inline_callers rc=$?"; settle klpc_inline_callers
                reads callers
                """;
        RealKernel.BootResult boot = kernel.boot(List.of(inline, callers), script, BOOT_TIMEOUT);
        assertTrue(boot.completed(), boot.describe());
        System.out.println("OptimizationRealKernelTest: one boot, wall " + boot.wallTime().toMillis() + " ms; log "
                + boot.logFile());
        String log = boot.serialLog();
        assertTrue(log.contains("KLPI: insmod klpc_inline rc=0"), boot.describe());
        assertTrue(log.contains("KLPI: insmod klpc_inline_callers rc=0"), boot.describe());
        assertTrue(log.contains("livepatch: 'klpc_inline': patching complete"), boot.describe());
        assertTrue(log.contains("livepatch: 'klpc_inline_callers': patching complete"), boot.describe());
        long[][] printk = new long[3][];
        long[] pidMax = new long[3];
        List<String> phases = List.of("before", "patched", "callers");
        Matcher reads = READS.matcher(log);
        while (reads.find()) {
            int phase = phases.indexOf(reads.group(1));
            printk[phase] = Arrays.stream(reads.group(2).trim().split(" +")).mapToLong(Long::parseLong).toArray();
            pidMax[phase] = Long.parseLong(reads.group(3));
        }
        for (int phase = 0; phase < 3; phase++) {
            assertTrue(printk[phase] != null && printk[phase].length == 4, phases.get(phase) + "\n" + boot.describe());
        }
        assertTrue(pidMax[0] < MARK && Arrays.stream(printk[0]).allMatch(value -> value < MARK), boot.describe());
        // The out-of-line copy (printk, through proc_dointvec's pointer) runs the new code...
        assertEquals(Arrays.stream(printk[0]).map(value -> value + MARK).boxed().toList(),
                Arrays.stream(printk[1]).boxed().toList(), boot.describe());
        // ...while the copy inlined into the caller klp-lsp named (pid_max, proc_dointvec_minmax) runs the old.
        assertEquals(pidMax[0], pidMax[1], "pid_max read through " + caller + "'s inlined copy\n" + boot.describe());
        // With that caller replaced too, both paths run the new code.
        assertEquals(pidMax[0] + MARK, pidMax[2], boot.describe());
        assertEquals(Arrays.stream(printk[0]).map(value -> value + MARK).boxed().toList(),
                Arrays.stream(printk[2]).boxed().toList(), boot.describe());
    }
}
