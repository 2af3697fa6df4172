// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each edit is checked by applying it and comparing with the expected text, then rescanning. */
class SourceEditsTest {
    private static String apply(String before, Function<SourceScan, List<TextEdit>> edit) {
        SourceScan scan = SourceScanner.scan(before);
        return TextEdit.apply(before, edit.apply(scan));
    }

    private static void check(String before, Function<SourceScan, List<TextEdit>> edit, String after) {
        String result = apply(before, edit);
        assertEquals(after, result);
        // Applying the same fix to the result changes nothing more.
        assertEquals(List.of(), edit.apply(SourceScanner.scan(result)), "fix is not idempotent");
    }

    /** For renames: the fixed text no longer has the old name to look up. */
    private static void checkOnce(String before, Function<SourceScan, List<TextEdit>> edit, String after) {
        assertEquals(after, apply(before, edit));
    }

    private static ExternalDeclaration external(SourceScan scan, String name) {
        return scan.findExternal(name).orElseThrow();
    }

    @Test
    void setSymposReplacesOrAddsThePosition() {
        check("""
                KLP_MODULE_RELOC(mod) relocs[] = {
                	KLP_SYMPOS(homonym_string, 1),
                	KLP_SYMPOS(missing),
                };
                """, scan -> {
                    List<SymposEntry> entries = scan.moduleRelocBlocks().get(0).entries();
                    return concat(SourceEdits.setSympos(scan, entries.get(0), 2), SourceEdits.setSympos(scan, entries.get(1), 1));
                }, """
                KLP_MODULE_RELOC(mod) relocs[] = {
                	KLP_SYMPOS(homonym_string, 2),
                	KLP_SYMPOS(missing, 1),
                };
                """);
    }

    @Test
    void addSymposAppendsToTheObjectsBlockKeepingItsCommaStyle() {
        check("""
                extern char *saved_command_line;
                extern int max_threads;
                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
                	KLP_SYMPOS(saved_command_line, 0)
                };
                """, scan -> SourceEdits.addSympos(scan, "vmlinux", "max_threads", 2), """
                extern char *saved_command_line;
                extern int max_threads;
                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
                	KLP_SYMPOS(saved_command_line, 0),
                	KLP_SYMPOS(max_threads, 2)
                };
                """);
        check("""
                KLP_MODULE_RELOC(mod) relocs[] = {
                    KLP_SYMPOS(a, 1),
                };
                """, scan -> SourceEdits.addSympos(scan, "mod", "b", 0), """
                KLP_MODULE_RELOC(mod) relocs[] = {
                    KLP_SYMPOS(a, 1),
                    KLP_SYMPOS(b, 0),
                };
                """);
    }

    @Test
    void addSymposUpdatesAnExistingEntry() {
        check("""
                KLP_MODULE_RELOC(mod) relocs[] = { KLP_SYMPOS(a, 1) };
                """, scan -> SourceEdits.addSympos(scan, "mod", "a", 3), """
                KLP_MODULE_RELOC(mod) relocs[] = { KLP_SYMPOS(a, 3) };
                """);
    }

    @Test
    void addSymposCreatesABlockAfterTheExternDeclaration() {
        check("""
                extern char driver_name[];
                extern int other;

                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
                	KLP_SYMPOS(other, 0),
                };
                """, scan -> SourceEdits.addSympos(scan, "test-mod", "driver_name", 1), """
                extern char driver_name[];

                KLP_MODULE_RELOC(test-mod) test_mod_relocs[] = {
                	KLP_SYMPOS(driver_name, 1),
                };
                extern int other;

                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {
                	KLP_SYMPOS(other, 0),
                };
                """);
    }

    @Test
    void addSymposWithoutDeclarationGoesBeforeTheFirstDefinitionWithAFreshName() {
        check("""
                #include "test_klp_convert.h"

                static int vmlinux_relocs;
                void print(void)
                {
                	pr_info("%s", driver_name);
                }
                """, scan -> SourceEdits.addSympos(scan, "vmlinux", "driver_name", 0), """
                #include "test_klp_convert.h"

                KLP_MODULE_RELOC(vmlinux) vmlinux_relocs_2[] = {
                	KLP_SYMPOS(driver_name, 0),
                };

                static int vmlinux_relocs;
                void print(void)
                {
                	pr_info("%s", driver_name);
                }
                """);
    }

    @Test
    void setRelocSymbolAddsTheMacroAfterTheDeclarator() {
        check("""
                extern int max_threads __read_mostly;
                extern const char *get_name(void);
                """, scan -> concat(
                        SourceEdits.setRelocSymbol(scan, external(scan, "max_threads"), "vmlinux", "vmlinux", "max_threads", 0),
                        SourceEdits.setRelocSymbol(scan, external(scan, "get_name"), "mod", "mod", "get_name", 2)), """
                extern int max_threads KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, max_threads, 0) __read_mostly;
                extern const char *get_name(void) KLP_RELOC_SYMBOL_POS(mod, mod, get_name, 2);
                """);
    }

