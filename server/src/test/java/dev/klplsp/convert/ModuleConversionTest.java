// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.FixtureKernel;
import dev.klplsp.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one conversion pipeline the CLI and the editor share: when is a module "already converted"? By content:
 * the target is written unless it holds exactly the converted bytes.
 */
class ModuleConversionTest {
    private static ConversionOutcome convert(Path module, OutputRule rule) {
        return ModuleConversion.convert(module, FixtureKernel::index, CheckConfig.DEFAULT, rule);
    }

    @Test
    void inPlaceOfAConvertedModuleWritesNothing(@TempDir Path dir) throws Exception {
        Path module = Files.copy(Fixtures.module("klp_basic"), dir.resolve("basic.ko"));
        ConversionOutcome first = convert(module, OutputRule.IN_PLACE_RULE);
        assertTrue(first.written().isPresent());
        byte[] converted = Files.readAllBytes(module);
        FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(module, stamp);

        ConversionOutcome again = convert(module, OutputRule.IN_PLACE_RULE);
        assertTrue(again.unchanged(), again.toString());
        assertArrayEquals(converted, Files.readAllBytes(module));
        assertEquals(stamp, Files.getLastModifiedTime(module));
    }

    @Test
    void aStaleOutputBesideAConvertedModuleIsRewritten(@TempDir Path dir) throws Exception {
        // The editor used to skip the write whenever the output existed and the module needed no change, so a
        // stale {name}.klp.ko from an older build stayed; the CLI wrote it. Both now decide by content.
        Path module = Files.copy(Fixtures.module("klp_basic"), dir.resolve("basic.ko"));
        convert(module, OutputRule.IN_PLACE_RULE);
        Path output = dir.resolve("basic.klp.ko");
        Files.write(output, new byte[] {0x7f, 'E', 'L', 'F', 0});

        ConversionOutcome outcome = convert(module, OutputRule.ofSetting("{name}.klp.ko"));
        assertEquals(output, outcome.target());
        assertFalse(outcome.unchanged());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(output));

        ConversionOutcome again = convert(module, OutputRule.ofSetting("{name}.klp.ko"));
        assertTrue(again.unchanged(), "now it holds the converted module");
    }

    @Test
    void aFirstOutputOfAConvertedModuleIsWritten(@TempDir Path dir) throws Exception {
        Path module = Files.copy(Fixtures.module("klp_basic"), dir.resolve("basic.ko"));
        convert(module, OutputRule.IN_PLACE_RULE);
        Path out = dir.resolve("out.ko");
        ConversionOutcome outcome = convert(module, OutputRule.file(out));
        assertEquals(out, outcome.written().orElseThrow().path());
        assertArrayEquals(Files.readAllBytes(module), Files.readAllBytes(out));
    }

    @Test
    void errorsWriteNothing(@TempDir Path dir) throws Exception {
        Path module = Files.copy(Fixtures.module("klp_ambiguous"), dir.resolve("ambiguous.ko"));
        byte[] before = Files.readAllBytes(module);
        ConversionOutcome outcome = convert(module, OutputRule.ofSetting("{name}.klp.ko"));
        assertTrue(outcome.blocked());
        assertTrue(outcome.written().isEmpty());
        assertFalse(Files.exists(dir.resolve("ambiguous.klp.ko")));
        assertArrayEquals(before, Files.readAllBytes(module));
    }

    @Test
    void outputRulesNameTheirTargetsAndRecogniseTheirOutput() {
        Path module = Path.of("/build/livepatch-foo.ko");
        assertEquals(module, OutputRule.IN_PLACE_RULE.targetFor(module, "6.1.0-56-amd64"));
        OutputRule pattern = OutputRule.ofSetting("{name}.klp.ko");
        assertEquals(Path.of("/build/livepatch-foo.klp.ko"), pattern.targetFor(module, "6.1.0-56-amd64"));
        assertTrue(pattern.isOutput(Path.of("/x/a.klp.ko")));
        assertFalse(pattern.isOutput(Path.of("/x/.klp.ko")));
        assertFalse(OutputRule.IN_PLACE_RULE.isOutput(module));
        assertTrue(OutputRule.settingProblem("a/b.ko").isPresent());
        assertTrue(OutputRule.settingProblem("out\0.ko").isPresent());
        assertTrue(OutputRule.settingProblem("..").isPresent());
        assertTrue(OutputRule.settingProblem("inPlace").isEmpty());
    }
}
