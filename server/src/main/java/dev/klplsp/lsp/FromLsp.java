// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/** Protocol values to core values: positions to char offsets, URIs to paths. */
final class FromLsp {
    private FromLsp() {
    }

    static int offset(LineIndex lines, Position position) {
        return lines.offset(position.getLine(), position.getCharacter());
    }

    static Span span(LineIndex lines, Range range) {
        int start = offset(lines, range.getStart());
        int end = offset(lines, range.getEnd());
        return new Span(Math.min(start, end), Math.max(start, end));
    }

    /** The local path of a {@code file:} URI; empty for other schemes (untitled buffers, remote files). */
    static Optional<Path> path(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        try {
            URI parsed = new URI(uri);
            if (!"file".equalsIgnoreCase(parsed.getScheme())) {
                return Optional.empty();
            }
            return Optional.of(Paths.get(parsed).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
