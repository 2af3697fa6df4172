// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SourceEdits#migrateLookups} on text: each result is compared whole, scans without run-time lookups or
 * problems, and converting it again changes nothing. (The ide tests compile their results with gcc.)
 */
class LookupMigrationTest {
    private static String migrate(String before, AnnotationStyle style, LookupMigration... migrations) {
        String after = partly(before, style, migrations);
        assertTrue(SourceScanner.scan(after).runtimeLookups().isEmpty(), after);
        return after;
    }

    /** Converts some lookups; the result scans without problems, and converting them again changes nothing. */
    private static String partly(String before, AnnotationStyle style, LookupMigration... migrations) {
        String after = TextEdit.apply(before, SourceEdits.migrateLookups(SourceScanner.scan(before), List.of(migrations),
                style));
        SourceScan again = SourceScanner.scan(after);
        assertEquals(List.of(), again.problems(), after);
        assertEquals(List.of(), SourceEdits.migrateLookups(again, List.of(migrations), style));
        return after;
    }

    private static LookupMigration vmlinux(String pointer, String symbol, int sympos) {
        return new LookupMigration(pointer, symbol, "vmlinux", "vmlinux", sympos);
    }

    @Test
    void aNotifierAndItsBlockAtTheEndOfTheFileGoWithTheTable() {
        assertEquals("""
                #include "klp_relocs.h"

                extern int x KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, x, 0);

                int f(void)
                {
                	return x;
                }
                """, migrate("""
                static int *klpe_x;

                int f(void)
                {
                	return *klpe_x;
                }

                static struct klp_kallsyms_reloc funcs[] = {
                	{ "x", (void *)&klpe_x },
                };

                static int notify(struct notifier_block *nb, unsigned long action, void *data)
                {
                	return __klp_resolve_kallsyms_relocs(funcs, ARRAY_SIZE(funcs));
                }

                static struct notifier_block nb = {
                	.notifier_call = notify,
                };
                """, AnnotationStyle.MINIMAL, vmlinux("klpe_x", "x", 0)));
    }

    @Test
    void oneDeclaratorOfSeveralAndCallsWhereAStatementMustStay() {
        // klpe_keep is not asked for: its declarator, entry, table and resolver call stay.
        assertEquals("""
                #include "klp_relocs.h"

                static int plain, *klpe_keep;
                extern int moved KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, moved, 2);

                static struct klp_kallsyms_reloc keep[] = { { "keep", (void *)&klpe_keep } };

                int init(int loaded)
                {
                	if (loaded)
                		{ }
                	else
                		__klp_resolve_kallsyms_relocs(keep, 1);
                	goto out;
                out:
                	;
                	return moved + *klpe_keep + plain;
                }
                """, partly("""
                static int plain, *klpe_moved, *klpe_keep;

                static struct klp_kallsyms_reloc moved_funcs[] = { { "moved", (void *)&klpe_moved, NULL, 2 } };
                static struct klp_kallsyms_reloc keep[] = { { "keep", (void *)&klpe_keep } };

                int init(int loaded)
                {
                	if (loaded)
                		__klp_resolve_kallsyms_relocs(moved_funcs, 1);
                	else
                		__klp_resolve_kallsyms_relocs(keep, 1);
                	goto out;
                out:
                	__klp_resolve_kallsyms_relocs(moved_funcs, 1);
                	return *klpe_moved + *klpe_keep + plain;
                }
                """, AnnotationStyle.MINIMAL, vmlinux("klpe_moved", "moved", 2)));
    }

    @Test
    void crlfFilesKeepTheirLineBreaksAndV7ArraysFollowTheirDeclarations() {
        String after = migrate(String.join("\r\n",
                "#include \"klp_relocs.h\"",
                "static int (*klpe_f)(int);",
                "static long *klpe_g;",
                "int use(void) { return klpe_f(1) + (int)klpe_g[1]; }",
                "static struct klp_kallsyms_reloc t[] = {",
                "\t{ \"f\", (void *)&klpe_f },",
                "\t{ \"g\", (void *)&klpe_g, \"mod\", 1 },",
                "};",
                ""), AnnotationStyle.V7, vmlinux("klpe_f", "f", 0), new LookupMigration("klpe_g", "g", "mod", "mod", 1));
        assertEquals(String.join("\r\n",
                "#include \"klp_relocs.h\"",
                "int f(int);",
                "",
                "KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {",
                "\tKLP_SYMPOS(f, 0),",
                "};",
                "extern long g;",
                "",
                "KLP_MODULE_RELOC(mod) mod_relocs[] = {",
                "\tKLP_SYMPOS(g, 1),",
                "};",
                "int use(void) { return f(1) + (int)(&g)[1]; }",
                ""), after);
    }

    @Test
    void lookupsNotAskedForStayAsTheyAre() {
        String before = """
                static int *klpe_a;
                int f(void) { return *klpe_a; }
                static struct klp_kallsyms_reloc t[] = { { "a", (void *)&klpe_a } };
                """;
        assertEquals(List.of(), SourceEdits.migrateLookups(SourceScanner.scan(before), List.of(),
                AnnotationStyle.MINIMAL));
        assertEquals(List.of(), SourceEdits.migrateLookups(SourceScanner.scan(before),
                List.of(vmlinux("klpe_unknown", "x", 0)), AnnotationStyle.MINIMAL));
    }
}
