// SPDX-License-Identifier: GPL-2.0-only
/**
 * Checking a livepatch module against a kernel's symbols: {@link dev.klplsp.check.ModuleChecker} finds every
 * reference the module loader cannot resolve, decides object and sympos for each (automatically, from v7
 * {@code KLP_SYMPOS} annotations, minimal-style {@code .klp.sym.rela.*} symbols or explicit choices), verifies
 * what is already converted, and returns protocol-agnostic {@link dev.klplsp.check.Finding}s plus a pure-data
 * {@link dev.klplsp.check.ConversionPlan}. {@link dev.klplsp.check.KernelsCheck} checks one module against several
 * kernels: each on its own, then what only a comparison shows (a number that names another copy in a later build).
 *
 * <p>Invariants: findings are data, never thrown; the checker never mutates the module; every code has a
 * stable id anchored in docs/diagnostics.md. Kernel facts (which sympos resolves where) come only from
 * {@link dev.klplsp.kernel.KernelIndex}. Must not import lsp4j, picocli or gson; never prints or exits.
 */
package dev.klplsp.check;
