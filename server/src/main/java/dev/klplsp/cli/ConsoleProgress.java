// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import dev.klplsp.kernel.ProgressListener;
import java.io.PrintWriter;

/** Shows progress on one rewritten stderr line, only when a terminal is attached (never in pipes or tests). */
final class ConsoleProgress implements ProgressListener {
    private final PrintWriter err;
    private long lastPrint;
    private int lastLength;

    private ConsoleProgress(PrintWriter err) {
        this.err = err;
    }

    static ProgressListener forTerminal(PrintWriter err) {
        return System.console() != null ? new ConsoleProgress(err) : ProgressListener.NONE;
    }

    @Override
    public synchronized void onProgress(String phase, long done, long total) {
        long now = System.nanoTime();
        if (total > 0 && done < total && now - lastPrint < 100_000_000L) {
            return;
        }
        lastPrint = now;
        String line = total > 0 ? String.format("%s %,d/%,d", phase, done, total) : phase + "...";
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        err.flush();
    }

    /** Clears the progress line before the real output. */
    static void clear(ProgressListener progress) {
        if (progress instanceof ConsoleProgress console) {
            synchronized (console) {
                console.err.print("\r" + " ".repeat(console.lastLength) + "\r");
                console.err.flush();
            }
        }
    }
}
