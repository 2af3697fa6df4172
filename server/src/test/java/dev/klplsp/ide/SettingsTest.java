// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.klplsp.check.Choice;
import dev.klplsp.check.FunctionReferences;
import dev.klplsp.convert.OutputRule;
import dev.klplsp.kernel.ConfiguredKernel;
import dev.klplsp.kernel.KernelSources;
import dev.klplsp.source.AnnotationStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The copies of a Settings change what they say and keep every other setting. */
class SettingsTest {
    private static final Settings EVERY_SETTING_SET = new Settings(
            List.of(new ConfiguredKernel(KernelSources.ofKernel("/k/a"), "/k/a", Optional.of("a"))),
            AnnotationStyle.V7, true, OutputRule.ofSetting("{name}.klp.ko"), Optional.of("make -s"),
            FunctionReferences.ERROR, Map.of("pmus", new Choice("vmlinux", 2, Optional.empty(), "test")),
            List.of(Path.of("/usr/lib/debug")), Optional.of(Path.of("/src/linux")));

    /** The accepted detected kernel replaces only the kernels (the debug information and sources stay). */
    @Test
    void withKernelsReplacesOnlyTheKernels() {
        List<ConfiguredKernel> other = List.of(new ConfiguredKernel(KernelSources.ofKernel("6.1.0-56-amd64"),
                "6.1.0-56-amd64", Optional.empty()));
        Settings copy = EVERY_SETTING_SET.withKernels(other);
        Settings s = EVERY_SETTING_SET;
        assertEquals(new Settings(other, s.annotationStyle(), s.convertOnSave(), s.output(), s.buildCommand(),
                s.functionReferences(), s.sympos(), s.debugInfo(), s.kernelSource()), copy);
    }
}
