// SPDX-License-Identifier: GPL-2.0-only
package dev.klplsp.source;

/**
 * A call that walks a run-time lookup table, e.g.
 * {@code __klp_resolve_kallsyms_relocs(klp_funcs, ARRAY_SIZE(klp_funcs))}.
 */
public record ResolverCall(String table, CallSite site) {
}