    @Test
    void setRelocSymbolChangesOnlyThePosOfAnExistingMacro() {
        check("""
                extern const char hello_msg[] KLP_RELOC_SYMBOL_POS(test_klp_extern_hello, test_klp_extern_hello, hello_msg, 2);
                extern char *saved_command_line KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line);
                """, scan -> concat(
                        SourceEdits.setRelocSymbol(scan, external(scan, "hello_msg"), "test_klp_extern_hello",
                                "test_klp_extern_hello", "hello_msg", 1),
                        SourceEdits.setRelocSymbol(scan, external(scan, "saved_command_line"), "vmlinux", "vmlinux",
                                "saved_command_line", 1)), """
                extern const char hello_msg[] KLP_RELOC_SYMBOL_POS(test_klp_extern_hello, test_klp_extern_hello, hello_msg, 1);
                extern char *saved_command_line KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, saved_command_line, 1);
                """);
    }

    @Test
    void setRelocSymbolRewritesLabelsInTheDotForm() {
        check("""
                extern int a __asm__(".klp.sym.rela.lp.mod.foo.isra.0.1");
                extern int b __asm__(".klp.sym.rela.vmlinux.vmlinux.max_threads,0");
                extern char c[] __asm__("klp_string.12345");
                """, scan -> concat(
                        SourceEdits.setRelocSymbol(scan, external(scan, "a"), "lp", "mod", "foo.isra.0", 2),
                        SourceEdits.setRelocSymbol(scan, external(scan, "b"), "vmlinux", "vmlinux", "max_threads", 0),
                        SourceEdits.setRelocSymbol(scan, external(scan, "c"), "mod", "mod", "klp_string.12345", 1)), """
                extern int a __asm__(".klp.sym.rela.lp.mod.foo.isra.0.2");
                extern int b __asm__(".klp.sym.rela.vmlinux.vmlinux.max_threads.0");
                extern char c[] KLP_RELOC_SYMBOL_POS(mod, mod, klp_string.12345, 1);
                """);
    }

    @Test
    void setOldSymposReplacesOrInsertsInTheElementsLayout() {
        check("""
                static struct klp_func funcs[] = {
                	{
                		.old_name = "with_comma",
                		.new_func = a,
                	}, {
                		.old_name = "without_comma",
                		.new_func = b
                	}, {
                		.old_name = "has_one",
                		.old_sympos = 1,
                	},
                	{ .old_name = "one_line", .new_func = c },
                	{ .old_name = "one_line_comma", .new_func = d, }, { }
                };
                """, scan -> {
                    List<KlpFunc> funcs = scan.klpFuncs();
                    return concat(SourceEdits.setOldSympos(scan, funcs.get(0), 2), SourceEdits.setOldSympos(scan, funcs.get(1), 3),
                            SourceEdits.setOldSympos(scan, funcs.get(2), 4), SourceEdits.setOldSympos(scan, funcs.get(3), 5),
                            SourceEdits.setOldSympos(scan, funcs.get(4), 6));
                }, """
                static struct klp_func funcs[] = {
                	{
                		.old_name = "with_comma",
                		.new_func = a,
                		.old_sympos = 2,
                	}, {
                		.old_name = "without_comma",
                		.new_func = b,
                		.old_sympos = 3
                	}, {
                		.old_name = "has_one",
                		.old_sympos = 4,
                	},
                	{ .old_name = "one_line", .new_func = c, .old_sympos = 5 },
                	{ .old_name = "one_line_comma", .new_func = d, .old_sympos = 6, }, { }
                };
                """);
    }

    @Test
    void insertionsFollowCrlf() {
        String before = "static struct klp_func funcs[] = {\r\n\t{\r\n\t\t.old_name = \"f\",\r\n\t}, { }\r\n};\r\n";
        String after = apply(before, scan -> SourceEdits.setOldSympos(scan, scan.klpFuncs().get(0), 1));
        assertEquals("static struct klp_func funcs[] = {\r\n\t{\r\n\t\t.old_name = \"f\",\r\n\t\t.old_sympos = 1,\r\n\t}, { }\r\n};\r\n",
                after);
    }

