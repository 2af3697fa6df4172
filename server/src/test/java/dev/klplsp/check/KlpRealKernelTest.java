// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.cli.Main;
import dev.klplsp.convert.Converter;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.Relocation;
import dev.klplsp.elf.RelocationSection;
import dev.klplsp.elf.Symbol;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.RealKernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The proof in a real kernel: livepatch modules built by kbuild against linux-headers-6.1.0-56-amd64,
 * converted by klp-lsp against the real kernel's symbols (kallsyms dump, module tree, Module.symvers), loaded into
 * Debian's 6.1.0-56-amd64 under qemu in one boot. Positive cases must load and read the right values; for the
 * negative ones {@code check} must report an error and the kernel must refuse the forced (or unconverted) module with
 * exactly the message the finding predicted. The same boot runs {@link RuntimeLookupProof}: a patch in the run-time
 * lookup style, the same patch migrated and converted by klp-lsp. Runs when KLP_TEST_KERNEL_DIR is set (CI sets it).
 */
class KlpRealKernelTest {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern MARKER = Pattern.compile("KLPC: cmdline (\\S+): KLPC_MARKER (\\S+) max_threads=(\\d+)"
            + " via_data=(\\d+) nr_processes=(\\d+) do_poweroff=([0-9a-f]+) extra=0 cmdline=(.*)");

    private RealKernel kernel;
    private KernelIndex index;
    private Path work;

    private Path build(String source, String name, String... defines) {
        return kernel.buildLivepatch(work.resolve("src"), source, name, defines);
    }

    private CheckResult check(Path module, CheckConfig config) {
        return ModuleChecker.check(ElfObject.read(module), index, config);
    }

    private Path out(String name) {
        return work.resolve("out").resolve(name + ".ko");
    }

    /** Converts with the API; the check must be clean. */
    private Path convert(Path raw, String name, CheckConfig config) {
        ElfObject module = ElfObject.read(raw);
        CheckResult result = ModuleChecker.check(module, index, config);
        assertFalse(result.hasErrors(), name + ": " + result.findings());
        assertTrue(result.findings().stream().noneMatch(f -> f.code() == Code.KLP_OBJECT_MISSING),
                name + ": " + result.findings());
        Converter.apply(module, result.plan());
        module.write(out(name));
        return out(name);
    }

    /**
     * The test-only forcing path: the checker refused {@code symbol}; convert it anyway as
     * {@code object.name,sympos} by adding it to the plan, so the kernel shows what it does with it.
     */
    private Path force(Path raw, String name, CheckConfig config, String symbol, String object, long sympos) {
        ElfObject module = ElfObject.read(raw);
        CheckResult result = ModuleChecker.check(module, index, config);
        int symbolIndex = module.symbolTable().orElseThrow().indexOf(
                module.symbolTable().orElseThrow().findSymbol(symbol).orElseThrow());
        ConversionPlan plan = result.plan().with(new ConversionPlan.SymbolConversion(symbolIndex, symbol, object,
                symbol, sympos, object));
        Converter.apply(module, plan);
        module.write(out(name));
        return out(name);
    }

    private static Finding onlyError(CheckResult result, Code code) {
        List<Finding> errors = result.findings().stream().filter(Finding::isError).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(code, errors.get(0).code(), errors.toString());
        return errors.get(0);
    }

