// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How references to kernel functions ({@code function-symbol-risk}) are reported: the one type of the
 * {@code functionReferences} setting and the CLI's {@code --function-refs}, spelled {@code error},
 * {@code warning}, {@code info} or {@code off}.
 */
public enum FunctionReferences {
    ERROR, WARNING, INFO, OFF;

    /** The spelling of every front end: "error", "warning", "info", "off". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity of the findings, or empty when they are off. */
    public Optional<Severity> severity() {
        return switch (this) {
            case ERROR -> Optional.of(Severity.ERROR);
            case WARNING -> Optional.of(Severity.WARNING);
            case INFO -> Optional.of(Severity.INFO);
            case OFF -> Optional.empty();
        };
    }

    /** Reads a value in any case; empty when it is none of the four. */
    public static Optional<FunctionReferences> parse(String value) {
        for (FunctionReferences choice : values()) {
            if (choice.label().equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of(choice);
            }
        }
        return Optional.empty();
    }

    /** {@code "error", "warning", "info" or "off"}, for messages. */
    public static String choices() {
        String quoted = Arrays.stream(values()).map(choice -> "\"" + choice.label() + "\"")
                .collect(Collectors.joining(", "));
        int last = quoted.lastIndexOf(", ");
        return quoted.substring(0, last) + " or " + quoted.substring(last + 2);
    }
}
