// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.base.AtomicFile;
import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.WriteResult;
import dev.klplsp.kernel.KernelIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one pipeline from a built module to a converted one, for the command line and the editor alike:
 * read → check → (no error finding) apply the plan → write unless the target already holds exactly those bytes.
 *
 * <p>"Unchanged" is decided by content, not by what the conversion did: converting a converted module in place
 * writes nothing, a stale output beside it is rewritten, and a first {@code -o} of a converted module still
 * produces the file asked for.
 */
public final class ModuleConversion {
    private ModuleConversion() {
    }

    /**
     * Reads {@code module} and checks it; nothing is written. The index is asked for after the module is read, so
     * a module that cannot be read fails before a kernel is indexed.
     */
    public static CheckResult check(Path module, Supplier<KernelIndex> index, CheckConfig config) {
        ElfObject elf = ElfObject.read(module);
        return ModuleChecker.check(elf, index.get(), config);
    }

    /**
     * Checks {@code module} and, when no error is found, converts it and writes it where {@code output} says
     * (atomically; see {@link AtomicFile}). The index is asked for after the module is read.
     */
    public static ConversionOutcome convert(Path module, Supplier<KernelIndex> index, CheckConfig config,
            OutputRule output) {
        ElfObject elf = ElfObject.read(module);
        CheckResult result = ModuleChecker.check(elf, index.get(), config);
        Path target = output.targetFor(module);
        if (result.hasErrors()) {
            return new ConversionOutcome(module, target, result, Optional.empty(), Optional.empty());
        }
        ConversionSummary summary = Converter.apply(elf, result.plan());
        byte[] bytes = elf.toBytes();
        if (holds(target, bytes)) {
            return new ConversionOutcome(module, target, result, Optional.of(summary), Optional.empty());
        }
        AtomicFile.write(target, bytes);
        return new ConversionOutcome(module, target, result, Optional.of(summary),
                Optional.of(new WriteResult(target, bytes.length, elf.signature())));
    }

    /** Whether {@code target} is a regular file with exactly {@code bytes} (compared only when sizes agree). */
    private static boolean holds(Path target, byte[] bytes) {
        try {
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || Files.size(target) != bytes.length) {
                return false;
            }
            return Arrays.equals(Files.readAllBytes(target), bytes);
        } catch (IOException e) {
            return false; // unreadable: write it, and let that report what is wrong
        }
    }
}
