// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * One run-time lookup to turn into a KLP relocation: the pointer a lookup fills, and the kernel symbol it means,
 * as the kernel index decided it ({@link SourceEdits#migrateLookups}).
 *
 * @param symbolObject where the symbol lives: vmlinux or a module name
 * @param lpObject the patched object whose klp_object applies the relocation (minimal style only)
 * @param sympos the position that names exactly this symbol (0 when the name is unique in its object)
 */
public record LookupMigration(String pointer, String symbolName, String symbolObject, String lpObject, int sympos) {
}
