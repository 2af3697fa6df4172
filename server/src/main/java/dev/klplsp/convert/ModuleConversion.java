// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.convert;

import dev.klplsp.base.AtomicFile;
import dev.klplsp.check.CheckConfig;
import dev.klplsp.check.CheckResult;
import dev.klplsp.check.KernelsCheck;
import dev.klplsp.check.KernelsResult;
import dev.klplsp.check.ModuleChecker;
import dev.klplsp.check.TargetKernel;
import dev.klplsp.elf.ElfObject;
import dev.klplsp.elf.WriteResult;
import dev.klplsp.kernel.KernelIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        KernelIndex kernel = index.get();
        CheckResult result = ModuleChecker.check(elf, kernel, config);
        return write(module, elf, result, output.targetFor(module, kernel.release().orElse("kernel")));
    }

    /**
     * Reads {@code module} and checks it against several kernels ({@link KernelsCheck}); nothing is written. The
     * kernels are asked for after the module is read.
     */
    public static KernelsResult checkKernels(Path module, Supplier<List<TargetKernel>> kernels, CheckConfig config) {
        ElfObject elf = ElfObject.read(module);
        return KernelsCheck.check(elf, kernels.get(), config);
    }

    /**
     * Checks {@code module} against several kernels and converts it for each kernel whose own findings have no
     * error, writing one output per kernel where {@code output} says for that kernel's name.
     *
     * @throws IllegalArgumentException when several kernels would write the same file (the rule has no
     *                                  {@code {kernel}}); front ends say so before they get here
     */
    public static KernelsConversion convertKernels(Path module, Supplier<List<TargetKernel>> kernels,
            CheckConfig config, OutputRule output) {
        ElfObject elf = ElfObject.read(module);
        List<TargetKernel> targets = kernels.get();
        if (targets.size() > 1 && !output.namesKernel()) {
            throw new IllegalArgumentException("one output for " + targets.size() + " kernels: the output needs "
                    + OutputRule.KERNEL);
        }
        KernelsResult result = KernelsCheck.check(elf, targets, config);
        // Each kernel converts its own model: apply changes the model, so the others start from its bytes now.
        byte[] unconverted = targets.size() > 1 ? elf.toBytes() : null;
        List<ConversionOutcome> outcomes = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            String kernel = targets.get(k).name();
            ElfObject model = k == 0 ? elf : ElfObject.read(module, unconverted);
            outcomes.add(write(module, model, result.resultFor(kernel), output.targetFor(module, kernel)));
        }
        return new KernelsConversion(result, outcomes);
    }

    /** Converts {@code elf} by its result's plan and writes it to {@code target}, unless errors block it. */
    private static ConversionOutcome write(Path module, ElfObject elf, CheckResult result, Path target) {
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
