// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** v7 KLP_MODULE_RELOC/KLP_SYMPOS blocks and minimal KLP_RELOC_SYMBOL[_POS] annotations and labels. */
class AnnotationsTest {
    private static List<ProblemKind> kinds(SourceScan scan) {
        return scan.problems().stream().map(ScanProblem::kind).toList();
    }

    @Test
    void v7BlockWithSpans() {
        Marked marked = Marked.parse("""
                extern char *saved_command_line;
                $10KLP_MODULE_RELOC($0vmlinux$1) $2vmlinux_relocs$3[] = $6{
                	$4KLP_SYMPOS($7saved_command_line$8, $9 0x2 $11)$5,
                }$12;$13
                """);
        SourceScan scan = marked.scan();
        assertEquals(List.of(), scan.problems());
        ModuleRelocBlock block = scan.moduleRelocBlocks().get(0);
        assertEquals("vmlinux", block.objectName());
        assertEquals(marked.span(0, 1), block.objectSpan());
        assertEquals("vmlinux_relocs", block.arrayName());
        assertEquals(marked.span(2, 3), block.arrayNameSpan());
        assertEquals(Optional.of(marked.span(6, 12)), block.initializer());
        assertEquals(marked.span(10, 13), block.declarationSpan());
        SymposEntry entry = block.entries().get(0);
        assertEquals("saved_command_line", entry.symbol());
        assertEquals(marked.span(7, 8), entry.symbolSpan());
        assertEquals(OptionalInt.of(2), entry.pos());
        assertEquals(Optional.of(new Span(marked.at(9) + 1, marked.at(11) - 1)), entry.posSpan());
        assertEquals(marked.span(4, 5), entry.span());
        assertEquals(entry, scan.findSymposEntry("vmlinux", "saved_command_line").orElseThrow());
        // The annotation is not a use; the extern declaration stays the symbol's site.
        assertEquals(List.of(), scan.usesOf("saved_command_line"));
        assertEquals(Optional.of(scan.findExternal("saved_command_line").orElseThrow().nameSpan()),
                scan.findSymbolSite("saved_command_line"));
    }

    @Test
    void malformedV7EntriesBecomeProblems() {
        Marked marked = Marked.parse("""
                KLP_MODULE_RELOC(kvm-intel) a[] = {
                	$0KLP_SYMPOS(missing_pos)$1,
                	KLP_SYMPOS(macro_pos, $2POS$3),
                	KLP_SYMPOS(negative_pos, $4-1$5),
                	$6{ .sym = &raw, .sympos = 1 }$7,
                	KLP_SYMPOS(fine, 3),
                };
                KLP_MODULE_RELOC($8"vmlinux"$9) b[] = { KLP_SYMPOS(x, 0) };
                KLP_MODULE_RELOC() c[] = { KLP_SYMPOS(y, 0) };
                """);
        SourceScan scan = marked.scan();
        List<ScanProblem> problems = scan.problems();
        assertEquals(List.of(ProblemKind.SYMPOS_MISSING, ProblemKind.SYMPOS_NOT_A_NUMBER, ProblemKind.SYMPOS_NOT_A_NUMBER,
                ProblemKind.MODULE_RELOC_ENTRY_SYNTAX, ProblemKind.MODULE_RELOC_OBJECT_SYNTAX,
                ProblemKind.MODULE_RELOC_OBJECT_SYNTAX), kinds(scan));
        assertEquals(marked.span(0, 1), problems.get(0).span());
        assertEquals(marked.span(2, 3), problems.get(1).span());
        assertEquals(marked.span(4, 5), problems.get(2).span());
        assertEquals(marked.span(6, 7), problems.get(3).span());
        assertEquals(marked.span(8, 9), problems.get(4).span());
        ModuleRelocBlock first = scan.moduleRelocBlocks().get(0);
        assertEquals("kvm-intel", first.objectName());
        assertEquals(List.of("missing_pos", "macro_pos", "negative_pos", "fine"),
                first.entries().stream().map(SymposEntry::symbol).toList());
        assertEquals(OptionalInt.empty(), first.entries().get(0).pos());
        assertEquals(Optional.empty(), first.entries().get(0).posSpan());
        assertEquals(OptionalInt.of(3), first.entries().get(3).pos());
        assertEquals("kvm-intel", scan.objectNames().get(0).name());
        assertEquals(ObjectNameRef.Origin.MODULE_RELOC, scan.objectNames().get(0).origin());
        assertEquals(3, scan.moduleRelocBlocks().size());
    }

    @Test
    void minimalMacrosWithPartSpans() {
        Marked marked = Marked.parse("""
                extern char *$0saved_command_line$1 $2KLP_RELOC_SYMBOL($3vmlinux$4, $5vmlinux$6, $7saved_command_line$8)$9;
                extern int x KLP_RELOC_SYMBOL_POS(livepatch_mod, $10mod$11, real_x, $12 3 $13);
                """);
        SourceScan scan = marked.scan();
        assertEquals(List.of(), scan.problems());
        RelocSymbol macro = scan.relocSymbols().get(0);
        assertEquals(RelocSymbol.Form.MACRO, macro.form());
        assertEquals("saved_command_line", macro.declaredName());
        assertEquals(marked.span(0, 1), macro.declaredNameSpan());
        assertEquals(Optional.of(marked.span(3, 4)), macro.lpObjectSpan());
        assertEquals(marked.span(5, 6), macro.symbolObjectSpan());
        assertEquals(marked.span(7, 8), macro.symbolNameSpan());
        assertEquals(marked.span(2, 9), macro.span());
        assertEquals(OptionalInt.of(0), macro.pos());
        RelocSymbol withPos = scan.relocSymbols().get(1);
        assertEquals(RelocSymbol.Form.MACRO_POS, withPos.form());
        assertEquals("real_x", withPos.symbolName());
        assertEquals(marked.span(10, 11), withPos.symbolObjectSpan());
        assertEquals(Optional.of(new Span(marked.at(12) + 1, marked.at(13) - 1)), withPos.posSpan());
        assertEquals(OptionalInt.of(3), withPos.pos());
        ExternalDeclaration x = scan.findExternal("x").orElseThrow();
        assertEquals(".klp.sym.rela.livepatch_mod.mod.real_x.3", x.symbolName());
        assertEquals(x, scan.findExternalBySymbol("real_x").orElseThrow());
        assertEquals(List.of(ObjectNameRef.Origin.RELOC_SYMBOL_LP_OBJECT, ObjectNameRef.Origin.RELOC_SYMBOL_OBJECT,
                ObjectNameRef.Origin.RELOC_SYMBOL_LP_OBJECT, ObjectNameRef.Origin.RELOC_SYMBOL_OBJECT),
                scan.objectNames().stream().map(ObjectNameRef::origin).toList());
    }

