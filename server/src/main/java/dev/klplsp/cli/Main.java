// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.base.KlpException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The one entry point of the jar: `klp-lsp <command>`. */
@Command(
        name = "klp-lsp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Kernel livepatch relocations: inspect modules, index kernel symbols, check and convert"
                + " livepatch modules, and serve the same as a language server.",
        subcommands = {CommandLine.HelpCommand.class, ElfCommand.class, IndexCommand.class, LookupCommand.class,
            CheckCommand.class, ConvertCommand.class, MigrateCommand.class, HeaderCommand.class,
            ServeCommand.class})
public final class Main implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of internal errors and more progress detail.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        int status = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
        System.exit(status);
    }

    /** Builds the command line with injected writers, so tests see exactly what a user sees. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(Main::exitCodeOf);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            boolean verbose = cmd.getCommandSpec().root().userObject() instanceof Main main && main.verbose;
            PrintWriter errors = cmd.getErr();
            if (exception instanceof KlpException) {
                errors.println("klp-lsp: error: " + exception.getMessage());
            } else {
                errors.println("klp-lsp: internal error, please report: " + exception);
                if (verbose) {
                    exception.printStackTrace(errors);
                } else {
                    errors.println("(run with --verbose for the stack trace)");
                }
            }
            errors.flush();
            return exitCodeOf(exception);
        });
        return commandLine;
    }

    static int exitCodeOf(Throwable exception) {
        if (exception instanceof KlpException) {
            return ExitCodes.INPUT;
        }
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.INTERNAL;
    }

    /** The version Maven filtered into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"klp-lsp " + dev.klplsp.base.Version.current(),
                "Java " + System.getProperty("java.version")};
        }
    }
}
