// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import com.google.gson.GsonBuilder;
import dev.klplsp.check.Candidate;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Finding;
import dev.klplsp.check.Severity;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders findings for the terminal (compiler style) and as JSON (schema version 1, documented in
 * docs/diagnostics.md). The one place the CLI maps a finding to text.
 */
final class FindingRenderer {
    static final int JSON_SCHEMA_VERSION = 1;

    private FindingRenderer() {
    }

    /**
     * {@code mod.ko: error[ambiguous-symbol]: message}, then indented notes: location, candidates, the kernel's
     * predicted message.
     */
    static void printText(PrintWriter out, String module, List<Finding> findings) {
        for (Finding finding : findings) {
            out.println(module + ": " + finding.severity().label() + "[" + finding.code().id() + "]: "
                    + finding.message());
            finding.location().ifPresent(location -> out.println("  note: at " + location.describe()));
            for (Candidate candidate : finding.candidates()) {
                out.println("  note: candidate sympos " + candidate.sympos() + ": " + candidate.object() + " "
                        + candidate.name() + " (" + describe(candidate) + ")");
            }
            finding.kernelMessage().ifPresent(message -> out.println("  note: the kernel would say: livepatch: "
                    + message));
            if (!finding.fixes().isEmpty()) {
                // The core says how to choose in C; the command line has its own way.
                out.println("  note: or choose on the command line: " + String.join(" | ", finding.fixes().stream()
                        .map(fix -> "--sympos " + fix.toOption()).toList()));
            }
        }
    }

    static String summaryLine(CheckResult result) {
        return summaryLine(result.count(Severity.ERROR), result.count(Severity.WARNING), result.count(Severity.INFO));
    }

    private static String summaryLine(long errors, long warnings, long notes) {
        return plural(errors, "error") + ", " + plural(warnings, "warning") + ", " + plural(notes, "note");
    }

    /**
     * {@code file.c:12:5: error[ambiguous-symbol]: message} (line and column 1-based, columns in characters, as
     * compilers print them), then the candidates and the fixes an editor would offer, then a summary line.
     */
    static void printSourceText(PrintWriter out, String file, Document document, List<FileDiagnostic> findings) {
        LineIndex lines = document.scan().lines();
        for (FileDiagnostic finding : findings) {
            int[] at = lineAndColumn(lines, finding.span().start());
            out.println(file + ":" + at[0] + ":" + at[1] + ": " + finding.severity().label() + "["
                    + finding.code().id() + "]: " + finding.message());
            for (Candidate candidate : finding.candidates()) {
                out.println("  note: candidate sympos " + candidate.sympos() + ": " + candidate.object() + " "
                        + candidate.name() + " (" + describe(candidate) + ")");
            }
            for (Fix fix : finding.fixes()) {
                out.println("  note: fix: " + fix.title());
            }
        }
        out.println(file + ": " + summaryLine(count(findings, Severity.ERROR), count(findings, Severity.WARNING),
                count(findings, Severity.INFO)));
    }

    private static long count(List<FileDiagnostic> findings, Severity severity) {
        return findings.stream().filter(finding -> finding.severity() == severity).count();
    }

    /** 1-based line and column (in code points) of a char offset. */
    private static int[] lineAndColumn(LineIndex lines, int offset) {
        int line = lines.lineOf(offset);
        int start = lines.lineStart(line);
        return new int[] {line + 1, lines.text().codePointCount(start, Math.max(start, offset)) + 1};
    }

