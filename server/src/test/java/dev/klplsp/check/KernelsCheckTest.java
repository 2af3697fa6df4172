// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One livepatch checked against two builds of the example's fixture kernel: {@code kernel} and {@code kernel-next},
 * where a new do_poweroff comes first, so manage.c's copy, which the example pins with {@code KLP_SYMPOS(do_poweroff,
 * 2)}, is sympos 3. The findings that only a comparison shows, and pins by identity resolved per kernel.
 */
class KernelsCheckTest {
    private static final TargetKernel FIRST = new TargetKernel("first", FixtureKernel.index());
    private static final TargetKernel NEXT = new TargetKernel("next", FixtureKernel.nextIndex());

    private static KernelsResult check(List<TargetKernel> kernels, CheckConfig config) {
        return KernelsCheck.check(ElfObject.read(FixtureKernel.exampleModule()), kernels, config);
    }

    private static List<KernelsResult.Merged> merged(KernelsResult result, Code code) {
        return result.findings().stream().filter(merged -> merged.finding().code() == code).toList();
    }

    /** Canonical test of sympos-moved. */
    @Test
    void symposMoved_aNumberThatNamesAnotherCopyInALaterBuildIsAnErrorThere() {
        KernelsResult result = check(List.of(FIRST, NEXT), CheckConfig.DEFAULT);
        assertFalse(result.resultFor("first").hasErrors(), result.resultFor("first").findings().toString());
        assertTrue(result.resultFor("next").hasErrors());
        List<KernelsResult.Merged> moved = merged(result, Code.SYMPOS_MOVED);
        assertEquals(1, moved.size(), result.findings().toString());
        assertEquals(List.of("next"), moved.get(0).kernels());
        Finding finding = moved.get(0).finding();
        assertEquals("do_poweroff: sympos 2 is the copy file d_manage.c in first, but that copy is sympos 3 in next;"
                + " pin it by identity: do_poweroff = vmlinux, file d_manage.c", finding.message());
        assertEquals(List.of(SymposChoice.pinned("vmlinux", "do_poweroff", CopyPin.file("d_manage.c"))),
                finding.fixes());
        assertEquals(3, finding.candidates().get(0).sympos());
        assertEquals(".text", finding.location().orElseThrow().section());
        // The finding also holds in the per-kernel result, so a conversion for that kernel is blocked.
        assertTrue(result.resultFor("next").findings().contains(finding));
        // The other findings (function references) hold in both and are listed once.
        assertTrue(result.findings().stream().filter(m -> m.finding().code() == Code.FUNCTION_SYMBOL_RISK)
                .allMatch(m -> m.kernels().equals(List.of("first", "next"))), result.findings().toString());
    }

    @Test
    void aPinByIdentityResolvesToEachKernelsOwnSympos() {
        CheckConfig pinned = CheckConfig.DEFAULT.withChoices(Map.of("do_poweroff", Choice.pinned("vmlinux",
                CopyPin.file("d_manage.c"), "test")));
        KernelsResult result = check(List.of(FIRST, NEXT), pinned);
        assertFalse(result.hasErrors(), result.findings().toString());
        assertEquals(2, sympos(result.resultFor("first"), "do_poweroff"));
        assertEquals(3, sympos(result.resultFor("next"), "do_poweroff"));
        // Indexed from System.map there are no files; a neighbour names the copy just as well.
        List<TargetKernel> maps = List.of(new TargetKernel("first", map(FixtureKernel.kernelDir())),
                new TargetKernel("next", map(FixtureKernel.nextKernelDir())));
        KernelsResult numbered = check(maps, CheckConfig.DEFAULT);
        assertEquals("do_poweroff: sympos 2 is the copy near _printk in first, but that copy is sympos 3 in next;"
                + " pin it by identity: do_poweroff = vmlinux, near _printk",
                merged(numbered, Code.SYMPOS_MOVED).get(0).finding().message());
        KernelsResult near = check(maps, CheckConfig.DEFAULT.withChoices(Map.of("do_poweroff", Choice.pinned(
                "vmlinux", CopyPin.near("_printk"), "test"))));
        assertFalse(near.hasErrors(), near.findings().toString());
        assertEquals(3, sympos(near.resultFor("next"), "do_poweroff"));
    }

