// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.lsp;

import dev.klplsp.check.Severity;
import dev.klplsp.check.Candidate;
import dev.klplsp.check.SymposText;
import com.google.gson.JsonObject;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.ide.HoverInfo;
import dev.klplsp.ide.ModuleService;
import dev.klplsp.ide.SourceLocation;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.LinePosition;
import dev.klplsp.source.Span;
import dev.klplsp.source.TextEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticCodeDescription;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/** Core values to protocol values; one small function per type. */
final class ToLsp {
    static final String SOURCE = "klp";

    private ToLsp() {
    }

    static Position position(LineIndex lines, int offset) {
        LinePosition position = lines.position(offset);
        return new Position(position.line(), position.column());
    }

    static Range range(LineIndex lines, Span span) {
        return new Range(position(lines, span.start()), position(lines, span.end()));
    }

    /** The one severity mapping of the LSP front end. */
    static DiagnosticSeverity severity(Severity severity) {
        return switch (severity) {
            case ERROR -> DiagnosticSeverity.Error;
            case WARNING -> DiagnosticSeverity.Warning;
            case INFO -> DiagnosticSeverity.Information;
        };
    }

    /**
     * A finding as an LSP diagnostic: source "klp", the stable code with its documentation link, the candidates
     * as related information (or folded into the message when the client cannot show related information), and
     * the code as data.
     */
    static Diagnostic diagnostic(FileDiagnostic finding, LineIndex lines, String uri, ClientSupport client,
            String diagnosticsUrl) {
        Diagnostic diagnostic = new Diagnostic();
        Range range = range(lines, finding.span());
        diagnostic.setRange(range);
        diagnostic.setSeverity(severity(finding.severity()));
        diagnostic.setSource(SOURCE);
        diagnostic.setCode(finding.code().id());
        diagnostic.setCodeDescription(new DiagnosticCodeDescription(diagnosticsUrl + "#" + finding.code().id()));
        String message = finding.message();
        List<String> notes = finding.candidates().stream().map(candidate -> candidateNote(candidate)
                + sourceNote(finding.candidateSources().get(candidate))).toList();
        if (!notes.isEmpty()) {
            if (client.relatedInformation()) {
                // A candidate whose kernel source is known points there, else back at the finding.
                List<DiagnosticRelatedInformation> related = new ArrayList<>();
                for (int i = 0; i < notes.size(); i++) {
                    SourceLocation source = finding.candidateSources().get(finding.candidates().get(i));
                    related.add(new DiagnosticRelatedInformation(source == null ? new Location(uri, range)
                            : location(source), notes.get(i)));
                }
                diagnostic.setRelatedInformation(related);
            } else {
                message = message + "\n" + String.join("\n", notes.stream().map(note -> "  " + note).toList());
            }
        }
        diagnostic.setMessage(message);
        JsonObject data = new JsonObject();
        data.addProperty("code", finding.code().id());
        if (!finding.kernels().isEmpty()) {
            com.google.gson.JsonArray kernels = new com.google.gson.JsonArray();
            finding.kernels().forEach(kernels::add);
            data.add("kernels", kernels);
        }
        diagnostic.setData(data);
        return diagnostic;
    }

    /** {@code candidate: sympos 2 — vmlinux, chip.c, t, 0xffffffff81001070 (FUNC LOCAL, .text)}. */
    static String candidateNote(Candidate candidate) {
        return "candidate: " + candidate.name() + " sympos " + candidate.sympos() + " \u2014 "
                + SymposText.distinction(candidate) + " (" + candidate.type() + " " + candidate.binding()
                + candidate.section().map(section -> ", " + section).orElse("")
                + (candidate.exported() ? ", exported" : "") + ")";
    }

    /** {@code ; declared at /usr/src/linux-source-6.1/kernel/sysctl.c:858 (line of ...)}, or nothing. */
    private static String sourceNote(SourceLocation source) {
        return source == null ? "" : "; declared at " + source.file() + ":" + source.line() + " (" + source.version()
                + ")";
    }

