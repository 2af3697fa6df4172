// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state of the kernel indexes, as the service reports it on every change.
 *
 * @param symbols when ready: the number of symbols in the indexes (summed over the kernels)
 * @param message indexing: what is being read; ready: where the indexes came from; error: the cause
 * @param kernel  the kernels in use as the user named them: the one kernel's {@code kernel} setting (else its
 *                symbol sources), or {@code 3 kernels}
 * @param kernels when ready: each kernel's name, in the configured order (the name findings use)
 * @param release when ready with one kernel: the release its index found ({@code 6.1.0-56-amd64}), when it found
 *                one
 */
public record IndexStatus(State state, OptionalInt symbols, String message, Optional<String> kernel,
        List<String> kernels, Optional<String> release) {
    public enum State {
        INDEXING, READY, ERROR
    }

    public IndexStatus {
        kernels = List.copyOf(kernels);
    }
}
