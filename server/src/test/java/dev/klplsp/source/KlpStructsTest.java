// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KlpStructsTest {
    @Test
    void funcFieldsWithSpansAndObjectResolution() {
        Marked marked = Marked.parse("""
                static struct klp_func mod_funcs[] = {
                	$0{
                		.old_name = "$1do_thing$2",
                		.new_func = $3livepatch_do_thing$4,
                		.old_sympos = $5 0x2 $6,$7
                	}$8, {
                		.old_name = "other_thing",
                		.new_func = &livepatch_other_thing$9
                	}, { }
                };
                static struct klp_func orphan_funcs[] = { { .old_name = "orphan" }, { } };
                static struct klp_object objs[] = {
                	{
                		.name = "$10kvm-intel$11",
                		.funcs = mod_funcs,
                	}, { }
                };
                static struct klp_patch patch = { .objs = objs };
                """);
        SourceScan scan = marked.scan();
        assertEquals(List.of(), scan.problems());
        assertEquals(3, scan.klpFuncs().size());
        KlpFunc first = scan.klpFuncs().get(0);
        assertEquals("mod_funcs", first.arrayName());
        assertEquals(Optional.of("do_thing"), first.oldName());
        assertEquals(Optional.of(marked.span(1, 2)), first.oldNameSpan());
        assertEquals(Optional.of("livepatch_do_thing"), first.newFunc());
        assertEquals(Optional.of(marked.span(3, 4)), first.newFuncSpan());
        assertEquals(OptionalInt.of(2), first.oldSympos());
        assertEquals(Optional.of(new Span(marked.at(5) + 1, marked.at(6) - 1)), first.oldSymposSpan());
        assertEquals(Span.at(marked.at(7)), first.symposInsertion());
        assertEquals(marked.span(0, 8), first.span());
        assertEquals(List.of("old_name", "new_func", "old_sympos"), first.fields().stream().map(DesignatedField::name).toList());
        assertEquals(Optional.of("kvm-intel"), first.objectName());
        KlpFunc second = scan.klpFuncs().get(1);
        assertEquals(Optional.of("livepatch_other_thing"), second.newFunc());
        assertEquals(Span.at(marked.at(9)), second.symposInsertion(), "no trailing comma: insert after the value");
        assertEquals(OptionalInt.empty(), second.oldSympos());
        assertEquals(Optional.empty(), scan.klpFuncs().get(2).object());
        KlpObject object = scan.klpObjects().get(0);
        assertFalse(object.isVmlinux());
        assertEquals(Optional.of(marked.span(10, 11)), object.nameSpan());
        assertEquals(new ObjectNameRef("kvm-intel", marked.span(10, 11), ObjectNameRef.Origin.KLP_OBJECT),
                scan.objectNames().get(0));
        assertTrue(scan.klpPatch().isPresent());
        assertTrue(scan.livepatchModInfo().isEmpty());
    }

    @Test
    void singleObjectWithNullNameIsVmlinux() {
        SourceScan scan = SourceScanner.scan("""
                static struct klp_func funcs[] = { { .old_name = "f", .new_func = g, }, { } };
                static struct klp_object obj = {
                	.name = NULL,	/* vmlinux */
                	.funcs = funcs,
                };
                MODULE_INFO(livepatch, "Y");
                """);
        KlpObject object = scan.klpObjects().get(0);
        assertEquals("obj", object.variableName());
        assertTrue(object.isVmlinux());
        assertEquals("vmlinux", object.objectName());
        assertEquals(Optional.of("vmlinux"), scan.klpFuncs().get(0).objectName());
        assertTrue(scan.objectNames().isEmpty(), "an implicit vmlinux is not a written name");
        assertTrue(scan.livepatchModInfo().isPresent());
    }

    @Test
    void nonNumericOldSymposIsAProblem() {
        SourceScan scan = SourceScanner.scan("""
                static struct klp_func funcs[] = { { .old_name = "f", .old_sympos = POS }, { } };
                """);
        assertEquals(List.of(ProblemKind.SYMPOS_NOT_A_NUMBER), scan.problems().stream().map(ScanProblem::kind).toList());
        assertEquals(OptionalInt.empty(), scan.klpFuncs().get(0).oldSympos());
        assertEquals("POS", scan.klpFuncs().get(0).oldSymposSpan().orElseThrow().textOf(scan.text()));
    }
}
