// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.base.AtomicFile;
import dev.klplsp.base.KlpException;
import dev.klplsp.check.Severity;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.ide.Analysis;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.kernel.OptimizationFacts;
import dev.klplsp.project.SettingsLayer;
import dev.klplsp.source.TextDiff;
import dev.klplsp.source.TextEdit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code klp-lsp migrate FILE.c [-o OUT | --in-place]}: the editor's "Convert run-time lookups to KLP relocations"
 * for one C source, printed as a unified diff; with {@code -o} or {@code --in-place} also written, atomically, when
 * no lookup is held back by an error finding. The kernel (through the same options and project file as
 * {@code check}) decides each symbol's object and sympos.
 */
public final class MigrateCommand implements Callable<Integer> {
    Path source;
    /** Neither option given: the diff is printed, nothing written. */
    final OutputOptions output = new OutputOptions();
    final KernelOptions kernel = new KernelOptions();
    CommandSpec spec;

    /** The command's model: its help, and the options that set the fields above. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "migrate");
        spec = model.spec();
        return model.header("Turn a source's run-time kallsyms lookups into KLP relocations.")
                .description("Turns the run-time kallsyms lookups of a livepatch source (klp_kallsyms_reloc tables,"
                        + " kallsyms_lookup_name calls) into declarations the conversion makes KLP relocations:"
                        + " prints the change as a unified diff on stdout, and the findings that keep lookups back on"
                        + " stderr.",
                    "An ambiguous name is never converted silently: choose its copy (a sympos in the entry) first.",
                    "Guide: docs/guide-convert.md#from-kallsyms-lookups-to-klp-relocations.")
                .exitCodes("0:converted, or nothing to convert",
                    "1:error findings keep lookups back; nothing written", "2:usage error",
                    "3:an input is missing, unreadable or malformed", "4:internal error")
                .examples("  klp-lsp migrate livepatch.c --kernel 6.1.0-56-amd64 | less",
                    "  klp-lsp migrate livepatch.c --kernel 6.1.0-56-amd64 --in-place")
                .positional("source", "1", "FILE.c", "The livepatch C source.")
                .mixin("output", output.model())
                .mixin("kernel", kernel.model(spec))
                .build();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        kernel.readProject(err, CheckCommand.moduleDirectory(source));
        kernel.requireKernel(spec.commandLine());
        Document document = Document.read(source);
        // With several kernels, the lookups are converted as the first (the reference) resolves them.
        List<TargetKernel> kernels = kernel.loadKernels(spec.commandLine());
        Analysis analysis = CheckCommand.analyze(List.of(document), kernels,
                SettingsLayer.EMPTY.over(kernel.projectLayer()).resolve(), OptimizationFacts.NONE);
        Optional<Fix> migration = analysis.migration(document.path());
        List<FileDiagnostic> blockers = analysis.migrationBlockers(document.path());
        String before = document.text();
        String after = migration.map(fix -> TextEdit.apply(before, fix.edits())).orElse(before);

        out.print(TextDiff.unified(before, after, "a/" + source, "b/" + source));
        out.flush();
        if (!blockers.isEmpty()) {
            FindingRenderer.printSourceText(err, source.toString(), document, blockers);
        }
        int converted = analysis.convertibleLookups(document.path());
        int left = analysis.lookupsLeft(document.path());
        boolean errors = blockers.stream().anyMatch(finding -> finding.severity() == Severity.ERROR);
        err.println(source + ": " + (converted == 0 && left == 0 ? "no run-time lookups to convert"
                : converted + " run-time lookup" + (converted == 1 ? "" : "s") + " converted to KLP relocations"
                        + (left == 0 ? "" : ", " + left + " left as " + (left == 1 ? "it is" : "they are")
                                + " (above)")));
        if (output.given()) {
            if (errors) {
                err.println(source + ": nothing written: an error finding above keeps a lookup back (an ambiguous"
                        + " name needs its copy chosen first)");
                err.flush();
                return ExitCodes.FINDINGS;
            }
            Path target = output.inPlace ? source : output.out;
            if (!output.inPlace || !after.equals(before)) {
                requireUtf8(source);
                AtomicFile.write(target, after.getBytes(StandardCharsets.UTF_8));
                err.println("wrote " + target);
            }
        }
        err.flush();
        return errors ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** The source is read as UTF-8 with replacement; writing it back is only safe when nothing was replaced. */
    private static void requireUtf8(Path file) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)));
        } catch (CharacterCodingException e) {
            throw new KlpException(file, "is not valid UTF-8; klp-lsp does not rewrite it (apply the diff instead)",
                    e);
        } catch (IOException e) {
            throw new KlpException(file, "cannot read: " + KlpException.reason(e), e);
        }
    }
}
