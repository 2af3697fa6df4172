// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeclarationsTest {
    private static List<String> externals(SourceScan scan) {
        return scan.externals().stream().map(ExternalDeclaration::name).toList();
    }

    private static List<String> definitions(SourceScan scan) {
        return scan.definitions().stream().map(Definition::name).toList();
    }

    @Test
    void externVariablesOfEveryShape() {
        SourceScan scan = SourceScanner.scan("""
                extern int max_threads;
                extern char *saved_command_line;
                extern int a, *b, c[3];
                extern const struct foo bar;
                extern unsigned long long counts[NR][2];
                extern int (*handler)(int);
                extern int busy __read_mostly;
                extern struct static_key_false tracepoint_printk_key;
                extern char __user *user_pointer;
                extern const char * const names[];
                """);
        assertEquals(List.of("max_threads", "saved_command_line", "a", "b", "c", "bar", "counts", "handler", "busy",
                "tracepoint_printk_key", "user_pointer", "names"), externals(scan));
        assertTrue(scan.externals().stream().allMatch(external -> external.kind() == SymbolKind.VARIABLE
                && external.explicitExtern()));
        assertEquals(List.of(), scan.problems());
    }

    @Test
    void nameAndDeclarationSpans() {
        Marked marked = Marked.parse("""
                $4extern int a, $0counts$1[4]$2, *$5p$6;$3
                """);
        SourceScan scan = marked.scan();
        ExternalDeclaration counts = scan.findExternal("counts").orElseThrow();
        assertEquals(marked.span(0, 1), counts.nameSpan());
        assertEquals(marked.at(2), counts.declaratorEnd());
        assertEquals(marked.span(4, 3), counts.declarationSpan());
        ExternalDeclaration p = scan.findExternal("p").orElseThrow();
        assertEquals(marked.span(5, 6), p.nameSpan());
        assertEquals(marked.at(6), p.declaratorEnd());
    }

    @Test
    void prototypesAreExternalUnlessTheFileDefinesThem() {
        SourceScan scan = SourceScanner.scan("""
                int proto(int);
                extern const char *get_name(void);
                static int static_proto(void);
                static int defined_later(void);
                extern __printf(1, 2) int logf(const char *fmt, ...);
                extern int __must_check checked(void);
                asmlinkage long sys_thing(int);
                static int defined_later(void)
                {
                	return proto(1) + static_proto();
                }
                static void notrace __init traced(void) { }
                int init_module(void) __attribute__((alias("traced")));
                """);
        assertEquals(List.of("proto", "get_name", "static_proto", "logf", "checked", "sys_thing"), externals(scan));
        ExternalDeclaration proto = scan.findExternal("proto").orElseThrow();
        assertEquals(SymbolKind.FUNCTION, proto.kind());
        assertFalse(proto.explicitExtern());
        assertTrue(scan.findExternal("static_proto").orElseThrow().isStatic());
        assertEquals(List.of("defined_later", "traced", "init_module"), definitions(scan));
        assertEquals(SymbolKind.FUNCTION, scan.findDefinition("traced").orElseThrow().kind());
    }

    @Test
    void fileScopeVariablesAreDefinitions() {
        SourceScan scan = SourceScanner.scan("""
                int tentative;
                static int counter = 42;
                extern int initialized = 3;
                static const char *names[] = { "a", "b" };
                static int (*hook)(void) = 0;
                static struct foo { int member; } instance, *instance_pointer;
                typedef int myint;
                struct only_a_type { int not_a_definition; };
                enum { ENUM_A, ENUM_B };
                static u32 __read_mostly tuned;
                DEFINE_MUTEX(macro_made);
                """);
        assertEquals(List.of("tentative", "counter", "initialized", "names", "hook", "instance", "instance_pointer",
                "tuned"), definitions(scan));
        assertTrue(scan.definitions().get(1).isStatic());
        assertFalse(scan.definitions().get(0).isStatic());
        assertEquals(List.of(), externals(scan));
        assertFalse(scan.isDefined("myint"));
    }

    @Test
    void externWithADefinitionInTheFileIsNotExternal() {
        SourceScan scan = SourceScanner.scan("""
                extern int shared;
                int shared = 1;
                extern void helper(void);
                void helper(void) { }
                """);
        assertEquals(List.of(), externals(scan));
    }

    @Test
    void usesAreRecordedInBodiesAndInitializersButNotAsMembers() {
        Marked marked = Marked.parse("""
                extern int max_threads;
                extern int other;
                struct s { int max_threads; };
                static int *pointer = &$0max_threads;
                static int f(struct s *p, struct s v)
                {
                	return p->max_threads + v.max_threads + $1max_threads + $2other;
                }
                """);
        SourceScan scan = marked.scan();
        assertEquals(List.of(new Span(marked.at(0), marked.at(0) + 11), new Span(marked.at(1), marked.at(1) + 11)),
                scan.usesOf("max_threads"));
        assertEquals(Optional.of(new Span(marked.at(2), marked.at(2) + 5)), scan.findFirstUse("other"));
        assertEquals(Optional.of(scan.findExternal("max_threads").orElseThrow().nameSpan()),
                scan.findSymbolSite("max_threads"));
    }

    @Test
    void symbolSiteFallsBackToFirstUseWhenDeclaredInAHeader() {
        Marked marked = Marked.parse("""
                #include "test_klp_convert.h"
                void print(void)
                {
                	pr_info("%s\\n", $0driver_name$1);
                	pr_info("%s\\n", driver_name);
                }
                """);
        SourceScan scan = marked.scan();
        assertEquals(Optional.of(marked.span(0, 1)), scan.findSymbolSite("driver_name"));
        assertEquals(2, scan.usesOf("driver_name").size());
        assertEquals(Optional.empty(), scan.findSymbolSite("not_there"));
    }

    @Test
    void asmLabelGivesTheSymbolName() {
        Marked marked = Marked.parse("""
                extern char klp_string_b[] $0__asm__("$2klp_string.12345$3")$1;
                extern int renamed asm("real_name");
                extern int joined __asm("joined" ".1");
                """);
        SourceScan scan = marked.scan();
        ExternalDeclaration stringB = scan.findExternal("klp_string_b").orElseThrow();
        AsmLabel label = stringB.asmLabel().orElseThrow();
        assertEquals("klp_string.12345", label.label());
        assertEquals(marked.span(0, 1), label.span());
        assertEquals(marked.span(2, 3), label.contentSpan());
        assertEquals("real_name", scan.findExternal("renamed").orElseThrow().symbolName());
        assertEquals("joined.1", scan.findExternal("joined").orElseThrow().symbolName());
        assertEquals("klp_string_b", scan.findExternalBySymbol("klp_string.12345").orElseThrow().name());
    }

    @Test
    void lookalikesInCommentsStringsAndDisabledCodeDoNotCount() {
        SourceScan scan = SourceScanner.scan("""
                /* extern int in_block_comment; */
                // extern int in_line_comment; \\
                   extern int in_continued_line_comment;
                static const char *s = "extern int in_string; \\" extern int still_in_string;";
                static const char c = '\\'';
                #if 0
                extern int in_if_zero;
                don't: an apostrophe in disabled prose
                #else
                extern int in_else;
                #endif
                #define BODY extern int in_define_body; \\
                	extern int in_define_continuation;
                extern int \\
                	continued_decl;
                """);
        assertEquals(List.of("in_else", "continued_decl"), externals(scan));
        assertEquals(List.of(), scan.problems());
        assertTrue(scan.isDefined("BODY"));
    }

    @Test
    void conditionalBlocks() {
        SourceScan scan = SourceScanner.scan("""
                #if 0
                extern int off1;
                # ifdef CONFIG_X
                extern int off2;
                # else
                extern int off3;
                # endif
                #elif defined(CONFIG_Y)
                extern int on1;
                #else
                extern int on2;
                #endif
                #if 1
                extern int on3;
                #else
                extern int off4;
                #endif
                #if (0) /* disabled */
                extern int off5;
                #elif 0
                extern int off6;
                #endif
                #ifndef GUARD
                extern int on4;
                #endif
                """);
        assertEquals(List.of("on1", "on2", "on3", "on4"), externals(scan));
        // off5 and off6 form one region: nothing between them is active.
        assertEquals(3, scan.inactiveRegions().size());
        assertTrue(scan.inactiveRegions().get(0).textOf(scan.text()).contains("off3"));
    }

    @Test
    void brokenInputYieldsProblemsAndStillAResult() {
        SourceScan scan = SourceScanner.scan("""
                extern int before;
                #endif
                static int f(void) {
                	return "unterminated;
                }
                extern int after;
                #if 0
                """);
        assertEquals(List.of("before", "after"), externals(scan));
        // Sorted by kind: the order problems are found in is not part of the contract.
        assertEquals(List.of(ProblemKind.UNTERMINATED_LITERAL, ProblemKind.UNTERMINATED_CONDITIONAL,
                ProblemKind.STRAY_CONDITIONAL), scan.problems().stream().map(ScanProblem::kind).sorted().toList());
    }

    @Test
    void unbalancedBracesAndUnterminatedComment() {
        SourceScan scan = SourceScanner.scan("""
                extern int first;
                static void f(void) {
                	if (x) {
                }
                extern int lost_in_open_body;
                /* never closed
                extern int in_comment;
                """);
        assertEquals(List.of("first"), externals(scan));
        assertTrue(scan.problems().stream().anyMatch(problem -> problem.kind() == ProblemKind.UNBALANCED_BRACKET));
        assertTrue(scan.problems().stream().anyMatch(problem -> problem.kind() == ProblemKind.UNTERMINATED_COMMENT));
    }

    @Test
    void statementMacrosWithoutSemicolonEndAtTheirLine() {
        SourceScan scan = SourceScanner.scan("""
                DEFINE_SPINLOCK(lock)
                module_init(livepatch_init)
                module_exit(livepatch_exit)
                extern int after_macros;
                SYSCALL_DEFINE1(thing, int, x)
                {
                	return x + after_macros;
                }
                """);
        assertEquals(List.of("after_macros"), externals(scan));
        assertEquals(List.of("DEFINE_SPINLOCK", "module_init", "module_exit"),
                scan.macroUses().stream().map(MacroUse::name).toList());
        assertEquals(1, scan.usesOf("livepatch_init").size());
        assertEquals(1, scan.usesOf("after_macros").size());
    }

    @Test
    void kernelAttributeMacrosAndUnderscoreTypesAreNotNames() {
        SourceScan scan = SourceScanner.scan("""
                struct atm_skb_data {
                	unsigned long atm_options;
                } __packed;
                struct task { int x; } __randomize_layout;
                extern void __compiletime_error("value doesn't fit into mask") __field_overflow(void);
                extern __u32 uapi_value;
                extern __FILE *open_stream(int fd) __THROW;
                extern int __isoc99_sscanf(const char *s, const char *format, ...) __THROW;
                static __always_inline bool fast_check(void) { return uapi_value; }
                extern struct module __this_module;
                int __init __foo_setup(char *str) __cold;
                extern int aligned_array[4] __aligned(8);
                """);
        assertEquals(List.of("__field_overflow", "uapi_value", "open_stream", "__isoc99_sscanf", "__this_module",
                "__foo_setup", "aligned_array"), externals(scan));
        assertEquals(List.of("fast_check"), definitions(scan));
    }
}
