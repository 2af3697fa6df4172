// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import com.google.gson.stream.JsonWriter;
import dev.klplsp.check.Candidate;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.Finding;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.KernelsText;
import dev.klplsp.check.Severity;
import dev.klplsp.check.SymposChoice;
import dev.klplsp.ide.Document;
import dev.klplsp.ide.FileDiagnostic;
import dev.klplsp.ide.Fix;
import dev.klplsp.source.LineIndex;
import dev.klplsp.source.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
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
            printFinding(out, module, finding, "");
        }
    }

    /**
     * The findings of a check against several kernels, each once, with a note saying in which kernels it holds when
     * that is not all of them ({@code note: in 6.1.0-56-amd64 (not in 6.1.0-47-amd64)}).
     */
    static void printText(PrintWriter out, String module, KernelsResult result) {
        for (KernelsResult.Merged merged : result.findings()) {
            String where = merged.kernels().size() == result.kernels().size() ? ""
                    : KernelsText.holdsIn(merged.kernels(), result.names());
            printFinding(out, module, merged.finding(), where);
        }
    }

    private static void printFinding(PrintWriter out, String module, Finding finding, String where) {
        out.println(module + ": " + finding.severity().label() + "[" + finding.code().id() + "]: "
                + finding.message());
        if (!where.isEmpty()) {
            out.println("  note: " + where);
        }
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
                    .map(fix -> "--sympos " + option(fix)).toList()));
        }
    }

    /** A fix as a {@code --sympos} value, quoted for a shell when it has spaces (a pin by identity). */
    private static String option(SymposChoice fix) {
        String option = fix.toOption();
        return option.indexOf(' ') >= 0 ? "'" + option + "'" : option;
    }

    /** The summary lines of a check against several kernels: one per kernel, or the usual line for one. */
    static List<String> summaryLines(String module, KernelsResult result) {
        List<String> lines = new ArrayList<>();
        for (KernelsResult.PerKernel kernel : result.kernels()) {
            CheckResult own = kernel.result();
            String symbols = own.plan().symbols().size() + " symbol" + (own.plan().symbols().size() == 1 ? "" : "s")
                    + " to convert";
            lines.add(module + (result.kernels().size() > 1 ? " [" + kernel.kernel() + "]" : "") + ": "
                    + summaryLine(own) + "; " + symbols);
        }
        return lines;
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
                fix.setting().ifPresent(choice -> map.put("setting", Map.of("sympos", Map.of(choice.name(),
                        choice.spec()))));
                fixes.add(map);
            }
            if (!finding.kernels().isEmpty()) {
                item.put("kernels", finding.kernels());
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
        return jsonText(root);
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
        root.put("findings", result.findings().stream().map(FindingRenderer::toJson).toList());
        root.put("summary", summary(result));
        root.putAll(extra);
        return jsonText(root);
    }

    /**
     * The JSON report of a check against one or more kernels: schema version 1 with, besides {@code findings}
     * (each distinct finding once, with {@code kernels}, the kernels it holds in) and {@code summary} (distinct
     * findings counted once; {@code symbolsToConvert} of the first kernel), {@code kernels}: per kernel its
     * {@code kernel} name, its own {@code findings} and {@code summary}, and {@code extra} of that kernel.
     */
    static String json(String module, KernelsResult result, List<Map<String, Object>> perKernelExtra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", JSON_SCHEMA_VERSION);
        root.put("module", module);
        root.put("findings", result.findings().stream().map(merged -> {
            Map<String, Object> item = toJson(merged.finding());
            item.put("kernels", merged.kernels());
            return item;
        }).toList());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", result.count(Severity.ERROR));
        summary.put("warnings", result.count(Severity.WARNING));
        summary.put("infos", result.count(Severity.INFO));
        summary.put("symbolsToConvert", result.kernels().get(0).result().plan().symbols().size());
        root.put("summary", summary);
        List<Map<String, Object>> kernels = new ArrayList<>();
        for (int k = 0; k < result.kernels().size(); k++) {
            KernelsResult.PerKernel kernel = result.kernels().get(k);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kernel", kernel.kernel());
            entry.put("findings", kernel.result().findings().stream().map(FindingRenderer::toJson).toList());
            entry.put("summary", summary(kernel.result()));
            if (k < perKernelExtra.size()) {
                entry.putAll(perKernelExtra.get(k));
            }
            kernels.add(entry);
        }
        root.put("kernels", kernels);
        if (result.kernels().size() == 1 && !perKernelExtra.isEmpty()) {
            root.putAll(perKernelExtra.get(0)); // one kernel: the extras where they always were
        }
        return jsonText(root);
    }

    private static Map<String, Object> summary(CheckResult result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", result.count(Severity.ERROR));
        summary.put("warnings", result.count(Severity.WARNING));
        summary.put("infos", result.count(Severity.INFO));
        summary.put("symbolsToConvert", result.plan().symbols().size());
        return summary;
    }

    /**
     * A JSON report as klp-lsp prints every one: pretty (two spaces), nulls kept, no HTML escaping. The report is
     * a tree of maps, lists, strings, numbers, booleans and nulls, streamed with gson's writer rather than
     * through a {@code Gson} instance, whose start-up (its type adapters, ~300 classes with reflection) cost a
     * JSON run ~3x a text run's output time and would fill the class-data archive of every run.
     */
    static String jsonText(Object root) {
        StringWriter text = new StringWriter();
        try (JsonWriter out = new JsonWriter(text)) {
            out.setIndent("  ");
            out.setSerializeNulls(true);
            out.setHtmlSafe(false);
            writeJson(out, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void writeJson(JsonWriter out, Object value) throws IOException {
        if (value == null) {
            out.nullValue();
        } else if (value instanceof String string) {
            out.value(string);
        } else if (value instanceof Boolean bool) {
            out.value(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            out.value(((Number) value).longValue());
        } else if (value instanceof Character || value instanceof Enum<?>) {
            out.value(value instanceof Enum<?> constant ? constant.name() : value.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.beginObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.name(String.valueOf(entry.getKey()));
                writeJson(out, entry.getValue());
            }
            out.endObject();
        } else if (value instanceof Collection<?> items) {
            // Collections, as gson wrote them; not every Iterable: a Path iterates over Paths, itself included.
            out.beginArray();
            for (Object item : items) {
                writeJson(out, item);
            }
            out.endArray();
        } else {
            // A report holds only the types above; anything else is a programming error, not a silent
            // toString() in the output.
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
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
            map.put("pin", fix.pin().map(Object::toString).orElse(null));
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