    /** Canonical test of copy-unmatched. */
    @Test
    void copyUnmatched_whenNoCopyCanBeToldToBeTheOneANumberNamesItIsAWarning() throws Exception {
        // The next build with the neighbour after manage.c's copy renamed: that copy's surroundings changed.
        Path dir = FixtureKernel.buildDir().resolve("renamed-printk");
        Files.createDirectories(dir);
        Path map = dir.resolve("System.map");
        Files.writeString(map, Files.readString(FixtureKernel.nextKernelDir().resolve("System.map"))
                .replace(" _printk\n", " _printk_deferred\n"));
        List<TargetKernel> kernels = List.of(new TargetKernel("first", map(FixtureKernel.kernelDir())),
                new TargetKernel("renamed", load(KernelSources.ofSymbols(map).withSymvers(
                        FixtureKernel.kernelDir().resolve("Module.symvers")))));
        KernelsResult result = check(kernels, CheckConfig.DEFAULT);
        List<KernelsResult.Merged> unmatched = merged(result, Code.COPY_UNMATCHED);
        assertEquals(1, unmatched.size(), result.findings().toString());
        assertEquals(Severity.WARNING, unmatched.get(0).finding().severity());
        assertEquals(List.of("renamed"), unmatched.get(0).kernels());
        assertEquals("cannot tell which do_poweroff is the copy near _printk (sympos 2 in first) in renamed, where"
                + " sympos 2 is the copy near pm_power_off_prepare; choose it per kernel (no pin by identity names"
                + " it in every kernel)", unmatched.get(0).finding().message());
    }

    /** Canonical test of pin-unresolved. */
    @Test
    void pinUnresolved_aPinThatNamesNoCopyIsAnErrorSayingWhy() {
        CheckConfig pinned = CheckConfig.DEFAULT.withChoices(Map.of("do_poweroff", Choice.pinned("vmlinux",
                CopyPin.near("xenbus_probe"), "choices.txt:1")));
        CheckResult result = ModuleChecker.check(ElfObject.read(FixtureKernel.exampleModule()),
                FixtureKernel.index(), pinned);
        List<Finding> errors = result.findings().stream().filter(Finding::isError).toList();
        assertEquals(1, errors.size(), result.findings().toString());
        assertEquals(Code.PIN_UNRESOLVED, errors.get(0).code());
        assertEquals("do_poweroff = vmlinux, near xenbus_probe (choices.txt:1): two copies of do_poweroff sit"
                + " equally close to xenbus_probe, one before it and one after: pin near another neighbour",
                errors.get(0).message());
        assertEquals(2, errors.get(0).candidates().size());
    }

    @Test
    void explicitChoicesOverrideTheNumberOfAMinimalStyleName() {
        // KLP_RELOC_SYMBOL_POS(nvram, nvram, homonym, 2) in the source; the explicit choice wins.
        assertEquals(2, sympos(FixtureKernel.check("klp_minimal"), "homonym"));
        CheckResult chosen = FixtureKernel.check("klp_minimal", CheckConfig.DEFAULT.withChoices(Map.of("homonym",
                new Choice("nvram", 1, "test"))));
        assertEquals(1, sympos(chosen, "homonym"), chosen.findings().toString());
    }

    private static long sympos(CheckResult result, String name) {
        return result.plan().symbols().stream().filter(conversion -> conversion.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(result.findings().toString())).sympos();
    }

    private static KernelIndex map(Path kernelDir) {
        return load(KernelSources.ofSymbols(kernelDir.resolve("System.map"))
                .withSymvers(kernelDir.resolve("Module.symvers")));
    }

    private static KernelIndex load(KernelSources sources) {
        return KernelIndexLoader.load(sources, IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    @Test
    void theDebugInformationIsTheFirstKernelsAndItsFindingsHoldThereOnly() {
        // The opt_kernel fixture twice, as two builds: only the first is described by the debug information given.
        List<TargetKernel> kernels = List.of(new TargetKernel("described", OptimizedKernel.index()),
                new TargetKernel("other", OptimizedKernel.index()));
        KernelsResult result = KernelsCheck.check(ElfObject.read(OptimizedKernel.patch()), kernels,
                CheckConfig.DEFAULT.withOptimization(OptimizedKernel.facts()));
        for (Code code : List.of(Code.REPLACED_FUNCTION_INLINED, Code.REPLACED_FUNCTION_ONLY_INLINED,
                Code.FUNCTION_TRANSFORMED)) {
            List<KernelsResult.Merged> found = merged(result, code);
            assertFalse(found.isEmpty(), code + " in " + result.findings());
            assertTrue(found.stream().allMatch(m -> m.kernels().equals(List.of("described"))),
                    code + " in " + found);
        }
        // Without the debug information the other kernel keeps the generic function reference warning.
        assertTrue(merged(result, Code.FUNCTION_SYMBOL_RISK).stream().anyMatch(m -> m.kernels().equals(
                List.of("other")) && m.finding().message().contains("for exact answers")), result.findings()
                .toString());
    }
}
