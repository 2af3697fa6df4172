// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

import java.util.List;

/** A file-scope statement-like macro use such as {@code MODULE_INFO(livepatch, "Y");} or {@code module_init(f);}. */
public record MacroUse(String name, Span nameSpan, List<Span> arguments, Span span) {
}
