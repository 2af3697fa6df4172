// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Entry point: scans livepatch C text. Never throws on any text, however broken. */
public final class SourceScanner {
    private SourceScanner() {
    }

    public static SourceScan scan(String text) {
        Objects.requireNonNull(text, "text");
        Lexer lexer = new Lexer(text);
        lexer.run();
        List<ScanProblem> problems = new ArrayList<>(lexer.problems);
        return new Parser(text, lexer, problems).parse(LineIndex.of(text), lexer);
    }
}
