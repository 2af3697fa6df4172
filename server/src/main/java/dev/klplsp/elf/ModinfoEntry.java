// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.elf;

/** One {@code key=value} string of a module's {@code .modinfo} section (e.g. {@code livepatch=Y}). */
public record ModinfoEntry(String key, String value) {
}
