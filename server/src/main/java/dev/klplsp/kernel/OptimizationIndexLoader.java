// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.KlpException;
import dev.klplsp.base.WorkerFailure;
import dev.klplsp.dwarf.DebugInfo;
import dev.klplsp.elf.Elf;
import dev.klplsp.elf.ElfSectionFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Builds the {@link OptimizationIndex} of one kernel object from its debug file (the {@code -dbg} vmlinux, a
 * module's debug {@code .ko}, a build tree's vmlinux or {@code .ko}), or reloads it from the cache beside the
 * symbol index: one file per debug file, rebuilt when the file's size or modification time changed.
 */
public final class OptimizationIndexLoader {
    /** Threads reading units: the machines this runs on have 2 cores or more. */
    static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));

    private OptimizationIndexLoader() {
    }

    /**
     * The index of the object whose debug information is in {@code debugFile}: "vmlinux" for an executable,
     * else the module name of the file ({@code kvm-intel.ko} is {@code kvm_intel}).
     */
    public static OptimizationIndex load(Path debugFile, IndexOptions options) {
        Path cacheFile = options.useCache()
                ? IndexCache.fileFor(options.effectiveCacheDir(), "optimization-", List.of(debugFile)) : null;
        List<KernelIndexLoader.InputIdentity> identities = List.of(KernelIndexLoader.InputIdentity.of(debugFile));
        List<String> notes = new ArrayList<>();
        if (cacheFile != null) {
            try {
                Optional<IndexCache.Payload> payload = IndexCache.readPayload(cacheFile, IndexCache.OPTIMIZATION_MAGIC,
                        IndexCache.OPTIMIZATION_VERSION);
                if (payload.isPresent() && payload.get().inputs().equals(identities)) {
                    return new OptimizationIndex(payload.get().layout(),
                            new KernelIndex.LoadInfo(true, Optional.of(cacheFile), List.of()));
                }
                if (payload.isPresent()) {
                    notes.add("cache " + cacheFile + " not used (" + debugFile + " changed since it was written);"
                            + " rebuilt");
                }
            } catch (IndexCache.UnusableCacheException e) {
                notes.add("cache " + cacheFile + " not used (" + e.getMessage() + "); rebuilt");
            } catch (RuntimeException e) {
                notes.add("cache " + cacheFile + " not used (" + e + "); rebuilt");
            }
        }
        OptimizationIndex index = build(debugFile);
        if (cacheFile != null) {
            try {
                IndexCache.write(cacheFile, IndexCache.OPTIMIZATION_MAGIC, IndexCache.OPTIMIZATION_VERSION, identities,
                        index.layout());
            } catch (KlpException e) {
                notes.add("cache not written: " + e.getMessage());
            }
        }
        return new OptimizationIndex(index.layout(),
                new KernelIndex.LoadInfo(false, Optional.ofNullable(cacheFile), List.copyOf(notes)));
    }

    /** Builds without the cache; the symbol table is read on its own thread while the DWARF is scanned. */
    static OptimizationIndex build(Path debugFile) {
        ElfSectionFile elf = ElfSectionFile.open(debugFile);
        String object = elf.type() == Elf.ET_REL ? ElfSymbolSource.moduleName(debugFile) : KernelSymbol.VMLINUX;
        CompletableFuture<OptimizationIndexBuilder.Symbols> symbols = CompletableFuture.supplyAsync(
                () -> OptimizationIndexBuilder.symbols(elf, object), runnable -> {
                    Thread thread = new Thread(runnable, "klp-optimization-symbols");
                    thread.setDaemon(true);
                    thread.start();
                });
        DebugInfo info = DebugInfo.read(elf, THREADS);
        OptimizationIndexBuilder.Symbols objectSymbols;
        try {
            objectSymbols = symbols.join();
        } catch (CompletionException e) {
            throw WorkerFailure.unwrap(e);
        }
        return new OptimizationIndex(OptimizationIndexBuilder.build(info, elf, object, objectSymbols),
                KernelIndex.LoadInfo.BUILT);
    }
}
