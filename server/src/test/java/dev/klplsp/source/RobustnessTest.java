// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scanning must yield a result for any text; every span it reports must lie inside the text. */
class RobustnessTest {
    private static final List<String> SAMPLES = List.of("livepatch-sample.c", "test_klp_convert1.c",
            "livepatch-extern-symbol.c", "lookalikes.c");

    @Test
    void everyTruncationOfTheSamplesScans() throws IOException {
        for (String sample : SAMPLES) {
            String text = SamplesTest.read(sample);
            for (int end = 0; end <= text.length(); end += 7) {
                check(text.substring(0, end));
                check(text.substring(end));
            }
        }
    }

    @Test
    void randomGarbageScans() {
        Random random = new Random(20240517);
        String alphabet = "{}()[];,=*&.-> \"'\\/#\n\r\t0x1aZ_é😀"
                + "extern static int struct klp_func KLP_SYMPOS( KLP_MODULE_RELOC( KLP_RELOC_SYMBOL_POS( __asm__(\".klp.sym.rela. "
                + "#if 0\n #else\n #endif\n #define /* */ // .old_name = \" .old_sympos = "
                + "static int (*klpe_a)(void); static long *klpe_b; struct klp_kallsyms_reloc t[] = { { \"a\", (void *)&klpe_a"
                + " }, \"nvram\", 2 kallsyms_lookup_name(\"b\") __klp_resolve_kallsyms_relocs(t, 1); (*klpe_a)() *klpe_b "
                + "klpe_b-> klpe_b[ .notifier_call = register_module_notifier(& if (!klpe_b) return ";
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(80);
            for (int piece = 0; piece < pieces; piece++) {
                if (random.nextInt(4) == 0) {
                    text.append((char) random.nextInt(0x10000)); // including lone surrogates and NULs
                } else {
                    int start = random.nextInt(alphabet.length());
                    text.append(alphabet, start, Math.min(alphabet.length(), start + 1 + random.nextInt(12)));
                }
            }
            check(text.toString());
        }
    }

    @Test
    void everyTruncationOfTheRunTimeLookupFixturesScansAndConverts() throws IOException {
        for (String fixture : List.of("runtime_table", "runtime_designated", "runtime_lookup_name")) {
            String text = java.nio.file.Files.readString(dev.klplsp.testing.Fixtures.testdata().resolve("c")
                    .resolve(fixture).resolve("patch.c"));
            for (int end = 0; end <= text.length(); end += 13) {
                check(text.substring(0, end));
                check(text.substring(end));
                check(text.substring(0, end / 2) + text.substring(end));
            }
        }
    }

    @Test
    void splicedSamplesScan() throws IOException {
        Random random = new Random(3);
        String a = SamplesTest.read("test_klp_convert1.c");
        String b = SamplesTest.read("livepatch-extern-symbol.c");
        for (int round = 0; round < 300; round++) {
            int cutA = random.nextInt(a.length());
            int cutB = random.nextInt(b.length());
            check(a.substring(0, cutA) + b.substring(cutB));
        }
    }

    @Test
    void pathologicalBracketsAndHugeInputsStayFast() {
        // Not a timing assertion: these shapes were quadratic once; with the bounded bracket search they finish
        // in milliseconds, and a regression shows up as a test that does not end.
        check("(".repeat(100_000) + "}".repeat(100_000));
        check("{".repeat(50_000) + ")".repeat(50_000));
        check("a ".repeat(100_000) + "{");
        check("/*" + "x".repeat(100_000));
        check("\"" + "\\".repeat(50_001));
        check("#if 0\n".repeat(10_000));
    }

    @Test
    void byteOrderMarkBeforeAnInclude() {
        SourceScan scan = SourceScanner.scan("\uFEFF#include <linux/module.h>\nextern int x;\n");
        assertTrue(scan.findExternal("x").isPresent());
        assertTrue(scan.problems().isEmpty());
    }

    private static void check(String text) {
        SourceScan scan;
        try {
            scan = SourceScanner.scan(text);
        } catch (RuntimeException e) {
            throw new AssertionError("scan threw on " + quote(text), e);
        }
        List<Object> all = List.of(scan.macroDefinitions(), scan.includes(), scan.inactiveRegions(), scan.definitions(),
                scan.externals(), scan.relocSymbols(), scan.moduleRelocBlocks(), scan.klpFuncs(), scan.klpObjects(),
                scan.macroUses(), scan.objectNames(), scan.klpPatch(), scan.livepatchModInfo(), scan.runtimeLookups(),
                scan.problems());
        for (Object value : all) {
            checkSpans(value, text);
        }
        for (String name : scan.usedNames()) {
            checkSpans(scan.usesOf(name), text);
        }
        // Converting every run-time lookup the scan found, whatever the text, gives edits that apply.
        if (scan.runtimeLookups().pointers().isEmpty()) {
            return;
        }
        List<LookupMigration> everything = scan.runtimeLookups().pointers().stream()
                .map(pointer -> new LookupMigration(pointer.name(), "sym_" + pointer.name(), "vmlinux", "vmlinux", 0))
                .distinct().toList();
        for (AnnotationStyle style : List.of(AnnotationStyle.MINIMAL, AnnotationStyle.V7)) {
            try {
                TextEdit.apply(text, SourceEdits.migrateLookups(scan, everything, style));
            } catch (RuntimeException e) {
                throw new AssertionError("migrating threw on " + quote(text), e);
            }
        }
    }

    /** Walks records, lists and optionals and checks every Span and offset against the text. */
    private static void checkSpans(Object value, String text) {
        if (value instanceof Span span) {
            if (span.end() > text.length()) {
                fail("span " + span + " beyond text length " + text.length() + " in " + quote(text));
            }
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> checkSpans(item, text));
        } else if (value instanceof Optional<?> optional) {
            optional.ifPresent(item -> checkSpans(item, text));
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    Object item = component.getAccessor().invoke(record);
                    if (item instanceof Integer offset && component.getName().equals("declaratorEnd")) {
                        assertTrue(offset >= 0 && offset <= text.length(), "declaratorEnd " + offset);
                    }
                    checkSpans(item, text);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\"", "\\\"") + '"';
    }
}
