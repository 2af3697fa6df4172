// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every benchmark's main shares: inputs checked before anything is measured, a time limit on each round,
 * and a failure that names the problem and ends the process (exit 1; exit 124, as timeout(1), when a round ran
 * out of time), so a benchmark never measures the wrong thing or waits on a round that cannot finish.
 */
public final class Rounds {
    /** The default limit of one round; a benchmark whose rounds take longer passes its own. */
    public static final Duration LIMIT = Duration.ofMinutes(2);

    private static final ExecutorService ROUNDS = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "benchmark-round");
        thread.setDaemon(true);
        return thread;
    });

    private Rounds() {
    }

    /** Exit status of a round that ran out of time, as timeout(1) gives it. */
    public static final int TIMED_OUT = 124;

    /** Prints the reason and ends the process with status 1. */
    public static void fail(String message) {
        fail(message, 1);
    }

    private static void fail(String message, int status) {
        System.err.println("benchmark: " + message);
        System.out.flush();
        System.exit(status);
    }

    /** {@code path} when it exists, else a failure naming it and what it should be. */
    public static Path requireInput(Path path, String what) {
        if (!Files.exists(path)) {
            fail(path + " is missing: " + what);
        }
        return path;
    }

    /** Runs one round, failing when it throws or takes longer than {@code limit}. */
    public static <T> T within(Duration limit, String what, Callable<T> round) {
        Future<T> result = ROUNDS.submit(round);
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            fail(what + ": no result within " + limit.toSeconds() + " s (per-round timeout)", TIMED_OUT);
        } catch (ExecutionException e) {
            e.getCause().printStackTrace();
            fail(what + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(what + ": interrupted");
        }
        throw new IllegalStateException("unreachable");
    }
}
