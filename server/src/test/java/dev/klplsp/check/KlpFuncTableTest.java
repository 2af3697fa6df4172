// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.ElfTesting;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Toolchain;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The klp_func entries of built modules, read by their relocations: testdata/c/klp_optimized on every livepatch
 * architecture (their own absolute relocation, either byte order), and the example livepatch, whose structures
 * declare only the leading fields.
 */
class KlpFuncTableTest {
    private static List<String> entries(ElfObject module) {
        return KlpFuncTable.read(module).stream().map(entry -> entry.object() + "." + entry.oldName() + ","
                + entry.oldSympos() + "@" + entry.section().name()).toList();
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void everyEntryWithItsObjectAndSymposOnEveryArchitecture(Toolchain toolchain) {
        ElfTesting.requireToolchain(toolchain);
        String clone = OptimizedKernel.readThroughClone();
        ElfObject module = ElfObject.read(Fixtures.module("klp_optimized", toolchain,
                List.of("-DREAD_THROUGH_CLONE=\"" + clone + "\"")));
        // In the order of their offsets: gcc puts the later array first.
        assertEquals(List.of("dwarf_facts.dup_helper,1@.data", "vmlinux.dointvec_conv,0@.data",
                "vmlinux.only_inlined,0@.data", "vmlinux.scaled,0@.data", "vmlinux." + clone + ",0@.data"),
                entries(module));
    }

    @Test
    void theExampleLivepatchsLeadingFieldsAreEnough() {
        assertEquals(List.of("vmlinux.cmdline_proc_show,0@.data"), entries(ElfObject.read(
                FixtureKernel.exampleModule())));
    }
}
