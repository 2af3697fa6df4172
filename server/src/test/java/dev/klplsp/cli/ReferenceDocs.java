// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the reference a package installs, from the same picocli model the CLI runs: {@code man/klp-lsp.adoc}
 * and one {@code man/klp-lsp-COMMAND.adoc} per command (AsciiDoc man pages; packaging/release.sh renders them
 * with asciidoctor), and {@code completion/klp-lsp}, the bash completion script (zsh loads it through
 * bashcompinit, which the script enables itself). Maven runs it at prepare-package into target/reference, so a
 * help text changed in a command is the page and the completion of the next build.
 */
public final class ReferenceDocs {
    private ReferenceDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ReferenceDocs OUTPUT-DIRECTORY");
        }
        write(Path.of(args[0]));
    }

    /** Writes man/ and completion/ under {@code directory}, replacing what an earlier build wrote. */
    static void write(Path directory) throws IOException {
        CommandLine commandLine = everyCommand();
        Path man = Files.createDirectories(directory.resolve("man"));
        Path completion = Files.createDirectories(directory.resolve("completion"));
        int status = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true,
                commandLine.getCommandSpec());
        if (status != 0) {
            throw new IOException("the man page generator failed with status " + status);
        }
        Files.writeString(completion.resolve("klp-lsp"), AutoComplete.bash("klp-lsp", commandLine));
    }

    /** The command line with every command, as {@code klp-lsp --help} models it. */
    static CommandLine everyCommand() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return Main.commandLine(sink, sink);
    }
}
