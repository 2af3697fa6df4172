// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.check;

import dev.klplsp.kernel.KernelIndex;

/**
 * A kernel a livepatch is checked against, with the name findings and output files use for it (the display name
 * the user gave, else the kernel's release, e.g. {@code 6.1.0-56-amd64}).
 */
public record TargetKernel(String name, KernelIndex index) {
}
