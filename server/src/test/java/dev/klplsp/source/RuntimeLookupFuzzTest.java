// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzz target of the run-time lookup reader and of the conversion: text assembled from pieces of
 * the run-time lookup style (tables, pointers, uses, lookup calls, notifiers) and fuzzed characters must scan
 * without an exception, with every span inside the text, and converting every pointer the scan found must give
 * edits that apply to a text that scans again. Under {@code mvn test} it replays its committed inputs;
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=RuntimeLookupFuzzTest#lookups} fuzzes it.
 */
class RuntimeLookupFuzzTest {
    private static final String[] PIECES = {
        "static int (*klpe_a)(int x);\n", "static long *klpe_b, *klpe_c;\n", "static char **klpe_d = NULL;\n",
        "static struct s (*klpe_e)[4];\n", "static struct klp_kallsyms_reloc t[] = {\n", "};\n",
        "{ \"a\", (void *)&klpe_a },\n", "{ \"b\", (void **)&klpe_b, \"mod\", 2 },\n", "{ NULL, &klpe_c },\n",
        "{ .sympos = 1, .symname = \"c\", .addr = (void *)&klpe_c, .objname = LP },\n", "#define LP \"mod\"\n",
        "int f(void) {\n", "}\n", "return (*klpe_a)(1) + klpe_a(2);\n", "*klpe_b += klpe_c[1];\n",
        "g(&(*klpe_e), klpe_e->x, (*klpe_d)[0], klpe_b);\n", "klpe_b = (long *)kallsyms_lookup_name(\"b\");\n",
        "if (!klpe_b) return -2;\n", "ret = __klp_resolve_kallsyms_relocs(t, ARRAY_SIZE(t));\n",
        "if (x) __klp_resolve_kallsyms_relocs(t, 1); else klp_resolve(t, 2);\n", "out: klp_resolve(t, 1);\n",
        "static int n(struct notifier_block *nb, unsigned long action, void *data) {\n",
        "static struct notifier_block nb = { .notifier_call = n, };\n", "register_module_notifier(&nb);\n",
        "klpe_a++;\n", "#if 0\n", "#endif\n", "/* ", " */", "\"", "(", ")", "{", "}", ";", ",", "*", "&", "=", "\r\n",
    };

    @FuzzTest
    void lookups(FuzzedDataProvider data) {
        StringBuilder text = new StringBuilder();
        while (data.remainingBytes() > 0 && text.length() < 4000) {
            if (data.consumeBoolean()) {
                text.append(PIECES[data.consumeInt(0, PIECES.length - 1)]);
            } else {
                text.append(data.consumeString(8));
            }
        }
        String source = text.toString();
        SourceScan scan = SourceScanner.scan(source);
        RuntimeLookups lookups = scan.runtimeLookups();
        List<Span> spans = new ArrayList<>();
        lookups.tables().forEach(table -> {
            spans.add(table.declarationSpan());
            table.entries().forEach(entry -> {
                spans.add(entry.span());
                spans.add(entry.symbolSpan());
                spans.add(entry.insertion());
            });
        });
        lookups.pointers().forEach(pointer -> {
            spans.add(pointer.declarationSpan());
            spans.add(pointer.declaratorSpan());
            spans.add(pointer.specifiersSpan());
        });
        lookups.uses().forEach(use -> spans.add(use.span()));
        lookups.lookupNameCalls().forEach(call -> spans.add(call.site().statementSpan()));
        lookups.resolverCalls().forEach(call -> spans.add(call.site().statementSpan()));
        lookups.notifiers().forEach(notifier -> spans.add(notifier.functionSpan()));
        for (Span span : spans) {
            if (span.end() > source.length()) {
                throw new IllegalStateException("span " + span + " beyond " + source.length());
            }
        }
        List<LookupMigration> all = lookups.pointers().stream()
                .map(pointer -> new LookupMigration(pointer.name(), "s_" + pointer.name(), "vmlinux", "vmlinux", 0))
                .distinct().toList();
        for (AnnotationStyle style : List.of(AnnotationStyle.MINIMAL, AnnotationStyle.V7)) {
            for (KallsymsRelocEntry entry : lookups.entries()) {
                TextEdit.apply(source, SourceEdits.setLookupSympos(scan, entry, 3));
            }
            SourceScanner.scan(TextEdit.apply(source, SourceEdits.migrateLookups(scan, all, style)));
        }
    }
}
