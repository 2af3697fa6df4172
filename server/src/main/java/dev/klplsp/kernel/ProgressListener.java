// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

/** Told how far an index build is; called from worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total) -> {
    };

    /** {@code total} is 0 when unknown. */
    void onProgress(String phase, long done, long total);
}
