// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state of the kernel index, as the service reports it on every change.
 *
 * @param symbols when ready: the number of symbols in the index
 * @param message indexing: what is being read; ready: where the index came from; error: the cause
 * @param kernel  the kernel in use as the user named it (the {@code kernel} setting, else the symbol sources)
 * @param release when ready: the release the index found ({@code 6.1.0-56-amd64}), when it found one
 */
public record IndexStatus(State state, OptionalInt symbols, String message, Optional<String> kernel,
        Optional<String> release) {
    public enum State {
        INDEXING, READY, ERROR
    }
}
