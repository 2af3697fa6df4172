// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Code;
import dev.klplsp.check.Finding;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.kernel.IndexOptions;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelIndexLoader;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.kernel.ProgressListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a fresh process does before its command runs: which commands picocli models, and the CDS training run. */
class StartupTest {
    @TempDir
    Path tmp;

    @Test
    void aNamedCommandIsTheOnlyOneModelledAndEveryOtherRunSeesThemAll() {
        StringWriter sink = new StringWriter();
        PrintWriter writer = new PrintWriter(sink);
        assertEquals(Set.of("convert"), Main.commandLine(writer, writer, "--verbose", "convert", "x.ko")
                .getSubcommands().keySet());
        List<String> all = List.of("help", "elf", "index", "lookup", "check", "convert", "migrate", "header",
                "serve");
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "--help").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "help", "convert").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer, "convrt").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine(writer, writer).getSubcommands().keySet()));
    }

    @Test
    void optionsBeforeTheCommandStillReachIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"--verbose", "elf", tmp.resolve("missing.ko").toString()};
        int status = Main.commandLine(new PrintWriter(out), new PrintWriter(err), args).execute(args);
        assertEquals(ExitCodes.INPUT, status, err.toString());
        assertTrue(err.toString().contains("missing.ko"), err.toString());
    }

    @Test
    void theTrainingModuleIsALivepatchWithEveryKindOfReference() throws Exception {
        Path module = tmp.resolve("klp_training.ko");
        Files.write(module, CdsTraining.trainingModule());
        Path map = Files.writeString(tmp.resolve("System.map"), CdsTraining.SYSTEM_MAP);
        Path symvers = Files.writeString(tmp.resolve("Module.symvers"), CdsTraining.SYMVERS);
        KernelIndex index = KernelIndexLoader.load(KernelSources.ofSymbols(map, symvers), IndexOptions.NO_CACHE,
                ProgressListener.NONE);
        CheckResult result = ModuleChecker.check(ElfObject.read(module), index, CheckConfig.DEFAULT);
        assertEquals(List.of(Code.FUNCTION_SYMBOL_RISK, Code.AMBIGUOUS_SYMBOL),
                result.findings().stream().map(Finding::code).toList(), result.findings().toString());
        assertEquals(List.of("klp_training_func"),
                result.plan().symbols().stream().map(s -> s.name()).toList());
    }

    @Test
    void theTrainingRunGoesThroughEveryCommandWithoutFailing() throws Exception {
        CdsTraining.train(Files.createDirectories(tmp.resolve("work")));
    }
}
