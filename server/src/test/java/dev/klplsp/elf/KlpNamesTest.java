// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The name formats, split and parsed as the kernel's and klp-convert's sscanf formats read them. */
class KlpNamesTest {
    @Test
    void symposIsAsciiDecimalOnly() {
        assertEquals(OptionalLong.of(2), KlpNames.parseSympos("2"));
        assertEquals(OptionalLong.of(0), KlpNames.parseSympos("0"));
        assertEquals(OptionalLong.of(123456789012345678L), KlpNames.parseSympos("123456789012345678"));
        // Other scripts' digits (Character.isDigit accepts them, %lu does not), signs, spaces, hex, overflow.
        for (String bad : new String[] {"", "\u0662", "\uff12", "\u0967", "-1", "+1", " 1", "1 ", "0x2", "2a",
                "1234567890123456789"}) {
            assertEquals(OptionalLong.empty(), KlpNames.parseSympos(bad), bad);
        }
    }

    @Test
    void kernelFormEndsTheNameAtTheFirstComma() {
        assertEquals(Optional.of(new KlpNames.KlpSymbol("btrfs", "can_modify_feature.isra.3", 0)),
                KlpNames.parseSymbol(".klp.sym.btrfs.can_modify_feature.isra.3,0"));
        assertEquals(Optional.empty(), KlpNames.parseSymbol(".klp.sym.vmlinux.a,b,2"));
        assertEquals(Optional.empty(), KlpNames.parseSymbol(".klp.sym.vmlinux.foo,\u0662"));
        assertEquals(Optional.empty(), KlpNames.parseSymbol(".klp.sym." + "m".repeat(56) + ".foo,1"));
        assertEquals(".klp.sym.vmlinux.do_poweroff,2", KlpNames.symbolName("vmlinux", "do_poweroff", 2));
    }

    @Test
    void minimalDotAndCommaForms() {
        assertEquals(Optional.of(new KlpNames.MinimalSymbol("lp", "mod", "foo.isra.0", 2)),
                KlpNames.parseMinimal(".klp.sym.rela.lp.mod.foo.isra.0.2"));
        assertEquals(Optional.of(new KlpNames.MinimalSymbol("vmlinux", "vmlinux", "max_threads", 12)),
                KlpNames.parseMinimal(".klp.sym.rela.vmlinux.vmlinux.max_threads,12"));
        assertEquals(Optional.empty(), KlpNames.parseMinimal(".klp.sym.rela.vmlinux.vmlinux.foo"));
        assertEquals(".klp.sym.rela.lp.mod.foo.3", KlpNames.minimalName("lp", "mod", "foo", "3"));
    }

    @Test
    void splitGivesFieldRangesOrSaysWhatIsMissing() {
        String label = ".klp.sym.rela.lp.mod.foo.isra.0.2";
        KlpNames.Fields fields = KlpNames.split(label).fields().orElseThrow();
        assertEquals(KlpNames.Form.MINIMAL_DOT, fields.form());
        assertEquals(Optional.of("lp"), fields.lpObject(label));
        assertEquals("mod", fields.object(label));
        assertEquals("foo.isra.0", fields.name(label));
        assertEquals(Optional.of("2"), fields.pos(label));
        assertEquals(Optional.empty(), KlpNames.split(".klp.sym.vmlinux.foo").fields().orElseThrow().pos(
                ".klp.sym.vmlinux.foo"));
        assertEquals(Optional.of("has no symbol name after the object"), KlpNames.split(".klp.sym.vmlinux")
                .problem());
        assertEquals(Optional.of("has no symbol object and name after the livepatched object"),
                KlpNames.split(".klp.sym.rela.lp").problem());
        assertTrue(KlpNames.split(".klp.sym.rela..mod.foo.1").problem().orElseThrow().contains("empty field"));
        assertEquals(Optional.of("klpsym"), KlpNames.parseSectionObject(".klp.rela.klpsym..text"));
    }
}