    /** A kernel source line: the start of that line (the debug information gives no column). */
    static Location location(SourceLocation source) {
        Position start = new Position(Math.max(0, source.line() - 1), 0);
        return new Location(uri(source.file()), new Range(start, start));
    }

    static org.eclipse.lsp4j.TextEdit textEdit(LineIndex lines, TextEdit edit) {
        return new org.eclipse.lsp4j.TextEdit(range(lines, edit.range()), edit.newText());
    }

    /** A fix or refactoring as a code action of {@code kind} with one WorkspaceEdit (the diagnostics it fixes, if any). */
    static CodeAction codeAction(Fix fix, String kind, LineIndex lines, String uri, List<Diagnostic> fixes) {
        List<org.eclipse.lsp4j.TextEdit> edits = fix.edits().stream().map(edit -> textEdit(lines, edit)).toList();
        return codeAction(fix, kind, new WorkspaceEdit(Map.of(uri, edits)), fixes);
    }

    private static CodeAction codeAction(Fix fix, String kind, WorkspaceEdit edit, List<Diagnostic> fixes) {
        CodeAction action = new CodeAction(fix.title());
        action.setKind(kind);
        if (!fixes.isEmpty()) {
            action.setDiagnostics(fixes);
        }
        if (fix.preferred()) {
            action.setIsPreferred(true);
        }
        action.setEdit(edit);
        return action;
    }

    /**
     * A fix that sets a {@code sympos} choice, as an edit of the project file: its whole text replaced by
     * {@code newText}, or, when the file does not exist yet ({@code oldText} null), created with it.
     */
    static CodeAction settingAction(Fix fix, String projectUri, String oldText, String newText,
            List<Diagnostic> fixes) {
        if (oldText != null) {
            LineIndex lines = LineIndex.of(oldText);
            org.eclipse.lsp4j.TextEdit whole = new org.eclipse.lsp4j.TextEdit(range(lines, new Span(0,
                    oldText.length())), newText);
            return codeAction(fix, CodeActionKind.QuickFix, new WorkspaceEdit(Map.of(projectUri, List.of(whole))),
                    fixes);
        }
        org.eclipse.lsp4j.TextEdit insert = new org.eclipse.lsp4j.TextEdit(new Range(new Position(0, 0),
                new Position(0, 0)), newText);
        Either<org.eclipse.lsp4j.TextDocumentEdit, org.eclipse.lsp4j.ResourceOperation> createFile =
                Either.forRight(new org.eclipse.lsp4j.CreateFile(projectUri));
        Either<org.eclipse.lsp4j.TextDocumentEdit, org.eclipse.lsp4j.ResourceOperation> fill =
                Either.forLeft(new org.eclipse.lsp4j.TextDocumentEdit(
                        new org.eclipse.lsp4j.VersionedTextDocumentIdentifier(projectUri, null),
                        List.of(Either.<org.eclipse.lsp4j.TextEdit, org.eclipse.lsp4j.SnippetTextEdit>forLeft(insert))));
        List<Either<org.eclipse.lsp4j.TextDocumentEdit, org.eclipse.lsp4j.ResourceOperation>> changes =
                List.of(createFile, fill);
        WorkspaceEdit create = new WorkspaceEdit(changes);
        return codeAction(fix, CodeActionKind.QuickFix, create, fixes);
    }

    static Hover hover(HoverInfo info, LineIndex lines, boolean markdown) {
        MarkupContent content = new MarkupContent(markdown ? MarkupKind.MARKDOWN : MarkupKind.PLAINTEXT,
                info.markdown());
        return new Hover(content, range(lines, info.span()));
    }

    static MessageType messageType(ModuleService.Level level) {
        return switch (level) {
            case ERROR -> MessageType.Error;
            case WARNING -> MessageType.Warning;
            case INFO -> MessageType.Info;
            case LOG -> MessageType.Log;
        };
    }

    static String uri(Path path) {
        return path.toUri().toString();
    }
}
