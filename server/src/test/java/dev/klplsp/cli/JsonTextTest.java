// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.GsonBuilder;
import dev.klplsp.check.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON reports are streamed by {@link FindingRenderer#jsonText} instead of serialized by a {@code Gson}: the
 * text must stay what gson printed (the schema's consumers compare it), for every kind of value a report holds.
 */
class JsonTextTest {
    private static final com.google.gson.Gson GSON = new GsonBuilder().serializeNulls().setPrettyPrinting()
            .disableHtmlEscaping().create();

    @Test
    void aReportTreeIsPrintedAsGsonPrintedIt() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", 1);
        root.put("module", "dir with \"quotes\"/<patch>&'x'=1.ko");
        root.put("size", 1L << 40);
        root.put("negative", -7);
        root.put("exported", true);
        root.put("init", false);
        root.put("missing", null);
        root.put("nmType", 't');
        root.put("severity", Severity.WARNING);
        root.put("text", "tab\there, newline\nthere, nul \0, bell \7, é, 漢, \uD83D\uDE00, \u2028");
        root.put("empty list", List.of());
        root.put("empty map", Map.of());
        List<Object> items = new ArrayList<>();
        items.add(null);
        items.add(List.of(1, 2, List.of()));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("sympos", Map.of("foo", "vmlinux:2"));
        nested.put("kernels", List.of("6.1.0-56-amd64", "6.1.0-57-amd64"));
        items.add(nested);
        root.put("items", items);
        assertEquals(GSON.toJson(root), FindingRenderer.jsonText(root));
        assertEquals(GSON.toJson(items), FindingRenderer.jsonText(items));
        assertEquals(GSON.toJson(List.of()), FindingRenderer.jsonText(List.of()));
    }

    /** A value a report never holds fails loudly rather than printing its toString(). */
    @Test
    void aValueWithoutAJsonFormIsRefused() {
        Map<String, Object> root = Map.of("ratio", 0.5);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FindingRenderer.jsonText(root));
        assertEquals("no JSON form for java.lang.Double", refused.getMessage());
        // A Path is an Iterable of Paths (a one-name path yields itself): refused, not followed for ever.
        refused = assertThrows(IllegalArgumentException.class,
                () -> FindingRenderer.jsonText(Map.of("written", Path.of("out.ko"))));
        assertEquals("no JSON form for " + Path.of("out.ko").getClass().getName(), refused.getMessage());
    }
}
