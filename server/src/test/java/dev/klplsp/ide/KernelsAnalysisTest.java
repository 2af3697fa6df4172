// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.Choice;
import dev.klplsp.check.Code;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.kernel.CopyPin;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The editor over two builds of the example's fixture kernel, indexed from System.map (no source files, so copies
 * are named by their neighbours): {@code first} has do_poweroff at sympos 1 (next to pm_power_off_prepare) and 2
 * (next to _printk); {@code next} adds one before them, so the same copies are 2 and 3.
 */
class KernelsAnalysisTest {
    private static final Path FILE = Path.of("/ws/livepatch.c");

    private static KernelIndex map(Path kernelDir) {
        return KernelIndexLoader.load(KernelSources.ofSymbols(kernelDir.resolve("System.map"))
                .withSymvers(kernelDir.resolve("Module.symvers")), IndexOptions.NO_CACHE, ProgressListener.NONE);
    }

    private static final List<TargetKernel> KERNELS = List.of(new TargetKernel("first", map(FixtureKernel.kernelDir())),
            new TargetKernel("next", map(FixtureKernel.nextKernelDir())));

    private static Analysis analyze(String text, Settings settings) {
        Workspace workspace = new Workspace(Path.of("/ws"));
        workspace.setSettings(settings);
        workspace.setKernels(KERNELS);
        workspace.open(FILE, 1, text);
        return workspace.snapshot();
    }

    @Test
    void aNumberRightForTheFirstKernelIsFlaggedInTheOtherWithThePinByIdentityAsTheFix() {
        String text = "extern void do_poweroff(void *work) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, do_poweroff, 2);\n"
                + "void *f(void) { return do_poweroff; }\n";
        List<FileDiagnostic> diagnostics = analyze(text, Settings.DEFAULT).diagnostics(FILE);
        FileDiagnostic moved = diagnostics.stream().filter(d -> d.code() == Code.SYMPOS_MOVED).findFirst()
                .orElseThrow(() -> new AssertionError(diagnostics.toString()));
        assertEquals(List.of("next"), moved.kernels());
        assertEquals("do_poweroff: sympos 2 is the copy near _printk in first, but that copy is sympos 3 in next; pin"
                + " it by identity: do_poweroff = vmlinux, near _printk", moved.message());
        assertEquals(1, moved.fixes().size());
        Fix pin = moved.fixes().get(0);
        assertEquals("pin: near _printk \u2014 sympos 2 in first; 3 in next", pin.title());
        assertEquals(java.util.Optional.of(SymposChoice.pinned("vmlinux", "do_poweroff", CopyPin.near("_printk"))),
                pin.setting());
        assertTrue(pin.edits().isEmpty());
    }

    @Test
    void anAmbiguityWhosePositionsDifferOffersPinsAndOnlyNumbersThatHoldEverywhere() {
        String text = "extern void do_poweroff(void *work);\nvoid *f(void) { return do_poweroff; }\n";
        List<FileDiagnostic> diagnostics = analyze(text, Settings.DEFAULT).diagnostics(FILE);
        List<FileDiagnostic> ambiguous = diagnostics.stream().filter(d -> d.code() == Code.AMBIGUOUS_SYMBOL)
                .toList();
        // Two counts, two messages: each says its kernel.
        assertEquals(2, ambiguous.size(), diagnostics.toString());
        FileDiagnostic first = ambiguous.stream().filter(d -> d.kernels().equals(List.of("first"))).findFirst()
                .orElseThrow();
        assertTrue(first.message().endsWith(" [first]"), first.message());
        List<String> titles = first.fixes().stream().map(Fix::title).toList();
        // No number names the same copy in both kernels; each copy of the first kernel has a pin.
        assertEquals(List.of("pin: near pm_power_off_prepare \u2014 sympos 1 in first; 2 in next",
                "pin: near _printk \u2014 sympos 2 in first; 3 in next"), titles.subList(0, 2));
        assertTrue(titles.stream().noneMatch(title -> title.startsWith("sympos ")), titles.toString());
    }

    @Test
    void aPinInTheSettingsResolvesInEachKernelAndOverridesTheAnnotation() {
        String text = "extern void do_poweroff(void *work) KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, do_poweroff, 2);\n"
                + "void *f(void) { return do_poweroff; }\n";
        Settings pinned = withSympos(Map.of("do_poweroff", Choice.pinned("vmlinux", CopyPin.near("_printk"),
                "sympos.do_poweroff")));
        List<FileDiagnostic> diagnostics = analyze(text, pinned).diagnostics(FILE);
        assertTrue(diagnostics.stream().noneMatch(d -> d.severity() == dev.klplsp.check.Severity.ERROR),
                diagnostics.toString());
        Settings broken = withSympos(Map.of("do_poweroff", Choice.pinned("vmlinux", CopyPin.near("xenbus_probe"),
                "sympos.do_poweroff")));
        FileDiagnostic unresolved = analyze(text, broken).diagnostics(FILE).stream()
                .filter(d -> d.code() == Code.PIN_UNRESOLVED).findFirst().orElseThrow();
        assertEquals(List.of("first", "next"), unresolved.kernels());
    }

    @Test
    void hoverShowsEachKernelsCopiesWithTheirNeighbour() {
        String text = "extern void do_poweroff(void *work);\nvoid *f(void) { return do_poweroff; }\n";
        Analysis analysis = analyze(text, Settings.DEFAULT);
        String hover = analysis.hover(FILE, text.indexOf("do_poweroff")).orElseThrow().markdown();
        assertTrue(hover.contains("**do_poweroff**: 5 symbols in 2 of 2 kernels"), hover);
        assertTrue(hover.contains("| kernel | object | sympos | type | binding | file/neighbour | section | exported |"),
                hover);
        assertTrue(hover.contains("| first | vmlinux | 2 | FUNC (t) | LOCAL | near _printk |"), hover);
        assertTrue(hover.contains("| next | vmlinux | 3 | FUNC (t) | LOCAL | near _printk |"), hover);
        assertTrue(hover.contains("| next | vmlinux | 1 | FUNC (t) | LOCAL | "), hover);
    }

    private static Settings withSympos(Map<String, Choice> choices) {
        Settings defaults = Settings.DEFAULT;
        return new Settings(defaults.kernels(), defaults.annotationStyle(), false, defaults.output(),
                defaults.buildCommand(), defaults.functionReferences(), choices);
    }
}
