// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import dev.klplsp.check.Candidate;
import dev.klplsp.kernel.KernelIndex;
import dev.klplsp.kernel.KernelSymbol;
import dev.klplsp.source.ExternalDeclaration;
import dev.klplsp.source.KlpFunc;
import dev.klplsp.source.ModuleRelocBlock;
import dev.klplsp.source.RelocSymbol;
import dev.klplsp.source.SourceScan;
import dev.klplsp.source.Span;
import dev.klplsp.source.SymposEntry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of the workspace that answers the editor's questions. Results are memoized only
 * within the snapshot; a new edit makes a new snapshot.
 */
public final class Analysis {
    private final Path root;
    private final Map<Path, Document> documents;
    private final Map<Path, Set<String>> definitions;
    private final Settings settings;
    private final Optional<KernelIndex> index;
    private final Map<Path, List<FileDiagnostic>> diagnostics = new ConcurrentHashMap<>();

    Analysis(Path root, Map<Path, Document> documents, Map<Path, Set<String>> definitions, Settings settings,
            Optional<KernelIndex> index) {
        this.root = root;
        this.documents = documents;
        this.definitions = definitions;
        this.settings = settings;
        this.index = index;
    }

    public Path root() {
        return root;
    }

    public Settings settings() {
        return settings;
    }

    public boolean isIndexReady() {
        return index.isPresent();
    }

    public Optional<KernelIndex> index() {
        return index;
    }

    public Optional<Document> document(Path file) {
        return Optional.ofNullable(documents.get(file.toAbsolutePath().normalize()));
    }

    /** The as-you-type findings of an open file, sorted by position; empty for a file that is not open. */
    public List<FileDiagnostic> diagnostics(Path file) {
        Path path = file.toAbsolutePath().normalize();
        Document document = documents.get(path);
        if (document == null) {
            return List.of();
        }
        return diagnostics.computeIfAbsent(path, key -> new SourceAnalyzer(path, document.scan(), index, settings,
                otherDefinitions(path)).run());
    }

    /** The diagnostics whose range touches {@code range} (a cursor or a selection). */
    public List<FileDiagnostic> diagnosticsTouching(Path file, Span range) {
        return diagnostics(file).stream()
                .filter(diagnostic -> diagnostic.span().start() <= range.end()
                        && range.start() <= diagnostic.span().end())
                .toList();
    }

    /** The fixes of every diagnostic whose range touches {@code range}, in diagnostic order; alternatives. */
    public List<Fix> fixes(Path file, Span range) {
        return diagnosticsTouching(file, range).stream().flatMap(diagnostic -> diagnostic.fixes().stream()).toList();
    }

    /** The kernel's symbols under the external name at {@code offset}. */
    public Optional<HoverInfo> hover(Path file, int offset) {
        Optional<Document> document = document(file);
        if (document.isEmpty() || index.isEmpty()) {
            return Optional.empty();
        }
        SourceScan scan = document.get().scan();
        return kernelNameAt(scan, offset).map(named -> {
            KernelIndex kernel = index.get();
            List<Candidate> candidates = kernel.lookup(named.name()).stream().filter(KernelSymbol::isCounted)
                    .map(Candidate::of).toList();
            List<Candidate> clones = kernel.cloneFamily(named.name()).stream().filter(KernelSymbol::isCounted)
                    .map(Candidate::of).toList();
            return new HoverInfo(named.span(), named.name(), candidates, clones);
        });
    }

    private record NamedSpan(String name, Span span) {
    }

    /** The kernel name at an offset: an external's name or use, a klp_func .old_name, or an annotation's symbol. */
    private Optional<NamedSpan> kernelNameAt(SourceScan scan, int offset) {
        for (KlpFunc func : scan.klpFuncs()) {
            if (func.oldNameSpan().isPresent() && func.oldNameSpan().get().touches(offset)) {
                return Optional.of(new NamedSpan(func.oldName().orElse(""), func.oldNameSpan().get()));
            }
        }
        for (RelocSymbol reloc : scan.relocSymbols()) {
            if (reloc.symbolNameSpan().touches(offset)) {
                return Optional.of(new NamedSpan(reloc.symbolName(), reloc.symbolNameSpan()));
            }
        }
        for (ModuleRelocBlock block : scan.moduleRelocBlocks()) {
            for (SymposEntry entry : block.entries()) {
                if (entry.symbolSpan().touches(offset)) {
                    return Optional.of(new NamedSpan(entry.symbol(), entry.symbolSpan()));
                }
            }
        }
        Span word = wordAt(scan.text(), offset);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        String name = word.textOf(scan.text());
        Optional<ExternalDeclaration> external = scan.findExternal(name);
        if (external.isPresent()) {
            String symbol = external.get().relocSymbol().map(RelocSymbol::symbolName)
                    .orElse(external.get().symbolName());
            return Optional.of(new NamedSpan(symbol, word));
        }
        return Optional.empty();
    }

    private static Span wordAt(String text, int offset) {
        int start = Math.min(Math.max(offset, 0), text.length());
        int end = start;
        while (start > 0 && isIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        return new Span(start, end);
    }

    private static boolean isIdentifierPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private Set<String> otherDefinitions(Path file) {
        Set<String> names = new HashSet<>();
        definitions.forEach((path, defined) -> {
            if (!path.equals(file)) {
                names.addAll(defined);
            }
        });
        return names;
    }
}