    @Test
    void expandedLabelsInDotCommaAndKernelForms() {
        Marked marked = Marked.parse("""
                extern int a __asm__(".klp.sym.rela.$0lp$1.$2mod$3.$4foo.isra.0$5.${6}2$7");
                extern int b __asm__(".klp.sym.rela.vmlinux.vmlinux.$8max_threads$9,${10}12$11");
                extern int c __asm__(".klp.sym.$12btrfs$13.can_modify_feature.isra.3,0");
                """);
        SourceScan scan = marked.scan();
        assertEquals(List.of(), scan.problems());
        RelocSymbol a = scan.relocSymbols().get(0);
        assertEquals(RelocSymbol.Form.LABEL_DOT, a.form());
        assertEquals(Optional.of("lp"), a.lpObject());
        assertEquals(Optional.of(marked.span(0, 1)), a.lpObjectSpan());
        assertEquals("mod", a.symbolObject());
        assertEquals(marked.span(2, 3), a.symbolObjectSpan());
        assertEquals("foo.isra.0", a.symbolName());
        assertEquals(marked.span(4, 5), a.symbolNameSpan());
        assertEquals(OptionalInt.of(2), a.pos());
        assertEquals(Optional.of(marked.span(6, 7)), a.posSpan());
        RelocSymbol b = scan.relocSymbols().get(1);
        assertEquals(RelocSymbol.Form.LABEL_COMMA, b.form());
        assertEquals("max_threads", b.symbolName());
        assertEquals(marked.span(8, 9), b.symbolNameSpan());
        assertEquals(OptionalInt.of(12), b.pos());
        assertEquals(Optional.of(marked.span(10, 11)), b.posSpan());
        RelocSymbol c = scan.relocSymbols().get(2);
        assertEquals(RelocSymbol.Form.LABEL_KLP_SYM, c.form());
        assertEquals(Optional.empty(), c.lpObject());
        assertEquals("btrfs", c.symbolObject());
        assertEquals(marked.span(12, 13), c.symbolObjectSpan());
        assertEquals("can_modify_feature.isra.3", c.symbolName());
        assertEquals(OptionalInt.of(0), c.pos());
        assertEquals(".klp.sym.rela.lp.mod.foo.isra.0.2", scan.findExternal("a").orElseThrow().symbolName());
    }

    @Test
    void malformedMinimalAnnotationsBecomeProblems() {
        SourceScan scan = SourceScanner.scan("""
                extern int a KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, a);
                extern int b KLP_RELOC_SYMBOL_POS(vmlinux, vmlinux, b, FIRST);
                extern int c KLP_RELOC_SYMBOL(vmlinux);
                extern int d __asm__(".klp.sym.rela.vmlinux.vmlinux.d");
                extern int e __asm__(".klp.sym.rela.vmlinux.vmlinux.e.isra");
                extern int f __asm__(".klp.sym.rela.vmlinux");
                extern int g __asm__(".klp.sym.vmlinux.g");
                extern int h KLP_RELOC_SYMBOL("vmlinux", vmlinux, h);
                """);
        assertEquals(List.of(ProblemKind.RELOC_SYMBOL_ARGUMENTS, ProblemKind.SYMPOS_NOT_A_NUMBER,
                ProblemKind.RELOC_SYMBOL_ARGUMENTS, ProblemKind.SYMPOS_MISSING, ProblemKind.SYMPOS_NOT_A_NUMBER,
                ProblemKind.RELOC_LABEL_MALFORMED, ProblemKind.SYMPOS_MISSING, ProblemKind.RELOC_SYMBOL_ARGUMENTS),
                kinds(scan));
        // Still recorded where the parts are readable.
        assertEquals(List.of("a", "b", "d", "e", "g", "h"),
                scan.relocSymbols().stream().map(RelocSymbol::declaredName).toList());
        assertEquals(OptionalInt.empty(), scan.relocSymbols().get(0).pos());
        // The last dot field is the position, so "isra" is read as a bad position of "e".
        assertEquals("e", scan.relocSymbols().get(3).symbolName());
        assertTrue(scan.relocSymbols().stream().allMatch(reloc -> reloc.span().end() <= scan.text().length()));
    }

    @Test
    void labelsFromJoinedLiteralsKeepCoarseSpans() {
        Marked marked = Marked.parse("""
                extern int x __asm__($0".klp.sym.rela." "vmlinux.vmlinux.x.1"$1);
                """);
        SourceScan scan = marked.scan();
        RelocSymbol x = scan.relocSymbols().get(0);
        assertEquals("x", x.symbolName());
        assertEquals(OptionalInt.of(1), x.pos());
        assertEquals(marked.span(0, 1), x.symbolNameSpan());
    }
}
