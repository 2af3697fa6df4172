// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import dev.klplsp.base.InputFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * vmlinux symbols from a kernel image ({@code vmlinuz}) alone: the payload decompressed ({@link KernelImage}) and
 * its kallsyms tables decoded ({@link KallsymsTables}), in kallsyms order, with the addresses kept so that a
 * symbol's neighbours are known. The same symbols a {@code /proc/kallsyms} dump of a {@code nokaslr} boot gives,
 * filtered the same way ({@link NmListSource#addVmlinux}).
 */
final class KernelImageSource {
    private KernelImageSource() {
    }

    /** Reads a vmlinuz file (a regular file of at most {@link KernelImage#MAX_IMAGE} bytes). */
    static ObjectSymbols read(Path path) {
        return fromImage(path, InputFile.readAllBytes(path, InputFile.KERNEL_IMAGE, SymbolSourceException::new));
    }

    /** The vmlinux symbols of a vmlinuz held in memory; {@code path} names it in messages. */
    static ObjectSymbols fromImage(Path path, byte[] image) {
        return toVmlinux(path, decode(path, image));
    }

    /** The raw kallsyms table of a vmlinuz: every entry, nothing filtered. */
    static KallsymsTables.Symbols decode(Path path, byte[] image) {
        KernelImage.Payload payload = KernelImage.payload(path, image);
        return KallsymsTables.decode(path, payload.data(), payload.length());
    }

    static ObjectSymbols toVmlinux(Path path, KallsymsTables.Symbols table) {
        ObjectSymbols vmlinux = new ObjectSymbols(KernelSymbol.VMLINUX, path, table.count());
        for (int i = 0; i < table.count(); i++) {
            String name = table.names()[i];
            if (!Sympos.isIgnoredVmlinuxName(name)) {
                NmListSource.addVmlinux(vmlinux, name, table.letters()[i], table.addresses()[i]);
            }
        }
        ElfSymbolSource.flagVmlinuxRanges(vmlinux);
        addKsymtabExports(vmlinux);
        return vmlinux;
    }

    /**
     * Exports of vmlinux as its {@code __ksymtab_<name>} entries show them (an image package has no
     * Module.symvers); GPL-only when the entry lies between {@code __start___ksymtab_gpl} and
     * {@code __stop___ksymtab_gpl}. Module.symvers, when given too, takes precedence.
     */
    static void addKsymtabExports(ObjectSymbols vmlinux) {
        Optional<Long> gplStart = vmlinux.addressOf("__start___ksymtab_gpl");
        Optional<Long> gplStop = vmlinux.addressOf("__stop___ksymtab_gpl");
        for (int i = 0; i < vmlinux.count; i++) {
            String name = vmlinux.names[i];
            if (!name.startsWith("__ksymtab_") || name.length() == "__ksymtab_".length()) {
                continue;
            }
            long address = vmlinux.addresses[i];
            boolean gpl = gplStart.isPresent() && gplStop.isPresent()
                    && Long.compareUnsigned(address, gplStart.get()) >= 0
                    && Long.compareUnsigned(address, gplStop.get()) < 0;
            vmlinux.exports.add(new Export(name.substring("__ksymtab_".length()), KernelSymbol.VMLINUX,
                    gpl ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL", Optional.empty()));
        }
    }
}
