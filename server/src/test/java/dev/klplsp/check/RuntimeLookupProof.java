// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.cli.Main;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.ide.Settings;
import dev.klplsp.ide.Workspace;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.source.SourceScanner;
import dev.klplsp.source.TextEdit;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run-time lookup part of the real-kernel proof, in {@link KlpRealKernelTest}'s one boot.
 * {@code testdata/kernel/modules/klpr/livepatch.c} is a livepatch for Debian 6.1 in the run-time lookup style
 * (its helper bootstraps through a kprobe on kallsyms_lookup_name): it reads and calls non-exported symbols of
 * vmlinux and of module nvram through pointers, and looks up do_poweroff, a static in two files, without a
 * sympos. Before anything is built, {@code klp-lsp check} reports that lookup and names the copy it binds;
 * the diagnostic's quick fix chooses the other copy; {@code klp-lsp migrate} turns that source's lookups into
 * declarations; kbuild builds all three and {@code klp-lsp convert} makes the last one's references KLP
 * relocations. In the guest: klpr_old binds the copy the diagnostic named; klpr_picked (run-time lookups) and
 * klpr_new (KLP relocations) print the same values and addresses, read through every kind of use.
 */
final class RuntimeLookupProof {
    private static final Pattern REPORT = Pattern.compile("KLPR (klpr_\\w+) (max_threads=.*)");
    private static final Pattern NVRAM = Pattern.compile("KLPC: (klpr_\\w+): KLPR_NVRAM \\1 nvram_size=(\\d+) @([0-9a-f]+)"
            + " pc_nvram_get_size=(\\d+) @([0-9a-f]+)");

    private final RealKernel kernel;
    private final KernelIndex index;
    private final Path work;
    private final List<String> kernelOptions;
    private String firstPoweroff;
    private String secondPoweroff;

    /** @param kernelOptions the CLI options naming the kernel, as check and convert get them */
    RuntimeLookupProof(RealKernel kernel, KernelIndex index, Path work, List<String> kernelOptions) {
        this.kernel = kernel;
        this.index = index;
        this.work = work;
        this.kernelOptions = kernelOptions;
    }

    private record Run(int status, String out, String err) {
    }

