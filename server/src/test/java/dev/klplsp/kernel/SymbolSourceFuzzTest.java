// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.klplsp.base.KlpException;
import dev.klplsp.elf.ElfSymbolFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Coverage-guided fuzz targets of the kernel symbol readers (see docs/fuzzing.md): System.map, kallsyms dumps,
 * Module.symvers, modules.builtin, symbols.klp, a module's symbols, compressed files and format detection. Each
 * input is read or refused with a {@link KlpException}; what is read builds an index that answers queries.
 */
class SymbolSourceFuzzTest {
    private static final Path PATH = Path.of("fuzz-input");

    @FuzzTest
    void systemMap(byte[] input) {
        nmList(input, true);
    }

    @FuzzTest
    void kallsyms(byte[] input) {
        nmList(input, false);
    }

    private static void nmList(byte[] input, boolean systemMap) {
        NmListSource.Parsed parsed;
        try {
            parsed = NmListSource.read(PATH, input, systemMap);
        } catch (KlpException refused) {
            return;
        }
        KernelIndexBuilder builder = new KernelIndexBuilder(64);
        builder.add(parsed.vmlinux());
        parsed.modules().values().forEach(module -> {
            if (!builder.has(module.object)) {
                builder.add(module);
            }
        });
        query(builder.build(Optional.empty(), List.of(), Set.of()));
    }

    @FuzzTest
    void symvers(byte[] input) {
        try {
            KernelIndexBuilder builder = new KernelIndexBuilder(64);
            builder.addExports(SymversSource.read(PATH, input));
            query(builder.build(Optional.empty(), List.of(), Set.of()));
        } catch (KlpException refused) {
            // an input error
        }
    }

    @FuzzTest
    void modulesBuiltin(byte[] input) {
        try {
            Set<String> builtin = ModulesBuiltinSource.read(PATH, input);
            query(new KernelIndexBuilder(64).build(Optional.empty(), List.of(), builtin));
        } catch (KlpException refused) {
            // an input error
        }
    }

    @FuzzTest
    void symbolsKlp(byte[] input) {
        SymbolsKlpFile.Parsed parsed;
        try {
            parsed = SymbolsKlpFile.read(PATH, input);
        } catch (KlpException refused) {
            return;
        }
        KernelIndexBuilder builder = new KernelIndexBuilder(64);
        parsed.objects().values().forEach(builder::add);
        builder.addExportsIfAbsent(parsed.exports());
        query(builder.build(Optional.empty(), List.of(), Set.of()));
    }

    /** A module of a module tree, as the index reads it: symbol table only, then its symbols indexed. */
    @FuzzTest
    void moduleSymbols(byte[] input) {
        ObjectSymbols module;
        try {
            module = ElfSymbolSource.module(ElfSymbolFile.read(PATH, input), "fuzz_module");
        } catch (KlpException refused) {
            return;
        }
        KernelIndexBuilder builder = new KernelIndexBuilder(64);
        builder.add(module);
        query(builder.build(Optional.empty(), List.of(), Set.of()));
    }

    /** A --symbols file of any format: decompressed if it is compressed, then told apart by its content. */
    @FuzzTest
    void compressedOrDetected(byte[] input) {
        try {
            byte[] bytes = InputFiles.decompress(PATH, input, 1 << 20);
            InputFiles.detect(PATH, java.util.Arrays.copyOf(bytes, Math.min(4096, bytes.length)));
        } catch (KlpException refused) {
            // an input error
        }
    }

    static void query(KernelIndex index) {
        for (String object : index.objectsInOrder()) {
            List<KernelSymbol> symbols = index.symbolsOf(object);
            for (KernelSymbol symbol : symbols.subList(0, Math.min(symbols.size(), 64))) {
                index.lookup(symbol.name());
                index.lookup(object, symbol.name());
                index.resolve(object, symbol.name(), symbol.sympos());
                index.cloneFamily(symbol.name());
                index.export(symbol.name());
            }
            index.distinctNamesOf(object);
            index.exportsOf(object);
        }
        index.closeNames("fuzz_nam", 5);
        index.duplicatedNameCount();
    }
}
