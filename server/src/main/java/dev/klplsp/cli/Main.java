// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.base.KlpException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The one entry point of the jar: `klp-lsp <command>`. */
public final class Main implements Runnable {
    /**
     * Every command, in the order {@code klp-lsp --help} lists them. Building a command's model costs time in a fresh
     * JVM, so a run that names its command gets only that one (see {@link #commandLine(PrintWriter, PrintWriter,
     * String...)}).
     */
    static final List<String> COMMANDS =
            List.of("help", "elf", "index", "lookup", "check", "convert", "migrate", "header", "serve");

    private static final String PICOCLI_CONVERTER_EXCLUDES = "picocli.converters.excludes";

    boolean verbose;
    CommandSpec spec;

    /** The root command's model: its help, and --verbose, which every command inherits. */
    CommandSpec model() {
        CommandModel model = CommandModel.command(this, "klp-lsp");
        spec = model.spec();
        spec.versionProvider(new Version());
        return model.description("Kernel livepatch relocations: inspect modules, index kernel symbols, check and"
                        + " convert livepatch modules, and serve the same as a language server.")
                .examples("  klp-lsp lookup do_poweroff --kernel 6.1.0-56-amd64",
                    "  klp-lsp check livepatch.ko --kernel 6.1.0-56-amd64",
                    "  klp-lsp convert livepatch.ko --kernel 6.1.0-56-amd64 -o livepatch.klp.ko",
                    "%nRun 'klp-lsp COMMAND --help' for the options of a command; man klp-lsp-COMMAND for more.")
                .inheritedFlag("verbose", "Show stack traces of internal errors and more progress detail.", "--verbose")
                .build();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args)
                    .execute(args);
        } catch (Throwable unexpected) {
            // Outside any command (commandLine() already maps what a command throws): still one line, exit 4.
            System.err.println(internalErrorLine(unexpected, false));
            status = ExitCodes.INTERNAL;
        }
        System.exit(status);
    }

    /**
     * The model of a new instance of the command named {@code name}, one of {@link #COMMANDS}. A switch, not a map
     * of constructor references: each reference's call site would be linked at start-up, though one is used.
     */
    private static CommandSpec newCommand(String name) {
        return switch (name) {
            case "help" -> helpCommand();
            case "elf" -> new ElfCommand().model();
            case "index" -> new IndexCommand().model();
            case "lookup" -> new LookupCommand().model();
            case "check" -> new CheckCommand().model();
            case "convert" -> new ConvertCommand().model();
            case "migrate" -> new MigrateCommand().model();
            case "header" -> new HeaderCommand().model();
            case "serve" -> new ServeCommand().model();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /** picocli's {@code help} command, modelled as its annotations declare it. */
    private static CommandSpec helpCommand() {
        CommandSpec spec = CommandModel.command(new CommandLine.HelpCommand(), "help")
                .header("Display help information about the specified command.")
                .description("%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                    "If a COMMAND is specified, the help for that command is shown.%n")
                .positional("commands", "0..1", "COMMAND", "The COMMAND to display the usage help message for.")
                .spec();
        spec.helpCommand(true).usageMessage().synopsisHeading("%nUsage: ");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show usage help for the help command and exit.").build());
        return spec;
    }

    /** Builds the command line with injected writers, so tests see exactly what a user sees. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The command line for {@code args}: with only the command they name (the first argument that is not an
     * option; the root's options take no values), or with every command when they name none, name {@code help}
     * or name one that does not exist (so usage and "did you mean" list them all). Either way a user sees the
     * same output.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, String... args) {
        String named = null;
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                named = arg;
                break;
            }
        }
        boolean one = named != null && !named.equals("help") && COMMANDS.contains(named);
        // picocli registers converters for java.time and java.sql types through reflection, initialising ~80
        // classes (-5 ms); no option of klp-lsp has such a type. Its documented switch (unless a user set it).
        if (System.getProperty(PICOCLI_CONVERTER_EXCLUDES) == null) {
            System.setProperty(PICOCLI_CONVERTER_EXCLUDES, "java\\.time\\..*,java\\.sql\\..*");
        }
        CommandLine commandLine = new CommandLine(new Main().model());
        for (String command : COMMANDS) {
            if (!one || command.equals(named)) {
                commandLine.addSubcommand(command, newCommand(command));
            }
        }
        HelpLayout.apply(commandLine);
        commandLine.setOut(out);
        commandLine.setErr(err);
        Handlers handlers = new Handlers();
        commandLine.setExitCodeExceptionMapper(handlers);
        commandLine.setExecutionExceptionHandler(handlers);
        commandLine.setParameterExceptionHandler(handlers);
        commandLine.setExecutionStrategy(handlers);
        return commandLine;
    }

    /** How a run ends: exit codes, errors and usage errors as klp-lsp prints them. */
    private static final class Handlers implements CommandLine.IExitCodeExceptionMapper,
            CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler,
            CommandLine.IExecutionStrategy {
        @Override
        public int getExitCode(Throwable exception) {
            return exitCodeOf(exception);
        }

        @Override
        public int handleExecutionException(Exception exception, CommandLine cmd, CommandLine.ParseResult result) {
            return report(exception, cmd);
        }

        @Override
        public int handleParseException(CommandLine.ParameterException exception, String[] args) {
            return reportUsage(exception);
        }

        /**
         * picocli hands only Exceptions to the handler above; an Error (OutOfMemoryError, StackOverflowError)
         * would leave execute() as a stack trace and exit 1.
         */
        @Override
        public int execute(CommandLine.ParseResult parseResult) {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error error) {
                return report(error, parseResult.commandSpec().commandLine());
            }
        }
    }

    /** Prints an input error or an internal error (one line, the stack only under --verbose); the exit code. */
    private static int report(Throwable exception, CommandLine cmd) {
        CommandLine root = cmd.getCommandSpec().root().commandLine();
        boolean verbose = root.getCommand() instanceof Main main && main.verbose;
        PrintWriter errors = root.getErr();
        if (exception instanceof KlpException) {
            errors.println("klp-lsp: error: " + exception.getMessage());
        } else {
            errors.println(internalErrorLine(exception, verbose));
            if (verbose) {
                exception.printStackTrace(errors);
            }
        }
        errors.flush();
        return exitCodeOf(exception);
    }

    /**
     * A usage error as git and coreutils print one: the error, picocli's "did you mean" for a mistyped command or
     * option, the command's synopsis and where its help is, not the whole help page, which would push the error
     * off the screen.
     */
    private static int reportUsage(CommandLine.ParameterException exception) {
        CommandLine cmd = exception.getCommandLine();
        PrintWriter errors = cmd.getErr();
        errors.println("klp-lsp: error: " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, errors);
        errors.print("Usage: " + cmd.getHelp().synopsis(0));
        errors.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        errors.flush();
        return exitCodeOf(exception);
    }

    private static String internalErrorLine(Throwable exception, boolean verbose) {
        String line = "klp-lsp: internal error, please report: " + exception.toString().replaceAll("\\R+", " ");
        return verbose ? line : line + " (run with --verbose for the stack trace)";
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

    /** What Maven filtered into the jar, and the Java that runs it (the system's, or the package's own). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"klp-lsp " + dev.klplsp.base.Version.current(),
                "commit " + dev.klplsp.base.Version.commit() + ", built " + dev.klplsp.base.Version.buildDate(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