    /**
     * The JSON report of a C source: {@code {"schemaVersion":1,"source":...,"findings":[...],"summary":{...}}};
     * locations are 1-based lines and columns, fixes carry their edits.
     */
    static String sourceJson(String file, Document document, List<FileDiagnostic> findings) {
        LineIndex lines = document.scan().lines();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", JSON_SCHEMA_VERSION);
        root.put("source", file);
        List<Map<String, Object>> items = new ArrayList<>();
        for (FileDiagnostic finding : findings) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", finding.code().id());
            item.put("severity", finding.severity().label());
            item.put("symbol", finding.symbol().isEmpty() ? null : finding.symbol());
            item.put("message", finding.message());
            item.put("location", range(lines, finding.span()));
            item.put("candidates", finding.candidates().stream().map(FindingRenderer::candidateJson).toList());
            List<Map<String, Object>> fixes = new ArrayList<>();
            for (Fix fix : finding.fixes()) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("title", fix.title());
                map.put("edits", fix.edits().stream().map(edit -> {
                    Map<String, Object> change = range(lines, edit.range());
                    change.put("newText", edit.newText());
                    return change;
                }).toList());
                fixes.add(map);
            }
            item.put("fixes", fixes);
            item.put("doc", finding.code().docAnchor());
            items.add(item);
        }
        root.put("findings", items);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", count(findings, Severity.ERROR));
        summary.put("warnings", count(findings, Severity.WARNING));
        summary.put("infos", count(findings, Severity.INFO));
        root.put("summary", summary);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }

    private static Map<String, Object> range(LineIndex lines, Span span) {
        int[] start = lineAndColumn(lines, span.start());
        int[] end = lineAndColumn(lines, span.end());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("line", start[0]);
        map.put("column", start[1]);
        map.put("endLine", end[0]);
        map.put("endColumn", end[1]);
        return map;
    }

    private static String plural(long count, String word) {
        return count + " " + word + (count == 1 ? "" : "s");
    }

    private static String describe(Candidate candidate) {
        List<String> parts = new ArrayList<>();
        parts.add(String.valueOf(candidate.nmLetter()));
        candidate.sourceFile().ifPresent(parts::add);
        candidate.section().filter(s -> s.length() > 1).ifPresent(parts::add);
        parts.add("0x" + Long.toHexString(candidate.address()));
        if (candidate.exported()) {
            parts.add("exported");
        }
        if (candidate.init()) {
            parts.add("init");
        }
        return String.join(", ", parts);
    }

    /** The JSON report: {@code {"schemaVersion":1,"module":...,"findings":[...],"summary":{...}}} plus extras. */
    static String json(String module, CheckResult result, Map<String, Object> extra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", JSON_SCHEMA_VERSION);
        root.put("module", module);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Finding finding : result.findings()) {
            items.add(toJson(finding));
        }
        root.put("findings", items);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", result.count(Severity.ERROR));
        summary.put("warnings", result.count(Severity.WARNING));
        summary.put("infos", result.count(Severity.INFO));
        summary.put("symbolsToConvert", result.plan().symbols().size());
        root.put("summary", summary);
        root.putAll(extra);
        return new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }

    private static Map<String, Object> candidateJson(Candidate candidate) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("object", candidate.object());
        map.put("name", candidate.name());
        map.put("sympos", candidate.sympos());
        map.put("type", candidate.type());
        map.put("binding", candidate.binding());
        map.put("nmType", String.valueOf(candidate.nmLetter()));
        map.put("sourceFile", candidate.sourceFile().orElse(null));
        map.put("section", candidate.section().orElse(null));
        map.put("address", "0x" + Long.toHexString(candidate.address()));
        map.put("size", candidate.size());
        map.put("exported", candidate.exported());
        map.put("init", candidate.init());
        return map;
    }

    static Map<String, Object> toJson(Finding finding) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", finding.code().id());
        item.put("severity", finding.severity().label());
        item.put("symbol", finding.symbol());
        item.put("object", finding.object());
        item.put("message", finding.message());
        item.put("location", finding.location().map(location -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("section", location.section());
            map.put("offset", location.offset());
            map.put("symbol", location.symbol());
            return (Object) map;
        }).orElse(null));
        List<Map<String, Object>> candidates = finding.candidates().stream().map(FindingRenderer::candidateJson)
                .toList();
        item.put("candidates", candidates);
        List<Map<String, Object>> fixes = new ArrayList<>();
        for (SymposChoice fix : finding.fixes()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("object", fix.object());
            map.put("name", fix.name());
            map.put("sympos", fix.sympos());
            map.put("option", "--sympos " + fix.toOption());
            fixes.add(map);
        }
        item.put("fixes", fixes);
        item.put("kernelMessage", finding.kernelMessage().orElse(null));
        item.put("fingerprint", finding.fingerprint());
        item.put("doc", finding.code().docAnchor());
        return item;
    }
}
