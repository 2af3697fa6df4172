// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The run-time lookup style as the scanner reads it: tables, pointers, uses, lookup calls, resolvers, notifiers. */
class RuntimeLookupsTest {
    private static String entries(SourceScan scan) {
        return scan.runtimeLookups().entries().stream().map(entry -> entry.symbol().orElse("?") + " "
                + entry.pointer().orElse("?") + " " + entry.object().orElse("vmlinux")
                + (entry.sympos().isPresent() ? "," + entry.sympos().getAsInt() : "")
                + (entry.designated() ? " designated" : " positional" + entry.positionalFields()))
                .collect(Collectors.joining("\n"));
    }

    private static String uses(SourceScan scan) {
        return scan.runtimeLookups().uses().stream()
                .map(use -> use.pointer() + " " + use.shape() + " " + use.span().textOf(scan.text()))
                .collect(Collectors.joining("\n"));
    }

    private static String pointers(SourceScan scan) {
        return scan.runtimeLookups().pointers().stream().map(pointer -> pointer.name() + " " + pointer.kind() + " ["
                + pointer.declaredType() + "] " + pointer.targetPrefix() + "@" + pointer.targetSuffix()
                + pointer.problem().map(problem -> " PROBLEM " + problem).orElse(""))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void positionalTableWithFunctionAndDataPointersAndEveryUseShape() {
        SourceScan scan = SourceScanner.scan("""
                #include "kallsyms_relocs.h"
                struct bar { int n; };
                static int (*klpe_foo)(struct bar *b, int n);
                static unsigned long *klpe_baz;
                static struct bar *klpe_bars;
                static void (*klpe_hook)(void);

                int klpp_use(struct bar *b)
                {
                	int ret = (*klpe_foo)(b, 1);
                	ret += klpe_foo(b, 2);
                	*klpe_baz += 1;
                	ret += (*klpe_baz);
                	ret += klpe_bars->n + klpe_bars[2].n + (*klpe_bars).n;
                	register_hook(klpe_hook);
                	consume(&(*klpe_bars), klpe_baz, sizeof(*klpe_bars), 3 * *klpe_baz);
                	return ret;
                }

                static struct klp_kallsyms_reloc klp_funcs[] = {
                	{ "foo", (void *)&klpe_foo, "some_module" },
                	{ "baz", (void *)&klpe_baz },
                	{ "bars", (void *)&klpe_bars, NULL, 2 },
                	{ "hook", (void **)&klpe_hook, "some_module", 0, },
                };
                """);
        assertEquals(List.of(), scan.problems());
        RuntimeLookups lookups = scan.runtimeLookups();
        assertEquals(1, lookups.tables().size());
        assertEquals("klp_funcs", lookups.tables().get(0).name());
        assertEquals("klp_kallsyms_reloc", lookups.tables().get(0).structName());
        assertEquals("""
                foo klpe_foo some_module positional3
                baz klpe_baz vmlinux positional2
                bars klpe_bars vmlinux,2 positional4
                hook klpe_hook some_module,0 positional4""", entries(scan));
        assertEquals("""
                klpe_foo FUNCTION [int (*)(struct bar *b, int n)] @(struct bar *b, int n)
                klpe_baz VARIABLE [unsigned long *] @
                klpe_bars VARIABLE [struct bar *] @
                klpe_hook FUNCTION [void (*)(void)] @(void)""", pointers(scan));
        assertEquals("""
                klpe_foo CALL (*klpe_foo)
                klpe_foo CALL klpe_foo
                klpe_baz DEREF *klpe_baz
                klpe_baz DEREF (*klpe_baz)
                klpe_bars MEMBER klpe_bars->
                klpe_bars INDEX klpe_bars
                klpe_bars DEREF (*klpe_bars)
                klpe_hook VALUE klpe_hook
                klpe_bars DEREF (*klpe_bars)
                klpe_baz VALUE klpe_baz
                klpe_bars DEREF *klpe_bars
                klpe_baz DEREF *klpe_baz""", uses(scan));
        // The symbol span is the text between the quotes, where a rename goes.
        KallsymsRelocEntry foo = lookups.entries().get(0);
        assertEquals("foo", foo.symbolSpan().textOf(scan.text()));
        assertEquals("some_module", foo.objectSpan().orElseThrow().textOf(scan.text()));
        assertTrue(scan.objectNames().stream().anyMatch(ref -> ref.origin() == ObjectNameRef.Origin.KALLSYMS_RELOC_OBJECT
                && ref.name().equals("some_module")));
        assertEquals(List.of("kallsyms_relocs.h"), scan.includes().stream().map(IncludeDirective::path).toList());
    }

    @Test
    void designatedFieldsInAnyOrderWithMacroObjectsAndSympos() {
        SourceScan scan = SourceScanner.scan("""
                #define LP_MODULE "nvram"
                static ssize_t *klpe_nvram_size;
                static ssize_t (*klpe_get_size)(void);
                static struct klp_kallsyms_reloc relocs[] = {
                	{ .addr = (void **)&klpe_nvram_size, .objname = LP_MODULE, .symname = "nvram_size" },
                	{
                		.sympos = 1,
                		.symname = "pc_nvram_get_size",
                		.addr = (void **)&klpe_get_size,
                		.objname = "nvram",
                	},
                };
                """);
        assertEquals(List.of(), scan.problems());
        assertEquals("""
                nvram_size klpe_nvram_size nvram designated
                pc_nvram_get_size klpe_get_size nvram,1 designated""", entries(scan));
        KallsymsRelocEntry second = scan.runtimeLookups().entries().get(1);
        // A new field goes after the last one and its comma.
        assertEquals("\"nvram\",", scan.text().substring(second.insertion().start() - 8, second.insertion().start()));
    }

    @Test
    void otherStructsAreTablesOnlyWhenEveryElementHasTheShape() {
        SourceScan scan = SourceScanner.scan("""
                static int *klpe_a;
                static int *klpe_b;
                static struct my_ksym lookups[] = {
                	{ "a", &klpe_a },
                	{ "b", (void *)&(klpe_b), "mod" },
                };
                static struct pair pairs[] = { { "x", 1 }, { "y", 2 } };
                static struct klp_func funcs[] = { { .old_name = "f", .new_func = g }, { } };
                """);
        assertEquals(List.of("lookups"), scan.runtimeLookups().tables().stream().map(KallsymsRelocTable::name).toList());
        assertEquals("my_ksym", scan.runtimeLookups().tables().get(0).structName());
        assertEquals("a klpe_a vmlinux positional2\nb klpe_b mod positional3", entries(scan));
    }

    @Test
    void entriesTheScannerCannotReadAreProblemsNotErrors() {
        SourceScan scan = SourceScanner.scan("""
                static int *klpe_a, *klpe_b, *klpe_c;
                static struct klp_kallsyms_reloc relocs[] = {
                	{ NULL, (void *)&klpe_a, "rdma_cm" },
                	{ "b", klpe_b },
                	{ .symname = "c", .addr = (void *)&klpe_c, .flags = 1 },
                	{ "d", (void *)&klpe_d, mod_name },
                	{ "e", (void *)&klpe_e, NULL, two },
                	42,
                };
                """);
        assertEquals(List.of(
                "the name 'NULL' is not a string literal: it is set at run time, so it cannot be checked",
                "the address 'klpe_b' is not &pointer",
                "unknown field .flags in a run-time lookup entry",
                "the object 'mod_name' is not a string literal",
                "sympos 'two' is not a non-negative integer",
                "expected { \"name\", &pointer[, \"object\"[, sympos]] } in a run-time lookup table"),
                scan.problems().stream().map(ScanProblem::message).toList());
        assertEquals("""
                ? klpe_a rdma_cm positional3
                b ? vmlinux positional2
                c klpe_c vmlinux designated
                e klpe_e vmlinux positional4""", entries(scan));
    }

    @Test
    void pointerDeclaratorsGiveTheDeclaratorOfTheSymbolItself() {
        SourceScan scan = SourceScanner.scan("""
                typedef int (*handler_t)(int);
                static struct sk_buff *(*klpe_alloc)(unsigned int size, int flags);
                static struct net_device **klpe_dev_list;
                static int (*klpe_table)[16];
                static char *const klpe_banner = NULL;
                static int (**klpe_ops)(void);
                static handler_t klpe_handler;
                static long *klpe_counter = &other_counter;
                static int plain, *klpe_second, (*klpe_third)(void);
                static struct klp_kallsyms_reloc relocs[] = {
                	{ "alloc", (void *)&klpe_alloc }, { "dev_list", (void *)&klpe_dev_list },
                	{ "table", (void *)&klpe_table }, { "banner", (void *)&klpe_banner },
                	{ "ops", (void *)&klpe_ops }, { "handler", (void *)&klpe_handler },
                	{ "counter", (void *)&klpe_counter }, { "second", (void *)&klpe_second },
                	{ "third", (void *)&klpe_third },
                };
                """);
        assertEquals("""
                klpe_alloc FUNCTION [struct sk_buff *(*)(unsigned int size, int flags)] *@(unsigned int size, int flags)
                klpe_dev_list VARIABLE [struct net_device **] *@
                klpe_table VARIABLE [int (*)[16]] @[16]
                klpe_banner VARIABLE [char *const] @
                klpe_ops VARIABLE [int (**)(void)] (*@)(void)
                klpe_handler VARIABLE [handler_t] @ PROBLEM its declaration has no '*' (a typedef of a pointer type?), \
                so the symbol's own type is not written anywhere
                klpe_counter VARIABLE [long *] @ PROBLEM it has an initializer (&other_counter)
                klpe_second VARIABLE [int *] @
                klpe_third FUNCTION [int (*)(void)] @(void)""", pointers(scan));
        LookupPointer second = scan.runtimeLookups().findPointer("klpe_second").orElseThrow();
        assertEquals(3, second.declaratorCount());
        assertEquals("static int", second.specifiersSpan().textOf(scan.text()));
        assertEquals("*klpe_second", second.declaratorSpan().textOf(scan.text()));
    }

    @Test
    void pointerChangesAndMacroUsesAreNotRewritable() {
        SourceScan scan = SourceScanner.scan("""
                static int *klpe_x;
                #define X_VALUE (*klpe_x)
                void f(int **where)
                {
                	klpe_x = NULL;
                	klpe_x++;
                	klpe_x += 2;
                	*where = &klpe_x;
                	if (klpe_x == NULL || klpe_x != klpe_x)
                		return;
                }
                static struct klp_kallsyms_reloc relocs[] = { { "x", (void *)&klpe_x } };
                """);
        assertEquals("""
                klpe_x MACRO X_VALUE
                klpe_x ASSIGNED klpe_x
                klpe_x ASSIGNED klpe_x
                klpe_x ASSIGNED klpe_x
                klpe_x ADDRESS klpe_x
                klpe_x VALUE klpe_x
                klpe_x VALUE klpe_x
                klpe_x VALUE klpe_x""", uses(scan));
    }

    @Test
    void kallsymsLookupNameCallsWithTheirPointerAndNullCheck() {
        SourceScan scan = SourceScanner.scan("""
                static unsigned long (*klpe_lookup)(const char *name);
                static int *klpe_count;
                static void (*klpe_notify)(int);
                int init(void)
                {
                	unsigned long where;
                	klpe_count = (int *)kallsyms_lookup_name("count");
                	if (!klpe_count)
                		return -ENOENT;
                	klpe_notify = (typeof(klpe_notify))kallsyms_lookup_name("notify");
                	if (unlikely(klpe_notify == NULL)) {
                		pr_err("no notify\\n");
                		return -ENOENT;
                	}
                	where = kallsyms_lookup_name("somewhere");
                	pr_info("%lx %lx\\n", where, kallsyms_lookup_name(name_variable));
                	return *klpe_count;
                }
                """);
        List<LookupNameCall> calls = scan.runtimeLookups().lookupNameCalls();
        assertEquals(4, calls.size());
        assertEquals("count", calls.get(0).symbol().orElseThrow());
        assertEquals("klpe_count", calls.get(0).assignedPointer().orElseThrow());
        assertEquals("klpe_count = (int *)kallsyms_lookup_name(\"count\");",
                calls.get(0).site().statementSpan().textOf(scan.text()));
        assertEquals("if (!klpe_count)\n\t\treturn -ENOENT;", calls.get(0).nullCheckSpan().orElseThrow()
                .textOf(scan.text()));
        assertEquals("klpe_notify", calls.get(1).assignedPointer().orElseThrow());
        assertTrue(calls.get(1).nullCheckSpan().orElseThrow().textOf(scan.text()).endsWith("return -ENOENT;\n\t}"));
        // Assigned to a local: checked, but there is no file-scope pointer to turn into a declaration.
        assertEquals("somewhere", calls.get(2).symbol().orElseThrow());
        assertFalse(calls.get(2).assignedPointer().isPresent());
        assertFalse(calls.get(3).symbol().isPresent());
        assertEquals(CallSite.Placement.EXPRESSION, calls.get(3).site().placement());
        // Uses inside the lookup statements and null checks are not uses to rewrite.
        assertEquals("klpe_count DEREF *klpe_count", uses(scan));
        assertEquals(List.of("klpe_count", "klpe_notify"), scan.runtimeLookups().pointers().stream()
                .map(LookupPointer::name).toList());
    }

    @Test
    void resolverCallsKnowWhereTheyStandAndNotifiersWhetherTheyOnlyResolve() {
        SourceScan scan = SourceScanner.scan("""
                #define LP_MODULE "nvram"
                static int *klpe_a;
                static int *klpe_b;
                static struct klp_kallsyms_reloc vmlinux_funcs[] = { { "a", (void *)&klpe_a } };
                static struct klp_kallsyms_reloc nvram_funcs[] = { { "b", (void *)&klpe_b, "nvram" } };

                static int module_notify(struct notifier_block *nb, unsigned long action, void *data)
                {
                	struct module *mod = data;
                	int ret;

                	if (action != MODULE_STATE_COMING || strcmp(mod->name, LP_MODULE))
                		return 0;
                	mutex_lock(&module_mutex);
                	ret = __klp_resolve_kallsyms_relocs(nvram_funcs, ARRAY_SIZE(nvram_funcs));
                	mutex_unlock(&module_mutex);
                	WARN(ret, "%s: delayed kallsyms lookup failed\\n", __func__);
                	return ret;
                }

                static struct notifier_block module_nb = {
                	.notifier_call = module_notify,
                	.priority = INT_MIN+1,
                };

                static int busy_notify(struct notifier_block *nb, unsigned long action, void *data)
                {
                	klp_resolve(nvram_funcs, 1);
                	count_events(action);
                	return 0;
                }

                static struct notifier_block busy_nb = { .notifier_call = busy_notify };

                int lp_init(void)
                {
                	int ret = klp_resolve(vmlinux_funcs, ARRAY_SIZE(vmlinux_funcs));
                	if (ret)
                		return ret;
                	if (nvram_loaded())
                		__klp_resolve_kallsyms_relocs(nvram_funcs, 1);
                	else
                		(void)__klp_resolve_kallsyms_relocs(vmlinux_funcs, 1);
                	register_module_notifier(&busy_nb);
                	ret = register_module_notifier(&module_nb);
                out:
                	__klp_resolve_kallsyms_relocs(nvram_funcs, 1);
                	return ret;
                }

                int lp_second_init(void)
                {
                	return __klp_resolve_kallsyms_relocs(vmlinux_funcs, ARRAY_SIZE(vmlinux_funcs));
                }

                void lp_cleanup(void)
                {
                	unregister_module_notifier(&module_nb);
                	unregister_module_notifier(&busy_nb);
                }
                """);
        assertEquals(List.of(), scan.problems());
        RuntimeLookups lookups = scan.runtimeLookups();
        assertEquals("""
                nvram_funcs STATEMENT module_notify ret = __klp_resolve_kallsyms_relocs(nvram_funcs, ARRAY_SIZE(nvram_funcs))
                nvram_funcs STATEMENT busy_notify klp_resolve(nvram_funcs, 1);
                vmlinux_funcs EXPRESSION lp_init klp_resolve(vmlinux_funcs, ARRAY_SIZE(vmlinux_funcs))
                nvram_funcs CONTROL_BODY lp_init __klp_resolve_kallsyms_relocs(nvram_funcs, 1);
                vmlinux_funcs CONTROL_BODY lp_init (void)__klp_resolve_kallsyms_relocs(vmlinux_funcs, 1);
                nvram_funcs AFTER_LABEL lp_init __klp_resolve_kallsyms_relocs(nvram_funcs, 1);
                vmlinux_funcs EXPRESSION lp_second_init __klp_resolve_kallsyms_relocs(vmlinux_funcs, \
                ARRAY_SIZE(vmlinux_funcs))""".replace("STATEMENT module_notify ret = ", "EXPRESSION module_notify "),
                lookups.resolverCalls().stream().map(call -> call.table() + " " + call.site().placement() + " "
                        + call.site().function().orElse("?") + " " + call.site().statementSpan().textOf(scan.text()))
                        .collect(Collectors.joining("\n")));
        assertEquals(2, lookups.notifiers().size());
        ModuleNotifier resolving = lookups.notifiers().get(0);
        assertEquals("module_notify", resolving.function());
        assertEquals("module_nb", resolving.block());
        assertTrue(resolving.onlyResolves());
        assertFalse(resolving.blockUsedElsewhere());
        assertEquals(List.of("register_module_notifier EXPRESSION", "unregister_module_notifier STATEMENT"),
                resolving.registrations().stream().map(call -> call.callee() + " " + call.placement()).toList());
        assertTrue(resolving.functionSpan().textOf(scan.text()).startsWith("static int module_notify("));
        assertTrue(resolving.blockSpan().textOf(scan.text()).endsWith("INT_MIN+1,\n};"));
        ModuleNotifier busy = lookups.notifiers().get(1);
        assertFalse(busy.onlyResolves(), "count_events is more than resolving");
    }
}