    @Test
    void renameFixesTyposInIdentifiersLabelsAndOldNames() {
        checkOnce("""
                extern int max_thread;
                KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(max_thread, 0) };
                static int f(void) { return max_thread + s.max_thread; }
                """, scan -> SourceEdits.renameSymbol(scan, external(scan, "max_thread"), "max_threads"), """
                extern int max_threads;
                KLP_MODULE_RELOC(vmlinux) r[] = { KLP_SYMPOS(max_threads, 0) };
                static int f(void) { return max_threads + s.max_thread; }
                """);
        checkOnce("""
                extern char s[] __asm__("klp_strng.12345");
                extern int m KLP_RELOC_SYMBOL(vmlinux, vmlinux, max_thread);
                extern int d __asm__(".klp.sym.rela.lp.mod.fo.isra.0.1");
                static struct klp_func funcs[] = { { .old_name = "cmdline_proc_shw" }, { } };
                """, scan -> concat(SourceEdits.renameSymbol(scan, external(scan, "s"), "klp_string.12345"),
                        SourceEdits.renameSymbol(scan, external(scan, "m"), "max_threads"),
                        SourceEdits.renameSymbol(scan, external(scan, "d"), "foo.isra.0"),
                        SourceEdits.setOldName(scan, scan.klpFuncs().get(0), "cmdline_proc_show")), """
                extern char s[] __asm__("klp_string.12345");
                extern int m KLP_RELOC_SYMBOL(vmlinux, vmlinux, max_threads);
                extern int d __asm__(".klp.sym.rela.lp.mod.foo.isra.0.1");
                static struct klp_func funcs[] = { { .old_name = "cmdline_proc_show" }, { } };
                """);
    }

    @Test
    void moduleNamesWithDashesBecomeUnderscores() {
        check("""
                extern int x KLP_RELOC_SYMBOL_POS(kvm-intel, kvm-intel, x, 0);
                KLP_MODULE_RELOC(kvm-intel) r[] = { KLP_SYMPOS(y, 0) };
                static struct klp_object objs[] = { { .name = "kvm-intel", .funcs = funcs }, { } };
                """, scan -> scan.objectNames().stream()
                        .flatMap(ref -> SourceEdits.normalizeObjectName(scan, ref).stream()).toList(), """
                extern int x KLP_RELOC_SYMBOL_POS(kvm_intel, kvm_intel, x, 0);
                KLP_MODULE_RELOC(kvm_intel) r[] = { KLP_SYMPOS(y, 0) };
                static struct klp_object objs[] = { { .name = "kvm_intel", .funcs = funcs }, { } };
                """);
    }

    @Test
    void pinSymbolFollowsTheFilesStyle() {
        String v7 = """
                extern int a;
                extern int b;
                KLP_MODULE_RELOC(vmlinux) r[] = {
                	KLP_SYMPOS(a, 0),
                };
                """;
        check(v7, scan -> SourceEdits.pinSymbol(scan, external(scan, "b"), "vmlinux", "vmlinux", 2, AnnotationStyle.MINIMAL), """
                extern int a;
                extern int b;
                KLP_MODULE_RELOC(vmlinux) r[] = {
                	KLP_SYMPOS(a, 0),
                	KLP_SYMPOS(b, 2),
                };
                """);
        String minimal = """
                extern int a KLP_RELOC_SYMBOL(vmlinux, vmlinux, a);
                extern int b;
                """;
        check(minimal, scan -> SourceEdits.pinSymbol(scan, external(scan, "b"), "vmlinux", "vmlinux", 2, AnnotationStyle.V7), """
                extern int a KLP_RELOC_SYMBOL(vmlinux, vmlinux, a);
                extern int b KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, b, 2);
                """);
        check("extern int c;\n", scan -> SourceEdits.pinSymbol(scan, external(scan, "c"), "vmlinux", "vmlinux", 1,
                AnnotationStyle.V7), "extern int c;\n\nKLP_MODULE_RELOC(vmlinux) vmlinux_relocs[] = {\n\tKLP_SYMPOS(c, 1),\n};\n");
        check("extern int c;\n", scan -> SourceEdits.pinSymbol(scan, external(scan, "c"), "lp", "mod", 1,
                AnnotationStyle.NONE), "extern int c KLP_RELOC_SYMBOL_POS(lp, mod, c, 1);\n");
    }

    @Test
    void applyRejectsOverlappingEdits() {
        assertThrows(IllegalArgumentException.class, () -> TextEdit.apply("abcdef",
                List.of(new TextEdit(new Span(0, 3), "x"), new TextEdit(new Span(2, 4), "y"))));
        assertEquals("xAyBf", TextEdit.apply("abcdef", List.of(new TextEdit(new Span(1, 3), "Ay"),
                new TextEdit(new Span(0, 1), "x"), new TextEdit(new Span(3, 5), "B"))));
    }

    @SafeVarargs
    private static List<TextEdit> concat(List<TextEdit>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
