// SPDX-License-Identifier: GPL-2.0-only
/**
 * A tolerant scanner of livepatch C sources and the text edits behind source quick fixes.
 *
 * <p>Owns: {@link dev.klplsp.source.SourceScanner#scan(String)}, which turns any text into a
 * {@link dev.klplsp.source.SourceScan} (external declarations and their uses, file-scope definitions,
 * macro names, v7 {@code KLP_MODULE_RELOC}/{@code KLP_SYMPOS} arrays, minimal {@code KLP_RELOC_SYMBOL[_POS]}
 * annotations and {@code .klp.sym*} asm labels, klp_func/klp_object/klp_patch initializers,
 * {@code MODULE_INFO(livepatch, ...)}, includes, the run-time lookup style ({@link dev.klplsp.source.RuntimeLookups}),
 * and {@link dev.klplsp.source.ScanProblem}s); {@link dev.klplsp.source.LineIndex} (char offsets to lines, UTF-16
 * columns and UTF-8 bytes, CRLF aware); {@link dev.klplsp.source.SourceEdits}, {@link dev.klplsp.source.TextEdit}
 * and {@link dev.klplsp.source.TextDiff}.
 *
 * <p>The scan is one lexer ({@code Lexer}) and four readers of its tokens, split by what they read:
 * {@code Parser} (declarations, uses, macro statements), {@code AnnotationParser} (v7 and minimal klp
 * annotations, {@code .klp.sym*} labels), {@code KlpStructParser} (klp_func and klp_object initializers) and
 * {@code RuntimeLookupParser} (lookup tables, their pointers and uses, kallsyms_lookup_name, resolvers, notifiers),
 * sharing {@code TokenReader}'s matched brackets and token helpers.
 *
 * <p>Invariants: scanning never throws on user text and never fails (broken input yields problems as data);
 * an edit never throws on a scan of any text (overlapping edits of broken text are merged or dropped);
 * every {@link dev.klplsp.source.Span} is a char range inside the scanned String; results are immutable.
 * The scanner is a heuristic reader of file-scope declarations, not a C parser or preprocessor: it does not
 * expand macros or follow {@code #include}, and treats every {@code #if}/{@code #ifdef} condition other than
 * {@code 0}/{@code 1} as active (both branches are scanned).
 *
 * <p>Must not import: ELF ({@code dev.klplsp.elf}, jelf) except {@link dev.klplsp.elf.KlpNames}, the name format
 * its labels are written in; the kernel index, lsp4j, gson, picocli. It does no I/O.
 */
package dev.klplsp.source;
