// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.kernel;

import java.util.Objects;
import java.util.Optional;

/**
 * An exported symbol, as Module.symvers lists it ({@code 0x12345678\t_printk\tvmlinux\tEXPORT_SYMBOL\t}).
 *
 * @param object     "vmlinux" or the runtime module name that exports it
 * @param exportType EXPORT_SYMBOL or EXPORT_SYMBOL_GPL; empty when only a {@code __ksymtab_<name>} symbol
 *                   without section information showed the export
 * @param namespace  the symbol namespace (EXPORT_SYMBOL_NS), if any
 */
public record Export(String name, String object, String exportType, Optional<String> namespace) {

    // Written out: the generated equals/hashCode link method handles on first call (WrittenOutRecordEqualityTest).
    @Override
    public boolean equals(Object other) {
        return other instanceof Export that && Objects.equals(name, that.name) && Objects.equals(object, that.object)
                && Objects.equals(exportType, that.exportType) && Objects.equals(namespace, that.namespace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, object, exportType, namespace);
    }
}
