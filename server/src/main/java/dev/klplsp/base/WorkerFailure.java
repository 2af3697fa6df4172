// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.base;

/** Failures of work that ran on another thread (a pool or a CompletableFuture), rethrown on the caller's. */
public final class WorkerFailure {
    private WorkerFailure() {
    }

    /**
     * The failure as the caller's: the worker's own unchecked exception when it threw one (so a caller sees the
     * same {@link KlpException} as if it had done the work itself), else the wrapper when it is unchecked
     * ({@code CompletionException} around an {@code Error}), else an {@link IllegalStateException} around the
     * cause.
     */
    public static RuntimeException unwrap(Exception wrapper) {
        if (wrapper.getCause() instanceof RuntimeException worker) {
            return worker;
        }
        if (wrapper instanceof RuntimeException unchecked) {
            return unchecked;
        }
        return new IllegalStateException(wrapper.getCause());
    }
}