    @Test
    void convertedLivepatchesLoadInTheRealKernelAndRefusalsMatchTheFindings() throws Exception {
        kernel = RealKernel.require();
        work = Fixtures.repoRoot().resolve("server/target/klpc");
        Files.createDirectories(work.resolve("out"));
        Path cacheDir = Fixtures.repoRoot().resolve("server/target/klpc-index-cache");
        KernelSources sources = new KernelSources(Optional.empty(), List.of(kernel.kallsymsDump()),
                List.of(kernel.modulesDir()), Optional.of(kernel.moduleSymvers()), Optional.empty());
        index = KernelIndexLoader.load(sources, new IndexOptions(Optional.of(cacheDir), true), ProgressListener.NONE);

        Path auto = build("klpc", "klpc_auto");
        Path v7 = build("klpc", "klpc_v7", "KLPC_V7");
        Path minimal = build("klpc", "klpc_minimal", "KLPC_MINIMAL");
        Path ambiguous = build("klpc", "klpc_ambig");
        Path badPosition = build("klpc", "klpc_badpos");
        Path noSymbol = build("klpc", "klpc_nosym", "KLPC_NOSYM");
        Path raw = build("klpc", "klpc_raw");
        Path nvram1 = build("klpc_nvram", "klpc_nvram1");
        Path nvram2 = build("klpc_nvram", "klpc_nvram2");
        RuntimeLookupProof lookups = new RuntimeLookupProof(kernel, index, work, List.of("--symbols",
                kernel.kallsymsDump().toString(), "--modules", kernel.modulesDir().toString(), "--symvers",
                kernel.moduleSymvers().toString(), "--cache-dir", cacheDir.toString()));
        List<Path> lookupModules = lookups.prepare();

        // klpc_auto through the CLI, as a user runs it: do_poweroff=vmlinux:2 on the command line.
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        int status = Main.commandLine(new PrintWriter(cliOut), new PrintWriter(cliErr)).execute("convert",
                auto.toString(), "--symbols", kernel.kallsymsDump().toString(), "--modules",
                kernel.modulesDir().toString(), "--symvers", kernel.moduleSymvers().toString(), "--cache-dir",
                cacheDir.toString(), "--sympos", "do_poweroff=vmlinux:2", "-o", out("klpc_auto").toString());
        assertEquals(0, status, cliOut + "\n" + cliErr);
        Path autoOut = out("klpc_auto");
        assertExportLeftAlone(autoOut);
        // Idempotence on a real kbuild module: the converted module checks clean and converts to itself.
        ElfObject again = ElfObject.read(autoOut);
        CheckResult recheck = ModuleChecker.check(again, index, CheckConfig.DEFAULT);
        assertFalse(recheck.hasErrors(), recheck.findings().toString());
        assertTrue(recheck.plan().isEmpty(), recheck.plan().toString());
        Converter.apply(again, recheck.plan());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(autoOut), again.toBytes()), "byte-identical");
        assertKlpRelocation(autoOut, ".klp.rela.vmlinux..data", ".klp.sym.vmlinux.max_threads,0");
        assertKlpRelocation(autoOut, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.do_poweroff,2");
        assertKlpRelocation(autoOut, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.nr_processes,0");

        Path v7Out = convert(v7, "klpc_v7", CheckConfig.DEFAULT);
        assertKlpRelocation(v7Out, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.do_poweroff,1");
        Path minimalOut = convert(minimal, "klpc_minimal", CheckConfig.DEFAULT);
        assertKlpRelocation(minimalOut, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.do_poweroff,2");
        assertKlpRelocation(minimalOut, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.saved_command_line,0");
        Path nvram1Out = convert(nvram1, "klpc_nvram1", CheckConfig.DEFAULT);
        assertKlpRelocation(nvram1Out, ".klp.rela.nvram..text", ".klp.sym.nvram.nvram_size,0");
        assertKlpRelocation(nvram1Out, ".klp.rela.nvram..text", ".klp.sym.nvram.pc_nvram_get_size,0");
        assertKlpRelocation(nvram1Out, ".klp.rela.vmlinux..text", ".klp.sym.vmlinux.saved_command_line,0");
        Path nvram2Out = convert(nvram2, "klpc_nvram2", CheckConfig.DEFAULT);

        // Negatives: check reports the error; the forced module is what the kernel then refuses.
        Finding ambiguity = onlyError(check(ambiguous, CheckConfig.DEFAULT), Code.AMBIGUOUS_SYMBOL);
        assertEquals(2, ambiguity.candidates().size(), ambiguity.toString());
        Path ambiguousOut = force(ambiguous, "klpc_ambig", CheckConfig.DEFAULT, "do_poweroff", "vmlinux", 0);

        CheckConfig badChoice = CheckConfig.DEFAULT.withChoices(Map.of(
                "do_poweroff", new Choice("vmlinux", 2, "test"),
                "saved_command_line", new Choice("vmlinux", 2, "test")));
        Finding position = onlyError(check(badPosition, badChoice), Code.BAD_SYMPOS);
        Path badPositionOut = force(badPosition, "klpc_badpos", badChoice, "saved_command_line", "vmlinux", 2);

        CheckConfig poweroff2 = CheckConfig.DEFAULT.withChoices(Map.of("do_poweroff", new Choice("vmlinux", 2,
                "test")));
        Finding missing = onlyError(check(noSymbol, poweroff2), Code.UNRESOLVED_SYMBOL);
        Path noSymbolOut = force(noSymbol, "klpc_nosym", poweroff2, "no_such_symbol_klpc", "vmlinux", 0);

        String script = """
                log() { echo "KLPC: $*"; }
                """ + RealKernel.SETTLE + """
                try() { insmod /mods/$1.ko; log "insmod $1 rc=$?"; }
                for m in klpc_raw klpc_ambig klpc_badpos klpc_nosym; do try $m; done
                for m in klpc_auto klpc_v7 klpc_minimal; do
                    try $m
                    settle $m
                    log "cmdline $m: $(cat /proc/cmdline)"
                done
                grep ' do_poweroff$' /proc/kallsyms | sed 's/^/KLPC: kallsyms /'
                log "threads-max $(cat /proc/sys/kernel/threads-max)"
                try klpc_nvram1
                settle klpc_nvram1
                try nvram
                log "nvram1: $(grep KLPC_NVRAM /proc/driver/nvram)"
                echo 0 > /sys/kernel/livepatch/klpc_nvram1/enabled
                settle klpc_nvram1
                log "nvram unpatched: $(head -n 1 /proc/driver/nvram)"
                try klpc_nvram2
                settle klpc_nvram2
                log "nvram2: $(grep KLPC_NVRAM /proc/driver/nvram)"
                log "enabled $(cat /sys/kernel/livepatch/*/enabled | tr '\\n' ' ')"
                """ + lookups.script();
        List<Path> modules = new ArrayList<>(List.of(raw, ambiguousOut, badPositionOut, noSymbolOut, autoOut, v7Out,
                minimalOut, nvram1Out, nvram2Out, kernel.requireModule("nvram")));
        modules.addAll(lookupModules);
        RealKernel.BootResult boot = kernel.boot(modules, script, BOOT_TIMEOUT);
        String log = boot.serialLog();
        assertTrue(boot.completed(), boot.describe());
        System.out.println("KlpRealKernelTest: one boot, " + modules.size() + " modules, wall "
                + boot.wallTime().toMillis() + " ms; log " + boot.logFile());

        // Unconverted: the module loader refuses the non-exported symbols.
        assertTrue(log.contains("klpc_raw: Unknown symbol saved_command_line"), boot.describe());
        assertTrue(log.contains("KLPC: insmod klpc_raw rc=") && !log.contains("KLPC: insmod klpc_raw rc=0"), log);
        // Forced: the kernel's refusal is the one each finding predicted.
        for (Finding finding : List.of(ambiguity, position, missing)) {
            String predicted = "livepatch: " + finding.kernelMessage().orElseThrow();
            assertTrue(log.contains(predicted), "kernel did not print the predicted '" + predicted + "'\n"
                    + boot.describe());
        }
        assertTrue(log.contains("livepatch: unresolvable ambiguity for symbol 'do_poweroff'"), log);
        assertTrue(log.contains("livepatch: symbol position 2 for symbol 'saved_command_line' in object 'vmlinux'"
                + " not found"), log);
        assertTrue(log.contains("livepatch: symbol 'no_such_symbol_klpc' not found in symbol table"), log);
        for (String refused : List.of("klpc_ambig", "klpc_badpos", "klpc_nosym")) {
            assertFalse(log.contains("KLPC: insmod " + refused + " rc=0"), refused + " must be refused\n" + log);
        }

        // Positives: each patch enabled, values right, do_poweroff matches the kallsyms order of this boot.
        List<String> poweroffs = new ArrayList<>();
        Matcher kallsyms = Pattern.compile("KLPC: kallsyms ([0-9a-f]+) t do_poweroff").matcher(log);
        while (kallsyms.find()) {
            poweroffs.add(kallsyms.group(1));
        }
        assertEquals(2, poweroffs.size(), log);
        Matcher threadsMax = Pattern.compile("KLPC: threads-max (\\d+)").matcher(log);
        assertTrue(threadsMax.find(), log);
        Map<String, String> expectedPoweroff = Map.of("klpc_auto", poweroffs.get(1), "klpc_v7", poweroffs.get(0),
                "klpc_minimal", poweroffs.get(1));
        for (String patch : List.of("klpc_auto", "klpc_v7", "klpc_minimal")) {
            assertTrue(log.contains("KLPC init " + patch), "pr_info (exported _printk) ran: " + patch);
            assertTrue(log.contains("livepatch: '" + patch + "': patching complete"), log);
            Matcher marker = MARKER.matcher(log);
            boolean found = false;
            while (marker.find()) {
                if (!marker.group(1).equals(patch)) {
                    continue;
                }
                found = true;
                assertEquals(patch, marker.group(2), "the newest patch is on top");
                assertEquals(threadsMax.group(1), marker.group(3), "max_threads");
                assertEquals(threadsMax.group(1), marker.group(4), "max_threads through .data");
                assertTrue(Integer.parseInt(marker.group(5)) > 0, "nr_processes");
                assertEquals(expectedPoweroff.get(patch), marker.group(6), patch + " do_poweroff");
                assertTrue(marker.group(7).contains("console=ttyS0"), "saved_command_line: " + marker.group(7));
            }
            assertTrue(found, "no marker line of " + patch + "\n" + boot.describe());
        }

        // Module target: patch loaded before nvram (late module patching) and after it.
        assertTrue(log.contains("livepatch: applying patch 'klpc_nvram1' to loading module 'nvram'"), log);
        assertTrue(Pattern.compile("KLPC: nvram1: KLPC_NVRAM klpc_nvram1 nvram_size=114 pc_nvram_get_size=114"
                + " cmdline_len=\\d+").matcher(log).find(), boot.describe());
        assertTrue(log.contains("KLPC: nvram unpatched: Checksum status:"), log);
        assertTrue(Pattern.compile("KLPC: nvram2: KLPC_NVRAM klpc_nvram2 nvram_size=114 pc_nvram_get_size=114"
                + " cmdline_len=\\d+").matcher(log).find(), boot.describe());

        // Run-time lookups: the style diagnosed before the build, migrated, and the same results.
        lookups.verify(log, boot.describe());
    }

    private static void assertExportLeftAlone(Path module) {
        ElfObject elf = ElfObject.read(module);
        boolean normalPrintk = false;
        for (RelocationSection relocations : elf.relocationSections()) {
            for (Relocation relocation : relocations.relocations()) {
                Symbol symbol = relocation.symbol();
                if (symbol != null && symbol.name().equals("_printk")) {
                    assertFalse(dev.klplsp.elf.KlpNames.isKlpSection(relocations), relocations.name());
                    assertEquals(Elf.SHN_UNDEF, symbol.specialIndex());
                    normalPrintk = true;
                }
            }
        }
        assertTrue(normalPrintk, "_printk stays a normal relocation in " + module);
    }

    private static void assertKlpRelocation(Path module, String section, String symbol) {
        ElfObject elf = ElfObject.read(module);
        RelocationSection klp = (RelocationSection) elf.findSection(section)
                .orElseThrow(() -> new AssertionError("no " + section + " in " + module));
        assertTrue((klp.flags() & (Elf.SHF_ALLOC | Elf.SHF_RELA_LIVEPATCH)) == (Elf.SHF_ALLOC | Elf.SHF_RELA_LIVEPATCH));
        assertTrue(klp.relocations().stream().anyMatch(r -> r.symbol() != null && r.symbol().name().equals(symbol)
                && r.symbol().specialIndex() == Elf.SHN_LIVEPATCH), symbol + " in " + section + " of " + module);
    }
}
