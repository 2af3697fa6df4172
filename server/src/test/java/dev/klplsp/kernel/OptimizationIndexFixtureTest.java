// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.klplsp.dwarf.ParameterChange;
import dev.klplsp.elf.ElfTesting;
import dev.klplsp.testing.Fixtures;
import dev.klplsp.testing.Processes;
import dev.klplsp.testing.ReadelfDwarf;
import dev.klplsp.testing.Toolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimization facts of testdata/c/dwarf_facts, which its C source decides (always_inline, noinline,
 * flatten, IPA-SRA and IPA-CP clones, hot/cold splitting, one header function in two units, two static
 * functions of one name), read from gcc's output on x86_64 and big-endian s390x: as a relocatable module
 * (DWARF 5 and 4; uncompressed, zlib and zstd) and as a linked executable. Lines come from the markers in
 * the sources; every variant is also compared with readelf's view of the same file.
 */
class OptimizationIndexFixtureTest {
    private static final String CASE = "dwarf_facts";

    @TempDir
    Path temp;

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (Toolchain toolchain : List.of(Toolchain.X86_64, Toolchain.S390X)) {
            for (String variant : List.of("module", "dwarf4", "zlib", "zstd", "executable")) {
                all.add(Arguments.of(toolchain, variant));
            }
        }
        return all.stream();
    }

    private Path build(Toolchain toolchain, String variant) {
        ElfTesting.requireToolchain(toolchain);
        return switch (variant) {
            case "module" -> Fixtures.module(CASE, toolchain);
            case "dwarf4" -> Fixtures.module(CASE, toolchain, List.of("-gdwarf-4"));
            case "zlib", "zstd" -> {
                Path compressed = temp.resolve(variant).resolve(CASE + ".ko");
                try {
                    Files.createDirectories(compressed.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Processes.run(null, List.of(toolchain.objcopy(), "--compress-debug-sections=" + variant,
                        Fixtures.module(CASE, toolchain).toString(), compressed.toString()));
                assertTrue(ElfTesting.readelf("-SW", compressed).lines()
                        .anyMatch(l -> l.contains(".debug_info") && l.matches(".* C .*")), "not compressed");
                yield compressed;
            }
            case "executable" -> Fixtures.link(CASE, toolchain, List.of("-e", "flattened_caller"), "facts");
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void theIndexSaysWhatTheSourceDecided(Toolchain toolchain, String variant) {
        Path file = build(toolchain, variant);
        OptimizationIndex index = OptimizationIndexLoader.build(file);
        boolean module = !variant.equals("executable");
        assertEquals(module ? CASE : KernelSymbol.VMLINUX, index.object());

        FunctionFacts always = only(index, "always_inlined");
        assertTrue(always.existsOnlyInlined(), always.toString());
        assertEquals(List.of("flattened_caller at " + marker("a.c", "CALL: always_inlined")), describe(always));
        assertEquals(Optional.of(below(marker("a.c", "DEFINE: always_inlined"))), always.declaration());

        FunctionFacts never = only(index, "never_inlined");
        assertEquals(List.of(), never.inlineSites());
        assertEquals(1, never.instances().size());
        OutOfLineInstance neverCopy = never.instances().get(0);
        assertEquals("never_inlined", neverCopy.symbol());
        assertEquals(0, neverCopy.sympos());
        assertFalse(neverCopy.isTransformed());
        assertEquals(Optional.of(neverCopy), index.instance("never_inlined", 0));

        // Two static functions named dup_helper, one per file: each out of line (its address is taken) and
        // inlined into its file's flattened caller; their symbols are dup_helper,1 and dup_helper,2.
        List<FunctionFacts> dups = index.functions("dup_helper");
        assertEquals(2, dups.size(), dups.toString());
        for (FunctionFacts dup : dups) {
            String base = Path.of(dup.declaration().orElseThrow().file()).getFileName().toString();
            assertEquals(below(marker(base, "DEFINE: dup_helper")), dup.declaration().get());
            assertEquals(1, dup.instances().size());
            OutOfLineInstance copy = dup.instances().get(0);
            assertEquals("dup_helper", copy.symbol());
            int expectedSympos = base.equals("a.c") ? 1 : 2;
            if (module) {
                assertEquals(expectedSympos, copy.sympos(), "symbol table order: a.o before b.o");
            }
            assertEquals(Optional.of(dup), index.functionOfSymbol("dup_helper", copy.sympos()));
            String caller = base.equals("a.c") ? "flattened_caller" : "b_caller";
            assertEquals(List.of(caller + " at " + marker(base, "CALL: dup_helper")), describe(dup));
        }

        // One inline function of a header, inlined in two units: one function with both sites.
        FunctionFacts shared = only(index, "shared_helper");
        assertTrue(shared.existsOnlyInlined());
        assertEquals(below(marker("shared.h", "DEFINE: shared_helper")), shared.declaration().orElseThrow());
        assertEquals(List.of("b_caller at " + marker("b.c", "CALL: shared_helper b"),
                "flattened_caller at " + marker("a.c", "CALL: shared_helper a")), describe(shared));

        // Nested inlining: inner's call is in outer's source, its code in nested_caller.
        FunctionFacts inner = only(index, "inner");
        assertEquals(1, inner.inlineSites().size());
        InlineSite innerSite = inner.inlineSites().get(0);
        assertEquals("outer", innerSite.callingFunction());
        assertEquals("nested_caller", innerSite.container().orElseThrow().symbol());
        assertEquals(Optional.of(marker("a.c", "CALL: inner")), innerSite.call());
        assertEquals(List.of("nested_caller at " + marker("a.c", "CALL: outer")), describe(only(index, "outer")));

        // IPA-SRA: the clone no longer receives 'unused' nor 'p' (DWARF marks both).
        OutOfLineInstance readThrough = onlyInstance(index, "read_through");
        assertTrue(readThrough.isClone() && readThrough.symbol().contains(".isra."), readThrough.toString());
        assertEquals(List.of("unused", "p"), readThrough.parameterChanges().stream().map(ParameterChange::name)
                .toList());

        // IPA-CP: factor is the constant 4 in the clone.
        OutOfLineInstance scaled = onlyInstance(index, "scaled");
        assertEquals("scaled.constprop.0", scaled.symbol());
        assertEquals(List.of(new ParameterChange(1, "factor", ParameterChange.Kind.CONSTANT, 4)),
                scaled.parameterChanges());
        assertEquals(Optional.of(scaled), index.instance("scaled.constprop.0", 0));

        // Hot/cold splitting (gcc does it on x86_64): the .cold part belongs to the instance, not a clone.
        OutOfLineInstance checked = onlyInstance(index, "checked");
        assertEquals("checked", checked.symbol());
        assertEquals(toolchain == Toolchain.X86_64 ? List.of("checked.cold") : List.of(), checked.coldParts());

        // A module's init code: the kernel frees it, so no sympos reaches it.
        OutOfLineInstance init = onlyInstance(index, "init_only");
        assertEquals(module ? -1 : 0, init.sympos());
        assertEquals(Optional.of(".init.text"), init.section());

        ReadelfDwarf oracle = ReadelfDwarf.of(file);
        assertEquals(List.of(), ReadelfComparison.differences(index, oracle, 20));
        assertEquals(7, oracle.siteCount);
    }

    private static FunctionFacts only(OptimizationIndex index, String name) {
        List<FunctionFacts> functions = index.functions(name);
        assertEquals(1, functions.size(), name + ": " + functions);
        return functions.get(0);
    }

    private static OutOfLineInstance onlyInstance(OptimizationIndex index, String function) {
        List<OutOfLineInstance> instances = only(index, function).instances();
        assertEquals(1, instances.size(), function + ": " + instances);
        return instances.get(0);
    }

    /** "caller at file:line" for each site, sorted. */
    private static List<String> describe(FunctionFacts facts) {
        return facts.inlineSites().stream()
                .map(s -> s.callingFunction() + " at " + s.call().map(SourceLine::toString).orElse("?")).sorted()
                .toList();
    }

    /** The line after a marker (a DEFINE marker sits on the line above the function). */
    private static SourceLine below(SourceLine marker) {
        return new SourceLine(marker.file(), marker.line() + 1);
    }

    /** The line of a marker comment in a fixture source, as the index names it (the absolute path). */
    private static SourceLine marker(String file, String marker) {
        Path source = Fixtures.testdata().resolve("c").resolve(CASE).resolve(file);
        try {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("/* " + marker + " */")) {
                    return new SourceLine(source.toString(), i + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no marker '" + marker + "' in " + source);
    }
}
