// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link ElfObject#write} did: where it wrote, how many bytes, and the module signature it dropped
 * (a signature cannot survive a rewrite, so the writer never keeps one).
 */
public record WriteResult(Path path, long size, Optional<ModuleSignature> droppedSignature) {
    public boolean signatureDropped() {
        return droppedSignature.isPresent();
    }
}
