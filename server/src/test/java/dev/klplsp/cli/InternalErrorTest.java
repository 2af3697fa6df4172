// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Anything unexpected a command throws, {@link Error}s included (OutOfMemoryError, StackOverflowError), is exit 4
 * with one line on stderr; the stack trace only under --verbose.
 */
class InternalErrorTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Supplier<Throwable> failure;

        Boom(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            Throwable thrown = failure.get();
            if (thrown instanceof Error error) {
                throw error;
            }
            throw (Exception) thrown;
        }
    }

    private record Run(int exitCode, String err) {
    }

    private static Run run(Supplier<Throwable> failure, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err));
        commandLine.addSubcommand("boom", new Boom(failure));
        int exit = commandLine.execute(args);
        return new Run(exit, err.toString());
    }

    @org.junit.jupiter.api.Test
    void anOutOfMemoryErrorIsOneLineAndExitFour() {
        Run run = run(() -> new OutOfMemoryError("Java heap space"), "boom");
        assertEquals(ExitCodes.INTERNAL, run.exitCode(), run.err());
        assertEquals("klp-lsp: internal error, please report: java.lang.OutOfMemoryError: Java heap space"
                + " (run with --verbose for the stack trace)\n", run.err().replace("\r\n", "\n"));
    }

    @org.junit.jupiter.api.Test
    void aStackOverflowErrorIsOneLineAndExitFour() {
        Run run = run(StackOverflowError::new, "boom");
        assertEquals(ExitCodes.INTERNAL, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("klp-lsp: internal error, please report: java.lang.StackOverflowError"),
                run.err());
    }

    @org.junit.jupiter.api.Test
    void aRuntimeExceptionIsOneLineAndExitFour() {
        Run run = run(() -> new IllegalStateException("dangling symbol"), "boom");
        assertEquals(ExitCodes.INTERNAL, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @org.junit.jupiter.api.Test
    void verboseAddsTheStackTrace() {
        Run run = run(() -> new OutOfMemoryError("Java heap space"), "--verbose", "boom");
        assertEquals(ExitCodes.INTERNAL, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("klp-lsp: internal error, please report: java.lang.OutOfMemoryError"),
                run.err());
        assertTrue(run.err().contains("\tat dev.klplsp.cli.InternalErrorTest"), run.err());
    }
}
