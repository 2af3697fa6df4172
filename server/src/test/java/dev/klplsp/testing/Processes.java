// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools tests rely on (gcc, ld, readelf) and fails loudly when they fail. */
public final class Processes {
    private Processes() {
    }

    /** The result of a finished process. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command and returns its stdout; a non-zero exit is a test failure with stderr shown. */
    public static String run(Path workDir, List<String> command) {
        Result result = runAllowingFailure(workDir, command);
        if (result.exitCode() != 0) {
            throw new AssertionError("command failed (" + result.exitCode() + "): " + String.join(" ", command)
                    + "\n" + result.stderr() + result.stdout());
        }
        return result.stdout();
    }

    public static String run(String... command) {
        return run(null, List.of(command));
    }

    public static Result runAllowingFailure(Path workDir, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Read both streams concurrently so neither pipe fills up and blocks the child.
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread errReader = new Thread(() -> {
                try {
                    stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    stderr.completeExceptionally(e);
                }
            });
            errReader.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("command timed out: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), stdout, stderr.get());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (is it installed? .ci/run installs it): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