    private Run klpLsp(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(kernelOptions);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(all.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    /** A kbuild directory for module {@code name}: the livepatch source given, the helper, and klp_relocs.h. */
    private Path sources(String name, String livepatch) throws IOException {
        Path dir = work.resolve("src").resolve(name);
        Files.createDirectories(dir);
        Path klpr = Fixtures.testdata().resolve("kernel/modules/klpr");
        Files.writeString(dir.resolve("livepatch.c"), livepatch);
        Files.copy(klpr.resolve("kallsyms_relocs.c"), dir.resolve("kallsyms_relocs.c"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(klpr.resolve("kallsyms_relocs.h"), dir.resolve("kallsyms_relocs.h"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (InputStream header = Main.class.getResourceAsStream("/include/klp_relocs.h")) {
            Files.write(dir.resolve("klp_relocs.h"), header.readAllBytes());
        }
        Files.writeString(dir.resolve("Kbuild"), "obj-m := " + name + ".o\n" + name
                + "-y := livepatch.o kallsyms_relocs.o\n");
        return dir;
    }

    /** Checks, fixes, migrates, builds and converts; returns the modules klpr_old, klpr_picked and klpr_new. */
    List<Path> prepare() {
        try {
            List<KernelSymbol> poweroffs = index.lookup(KernelSymbol.VMLINUX, "do_poweroff").stream()
                    .filter(KernelSymbol::isCounted).toList();
            assertEquals(2, poweroffs.size(), poweroffs.toString());
            firstPoweroff = Long.toHexString(poweroffs.get(0).address());
            secondPoweroff = Long.toHexString(poweroffs.get(1).address());

            String original = Files.readString(Fixtures.testdata().resolve("kernel/modules/klpr/livepatch.c"));
            Path oldDir = sources("klpr_old", original);

            // Before the build: the duplicated static, and the copy the run-time lookup will bind.
            Run check = klpLsp("check", oldDir.resolve("livepatch.c").toString());
            assertEquals(1, check.status(), check.out() + check.err());
            assertTrue(check.out().contains(": error[ambiguous-symbol]: do_poweroff is ambiguous: 2 symbols of that"
                    + " name in vmlinux; the run-time lookup binds the first in kallsyms order (vmlinux, "),
                    check.out());
            assertTrue(check.out().contains(", 0x" + firstPoweroff + "), which may not be the one you mean"),
                    check.out());
            assertEquals(7, check.out().split("info\\[runtime-lookup\\]", -1).length - 1, check.out());

            // The quick fix an editor offers for that finding chooses the second copy (sympos 2).
            Workspace editor = new Workspace(oldDir);
            editor.setSettings(Settings.DEFAULT);
            editor.setIndex(index);
            Path file = oldDir.resolve("livepatch.c").toAbsolutePath().normalize();
            editor.open(file, 1, original);
            Analysis analysis = editor.snapshot();
            FileDiagnostic ambiguous = analysis.diagnostics(file).stream()
                    .filter(d -> d.code() == Code.AMBIGUOUS_SYMBOL).findFirst().orElseThrow();
            Fix second = ambiguous.fixes().stream().filter(fix -> fix.title().startsWith("sympos 2 ")).findFirst()
                    .orElseThrow(() -> new AssertionError(ambiguous.fixes().toString()));
            String picked = TextEdit.apply(original, second.edits());
            assertTrue(picked.contains("{ \"do_poweroff\", (void *)&klpe_do_poweroff, NULL, 2 },"), picked);
            Path pickedDir = sources("klpr_picked", picked);

            // The same file migrated by klp-lsp.
            Path newDir = sources("klpr_new", "");
            Run migrate = klpLsp("migrate", pickedDir.resolve("livepatch.c").toString(), "-o",
                    newDir.resolve("livepatch.c").toString());
            assertEquals(0, migrate.status(), migrate.out() + migrate.err());
            assertTrue(migrate.err().contains("8 run-time lookups converted to KLP relocations"), migrate.err());
            String migrated = Files.readString(newDir.resolve("livepatch.c"));
            assertTrue(SourceScanner.scan(migrated).runtimeLookups().isEmpty(), migrated);
            assertTrue(migrated.contains("void do_poweroff(struct work_struct *work) KLP_RELOC_SYMBOL_POS(vmlinux,"
                    + " vmlinux, do_poweroff, 2);"), migrated);

            Path oldKo = kernel.buildModule(oldDir, "klpr_old");
            Path pickedKo = kernel.buildModule(pickedDir, "klpr_picked");
            Path raw = kernel.buildModule(newDir, "klpr_new");
            Path newKo = work.resolve("out/klpr_new.ko");
            Run convert = klpLsp("convert", raw.toString(), "-o", newKo.toString());
            assertEquals(0, convert.status(), convert.out() + convert.err());
            ElfObject converted = ElfObject.read(newKo);
            for (String[] expected : List.of(new String[] {".klp.rela.vmlinux..text", ".klp.sym.vmlinux.do_poweroff,2"},
                    new String[] {".klp.rela.vmlinux..text", ".klp.sym.vmlinux.max_threads,0"},
                    new String[] {".klp.rela.nvram..text", ".klp.sym.nvram.nvram_size,0"},
                    new String[] {".klp.rela.nvram..text", ".klp.sym.nvram.pc_nvram_get_size,0"})) {
                RelocationSection section = (RelocationSection) converted.findSection(expected[0])
                        .orElseThrow(() -> new AssertionError("no " + expected[0] + " in " + newKo));
                assertTrue(section.relocations().stream().anyMatch(r -> r.symbol() != null
                        && r.symbol().name().equals(expected[1]) && r.symbol().specialIndex() == Elf.SHN_LIVEPATCH),
                        expected[1]);
            }
            return List.of(oldKo, pickedKo, newKo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The guest's part, after the klpc script (log, settle and try are its functions). klpc_nvram2 goes first: on
     * 6.1 a module cannot be loaded again while a patch with KLP relocations to it stays (klp-format.md), and
     * nvram is loaded twice here. klpr_old meets nvram through its notifier, klpr_picked at load, klpr_new
     * through late module patching.
     */
    String script() {
        return """
                echo 0 > /sys/kernel/livepatch/klpc_nvram2/enabled
                settle klpc_nvram2
                rmmod nvram; log "klpr rmmod nvram rc=$?"
                try klpr_old
                settle klpr_old
                try nvram
                settle klpr_old
                log "klpr_old: $(grep KLPR_NVRAM /proc/driver/nvram)"
                echo 0 > /sys/kernel/livepatch/klpr_old/enabled
                settle klpr_old
                try klpr_picked
                settle klpr_picked
                log "klpr_picked: $(grep KLPR_NVRAM /proc/driver/nvram)"
                echo 0 > /sys/kernel/livepatch/klpr_picked/enabled
                settle klpr_picked
                rmmod nvram; log "klpr rmmod nvram rc=$?"
                try klpr_new
                settle klpr_new
                try nvram
                settle klpr_new
                log "klpr_new: $(grep KLPR_NVRAM /proc/driver/nvram)"
                grep -E ' (nvram_size|pc_nvram_get_size)[[:space:]]' /proc/kallsyms | sed 's/^/KLPR: kallsyms /'
                """;
    }

    /** What the three modules printed. */
    void verify(String log, String describe) {
        for (String module : List.of("klpr_old", "klpr_picked", "klpr_new")) {
            assertTrue(log.contains("KLPC: insmod " + module + " rc=0"), module + "\n" + describe);
            assertTrue(log.contains("livepatch: '" + module + "': patching complete"), module + "\n" + describe);
        }
        assertTrue(log.contains("livepatch: applying patch 'klpr_new' to loading module 'nvram'"), describe);

        // What each read through its pointers (or, converted, directly) when it loaded.
        java.util.Map<String, String> reports = new java.util.HashMap<>();
        Matcher report = REPORT.matcher(log);
        while (report.find()) {
            reports.put(report.group(1), report.group(2));
        }
        assertEquals(3, reports.size(), reports + "\n" + describe);
        Matcher threadsMax = Pattern.compile("KLPC: threads-max (\\d+)").matcher(log);
        assertTrue(threadsMax.find(), log);
        String picked = reports.get("klpr_picked");
        assertTrue(picked.startsWith("max_threads=" + threadsMax.group(1) + " @"
                + hex(KernelSymbol.VMLINUX, "max_threads") + " nr_processes@" + hex(KernelSymbol.VMLINUX, "nr_processes")
                + " positive=1 cmdline=console=ttyS first=c init_nsproxy@" + hex(KernelSymbol.VMLINUX, "init_nsproxy")
                + " uts_ns="), picked);
        assertTrue(picked.endsWith(" do_poweroff@" + secondPoweroff), picked);
        assertEquals(picked, reports.get("klpr_new"), "migrated and converted: the same values");
        // The lookup without sympos bound the first copy, as the diagnostic said before the build.
        assertEquals(picked.replace(secondPoweroff, firstPoweroff), reports.get("klpr_old"));
        Matcher lookupName = Pattern.compile("KLPR kallsyms_lookup_name\\(do_poweroff\\)=([0-9a-f]+)").matcher(log);
        int lookups = 0;
        while (lookupName.find()) {
            assertEquals(firstPoweroff, lookupName.group(1), "kallsyms_lookup_name binds the first copy too");
            lookups++;
        }
        assertEquals(3, lookups, describe);

        // Module nvram's statics: through the notifier (klpr_old), at load (klpr_picked), as KLP relocations
        // applied when nvram loaded after the patch (klpr_new).
        java.util.Map<String, String[]> nvram = new java.util.HashMap<>();
        Matcher line = NVRAM.matcher(log);
        while (line.find()) {
            nvram.put(line.group(1), new String[] {line.group(2), line.group(3), line.group(4), line.group(5)});
        }
        assertEquals(3, nvram.size(), nvram.keySet() + "\n" + describe);
        for (String[] values : nvram.values()) {
            assertEquals("114", values[0]);
            assertEquals("114", values[2]);
        }
        assertEquals(java.util.Arrays.asList(nvram.get("klpr_old")), java.util.Arrays.asList(nvram.get("klpr_picked")),
                "the same load of nvram: the same addresses");
        String liveSize = kallsyms(log, "nvram_size");
        String liveGetSize = kallsyms(log, "pc_nvram_get_size");
        assertEquals(liveSize, nvram.get("klpr_new")[1], "nvram_size as nvram is now loaded");
        assertEquals(liveGetSize, nvram.get("klpr_new")[3], "pc_nvram_get_size as nvram is now loaded");
    }

    private String hex(String object, String name) {
        return Long.toHexString(index.lookup(object, name).stream().filter(KernelSymbol::isCounted).findFirst()
                .orElseThrow().address());
    }

    private static String kallsyms(String log, String name) {
        Matcher matcher = Pattern.compile("KLPR: kallsyms ([0-9a-f]+) \\w " + name + "\\s+\\[nvram\\]").matcher(log);
        assertTrue(matcher.find(), name + " in\n" + log);
        return matcher.group(1);
    }
}
