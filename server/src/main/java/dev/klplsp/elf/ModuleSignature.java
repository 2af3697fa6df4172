// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

/**
 * An appended module signature: from {@code offset} to the end of the file ({@code length} bytes),
 * i.e. the signature data, {@code struct module_signature} and the {@code ~Module signature appended~\n}
 * trailer.
 */
public record ModuleSignature(long offset, long length) {
    /** The magic the kernel's {@code mod_verify_sig()} looks for at the very end of the file. */
    public static final String MAGIC = "~Module signature appended~\n";
}
